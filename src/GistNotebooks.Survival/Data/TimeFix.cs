using System.Runtime.CompilerServices;

namespace GistNotebooks.Survival.Data;

/// <summary>
/// Merges follow-up times that differ only by rounding error, as R's <c>aeqSurv</c> (survival 3.5-3), which
/// <c>survfit</c>, <c>survdiff</c>, <c>coxph</c> and <c>concordance</c> apply by default (<c>timefix = TRUE</c>).
/// </summary>
/// <remarks>
/// Let y₁ &lt; y₂ &lt; … be the distinct times and δ = √ε ≈ 1.49e-8 (ε the double-precision machine epsilon). Two neighbours
/// are tied when y_{k+1} − y_k ≤ δ or (y_{k+1} − y_k) / mean|y| ≤ δ, the mean taken over the distinct times. A run of tied
/// neighbours becomes one time, the smallest of the run, and every time is replaced by the largest kept value not above it.
/// So times computed as k·0.1 and k/10 are one time, as they are in R. Cost: one pass over the times in sorted order
/// (the sort every estimator needs anyway); nothing is copied when no two times are tied.
/// </remarks>
public static class TimeFix
{
    /// <summary>R's tolerance, <c>sqrt(.Machine$double.eps)</c>.</summary>
    public const double Tolerance = 1.4901161193847656e-08;

    /// <summary>The data with near-equal times merged as <c>aeqSurv</c> does; the same instance when no two times are near-equal.</summary>
    /// <param name="data">The survival data.</param>
    /// <returns>Data whose times are the merged ones, with events, weights, groups and strata unchanged.</returns>
    public static SurvivalData Apply(SurvivalData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var merged = Merge(data.TimeArray, data.TimeOrder, data.SortedTimes);
        return merged is null ? data : data.WithTimeValues(merged);
    }

    /// <summary>Times merged as <c>aeqSurv</c> does, in input order; the input itself when none are near-equal.</summary>
    /// <param name="times">Finite times.</param>
    public static IReadOnlyList<double> Apply(IReadOnlyList<double> times)
    {
        ArgumentNullException.ThrowIfNull(times);
        var copy = times.ToArray();
        var order = Enumerable.Range(0, copy.Length).ToArray();
        Array.Sort(copy.ToArray(), order);
        return Merge(copy, order) ?? times;
    }

    /// <summary>The merged times in input order, or null when no neighbours are tied. <paramref name="order"/> sorts <paramref name="time"/> ascending.</summary>
    internal static double[]? Merge(double[] time, int[] order)
    {
        var sorted = new double[order.Length];
        for (var k = 0; k < sorted.Length; k++)
        {
            sorted[k] = time[order[k]];
        }

        return Merge(time, order, sorted);
    }

    /// <summary>As <see cref="Merge(double[], int[])"/>, with the times in that order already at hand (<paramref name="sortedTime"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double[]? Merge(double[] time, int[] order, double[] sortedTime)
    {
        var n = order.Length;
        if (n < 2)
        {
            return null;
        }

        // First pass: the mean absolute value of the distinct times, and the smallest gap between neighbours.
        var sumAbs = 0.0;
        var distinct = 0;
        var smallestGap = double.PositiveInfinity;
        var previous = double.NaN;
        for (var k = 0; k < n; k++)
        {
            var t = sortedTime[k];
            if (k > 0 && t == previous)
            {
                continue;
            }

            if (k > 0)
            {
                smallestGap = Math.Min(smallestGap, t - previous);
            }

            sumAbs += Math.Abs(t);
            distinct++;
            previous = t;
        }

        var mean = sumAbs / distinct;
        if (!IsTied(smallestGap, mean))
        {
            return null;
        }

        // Second pass: each distinct time maps to the first value of its run of tied neighbours.
        var result = (double[])time.Clone();
        var kept = sortedTime[0];
        previous = kept;
        for (var k = 1; k < n; k++)
        {
            var row = order[k];
            var t = sortedTime[k];
            if (t != previous)
            {
                if (!IsTied(t - previous, mean))
                {
                    kept = t;
                }

                previous = t;
            }

            result[row] = kept;
        }

        return result;
    }

    private static bool IsTied(double gap, double meanAbs) => gap <= Tolerance || gap / meanAbs <= Tolerance;
}
