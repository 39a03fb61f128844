using GistNotebooks.Survival.Estimation;

namespace GistNotebooks.Survival.Tests.Estimation;

/// <summary>
/// Sample medians and type-7 quantiles against R's <c>median(x)</c> and <c>quantile(x, p)</c> (R 4.2.2), worked out
/// by hand: the median is exact; a quantile that needs interpolation is asked to agree to 1e-15 relative, since
/// R writes the interpolation as (1 − f)·x_lo + f·x_hi and Math.NET as x_lo + f·(x_hi − x_lo).
/// </summary>
public sealed class SampleQuantilesTests
{
    [Fact]
    public void Median_of_odd_even_and_tied_samples_MatchesR()
    {
        // Odd n: the middle of 1 2 3. Even n: (2 + 3)/2 for 1 2 3 4. Ties: 2 7 7 7 11 has 7 in the middle;
        // 1 5 5 9 averages the tied middle pair. One value is its own median. Order never matters.
        Assert.Equal(2.0, SampleQuantiles.Median([3, 1, 2]));
        Assert.Equal(2.5, SampleQuantiles.Median([4, 1, 3, 2]));
        Assert.Equal(7.0, SampleQuantiles.Median([7, 2, 11, 7, 7]));
        Assert.Equal(5.0, SampleQuantiles.Median([9, 5, 1, 5]));
        Assert.Equal(36.0, SampleQuantiles.Median([36]));

        // R: median(c(3, 1, 4, 1, 5, 9, 2, 6)) = 3.5, the mean of the 4th and 5th of 1 1 2 3 4 5 6 9.
        Assert.Equal(3.5, SampleQuantiles.Median([3, 1, 4, 1, 5, 9, 2, 6]));
    }

    [Fact]
    public void Median_of_two_times_is_the_same_double_as_in_R()
    {
        // R: sprintf("%.17g", median(c(0.1, 1.2))) is "0.65000000000000002", the double nearest 0.65, which is
        // (0.1 + 1.2)/2 rounded once. Interpolating as 0.1 + 0.5·(1.2 − 0.1), as a type-7 quantile at 0.5 does in
        // Math.NET, gives 0.64999999999999991 instead: the median takes R's arithmetic, not the quantile's.
        Assert.Equal(0.65, SampleQuantiles.Median([1.2, 0.1]));
        Assert.Equal((35.3 + 35.7) / 2, SampleQuantiles.Median([35.7, 17, 227, 35.3]));
    }

    [Fact]
    public void Type_7_quantiles_MatchesR()
    {
        // Sorted x: 1 1 2 3 4 5 6 9 (n = 8); h = 1 + 7p, interpolating between x_⌊h⌋ and x_⌈h⌉.
        // p = 0.1: h = 1.7, 1 + 0.7·(1 − 1) = 1. p = 0.25: h = 2.75, 1 + 0.75·(2 − 1) = 1.75.
        // p = 0.75: h = 6.25, 5 + 0.25·(6 − 5) = 5.25. p = 0.9: h = 7.3, 6 + 0.3·(9 − 6) = 6.9.
        // R: quantile(c(3, 1, 4, 1, 5, 9, 2, 6), c(0.1, 0.25, 0.75, 0.9)) = 1, 1.75, 5.25, 6.9.
        double[] x = [3, 1, 4, 1, 5, 9, 2, 6];
        Assert.Equal(1.0, SampleQuantiles.Quantile(x, 0.1));
        Assert.Equal(1.75, SampleQuantiles.Quantile(x, 0.25));
        Assert.Equal(5.25, SampleQuantiles.Quantile(x, 0.75));
        Close(6.9, SampleQuantiles.Quantile(x, 0.9));
        Assert.Equal(1.0, SampleQuantiles.Quantile(x, 0));
        Assert.Equal(9.0, SampleQuantiles.Quantile(x, 1));
        Assert.Equal(3.5, SampleQuantiles.Quantile(x, 0.5));

        // Ties: 2 7 7 7 11, h = 1 + 4p; the quartiles fall at h = 2 and 4, both 7; p = 0.3 at h = 2.2, between two 7s.
        double[] tied = [7, 2, 11, 7, 7];
        Assert.Equal(7.0, SampleQuantiles.Quantile(tied, 0.25));
        Assert.Equal(7.0, SampleQuantiles.Quantile(tied, 0.75));
        Assert.Equal(7.0, SampleQuantiles.Quantile(tied, 0.3));

        // R: sprintf("%.17g", quantile(c(0.1, 0.2, 0.4, 0.7, 1.2), c(0.3, 0.35, 0.9))) =
        // 0.24000000000000005, 0.28000000000000003, 0.99999999999999978 (h = 2.2, 2.4 and 4.6).
        double[] y = [0.1, 0.2, 0.4, 0.7, 1.2];
        Close(0.24000000000000005, SampleQuantiles.Quantile(y, 0.3));
        Close(0.28000000000000003, SampleQuantiles.Quantile(y, 0.35));
        Close(0.99999999999999978, SampleQuantiles.Quantile(y, 0.9));
    }

    [Fact]
    public void Median_is_the_middle_order_statistic_or_the_mean_of_the_two_and_ignores_order()
    {
        var random = new Random(20261130);
        for (var trial = 0; trial < 2000; trial++)
        {
            // Follow-up-like times on a 0.1 grid, with ties.
            var n = random.Next(1, 40);
            var values = Enumerable.Range(0, n).Select(_ => random.Next(1, 400) / 10.0).ToArray();
            var sorted = values.Order().ToArray();
            var expected = n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;

            Assert.Equal(expected, SampleQuantiles.Median(values));
            Assert.Equal(expected, SampleQuantiles.Median(values.Reverse()));
            Close(expected, SampleQuantiles.Quantile(values, 0.5));

            var previous = sorted[0];
            foreach (var p in new[] { 0.1, 0.25, 0.5, 0.75, 0.9, 1.0 })
            {
                var q = SampleQuantiles.Quantile(values, p);
                Assert.InRange(q, previous, sorted[^1]);
                previous = q;
            }
        }
    }

    [Fact]
    public void Empty_or_NaN_samples_and_probabilities_outside_zero_and_one_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => SampleQuantiles.Median([]));
        Assert.Contains("value 2 is NaN", Assert.Throws<ArgumentException>(() => SampleQuantiles.Median([1, double.NaN])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleQuantiles.Quantile([1, 2], 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleQuantiles.Quantile([1, 2], double.NaN));
    }

    private static void Close(double expected, double actual)
        => Assert.True(Math.Abs(expected - actual) <= 1e-15 * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");
}
