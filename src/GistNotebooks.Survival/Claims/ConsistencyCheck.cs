using System.Collections.Immutable;
using System.Globalization;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Inference;

namespace GistNotebooks.Survival.Claims;

/// <summary>One claim checked against a cohort: what was reported, what the cohort gives, and whether they agree at the reported precision.</summary>
/// <param name="Id">The claim's id.</param>
/// <param name="Description">The claim in words.</param>
/// <param name="Reported">The figure as reported.</param>
/// <param name="Reproduced">The figure the cohort gives, computed by the library.</param>
/// <param name="Passed">Whether the cohort's figure rounds to the reported one (or meets the claim).</param>
public sealed record ClaimCheck(string Id, string Description, string Reported, string Reproduced, bool Passed)
{
    /// <summary>"pass" or "fail".</summary>
    public string Status => Passed ? "pass" : "fail";

    /// <summary>How the claim came to hold in the cohort (built to meet it, or not), when known; null when no one said how the cohort was made.</summary>
    public ClaimBasis? Basis { get; init; }
}

/// <summary>A cohort checked against every claim of a claims file.</summary>
/// <param name="Checks">One check per claim, in the claims file's order.</param>
public sealed record ConsistencyReport(ImmutableArray<ClaimCheck> Checks)
{
    /// <summary>Whether every claim passes.</summary>
    public bool AllPassed => Checks.All(c => c.Passed);

    /// <summary>The same checks, each with its basis from <paramref name="basis"/> (null leaves a check without one).</summary>
    public ConsistencyReport WithBases(Func<string, ClaimBasis?> basis)
    {
        ArgumentNullException.ThrowIfNull(basis);
        return new ConsistencyReport([.. Checks.Select(c => c with { Basis = basis(c.Id) })]);
    }
}

/// <summary>
/// Compares any cohort with a paper's claims: per claim, the reported value, the value the cohort gives,
/// and pass or fail at the precision the paper printed (63.7% passes for any value in [63.65, 63.75)).
/// The same comparison serves the reconstruction, the notebooks and <c>gistnb check</c>.
/// </summary>
public static class ConsistencyCheck
{
    /// <summary>Checks a cohort table against a claims file.</summary>
    /// <exception cref="DataValidationException">The cohort lacks a column a claim needs, or a value is invalid.</exception>
    public static ConsistencyReport Check(ClaimSet claims, ColumnTable cohort)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(cohort);
        var data = SurvivalData.FromTable(cohort, claims.TimeColumn, claims.EventColumn);
        var curve = KaplanMeier.Estimate(data);
        return new ConsistencyReport([.. claims.Claims.Select(c => Check(c, claims, cohort, data, curve))]);
    }

    /// <summary>Checks one claim, by id, against a cohort table, through the same rules as <see cref="Check(ClaimSet, ColumnTable)"/>.</summary>
    /// <exception cref="KeyNotFoundException">No claim has that id.</exception>
    /// <exception cref="DataValidationException">The cohort lacks a column the claim needs, or a value is invalid.</exception>
    public static ClaimCheck Check(ClaimSet claims, ColumnTable cohort, string id)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(cohort);
        ArgumentNullException.ThrowIfNull(id);
        var claim = claims[id];
        var data = SurvivalData.FromTable(cohort, claims.TimeColumn, claims.EventColumn);
        return Check(claim, claims, cohort, data, KaplanMeier.Estimate(data));
    }

    /// <summary>Compares one computed figure with a claim of a single printed value, through the same rule as <see cref="Check(ClaimSet, ColumnTable)"/>.</summary>
    /// <param name="claim">The claim.</param>
    /// <param name="value">The computed figure, in the claim's unit (percent for survival).</param>
    /// <exception cref="ArgumentException">The claim is not one of a single printed value.</exception>
    public static ClaimCheck CheckValue(Claim claim, double value)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var reported = claim switch
        {
            SurvivalAtClaim s => s.Percent,
            MedianSurvivalClaim m => m.Median,
            CohortSizeClaim c => new ReportedValue(c.Count, 0),
            CountClaim { Percent: null } c => new ReportedValue(c.Count, 0),
            SurvivorsBeyondClaim c => new ReportedValue(c.Count, 0),
            _ => throw new ArgumentException($"Claim {claim.Id} ({claim.GetType().Name}) is not a single printed value; check it against a cohort.", nameof(claim)),
        };
        var unit = claim is SurvivalAtClaim ? "%" : string.Empty;
        return new ClaimCheck(claim.Id, claim.Description, claim.Reported, Text(value, reported.Decimals + 1) + unit, reported.Admits(value));
    }

    private static ClaimCheck Check(Claim claim, ClaimSet claims, ColumnTable cohort, SurvivalData data, KaplanMeierCurve curve)
    {
        ClaimCheck Result(string reproduced, bool passed) => new(claim.Id, claim.Description, claim.Reported, reproduced, passed);
        switch (claim)
        {
            case CohortSizeClaim c:
                return Result(Text(cohort.RowCount), cohort.RowCount == c.Count);
            case CategoryCountsClaim c:
            {
                var values = cohort.GetText(c.Column);
                var counts = c.Counts.Select(p => (p.Key, Count: values.Count(v => v == p.Key))).ToList();
                var others = values.Count(v => c.Counts.All(p => p.Key != v));
                var text = string.Join(", ", counts.Select(p => FormattableString.Invariant($"{p.Key} {p.Count}"))) + (others > 0 ? FormattableString.Invariant($", other {others}") : string.Empty);
                return Result(text, others == 0 && counts.Zip(c.Counts).All(p => p.First.Count == p.Second.Value));
            }

            case CountClaim c:
            {
                var values = cohort.GetText(c.Column);
                var among = c.AmongColumn is null ? null : cohort.GetText(c.AmongColumn);
                var rows = Enumerable.Range(0, values.Length).Where(i => among is null || among[i] == c.AmongLevel).ToList();
                var count = rows.Count(i => values[i] == c.Level);
                var denominator = rows.Count;
                var percent = denominator == 0 ? double.NaN : 100.0 * count / denominator;
                var passed = count == c.Count && (c.Denominator is null || c.Denominator == denominator) && (c.Percent is not ReportedValue p || p.Admits(percent));
                var text = c.Denominator is null ? Text(count) : FormattableString.Invariant($"{count} of {denominator}");
                return Result(c.Percent is ReportedValue pr ? $"{text} ({Text(percent, pr.Decimals + 1)}%)" : text, passed);
            }

            case SurvivalAtClaim c:
                return CheckValue(c, 100 * curve.SurvivalAtTime(c.Time));
            case MedianSurvivalClaim c:
                return curve.Median.Estimate is double m ? CheckValue(c, m) : Result("not reached", passed: false);
            case FollowUpClaim c:
            {
                var times = data.Times.Order().ToArray();
                var median = SampleQuantiles.MedianOfSorted(times);
                var passed = c.Median.Admits(median) && c.Minimum.Admits(times[0]) && c.Maximum.Admits(times[^1]);
                return Result(FormattableString.Invariant($"{Text(median, 2)} ({Text(times[0], 1)}–{Text(times[^1], 1)})"), passed);
            }

            case SurvivorsBeyondClaim c:
            {
                var beyond = Enumerable.Range(0, data.Count).Where(i => c.IsBeyond(data.Times[i])).ToList();
                var condition = c.ConditionColumn is null ? null : cohort.GetNumbersOrMissing(c.ConditionColumn);
                var meets = condition is null || beyond.All(i => condition[i] >= (c.ConditionAtLeast ?? double.NegativeInfinity));
                var text = condition is null
                    ? Text(beyond.Count)
                    : FormattableString.Invariant($"{beyond.Count}, {c.ConditionColumn} {string.Join("/", beyond.Select(i => Text(condition[i])))}");
                return Result(text, beyond.Count == c.Count && meets);
            }

            case NoSignificantPredictorClaim c:
            {
                var parts = new List<string>();
                var passed = true;
                foreach (var predictor in c.Predictors)
                {
                    var p = predictor.LogRankP(data.Times, data.Events, cohort.GetText(predictor.Column).Select(v => v ?? string.Empty).ToArray());
                    parts.Add($"{predictor.Label}: p = {PValueFormat.Format(p)}");
                    passed &= p is not double q || q >= c.Alpha;
                }

                return Result(string.Join("; ", parts), passed);
            }

            default:
                return Result("not checked: unknown kind of claim", passed: false);
        }
    }

    private static string Text(double value, int decimals = 0) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
