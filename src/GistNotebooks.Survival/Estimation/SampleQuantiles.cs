using MathNet.Numerics.Statistics;

namespace GistNotebooks.Survival.Estimation;

/// <summary>
/// The median and quantiles of a plain sample of numbers (the follow-up times of a cohort, a figure across an
/// ensemble), as R's <c>median(x)</c> and <c>quantile(x, p)</c> (type 7) give them, from Math.NET Numerics.
/// Not the median of a survival curve: that is <see cref="KaplanMeierCurve.Median"/>.
/// </summary>
/// <remarks>
/// The median of n sorted values x₁ ≤ … ≤ xₙ is the middle value for odd n and (x_{n/2} + x_{n/2+1})/2 for even
/// n; Math.NET's <see cref="SortedArrayStatistics.Median(double[])"/> computes it with the same arithmetic as R, so the
/// two agree to the last bit. The type-7 quantile interpolates linearly at h = 1 + (n − 1)·p between x_⌊h⌋ and
/// x_⌈h⌉ (Hyndman &amp; Fan 1996), Math.NET's <see cref="QuantileDefinition.R7"/>; Math.NET writes the
/// interpolation x_⌊h⌋ + f·(x_⌈h⌉ − x_⌊h⌋) where R writes (1 − f)·x_⌊h⌋ + f·x_⌈h⌉, so the two can differ in the
/// last bit (about 1e-16 relative).
/// </remarks>
public static class SampleQuantiles
{
    /// <summary>The sample median, as R's <c>median(x)</c>: the middle value, or the mean of the two middle values for an even count.</summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty or holds NaN.</exception>
    public static double Median(IEnumerable<double> values) => MedianOfSorted(Sorted(values));

    /// <summary>The sample quantile at <paramref name="probability"/>, as R's <c>quantile(x, probability)</c> (type 7, R's default).</summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty or holds NaN.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probability"/> is outside [0, 1].</exception>
    public static double Quantile(IEnumerable<double> values, double probability)
    {
        RequireProbability(probability);
        return QuantileOfSorted(Sorted(values), probability);
    }

    /// <summary>The median of values already sorted in ascending order (at least one, none NaN).</summary>
    internal static double MedianOfSorted(double[] sorted) => SortedArrayStatistics.Median(sorted);

    /// <summary>The type-7 quantile of values already sorted in ascending order (at least one, none NaN), p in [0, 1].</summary>
    internal static double QuantileOfSorted(double[] sorted, double probability)
        => SortedArrayStatistics.QuantileCustom(sorted, probability, QuantileDefinition.R7);

    private static double[] Sorted(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("a sample median or quantile needs at least one value", nameof(values));
        }

        for (var i = 0; i < sorted.Length; i++)
        {
            if (double.IsNaN(sorted[i]))
            {
                throw new ArgumentException(FormattableString.Invariant($"value {i + 1} is NaN"), nameof(values));
            }
        }

        Array.Sort(sorted);
        return sorted;
    }

    private static void RequireProbability(double probability)
    {
        if (!(probability >= 0 && probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "a probability must lie in [0, 1]");
        }
    }
}
