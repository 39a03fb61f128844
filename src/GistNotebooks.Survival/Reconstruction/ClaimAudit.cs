using System.Collections.Immutable;
using System.Globalization;
using GistNotebooks.Survival.Claims;

namespace GistNotebooks.Survival.Reconstruction;

/// <summary>Whether one claim can hold at the cohort's size, judged from the abstract alone.</summary>
public enum AuditStatus
{
    /// <summary>Some cohort of that size satisfies the claim.</summary>
    Attainable,

    /// <summary>No cohort of that size satisfies the claim.</summary>
    Unattainable,

    /// <summary>The abstract alone cannot settle it (it depends on data the paper does not give), or the budget did not.</summary>
    NotCheckable,
}

/// <summary>The smallest and largest value of a quantity over the consistent sequences; fixed by the claims when they are equal.</summary>
/// <param name="Minimum">The smallest value.</param>
/// <param name="Maximum">The largest value.</param>
/// <param name="Sequences">Over how many sequences.</param>
/// <param name="IsExact">True when taken over every consistent sequence; false when over a sample of them.</param>
public sealed record QuantityRange(double Minimum, double Maximum, int Sequences, bool IsExact)
{
    /// <summary>Whether the claims fix the quantity (over the sequences looked at).</summary>
    public bool IsFixed => Minimum == Maximum;
}

/// <summary>One claim audited against the cohort size alone, with what the abstract allows around it.</summary>
/// <param name="Id">The claim's id.</param>
/// <param name="Kind">The kind of claim, as in the claims file.</param>
/// <param name="Reported">The claim as printed.</param>
/// <param name="Status">Whether it can hold at this cohort size.</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="MatchingCounts">For a printed percentage of a count: every count whose percentage rounds to the printed one (as GRIM does for means).</param>
/// <param name="NearestSurvival">For survival at a time: the attainable Kaplan–Meier values (percent) nearest the printed one — the largest below its interval, a few inside, the smallest above — when they can be listed.</param>
/// <param name="DeathsByTime">For survival at a time: the deaths at or before the time, over the sequences consistent with every claim.</param>
/// <param name="StandardError">For survival at a time: its Greenwood standard error (percent) over the same sequences.</param>
public sealed record ClaimAuditEntry(
    string Id,
    string Kind,
    string Reported,
    AuditStatus Status,
    string Reason,
    ImmutableArray<int> MatchingCounts,
    ImmutableArray<double> NearestSurvival,
    QuantityRange? DeathsByTime,
    QuantityRange? StandardError);

/// <summary>One reading of the claims file: whether its claims hold together and how many sequences agree with them.</summary>
/// <param name="Name">The reading's name (null for a file without readings).</param>
/// <param name="Feasible">Whether its claims can hold together (false also when undecided).</param>
/// <param name="Decided">Whether the budget sufficed to decide.</param>
/// <param name="Sequences">The consistent death/censoring sequences.</param>
public sealed record ReadingAudit(string? Name, bool Feasible, bool Decided, SequenceCount Sequences);

/// <summary>An abstract audited without any cohort: each claim at the cohort's size, which claims conflict, what the claims fix, and every reading.</summary>
/// <param name="Study">The study.</param>
/// <param name="Reading">The reading audited in detail (null for a file without readings).</param>
/// <param name="Feasible">Whether the claims under that reading can hold together.</param>
/// <param name="Decided">Whether the budget sufficed to decide it.</param>
/// <param name="Claims">Each claim, in file order.</param>
/// <param name="Conflicts">The smallest sets of claims that cannot hold together.</param>
/// <param name="TotalDeaths">The number of deaths over the consistent sequences.</param>
/// <param name="Readings">Every reading of the file.</param>
public sealed record AuditReport(
    string Study,
    string? Reading,
    bool Feasible,
    bool Decided,
    ImmutableArray<ClaimAuditEntry> Claims,
    ImmutableArray<ClaimConflict> Conflicts,
    QuantityRange? TotalDeaths,
    ImmutableArray<ReadingAudit> Readings);

/// <summary>How an audit works.</summary>
public sealed record AuditOptions
{
    /// <summary>How much work counting and searching may do.</summary>
    public SequenceCountOptions Counting { get; init; } = new();

    /// <summary>Consistent sequences up to this number are all looked at for the quantities the claims fix; beyond it, a sample. Default 20,000.</summary>
    public int EnumerationLimit { get; init; } = 20_000;

    /// <summary>How many sequences are drawn when they are too many to look at all. Default 200.</summary>
    public int Samples { get; init; } = 200;
}

/// <summary>
/// Audits an abstract's claims from the abstract alone, at any cohort size: each claim on its own (can it hold with
/// this many subjects? which counts round to a printed percentage? which survival values are attainable near the
/// printed one?), the claims together (which conflict), what they fix (deaths by a time, a standard error), and every
/// reading of an ambiguous sentence.
/// </summary>
public static class ClaimAudit
{
    /// <summary>Audits a claims file under its current reading, and reports every reading.</summary>
    /// <exception cref="Data.DataValidationException">The claims name no cohort size, or one outside the range the counting handles.</exception>
    public static AuditReport Audit(ClaimSet claims, AuditOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(claims);
        options ??= new AuditOptions();
        var n = ConsistentSequences.CohortSize(claims);
        var feasibility = ClaimFeasibility.Analyze(claims, options.Counting);
        var engine = SequenceEngine.Create(TimeConstraints.From(claims, n), options.Counting);
        var orders = feasibility.IsFeasible ? Orders(engine, options) : ([], false);

        var entries = claims.Claims.Select(c => Entry(claims, c, n, orders, options)).ToList();
        var conflicts = feasibility.Conflicts.Select(c => WithNearest(c, [.. entries])).ToList();
        var feasible = feasibility.IsFeasible;
        var decided = feasibility.IsDecided;

        // Claims about another endpoint are audited as a cohort of their own: the endpoint's subjects, its claims.
        foreach (var name in claims.Claims.Select(c => c.Endpoint).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var endpoint = claims.Endpoints[name];
            var (projection, sizeId) = Project(claims, endpoint, n);
            var sub = Audit(projection, options);
            foreach (var e in sub.Claims.Where(e => e.Id != sizeId))
            {
                var at = entries.FindIndex(x => x.Id == e.Id);
                entries[at] = e with { Reason = $"{endpoint.Label} of {ConsistentSequences.CohortSize(projection).ToString(CultureInfo.InvariantCulture)} subjects: {e.Reason}" };
            }

            conflicts.AddRange(sub.Conflicts.Select(c => c with { ClaimIds = [.. c.ClaimIds.Where(id => id != sizeId)], Reason = $"{endpoint.Label}: {c.Reason}" }).Where(c => !c.ClaimIds.IsEmpty));
            feasible &= sub.Feasible;
            decided &= sub.Decided;
        }

        // Summaries that are checked from their own printed figures (GRIM, GRIMMER, the Wald interval, group sizes).
        foreach (var e in entries.Where(e => e.Status == AuditStatus.Unattainable && claims[e.Id] is CovariateSummaryClaim or GroupComparisonClaim or HazardRatioClaim or OtherDenominatorClaim))
        {
            conflicts.Add(new ClaimConflict([e.Id], e.Reason));
            feasible = false;
        }

        QuantityRange? deaths = orders.Orders.IsEmpty ? null : Range(orders.Orders.Select(o => (double)o.DeathCount), orders);

        var readings = claims.Readings.IsEmpty
            ? [Reading(claims, options, feasibility)]
            : claims.Readings.Select(r => r.Name == claims.Reading ? Reading(claims, options, feasibility) : Reading(claims.WithReading(r.Name), options, null)).ToImmutableArray();
        return new AuditReport(claims.Study, claims.Reading, feasible, decided, [.. entries], [.. conflicts], deaths, readings);
    }

    /// <summary>
    /// An endpoint's claims as a claim set of their own: a cohort size (the endpoint's subjects, or the whole cohort)
    /// under a made-up id, and the endpoint's claims read as claims about its main endpoint.
    /// </summary>
    private static (ClaimSet Projection, string SizeId) Project(ClaimSet claims, Endpoint endpoint, int n)
    {
        var size = claims.Claims.OfType<CohortSizeClaim>().First();
        var sizeId = endpoint.Subjects is null ? size.Id : $"{endpoint.Name} subjects";
        var subjects = endpoint.Subjects ?? n;
        Claim sized = new CohortSizeClaim { Id = sizeId, Description = $"{subjects} subjects in {endpoint.Label}", Sentence = size.Sentence, Count = subjects };
        var projected = claims.Claims.Where(c => c.Endpoint == endpoint.Name).Select(c => c with { Endpoint = null });
        return (claims with
        {
            Claims = [sized, .. projected],
            TimeColumn = endpoint.TimeColumn,
            EventColumn = endpoint.EventColumn,
            Endpoints = ImmutableDictionary<string, Endpoint>.Empty,
            Readings = [],
            Reading = null,
        }, sizeId);
    }

    private static ReadingAudit Reading(ClaimSet claims, AuditOptions options, FeasibilityReport? known)
    {
        var feasibility = known ?? ClaimFeasibility.Analyze(claims, options.Counting);
        var sequences = SequenceEngine.Create(TimeConstraints.From(claims, ConsistentSequences.CohortSize(claims)), options.Counting).Count();
        return new ReadingAudit(claims.Reading, feasibility.IsFeasible, feasibility.IsDecided, sequences);
    }

    /// <summary>The consistent sequences looked at for the quantities the claims fix: all of them when few, otherwise a sample.</summary>
    private static (ImmutableArray<EventOrder> Orders, bool Exact) Orders(SequenceEngine engine, AuditOptions options)
    {
        if (engine.Exact is { } exact && exact.Count <= (UInt128)options.EnumerationLimit)
        {
            return ([.. exact.Enumerate().Select(engine.ToOrder)], true);
        }

        if (engine.Decide() != FeasibilityDecision.Feasible)
        {
            return ([], false);
        }

        var random = new Random(options.Counting.Seed);
        var drawn = new List<EventOrder>(options.Samples);
        for (var k = 0; k < options.Samples; k++)
        {
            if (engine.Draw(random) is { } deaths)
            {
                drawn.Add(engine.ToOrder(deaths));
            }
        }

        return ([.. drawn], false);
    }

    private static QuantityRange? Range(IEnumerable<double> values, (ImmutableArray<EventOrder> Orders, bool Exact) orders)
    {
        var list = values.Where(double.IsFinite).ToList();
        return list.Count == 0 ? null : new QuantityRange(list.Min(), list.Max(), orders.Orders.Length, orders.Exact);
    }

    private static ClaimAuditEntry Entry(ClaimSet claims, Claim claim, int n, (ImmutableArray<EventOrder> Orders, bool Exact) orders, AuditOptions options)
    {
        ClaimAuditEntry Make(AuditStatus status, string reason, ImmutableArray<int> counts = default, ImmutableArray<double> nearest = default, QuantityRange? deaths = null, QuantityRange? error = null)
            => new(claim.Id, Kind(claim), claim.Reported, status, reason, counts.IsDefault ? [] : counts, nearest.IsDefault ? [] : nearest, deaths, error);

        switch (claim)
        {
            case CohortSizeClaim c:
                return Make(AuditStatus.Attainable, string.Create(CultureInfo.InvariantCulture, $"{c.Count} subjects"));
            case CategoryCountsClaim c:
            {
                var sum = c.Counts.Sum(p => p.Value);
                return c.Counts.All(p => p.Value >= 0) && sum == n
                    ? Make(AuditStatus.Attainable, string.Create(CultureInfo.InvariantCulture, $"the counts add up to {sum}"))
                    : Make(AuditStatus.Unattainable, string.Create(CultureInfo.InvariantCulture, $"the counts add up to {sum}, not to the {n} subjects"));
            }

            case CountClaim c:
            {
                var denominator = c.Denominator ?? n;
                var matching = c.Percent is ReportedValue p && denominator >= 1 ? PercentCounts.Matching(p, denominator) : [];
                var among = c.AmongColumn is null ? $"{n} subjects" : $"the {denominator} with {c.AmongColumn} = {c.AmongLevel}";
                if (c.Count < 0 || c.Count > denominator || denominator > n)
                {
                    return Make(AuditStatus.Unattainable, string.Create(CultureInfo.InvariantCulture, $"{c.Count ?? denominator} of {denominator} is impossible among {n} subjects"), matching);
                }

                if (c.Percent is ReportedValue printed && (c.Count is int k ? !matching.Contains(k) : matching.IsEmpty))
                {
                    var list = matching.IsEmpty ? "no count" : string.Join(" or ", matching);
                    return Make(AuditStatus.Unattainable, c.Count is int count
                        ? string.Create(CultureInfo.InvariantCulture, $"{count} of {denominator} is {100.0 * count / denominator:F1}%, not {printed}%; {printed}% of {denominator} is {list}")
                        : string.Create(CultureInfo.InvariantCulture, $"no count of {denominator} rounds to {printed}%"), matching);
                }

                return Make(AuditStatus.Attainable, c.Percent is ReportedValue q
                    ? string.Create(CultureInfo.InvariantCulture, $"{q}% of {among} is {string.Join(" or ", matching)}")
                    : string.Create(CultureInfo.InvariantCulture, $"{c.Count} of {among}"), matching);
            }

            case OtherDenominatorClaim c:
            {
                var matching = c.Percent is ReportedValue p && c.Denominator >= 1 ? PercentCounts.Matching(p, c.Denominator) : [];
                var about = string.Create(CultureInfo.InvariantCulture, $"about {c.Denominator} {c.Population}, not the cohort");
                if (c.Denominator < 1 || c.Count > c.Denominator)
                {
                    return Make(AuditStatus.Unattainable, string.Create(CultureInfo.InvariantCulture, $"{c.Count} of {c.Denominator} is impossible"), matching);
                }

                if (c.Percent is ReportedValue printed && (c.Count is int k ? !matching.Contains(k) : matching.IsEmpty))
                {
                    return Make(AuditStatus.Unattainable, string.Create(CultureInfo.InvariantCulture,
                        $"{printed}% of {c.Denominator} is {(matching.IsEmpty ? "no count" : string.Join(" or ", matching))}, not {c.Count}"), matching);
                }

                return Make(AuditStatus.Attainable, c.Percent is ReportedValue q
                    ? string.Create(CultureInfo.InvariantCulture, $"{q}% of {c.Denominator} is {string.Join(" or ", matching)}; {about}")
                    : string.Create(CultureInfo.InvariantCulture, $"{c.Count} of {c.Denominator}; {about}"), matching);
            }

            case CovariateSummaryClaim c:
            {
                var count = c.Subjects ?? n;
                var verdict = c.Mean is { } mean
                    ? SummaryConsistency.MeanAndStandardDeviation(mean, c.StandardDeviation, count, c.ValueDecimals)
                    : SummaryConsistency.MedianAndRange(c.Median!.Value, c.Minimum, c.Maximum, count, c.ValueDecimals);
                return Make(verdict.Consistent ? AuditStatus.Attainable : AuditStatus.Unattainable, verdict.Reason);
            }

            case HazardRatioClaim c:
            {
                var verdict = SummaryConsistency.HazardRatio(c.Value, c.Interval, c.P);
                return verdict is null
                    ? Make(AuditStatus.NotCheckable, "a hazard ratio without its interval cannot be checked from the abstract; it is checked against a cohort")
                    : Make(verdict.Consistent ? AuditStatus.Attainable : AuditStatus.Unattainable, verdict.Reason);
            }

            case GroupComparisonClaim c:
                return GroupEntry(claims, c, n, options, Make);
            case RecordedClaim c:
                return Make(AuditStatus.NotCheckable, c.Reason);
            case FollowUpClaim { Method: FollowUpMethod.ReverseKaplanMeier }:
                return Make(AuditStatus.NotCheckable, "a reverse Kaplan–Meier median depends on when the censorings fall, which the abstract does not give; it is checked against a cohort");
            case SurvivalAtClaim c:
            {
                var alone = Alone(claims, claim, n, options);
                var nearest = Nearest(n, c.Percent);
                var deaths = orders.Orders.IsEmpty ? null : Range(orders.Orders.Select(o => (double)o.DeathsBefore(CutOf(o, c.Time))), orders);
                var error = orders.Orders.IsEmpty ? null : Range(orders.Orders.Select(o => 100 * o.StandardErrorAfter(CutOf(o, c.Time))), orders);
                var around = (nearest.IsDefault || nearest.IsEmpty ? string.Empty : "; attainable values nearest: " + string.Join(", ", nearest.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v:F2}%"))))
                    + (c.AtRisk is int r ? string.Create(CultureInfo.InvariantCulture, $"; {r} at risk at {c.Time} fixes the subjects before it") : string.Empty)
                    + (c.Interval is null ? string.Empty : "; the interval is checked against a cohort");
                return alone switch
                {
                    FeasibilityDecision.Feasible => Make(AuditStatus.Attainable, string.Create(CultureInfo.InvariantCulture, $"some Kaplan–Meier value of {n} subjects rounds to {c.Percent}%{around}"), nearest: nearest, deaths: deaths, error: error),
                    FeasibilityDecision.Infeasible => Make(AuditStatus.Unattainable, string.Create(CultureInfo.InvariantCulture, $"no Kaplan–Meier value of {n} subjects rounds to {c.Percent}%{around}"), nearest: nearest),
                    _ => Make(AuditStatus.NotCheckable, "undecided within the budget", nearest: nearest),
                };
            }

            case FollowUpClaim or MedianSurvivalClaim or SurvivorsBeyondClaim:
            {
                var alone = Alone(claims, claim, n, options);
                var detail = Detail(claims, claim, n);
                return alone switch
                {
                    FeasibilityDecision.Feasible => Make(AuditStatus.Attainable, detail),
                    FeasibilityDecision.Infeasible => Make(AuditStatus.Unattainable, "no cohort of " + n.ToString(CultureInfo.InvariantCulture) + " subjects meets it; " + detail),
                    _ => Make(AuditStatus.NotCheckable, "undecided within the budget; " + detail),
                };
            }

            case NoSignificantPredictorClaim:
                return Make(AuditStatus.NotCheckable, "depends on which patients had each characteristic, which the abstract does not give; reconstructed cohorts are drawn to meet it");
            default:
                return Make(AuditStatus.NotCheckable, "a kind of claim the audit does not check");
        }
    }

    /// <summary>
    /// A group comparison from the abstract alone: the group sizes fit the cohort, and each group's printed survival or
    /// median is attainable by a cohort of the group's size. The p-value depends on the data and is checked on a cohort.
    /// </summary>
    private static ClaimAuditEntry GroupEntry(ClaimSet claims, GroupComparisonClaim c, int n, AuditOptions options, Func<AuditStatus, string, ImmutableArray<int>, ImmutableArray<double>, QuantityRange?, QuantityRange?, ClaimAuditEntry> make)
    {
        var total = c.Endpoint is null ? n : claims.Endpoints[c.Endpoint].Subjects ?? n;
        var sizes = c.Groups.Select(g => g.Count).OfType<int>().Sum();
        var parts = new List<string>();
        if (sizes > total)
        {
            return make(AuditStatus.Unattainable, string.Create(CultureInfo.InvariantCulture, $"the groups add up to {sizes}, more than the {total} subjects"), default, default, null, null);
        }

        var checkedAny = false;
        foreach (var group in c.Groups)
        {
            if (group.Count is not int size || (group.Percent is null && group.Median is null))
            {
                continue;
            }

            if (size < 1)
            {
                return make(AuditStatus.Unattainable, $"group {group.Level} has no subjects but a survival figure", default, default, null, null);
            }

            Claim figure = group.Percent is { } percent
                ? new SurvivalAtClaim { Id = c.Id, Description = c.Description, Sentence = c.Sentence, Time = group.Time!.Value, Percent = percent }
                : new MedianSurvivalClaim { Id = c.Id, Description = c.Description, Sentence = c.Sentence, Median = group.Median!.Value };
            Claim sized = new CohortSizeClaim { Id = c.Id + " size", Description = c.Description, Sentence = c.Sentence, Count = size };
            var projection = claims with { Claims = [sized, figure], Endpoints = ImmutableDictionary<string, Endpoint>.Empty, Readings = [], Reading = null };
            var decision = SequenceEngine.Create(TimeConstraints.From(projection, size), options.Counting).Decide();
            checkedAny = true;
            if (decision == FeasibilityDecision.Infeasible)
            {
                return make(AuditStatus.Unattainable, string.Create(CultureInfo.InvariantCulture, $"no cohort of {size} subjects gives group {group.Level} its {group.Reported}"), default, default, null, null);
            }

            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{group.Level} ({size} subjects) {(decision == FeasibilityDecision.Feasible ? "attainable" : "undecided")}"));
        }

        var p = c.P is null ? string.Empty : $"; {c.P} depends on the data and is checked against a cohort";
        return checkedAny
            ? make(AuditStatus.Attainable, $"group sizes fit the {total.ToString(CultureInfo.InvariantCulture)} subjects; each group's figure: {string.Join(", ", parts)}{p}", default, default, null, null)
            : make(AuditStatus.NotCheckable, $"no group has both a size and a figure to check from the abstract{p}", default, default, null, null);
    }

    /// <summary>The cut of an order at a claimed time (the number of subjects at or before it).</summary>
    private static int CutOf(EventOrder order, double time)
    {
        var at = order.CutTimes.IndexOf(time);
        return at >= 0 ? order.CutCounts[at] : order.Count;
    }

    private static FeasibilityDecision Alone(ClaimSet claims, Claim claim, int n, AuditOptions options)
        => SequenceEngine.Create(TimeConstraints.From(claims, n, new HashSet<string> { claim.Id }), options.Counting).Decide();

    /// <summary>What a time claim allows on the reading's grid, in words.</summary>
    private static string Detail(ClaimSet claims, Claim claim, int n)
    {
        var grid = TimeConstraints.From(claims, n);
        string Ticks(int low, int high, int divisor)
        {
            var values = Enumerable.Range(low, Math.Max(0, high - low + 1)).Select(k => grid.Time(k) / divisor).ToList();
            return values.Count <= 6
                ? string.Join(", ", values.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture)))
                : string.Create(CultureInfo.InvariantCulture, $"{values[0]:0.###} to {values[^1]:0.###}");
        }

        var unit = claims.TimeUnit;
        return claim switch
        {
            FollowUpClaim when grid.Impossible is not null => grid.Impossible,
            FollowUpClaim => $"on a grid of {grid.GridText(unit)}, the median of the follow-up times can be {Ticks(grid.MedianSum.Low, grid.MedianSum.High, 2)}",
            MedianSurvivalClaim => $"on a grid of {grid.GridText(unit)}, the median is the time of a death at {Ticks(grid.SurvivalMedianPoint.Low, grid.SurvivalMedianPoint.High, 1)}, or a midpoint when survival is exactly one half",
            SurvivorsBeyondClaim s => string.Create(CultureInfo.InvariantCulture, $"{s.Count} of {n} subjects followed {(s.Inclusive ? "at least" : "beyond")} {s.Time} {unit}"),
            _ => string.Empty,
        };
    }

    /// <summary>
    /// The Kaplan–Meier values of n subjects nearest a printed percentage: every value is a product of factors
    /// (1 − 1/(n − p)) over some set of positions p, so the values are the subset products of n factors; they are
    /// listed by meeting in the middle (the products of each half, sorted, paired) when n ≤ 32, and not listed above
    /// (where they lie closer together than most printed precisions).
    /// </summary>
    private static ImmutableArray<double> Nearest(int n, ReportedValue printed)
    {
        if (n > 32)
        {
            return [];
        }

        var factors = Enumerable.Range(0, n).Select(p => 1.0 - (1.0 / (n - p))).ToArray();
        var left = Products(factors[..(n / 2)]);
        var right = Products(factors[(n / 2)..]);
        var lower = printed.Lower / 100;
        var upper = printed.Upper / 100;
        double below = double.NegativeInfinity, above = double.PositiveInfinity;
        var inside = new SortedSet<double>();

        // For each left product a, the right products b with a·b nearest each end of the interval, by binary search.
        foreach (var a in left)
        {
            if (a == 0)
            {
                continue;
            }

            var from = LowerBound(right, lower / a);
            var to = LowerBound(right, upper / a);
            for (var j = Math.Max(0, from - 2); j < right.Length && j <= to + 2; j++)
            {
                var v = a * right[j];
                if (printed.Admits(100 * v))
                {
                    if (inside.Count < 3)
                    {
                        inside.Add(v);
                    }
                }
                else if (100 * v < printed.Lower)
                {
                    below = Math.Max(below, v);
                }
                else
                {
                    above = Math.Min(above, v);
                }

                if (j == from + 2 && to > from + 4)
                {
                    // Skip the middle of a long run inside the interval.
                    j = to - 3;
                }
            }
        }

        var result = new List<double>();
        if (double.IsFinite(below))
        {
            result.Add(100 * below);
        }

        result.AddRange(inside.Select(v => 100 * v));
        if (double.IsFinite(above))
        {
            result.Add(100 * above);
        }

        return [.. result];
    }

    private static double[] Products(double[] factors)
    {
        var products = new List<double> { 1.0 };
        foreach (var f in factors)
        {
            var count = products.Count;
            for (var i = 0; i < count; i++)
            {
                products.Add(products[i] * f);
            }
        }

        return [.. products.Distinct().Order()];
    }

    private static int LowerBound(double[] sorted, double value)
    {
        var at = Array.BinarySearch(sorted, value);
        return at >= 0 ? at : ~at;
    }

    private static ClaimConflict WithNearest(ClaimConflict conflict, ImmutableArray<ClaimAuditEntry> entries)
    {
        if (conflict.ClaimIds.Length != 1 || entries.FirstOrDefault(e => e.Id == conflict.ClaimIds[0]) is not { NearestSurvival.IsEmpty: false } entry)
        {
            return conflict;
        }

        return conflict with
        {
            Reason = conflict.Reason + "; attainable values nearest: " + string.Join(", ", entry.NearestSurvival.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v:F2}%"))),
        };
    }

    private static string Kind(Claim claim) => claim switch
    {
        CohortSizeClaim => "cohortSize",
        CategoryCountsClaim => "categoryCounts",
        CountClaim => "count",
        SurvivalAtClaim => "survivalAt",
        FollowUpClaim => "followUp",
        MedianSurvivalClaim => "medianSurvival",
        SurvivorsBeyondClaim => "survivorsBeyond",
        NoSignificantPredictorClaim => "noSignificantPredictor",
        CovariateSummaryClaim => "covariateSummary",
        GroupComparisonClaim => "groupComparison",
        HazardRatioClaim => "hazardRatio",
        OtherDenominatorClaim => "otherDenominator",
        RecordedClaim => "recorded",
        _ => claim.GetType().Name,
    };
}
