using System.Collections.Immutable;
using System.Globalization;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Reconstruction;

/// <content>Coherence across claims: what one patient's columns must agree on, whatever the margins.</content>
public static partial class CohortReconstruction
{
    /// <summary>
    /// Where a cohort's patients contradict themselves across claims; empty when the cohort is coherent. Three rules,
    /// read from the claims file:
    /// an event dated in an event-time column (e.g. recurrence) has a time, no later than the patient's last follow-up,
    /// and a patient without the event has no time;
    /// a level counted among a subgroup (e.g. remnant-liver recurrence among those with a recurrence) occurs only in that subgroup;
    /// a patient who meets the condition of a survivors claim (e.g. two or more resections: a repeat resection treats
    /// recurrent disease) had every dated event.
    /// The reconstruction redraws a patient-level assignment that breaks any of them.
    /// </summary>
    /// <param name="claims">The claims the cohort was built from.</param>
    /// <param name="cohort">The cohort.</param>
    /// <exception cref="DataValidationException">The cohort lacks a column the rules need, or a value is not a number where one is needed.</exception>
    public static ImmutableArray<string> CoherenceProblems(ClaimSet claims, ColumnTable cohort)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(cohort);
        var problems = ImmutableArray.CreateBuilder<string>();
        var ids = cohort.ColumnNames.Contains(claims.IdColumn) ? cohort.GetText(claims.IdColumn) : null;
        string Row(int i) => ids?[i] ?? "row " + (i + 1).ToString(CultureInfo.InvariantCulture);
        var followUp = cohort.GetNumbers(claims.TimeColumn);
        var events = claims.EventTimeColumns.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        foreach (var (eventColumn, timeColumn) in events)
        {
            var happened = cohort.GetText(eventColumn);
            var times = cohort.GetNumbersOrMissing(timeColumn);
            for (var i = 0; i < cohort.RowCount; i++)
            {
                if (happened[i] == "1" && !(times[i] <= followUp[i]))
                {
                    problems.Add(FormattableString.Invariant($"{Row(i)}: {eventColumn} at {times[i]} is not dated at or before the last follow-up ({followUp[i]})"));
                }
                else if (happened[i] != "1" && !double.IsNaN(times[i]))
                {
                    problems.Add(FormattableString.Invariant($"{Row(i)}: {timeColumn} is given without {eventColumn}"));
                }
            }
        }

        foreach (var c in claims.Claims.OfType<CountClaim>().Where(c => c.AmongColumn is not null))
        {
            var values = cohort.GetText(c.Column);
            var among = cohort.GetText(c.AmongColumn!);
            for (var i = 0; i < cohort.RowCount; i++)
            {
                if (values[i] == c.Level && among[i] != c.AmongLevel)
                {
                    problems.Add($"{Row(i)}: {c.Column} = {c.Level} without {c.AmongColumn} = {c.AmongLevel} ({c.Id})");
                }
            }
        }

        foreach (var c in claims.Claims.OfType<SurvivorsBeyondClaim>().Where(c => c.ConditionColumn is not null))
        {
            var condition = cohort.GetNumbersOrMissing(c.ConditionColumn!);
            for (var i = 0; i < cohort.RowCount; i++)
            {
                foreach (var (eventColumn, _) in events.Where(_ => condition[i] >= (c.ConditionAtLeast ?? double.PositiveInfinity)))
                {
                    if (cohort.GetText(eventColumn)[i] != "1")
                    {
                        problems.Add(FormattableString.Invariant($"{Row(i)}: {c.ConditionColumn} = {condition[i]} without {eventColumn} ({c.Id})"));
                    }
                }
            }
        }

        return problems.ToImmutable();
    }
}
