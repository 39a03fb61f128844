namespace GistNotebooks.Survival.Reconstruction;

/// <summary>
/// Places distinct follow-up times on a grid of tenths of the time unit (months, one decimal) so that
/// every time claim holds: the cuts (how many subjects at or before each claimed time), the minimum,
/// the maximum and the median of the follow-up times. Works in integer tenths to avoid rounding error.
/// </summary>
internal sealed class TimeGrid
{
    /// <summary>Grid steps per time unit: times have one decimal.</summary>
    public const int StepsPerUnit = 10;

    private readonly int n;
    private readonly long[] lower;
    private readonly long[] upper;
    private readonly (long Low, long High)? medianSum;
    private readonly int medianLeft;
    private readonly int medianRight;

    private TimeGrid(int n, long[] lower, long[] upper, (long, long)? medianSum, int medianLeft, int medianRight)
    {
        this.n = n;
        this.lower = lower;
        this.upper = upper;
        this.medianSum = medianSum;
        this.medianLeft = medianLeft;
        this.medianRight = medianRight;
    }

    /// <summary>The grid bounds of each position for an order under the constraints.</summary>
    public static TimeGrid For(EventOrder order, TimeConstraints constraints)
    {
        var n = order.Count;
        var lower = new long[n];
        var upper = new long[n];
        var top = constraints.CutTimes.IsEmpty ? 100.0 : 2 * constraints.CutTimes[^1];
        if (constraints.FollowUp is { } f)
        {
            top = Math.Max(top, f.Maximum.Upper);
        }

        Array.Fill(lower, 1);
        Array.Fill(upper, Ticks(top));
        for (var k = 0; k < order.CutTimes.Length; k++)
        {
            var tau = Ticks(order.CutTimes[k]);
            var c = order.CutCounts[k];
            for (var i = 0; i < n; i++)
            {
                if (i < c)
                {
                    upper[i] = Math.Min(upper[i], tau);
                }
                else
                {
                    lower[i] = Math.Max(lower[i], tau + 1);
                }
            }
        }

        (long, long)? medianSum = null;
        int left = (n - 1) / 2, right = n / 2;
        if (constraints.FollowUp is { } follow)
        {
            // Half-open printed intervals [lo, hi) become integer tick ranges [ceil(lo), ceil(hi) - 1].
            lower[0] = Math.Max(lower[0], CeilingTicks(follow.Minimum.Lower));
            upper[0] = Math.Min(upper[0], CeilingTicks(follow.Minimum.Upper) - 1);
            lower[n - 1] = Math.Max(lower[n - 1], CeilingTicks(follow.Maximum.Lower));
            upper[n - 1] = Math.Min(upper[n - 1], CeilingTicks(follow.Maximum.Upper) - 1);

            // The median of n times is (t[left] + t[right]) / 2 (one position when n is odd); bound the sum.
            medianSum = (CeilingTicks(2 * follow.Median.Lower), CeilingTicks(2 * follow.Median.Upper) - 1);
        }

        return new TimeGrid(n, lower, upper, medianSum, left, right);
    }

    /// <summary>Whether some strictly increasing placement satisfies every bound.</summary>
    public bool IsFeasible() => Place(random: null) is not null;

    /// <summary>
    /// Draws a placement: first the anchors (minimum, maximum, the median pair), each uniformly among the
    /// values that leave the rest feasible, then the free positions between anchors as sorted uniform draws
    /// without replacement. Returns times in the time unit, or null when no placement exists. With no
    /// random source, returns the earliest feasible placement.
    /// </summary>
    public double[]? Place(Random? random)
    {
        var lo = (long[])lower.Clone();
        var hi = (long[])upper.Clone();
        if (!Tighten(lo, hi))
        {
            return null;
        }

        if (!Fix(0, lo, hi, random) || !Fix(n - 1, lo, hi, random))
        {
            return null;
        }

        if (medianSum is { } sum && !FixMedian(sum, lo, hi, random))
        {
            return null;
        }

        var times = new long[n];
        var i = 0;
        while (i < n)
        {
            if (lo[i] == hi[i])
            {
                times[i] = lo[i];
                i++;
                continue;
            }

            // A run of free positions that share one static interval: draw them together.
            var j = i;
            while (j + 1 < n && lo[j + 1] != hi[j + 1] && lower[j + 1] == lower[i] && upper[j + 1] == upper[i])
            {
                j++;
            }

            var from = i == 0 ? lo[i] : Math.Max(lo[i], times[i - 1] + 1);
            var to = hi[j];
            var draws = DrawSorted(from, to, j - i + 1, random);
            if (draws is null)
            {
                return null;
            }

            draws.CopyTo(times, i);
            i = j + 1;
        }

        return [.. times.Select(t => t / (double)StepsPerUnit)];
    }

    private bool FixMedian((long Low, long High) sum, long[] lo, long[] hi, Random? random)
    {
        var pairs = new List<(long Left, long Right)>();
        for (var a = lo[medianLeft]; a <= hi[medianLeft]; a++)
        {
            if (medianLeft == medianRight)
            {
                if (2 * a >= sum.Low && 2 * a <= sum.High)
                {
                    pairs.Add((a, a));
                }

                continue;
            }

            var bFrom = Math.Max(Math.Max(lo[medianRight], a + 1), sum.Low - a);
            var bTo = Math.Min(hi[medianRight], sum.High - a);
            for (var b = bFrom; b <= bTo; b++)
            {
                pairs.Add((a, b));
            }
        }

        while (pairs.Count > 0)
        {
            var k = random is null ? 0 : random.Next(pairs.Count);
            var (a, b) = pairs[k];
            var tryLo = (long[])lo.Clone();
            var tryHi = (long[])hi.Clone();
            tryLo[medianLeft] = tryHi[medianLeft] = a;
            tryLo[medianRight] = tryHi[medianRight] = b;
            if (Tighten(tryLo, tryHi))
            {
                Array.Copy(tryLo, lo, n);
                Array.Copy(tryHi, hi, n);
                return true;
            }

            pairs.RemoveAt(k);
        }

        return false;
    }

    private bool Fix(int position, long[] lo, long[] hi, Random? random)
    {
        var value = random is null ? lo[position] : lo[position] + random.NextInt64(hi[position] - lo[position] + 1);
        lo[position] = hi[position] = value;
        return Tighten(lo, hi);
    }

    /// <summary>Propagates strict increase: lo rises from the left, hi falls from the right.</summary>
    private bool Tighten(long[] lo, long[] hi)
    {
        for (var i = 1; i < n; i++)
        {
            lo[i] = Math.Max(lo[i], lo[i - 1] + 1);
        }

        for (var i = n - 2; i >= 0; i--)
        {
            hi[i] = Math.Min(hi[i], hi[i + 1] - 1);
        }

        for (var i = 0; i < n; i++)
        {
            if (lo[i] > hi[i])
            {
                return false;
            }
        }

        return true;
    }

    private static long[]? DrawSorted(long from, long to, int count, Random? random)
    {
        var size = to - from + 1;
        if (size < count)
        {
            return null;
        }

        var chosen = new SortedSet<long>();
        if (random is null)
        {
            for (var k = 0; k < count; k++)
            {
                chosen.Add(from + k);
            }
        }
        else
        {
            // Floyd's algorithm: count distinct values, each subset equally likely.
            for (var j = size - count; j < size; j++)
            {
                var t = random.NextInt64(j + 1);
                chosen.Add(chosen.Contains(from + t) ? from + j : from + t);
            }
        }

        return [.. chosen];
    }

    private static long Ticks(double time) => (long)Math.Floor((time * StepsPerUnit) + 1e-9);

    private static long CeilingTicks(double time) => (long)Math.Ceiling((time * StepsPerUnit) - 1e-9);
}
