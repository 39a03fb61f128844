using System.Collections.Immutable;
using System.Globalization;
using GistNotebooks.Survival.Claims;

namespace GistNotebooks.Survival.Reconstruction;

/// <summary>
/// What a claims file says about the order and the times of deaths and censorings, compiled to whole ticks
/// of the reading's time grid (10^−d of the time unit: d is <see cref="FollowUpClaim.TimeDecimals"/> when given,
/// otherwise the most decimals any printed time of the file has — a follow-up median or range, a median survival —,
/// otherwise 1):
/// the number of subjects; the claimed times at which survival or a number of survivors is fixed (the cuts);
/// the follow-up minimum, maximum and median; and the ticks a Kaplan–Meier median may fall on. The other
/// claims do not enter.
/// </summary>
/// <remarks>
/// Subjects are taken in follow-up order, deaths before censorings at equal times (R's convention, under which
/// tied deaths give the same Kaplan–Meier value as the same deaths one after another). A cut at tick T splits the
/// subjects into those with a time at or before T and the rest; the segment K (K cuts passed) is the range of
/// ticks [<see cref="SegmentLow"/>[K], <see cref="SegmentHigh"/>[K]] its subjects' times must lie in.
/// </remarks>
internal sealed class TimeConstraints
{
    private TimeConstraints(int count, int decimals, ImmutableArray<Claim> claims)
    {
        Count = count;
        Decimals = decimals;
        TicksPerUnit = Math.Pow(10, decimals);
        ClaimIds = [.. claims.Select(c => c.Id).Order(StringComparer.Ordinal)];
        Claims = claims;
    }

    /// <summary>The number of subjects.</summary>
    public int Count { get; }

    /// <summary>Decimals of the time grid.</summary>
    public int Decimals { get; }

    /// <summary>Ticks per time unit (10^<see cref="Decimals"/>).</summary>
    public double TicksPerUnit { get; }

    /// <summary>The ids of every claim that enters, in ordinal order.</summary>
    public ImmutableArray<string> ClaimIds { get; }

    /// <summary>The claims that enter, in file order.</summary>
    public ImmutableArray<Claim> Claims { get; }

    /// <summary>The cuts, by ascending tick.</summary>
    public ImmutableArray<Cut> Cuts { get; private set; } = [];

    /// <summary>For each number of cuts passed, the first tick of its segment.</summary>
    public int[] SegmentLow { get; private set; } = [];

    /// <summary>For each number of cuts passed, the last tick of its segment.</summary>
    public int[] SegmentHigh { get; private set; } = [];

    /// <summary>The largest tick of the first subject (the claimed minimum), or <see cref="int.MaxValue"/>.</summary>
    public int FirstHigh { get; private set; } = int.MaxValue;

    /// <summary>The smallest tick of the last subject (the claimed maximum), or <see cref="int.MinValue"/>.</summary>
    public int LastLow { get; private set; } = int.MinValue;

    /// <summary>Whether a follow-up median is claimed.</summary>
    public bool HasFollowUpMedian { get; private set; }

    /// <summary>The lower of the two middle positions (0-based); equal to <see cref="MedianRight"/> when n is odd.</summary>
    public int MedianLeft { get; private set; }

    /// <summary>The upper of the two middle positions.</summary>
    public int MedianRight { get; private set; }

    /// <summary>The admitted range of tᴸ + tᴿ in ticks (n even) or of 2tᴸ (n odd).</summary>
    public (int Low, int High) MedianSum { get; private set; }

    /// <summary>Whether a Kaplan–Meier median is claimed.</summary>
    public bool HasSurvivalMedian { get; private set; }

    /// <summary>The admitted ticks of the death at which survival first falls to one half or below.</summary>
    public (int Low, int High) SurvivalMedianPoint { get; private set; }

    /// <summary>The admitted range of t + t′ when survival is exactly one half and the median is the midpoint (t + t′)/2.</summary>
    public (int Low, int High) SurvivalMedianSum { get; private set; }

    /// <summary>The last tick on which the half-crossing death can lie.</summary>
    public int CrossingHigh { get; private set; }

    /// <summary>Why no cohort can satisfy the claims on this grid before any search (an empty admitted range), or null.</summary>
    public string? Impossible { get; private set; }

    /// <summary>For each number of cuts passed, the smallest position a pending survivors cut fixes (n when none).</summary>
    internal int[] FixedFrom { get; private set; } = [];

    /// <summary>One claimed time and what holds there.</summary>
    /// <param name="Tick">Subjects with a time at or before this tick are before the cut.</param>
    /// <param name="Survival">Printed survival percentages that the Kaplan–Meier value at the cut must round to.</param>
    /// <param name="Survivors">Numbers of subjects that must lie after the cut.</param>
    internal sealed record Cut(int Tick, ImmutableArray<ReportedValue> Survival, ImmutableArray<int> Survivors)
    {
        /// <summary>The position the cut must fall at (n − survivors), or null.</summary>
        public int? FixedPosition(int n) => Survivors.IsEmpty ? null : n - Survivors[0];
    }

    /// <summary>Compiles the time claims of a claim set, keeping only those whose ids are in <paramref name="include"/> (all when null).</summary>
    public static TimeConstraints From(ClaimSet claims, int count, IReadOnlySet<string>? include = null)
    {
        ArgumentNullException.ThrowIfNull(claims);
        bool Keep(Claim c) => include is null || include.Contains(c.Id);
        var timeClaims = claims.Claims.Where(Enters).Where(Keep).ToImmutableArray();

        // The grid comes from the whole file, so that a subset of claims is judged on the same grid: the follow-up
        // claim's recorded decimals, else the finest precision any printed time has, else one decimal.
        var printed = claims.Claims.Where(Enters).SelectMany(PrintedTimes).Select(v => v.Decimals).DefaultIfEmpty(1).Max();
        var decimals = claims.Claims.OfType<FollowUpClaim>().FirstOrDefault()?.TimeDecimals ?? printed;
        var result = new TimeConstraints(count, decimals, timeClaims);
        result.Compile();
        return result;
    }

    /// <summary>
    /// Whether a claim constrains the order and times of the main endpoint's deaths and censorings: survival at a time
    /// (and its number at risk), a Kaplan–Meier median (and its range), the observed follow-up median (and range), the
    /// survivors beyond a time — each about the study's main endpoint. Claims about other endpoints, reverse
    /// Kaplan–Meier follow-up and intervals are checked on the cohort, not compiled here.
    /// </summary>
    internal static bool Enters(Claim claim) => claim.Endpoint is null
        && claim is SurvivalAtClaim or MedianSurvivalClaim or FollowUpClaim { Method: FollowUpMethod.Observed } or SurvivorsBeyondClaim;

    private static IEnumerable<ReportedValue> PrintedTimes(Claim claim) => claim switch
    {
        FollowUpClaim f => new[] { f.Median, f.Minimum, f.Maximum }.OfType<ReportedValue>(),
        MedianSurvivalClaim m => new[] { m.Median, m.Minimum, m.Maximum }.OfType<ReportedValue>(),
        _ => [],
    };

    /// <summary>Everything the counting depends on, as text: two constraint sets with the same key have the same consistent sequences.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{Count}|{Decimals}|{Impossible}|{string.Join(";", Cuts.Select(c => $"{c.Tick}:{string.Join(",", c.Survival)}:{string.Join(",", c.Survivors)}"))}|{string.Join(",", SegmentLow)}|{string.Join(",", SegmentHigh)}|{FirstHigh}|{LastLow}|{HasFollowUpMedian}:{MedianSum}|{HasSurvivalMedian}:{SurvivalMedianPoint}:{SurvivalMedianSum}");

    /// <summary>The time a tick stands for, as it is written to and read back from a cohort file.</summary>
    public double Time(long tick) => tick / TicksPerUnit;

    /// <summary>The grid in words (e.g. "whole months", "0.1 months").</summary>
    public string GridText(string unit) => Decimals == 0
        ? $"whole {unit}"
        : string.Create(CultureInfo.InvariantCulture, $"{1 / TicksPerUnit} {unit}");

    private void Compile()
    {
        var n = Count;
        var follow = Claims.OfType<FollowUpClaim>().FirstOrDefault();
        var cuts = new SortedDictionary<int, (List<ReportedValue> Survival, List<int> Survivors)>();
        (List<ReportedValue>, List<int>) At(int tick)
        {
            if (!cuts.TryGetValue(tick, out var entry))
            {
                cuts[tick] = entry = ([], []);
            }

            return entry;
        }

        foreach (var c in Claims.OfType<SurvivalAtClaim>())
        {
            At(FloorTicks(c.Time)).Item1.Add(c.Percent);
        }

        foreach (var c in Claims.OfType<SurvivorsBeyondClaim>())
        {
            // Beyond τ: t > τ, so the cut keeps t ≤ τ; at or beyond τ: t ≥ τ, so the cut keeps t < τ.
            var tick = c.Inclusive ? BeforeTicks(c.Time) : FloorTicks(c.Time);
            At(tick).Item2.Add(c.Count);
        }

        foreach (var c in Claims.OfType<SurvivalAtClaim>().Where(c => c.AtRisk is not null))
        {
            // At risk at τ: the subjects with t ≥ τ, so the cut keeps t < τ.
            At(BeforeTicks(c.Time)).Item2.Add(c.AtRisk!.Value);
        }

        Cuts = [.. cuts.Select(p => new Cut(p.Key, [.. p.Value.Survival], [.. p.Value.Survivors]))];
        foreach (var cut in Cuts)
        {
            if (cut.Survivors.Distinct().Count() > 1)
            {
                Impossible = string.Create(CultureInfo.InvariantCulture, $"two claims give different numbers of subjects beyond {Time(cut.Tick)}");
            }
            else if (cut.Survivors.Any(s => s < 0 || s > n))
            {
                Impossible = string.Create(CultureInfo.InvariantCulture, $"{cut.Survivors[0]} subjects beyond a time is impossible among {n}");
            }
        }

        var floor = 1;
        var top = Cuts.IsEmpty ? (int)(100 * TicksPerUnit) : 2 * Math.Max(Cuts[^1].Tick, 1);
        var ranges = new List<(ReportedValue Minimum, ReportedValue Maximum, string What)>();
        if (follow is { Minimum: { } followLow, Maximum: { } followHigh })
        {
            ranges.Add((followLow, followHigh, "follow-up"));
        }

        ranges.AddRange(Claims.OfType<MedianSurvivalClaim>().Where(m => m.Minimum is not null && m.Maximum is not null).Select(m => (m.Minimum!.Value, m.Maximum!.Value, "survival time")));
        var firstSet = false;
        foreach (var (low, high, what) in ranges)
        {
            var minimum = Admitted(low, 1);
            var maximum = Admitted(high, 1);
            if (minimum is null || maximum is null)
            {
                Impossible ??= $"no time on a grid of {GridText("units")} rounds to the claimed {what} {(minimum is null ? "minimum" : "maximum")}";
                continue;
            }

            // Two ranges (follow-up and survival times) are ranges of the same times: they must agree.
            floor = firstSet ? Math.Max(floor, minimum.Value.Low) : minimum.Value.Low;
            FirstHigh = Math.Min(FirstHigh, minimum.Value.High);
            LastLow = Math.Max(LastLow, maximum.Value.Low);
            top = firstSet ? Math.Min(top, maximum.Value.High) : maximum.Value.High;
            firstSet = true;
            if (floor > FirstHigh || LastLow > top)
            {
                Impossible ??= $"the claimed ranges of the {what} times do not overlap";
            }
        }

        if (follow is not null)
        {
            MedianLeft = (n - 1) / 2;
            MedianRight = n / 2;
            var sum = Admitted(follow.Median, 2);
            if (sum is null)
            {
                Impossible ??= "no median of times on the grid rounds to the claimed median";
            }
            else
            {
                HasFollowUpMedian = true;
                MedianSum = sum.Value;
            }
        }

        foreach (var c in Claims.OfType<MedianSurvivalClaim>())
        {
            var point = Admitted(c.Median, 1);
            var sum = Admitted(c.Median, 2);
            if (HasSurvivalMedian)
            {
                point = Intersect(point, SurvivalMedianPoint);
                sum = Intersect(sum, SurvivalMedianSum);
            }

            HasSurvivalMedian = true;
            SurvivalMedianPoint = point ?? (1, 0);
            SurvivalMedianSum = sum ?? (1, 0);
            CrossingHigh = Math.Max(SurvivalMedianPoint.High, (SurvivalMedianSum.High - 1) / 2);
        }

        var m = Cuts.Length;
        SegmentLow = new int[m + 1];
        SegmentHigh = new int[m + 1];
        for (var k = 0; k <= m; k++)
        {
            SegmentLow[k] = k == 0 ? floor : Math.Max(floor, Cuts[k - 1].Tick + 1);
            SegmentHigh[k] = k < m ? Math.Min(Cuts[k].Tick, top) : top;
        }

        FixedFrom = new int[m + 1];
        FixedFrom[m] = n;
        for (var k = m - 1; k >= 0; k--)
        {
            FixedFrom[k] = Math.Min(FixedFrom[k + 1], Cuts[k].FixedPosition(n) ?? n);
        }
    }

    private static (int Low, int High)? Intersect((int Low, int High)? a, (int Low, int High) b)
        => a is { } x && Math.Max(x.Low, b.Low) <= Math.Min(x.High, b.High) ? (Math.Max(x.Low, b.Low), Math.Min(x.High, b.High)) : null;

    private int FloorTicks(double time) => (int)Math.Floor((time * TicksPerUnit) + 1e-9);

    /// <summary>The last tick before a time (the cut that keeps every time strictly below it).</summary>
    private int BeforeTicks(double time) => (int)Math.Ceiling((time * TicksPerUnit) - 1e-9) - 1;

    /// <summary>
    /// The whole numbers k for which k / (ticks per unit × <paramref name="divisor"/>) rounds to the printed value,
    /// by the same rule the consistency check applies (<see cref="ReportedValue.Admits"/>); null when there are none.
    /// With divisor 2, k is the sum of two ticks whose mean is the value.
    /// </summary>
    private (int Low, int High)? Admitted(ReportedValue value, int divisor)
    {
        var scale = TicksPerUnit * divisor;
        var from = (long)Math.Floor(value.Lower * scale) - 2;
        var to = (long)Math.Ceiling(value.Upper * scale) + 2;
        long? low = null, high = null;
        for (var k = from; k <= to; k++)
        {
            if (value.Admits(k / scale))
            {
                low ??= k;
                high = k;
            }
        }

        return low is long l && high is long h ? ((int)l, (int)h) : null;
    }
}
