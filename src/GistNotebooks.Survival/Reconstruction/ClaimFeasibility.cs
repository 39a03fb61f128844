using System.Collections.Immutable;
using System.Globalization;
using GistNotebooks.Survival.Claims;

namespace GistNotebooks.Survival.Reconstruction;

/// <summary>A set of claims that cannot all hold, and why.</summary>
/// <param name="ClaimIds">The claims, the smallest set found that conflicts (every smaller part of it can hold).</param>
/// <param name="Reason">Why, in words and figures.</param>
public sealed record ClaimConflict(ImmutableArray<string> ClaimIds, string Reason);

/// <summary>Whether a claims file can describe one cohort, and if not, the smallest sets of claims that conflict.</summary>
/// <param name="Conflicts">Every smallest conflicting set; empty when the claims can hold together.</param>
public sealed record FeasibilityReport(ImmutableArray<ClaimConflict> Conflicts)
{
    /// <summary>Sets of time claims the budget did not decide (empty when everything was decided).</summary>
    public ImmutableArray<ImmutableArray<string>> Undecided { get; init; } = [];

    /// <summary>Whether some cohort can satisfy every claim that constrains times and margins (false also when undecided).</summary>
    public bool IsFeasible => Conflicts.IsEmpty && Undecided.IsEmpty;

    /// <summary>Whether the analysis decided every question it asked.</summary>
    public bool IsDecided => Undecided.IsEmpty;

    /// <summary>The conflicts, one per line.</summary>
    public override string ToString() => IsFeasible
        ? "The claims can hold together."
        : string.Join(Environment.NewLine, Conflicts.Select(c => $"{string.Join(" + ", c.ClaimIds)}: {c.Reason}")
            .Concat(Undecided.Select(u => $"{string.Join(" + ", u)}: undecided within the budget")));
}

/// <summary>
/// Finds the smallest sets of claims that cannot hold together: counts that exceed the cohort, margins
/// that do not add up, and time claims (survival at times, medians, follow-up) that no death/censoring
/// sequence satisfies. The time claims are decided by the counting of <see cref="ConsistentSequences"/>
/// (exactly, or by search when the counting exceeds its budget): all together first, and only when they
/// conflict, every subset, smallest first.
/// </summary>
public static class ClaimFeasibility
{
    /// <summary>Analyses a claims file (under its reading) with the default budget.</summary>
    public static FeasibilityReport Analyze(ClaimSet claims) => Analyze(claims, null);

    /// <summary>Analyses a claims file (under its reading).</summary>
    public static FeasibilityReport Analyze(ClaimSet claims, SequenceCountOptions? options)
    {
        ArgumentNullException.ThrowIfNull(claims);
        options ??= new SequenceCountOptions();
        var n = ConsistentSequences.CohortSize(claims);
        var sizeId = claims.Claims.OfType<CohortSizeClaim>().First().Id;
        var conflicts = ImmutableArray.CreateBuilder<ClaimConflict>();
        conflicts.AddRange(MarginConflicts(claims, n, sizeId));

        var timeIds = TimeConstraints.From(claims, n).ClaimIds;
        var undecided = ImmutableArray.CreateBuilder<ImmutableArray<string>>();
        var whole = timeIds.IsEmpty ? FeasibilityDecision.Feasible : SequenceEngine.Create(TimeConstraints.From(claims, n), options).Decide();
        if (whole == FeasibilityDecision.Undecided)
        {
            undecided.Add(timeIds);
        }
        else if (whole == FeasibilityDecision.Infeasible)
        {
            var infeasible = new List<ImmutableHashSet<string>>();
            foreach (var subset in SubsetsBySize(timeIds))
            {
                if (infeasible.Any(s => s.IsSubsetOf(subset)) || undecided.Any(u => u.All(subset.Contains)))
                {
                    continue;
                }

                var ids = subset.Order(StringComparer.Ordinal).ToImmutableArray();
                var decision = subset.Count == timeIds.Length ? whole : SequenceEngine.Create(TimeConstraints.From(claims, n, subset), options).Decide();
                if (decision == FeasibilityDecision.Infeasible)
                {
                    infeasible.Add(subset);
                    conflicts.Add(new ClaimConflict(ids, ExplainTimeConflict(claims, ids, n)));
                }
                else if (decision == FeasibilityDecision.Undecided)
                {
                    undecided.Add(ids);
                }
            }
        }

        return new FeasibilityReport(conflicts.ToImmutable()) { Undecided = undecided.ToImmutable() };
    }

    private static IEnumerable<ImmutableHashSet<string>> SubsetsBySize(ImmutableArray<string> ids)
    {
        var count = ids.Length;
        var masks = Enumerable.Range(1, (1 << count) - 1).OrderBy(m => System.Numerics.BitOperations.PopCount((uint)m)).ThenBy(m => m);
        foreach (var mask in masks)
        {
            yield return [.. ids.Where((_, i) => (mask & (1 << i)) != 0)];
        }
    }

    private static string ExplainTimeConflict(ClaimSet claims, ImmutableArray<string> ids, int n)
    {
        var chosen = ids.Select(id => claims[id]).ToList();
        var median = chosen.OfType<MedianSurvivalClaim>().FirstOrDefault();
        var above = chosen.OfType<SurvivalAtClaim>().FirstOrDefault(s => median is not null && s.Time >= median.Median.Value && s.Percent.Value > 50);
        if (median is not null && above is not null)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"{median.Id} as a Kaplan–Meier median of {median.Median} {claims.TimeUnit} contradicts {above.Id}: S({above.Time}) = {above.Percent}% > 50%, so survival has not reached 50% by {above.Time} {claims.TimeUnit} and the median lies beyond it");
        }

        var survival = chosen.OfType<SurvivalAtClaim>().OrderBy(s => s.Time).ToList();
        for (var i = 1; i < survival.Count; i++)
        {
            if (survival[i].Percent.Lower > survival[i - 1].Percent.Upper)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"survival cannot rise: {survival[i - 1].Id} gives S({survival[i - 1].Time}) = {survival[i - 1].Percent}% but {survival[i].Id} gives S({survival[i].Time}) = {survival[i].Percent}%");
            }
        }

        var grid = TimeConstraints.From(claims, n).GridText(claims.TimeUnit);
        return ids.Length == 1
            ? string.Create(CultureInfo.InvariantCulture, $"no death/censoring sequence of {n} subjects with times on a grid of {grid} satisfies {ids[0]}")
            : string.Create(CultureInfo.InvariantCulture,
                $"no death/censoring sequence of {n} subjects with times on a grid of {grid} satisfies {string.Join(", ", ids)} together, although each smaller set of them can hold");
    }

    private static IEnumerable<ClaimConflict> MarginConflicts(ClaimSet claims, int n, string sizeId)
    {
        foreach (var claim in claims.Claims)
        {
            switch (claim)
            {
                case CategoryCountsClaim c when c.Counts.Sum(p => p.Value) != n:
                    yield return new ClaimConflict([sizeId, c.Id], FormattableString.Invariant(
                        $"the counts of {c.Column} add up to {c.Counts.Sum(p => p.Value)}, not to the {n} subjects"));
                    break;
                case CountClaim c when c.Count > n || c.Count < 0 || c.Denominator > n:
                    yield return new ClaimConflict([sizeId, c.Id], FormattableString.Invariant($"{c.Count ?? c.Denominator} of {n} subjects is impossible"));
                    break;
                case CountClaim c when c.Denominator is int d && c.Count > d:
                    yield return new ClaimConflict([c.Id], FormattableString.Invariant($"{c.Count} of {d} is impossible"));
                    break;
                case CountClaim { Count: int count } c when c.Percent is ReportedValue p && !p.Admits(100.0 * count / (c.Denominator ?? n)):
                    yield return new ClaimConflict([sizeId, c.Id], string.Create(CultureInfo.InvariantCulture,
                        $"{count} of {c.Denominator ?? n} is {100.0 * count / (c.Denominator ?? n):F1}%, which does not round to the printed {p}%"));
                    break;
                case CountClaim { Count: null, Percent: ReportedValue p } c when PercentCounts.Matching(p, c.Denominator ?? n).IsEmpty:
                    yield return new ClaimConflict([sizeId, c.Id], string.Create(CultureInfo.InvariantCulture,
                        $"no count of {c.Denominator ?? n} rounds to the printed {p}%"));
                    break;
                case SurvivorsBeyondClaim c when c.Count > n:
                    yield return new ClaimConflict([sizeId, c.Id], FormattableString.Invariant($"{c.Count} survivors among {n} subjects is impossible"));
                    break;
                default:
                    break;
            }
        }

        foreach (var c in claims.Claims.OfType<CountClaim>().Where(c => c.AmongColumn is not null && c.Denominator is not null))
        {
            var among = claims.Claims.OfType<CountClaim>().FirstOrDefault(o => o.Column == c.AmongColumn && o.Level == c.AmongLevel && o.AmongColumn is null);
            if (among is { Count: int amongCount } && amongCount != c.Denominator)
            {
                yield return new ClaimConflict([among.Id, c.Id], FormattableString.Invariant(
                    $"{c.Id} counts among {c.Denominator} with {c.AmongColumn} = {c.AmongLevel}, but {among.Id} gives {among.Count}"));
            }
        }
    }
}
