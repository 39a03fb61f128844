namespace GistNotebooks.Survival.Reconstruction;

/// <summary>
/// For each number of cuts passed and each position, the Kaplan–Meier values from which the survival claims at the
/// remaining cuts can still be met — looking at survival alone (times ignored), so a value outside the set cannot
/// lead to a consistent sequence and its branch is cut.
/// </summary>
/// <remarks>
/// Computed backwards over positions as unions of intervals: from position b with cut k pending, a value S can be
/// completed if the cut can fall at b (S rounds to the claim there, and the later cuts can be completed from b), or
/// if S (a censoring) or S·(1 − 1/(n − b)) (a death) can be completed from b + 1. Scaling an interval keeps it an
/// interval, so each set stays a short sorted list; near neighbours merge. Every end is widened by a relative 1e-12
/// and a list grown past 2,048 intervals has its closest ones merged, so the sets only ever err on the side of
/// keeping a value. The cost is O(cuts × n × intervals).
/// </remarks>
internal sealed class SurvivalReach
{
    private const int MaximumIntervals = 2048;
    private const double Widen = 1e-12;
    private readonly double[][][] later;

    public SurvivalReach(TimeConstraints constraints)
    {
        ArgumentNullException.ThrowIfNull(constraints);
        var n = constraints.Count;
        var m = constraints.Cuts.Length;
        later = new double[m + 1][][];
        var all = new[] { 0.0, 1.0 };
        var next = Enumerable.Repeat(all, n + 1).ToArray();
        later[m] = Enumerable.Repeat(all, n + 1).ToArray();
        for (var k = m - 1; k >= 0; k--)
        {
            var cut = constraints.Cuts[k];
            var window = Window(cut);
            var fixedAt = cut.FixedPosition(n);
            var latest = constraints.FixedFrom[k];
            var here = new double[n + 1][];
            var moving = new double[n + 1][];
            for (var b = n; b >= 0; b--)
            {
                moving[b] = b < n && b < latest ? Union(here[b + 1], Scale(here[b + 1], 1.0 - (1.0 / (n - b)))) : [];
                var placedHere = fixedAt is int f && f != b ? [] : Intersect(next[b], window);
                here[b] = Union(placedHere, moving[b]);
            }

            later[k] = moving;
            next = here;
        }
    }

    /// <summary>Whether survival <paramref name="survival"/> after <paramref name="boundary"/> subjects, with <paramref name="cuts"/> cuts passed and the next not placed here, can still meet every remaining survival claim.</summary>
    public bool CanContinue(int cuts, int boundary, double survival) => Contains(later[cuts][boundary], survival);

    private static bool Contains(double[] set, double value)
    {
        // Intervals are stored as [lo₀, hi₀, lo₁, hi₁, …], sorted and disjoint.
        var low = 0;
        var high = (set.Length / 2) - 1;
        while (low <= high)
        {
            var mid = (low + high) >> 1;
            if (value < set[2 * mid])
            {
                high = mid - 1;
            }
            else if (value > set[(2 * mid) + 1])
            {
                low = mid + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The survival values every claim at the cut admits, as one interval (all of [0, 1] when none).</summary>
    private static double[] Window(TimeConstraints.Cut cut)
    {
        double low = 0, high = 1;
        foreach (var s in cut.Survival)
        {
            var slack = 1e-12 * Math.Max(1.0, Math.Abs(s.Value));
            low = Math.Max(low, (s.Lower - slack) / 100);
            high = Math.Min(high, (s.Upper - slack) / 100);
        }

        return low <= high ? [Down(low), Up(high)] : [];
    }

    /// <summary>The values S with S·factor in the set.</summary>
    private static double[] Scale(double[] set, double factor)
    {
        if (set.Length == 0)
        {
            return [];
        }

        if (factor <= 0)
        {
            return set[0] <= 0 ? [0.0, 1.0] : [];
        }

        var result = new List<double>(set.Length);
        for (var i = 0; i < set.Length; i += 2)
        {
            var low = Down(set[i] / factor);
            if (low > 1)
            {
                break;
            }

            result.Add(low);
            result.Add(Math.Min(1.0, Up(set[i + 1] / factor)));
        }

        return [.. result];
    }

    private static double[] Intersect(double[] set, double[] window)
    {
        if (window.Length == 0)
        {
            return [];
        }

        var result = new List<double>();
        for (var i = 0; i < set.Length; i += 2)
        {
            var low = Math.Max(set[i], window[0]);
            var high = Math.Min(set[i + 1], window[1]);
            if (low <= high)
            {
                result.Add(low);
                result.Add(high);
            }
        }

        return [.. result];
    }

    private static double[] Union(double[] a, double[] b)
    {
        var merged = new List<(double Low, double High)>((a.Length + b.Length) / 2);
        for (var i = 0; i < a.Length; i += 2)
        {
            merged.Add((a[i], a[i + 1]));
        }

        for (var i = 0; i < b.Length; i += 2)
        {
            merged.Add((b[i], b[i + 1]));
        }

        merged.Sort();
        var result = new List<(double Low, double High)>(merged.Count);
        foreach (var x in merged)
        {
            if (result.Count > 0 && x.Low <= result[^1].High)
            {
                result[^1] = (result[^1].Low, Math.Max(result[^1].High, x.High));
            }
            else
            {
                result.Add(x);
            }
        }

        if (result.Count > MaximumIntervals)
        {
            // Close every gap up to the one that leaves at most the maximum: the set grows, never shrinks.
            var gaps = new double[result.Count - 1];
            for (var i = 0; i < gaps.Length; i++)
            {
                gaps[i] = result[i + 1].Low - result[i].High;
            }

            var threshold = gaps.Order().ElementAt(result.Count - MaximumIntervals - 1);
            var closed = new List<(double Low, double High)>(MaximumIntervals) { result[0] };
            for (var i = 1; i < result.Count; i++)
            {
                if (gaps[i - 1] <= threshold)
                {
                    closed[^1] = (closed[^1].Low, result[i].High);
                }
                else
                {
                    closed.Add(result[i]);
                }
            }

            result = closed;
        }

        var flat = new double[result.Count * 2];
        for (var i = 0; i < result.Count; i++)
        {
            flat[2 * i] = result[i].Low;
            flat[(2 * i) + 1] = result[i].High;
        }

        return flat;
    }

    private static double Down(double x) => x - (Widen * Math.Abs(x));

    private static double Up(double x) => x + (Widen * Math.Abs(x));
}
