using System.Collections.Immutable;
using System.Globalization;
using GistNotebooks.Survival.Claims;

namespace GistNotebooks.Survival.Reconstruction;

/// <summary>A quantity the claims fix: the same in every consistent cohort under the reading in force.</summary>
/// <param name="Figure">The quantity in words.</param>
/// <param name="Value">Its value, in words and figures.</param>
public sealed record FixedFigure(string Figure, string Value);

/// <summary>
/// What a reproduction from published figures can and cannot show: the quantities the claims fix (identical in every
/// consistent cohort under the reading in force, found over the consistent death/censoring sequences), the readings of
/// a claim that cannot hold, and every other figure with its range over an ensemble of consistent cohorts across readings.
/// </summary>
/// <param name="Reading">The reading in force (null for a file without readings).</param>
/// <param name="Sequences">The consistent death/censoring sequences under it.</param>
/// <param name="SequencesExamined">Over how many sequences the fixed quantities were found (all of them when counted exactly and few enough).</param>
/// <param name="Fixed">The quantities the claims fix, with their values.</param>
/// <param name="Chosen">Every other figure, with its spread over the ensemble (overall and by reading).</param>
/// <param name="Readings">Every reading drawn in the ensemble, with its number of consistent sequences.</param>
/// <param name="Cohorts">The size of the ensemble.</param>
public sealed record AbstractFindings(
    string? Reading,
    SequenceCount Sequences,
    int SequencesExamined,
    ImmutableArray<FixedFigure> Fixed,
    ImmutableArray<FigureSpread> Chosen,
    ImmutableArray<KeyValuePair<string, SequenceCount>> Readings,
    int Cohorts)
{
    /// <summary>Computes the findings of a claims file.</summary>
    /// <param name="claims">The claims under the reading in force.</param>
    /// <param name="ensemble">How the ensemble of the chosen figures is drawn (default: 25 cohorts under each reading).</param>
    /// <exception cref="InfeasibleClaimsException">The claims cannot hold together under a reading.</exception>
    public static AbstractFindings Compute(ClaimSet claims, CohortEnsembleOptions? ensemble = null)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var (fixedFigures, count, examined) = FixedOver(claims);
        var drawn = CohortEnsemble.Draw(claims, ensemble);
        var chosen = drawn.StandardFigures().Where(f => !f.IsFixed).ToImmutableArray();
        var readings = claims.Readings.IsEmpty
            ? [KeyValuePair.Create(claims.Reading ?? "(none)", count)]
            : claims.Readings.Select(r => KeyValuePair.Create(r.Name, ConsistentSequences.Count(claims.WithReading(r.Name)))).ToImmutableArray();
        return new AbstractFindings(claims.Reading, count, examined, fixedFigures, chosen, readings, drawn.Members.Length);
    }

    /// <summary>
    /// Only the quantities the claims fix (<see cref="Fixed"/>), found over the consistent sequences without drawing
    /// any cohort: quick enough for any notebook.
    /// </summary>
    public static ImmutableArray<FixedFigure> FixedFigures(ClaimSet claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return FixedOver(claims).Fixed;
    }

    private static (ImmutableArray<FixedFigure> Fixed, SequenceCount Count, int Examined) FixedOver(ClaimSet claims)
    {
        var count = ConsistentSequences.Count(claims);
        var orders = ConsistentSequences.Enumerate(claims, maximum: 20_000) ?? [];
        var fixedFigures = ImmutableArray.CreateBuilder<FixedFigure>();
        var unit = claims.TimeUnit;
        fixedFigures.Add(new FixedFigure("cohort size", ConsistentSequences.CohortSize(claims).ToString(CultureInfo.InvariantCulture)));
        if (!orders.IsEmpty)
        {
            var cuts = orders[0].CutTimes;
            for (var k = 0; k < cuts.Length; k++)
            {
                var cut = k;
                AddIfFixed(fixedFigures, Invariant($"Kaplan–Meier survival at {cuts[k]} {unit} (%)"), orders.Select(o => 100 * o.SurvivalAfter(o.CutCounts[cut])), "0.00");
                AddIfFixed(fixedFigures, Invariant($"Greenwood standard error at {cuts[k]} {unit} (%)"), orders.Select(o => 100 * o.StandardErrorAfter(o.CutCounts[cut])), "0.00");
                AddIfFixed(fixedFigures, Invariant($"deaths by {cuts[k]} {unit}"), orders.Select(o => (double)o.DeathsBefore(o.CutCounts[cut])), "0");
            }

            var deaths = orders.Select(o => o.DeathCount).ToList();
            fixedFigures.Add(new FixedFigure("range of deaths in all", deaths.Min() == deaths.Max()
                ? deaths[0].ToString(CultureInfo.InvariantCulture)
                : Invariant($"{deaths.Min()} to {deaths.Max()} (the number itself is not fixed)")));
            if (orders.All(o => o.Deaths[0] == orders[0].Deaths[0]))
            {
                fixedFigures.Add(new FixedFigure("the patient with the shortest follow-up", orders[0].Deaths[0] ? "died" : "was censored (alive at last contact)"));
            }
        }

        foreach (var follow in claims.Claims.OfType<FollowUpClaim>())
        {
            var asMedian = new MedianSurvivalClaim { Id = follow.Id, Description = follow.Description, Sentence = follow.Sentence, Median = follow.Median };
            var misread = claims with { Claims = [.. claims.Claims.Select(c => c.Id == follow.Id ? asMedian : c)] };
            var feasibility = ClaimFeasibility.Analyze(misread);
            if (feasibility.IsDecided && !feasibility.IsFeasible)
            {
                var conflict = feasibility.Conflicts.FirstOrDefault(c => c.ClaimIds.Contains(follow.Id)) ?? feasibility.Conflicts[0];
                fixedFigures.Add(new FixedFigure(
                    $"{follow.Id} read as a Kaplan–Meier median survival of {follow.Median}",
                    $"impossible: conflicts with {string.Join(" + ", conflict.ClaimIds.Where(id => id != follow.Id))} ({conflict.Reason})"));
            }
        }

        return (fixedFigures.ToImmutable(), count, orders.Length);
    }

    private static void AddIfFixed(ImmutableArray<FixedFigure>.Builder figures, string name, IEnumerable<double> values, string format)
    {
        var list = values.ToList();
        if (list.Count > 0 && list.All(v => Math.Abs(v - list[0]) <= 1e-9 * Math.Max(1, Math.Abs(list[0]))))
        {
            figures.Add(new FixedFigure(name, list[0].ToString(format, CultureInfo.InvariantCulture)));
        }
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
