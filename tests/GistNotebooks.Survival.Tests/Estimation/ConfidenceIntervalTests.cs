using GistNotebooks.Survival.Estimation;

namespace GistNotebooks.Survival.Tests.Estimation;

/// <summary>Intervals the library adds where R prints none: cumulative incidence (log(−log)) and the restricted mean (Wald).</summary>
public sealed class ConfidenceIntervalTests
{
    [Fact]
    public void Cumulative_incidence_limits_are_computed_on_the_log_minus_log_scale()
    {
        // F = 0.25, SE = 0.1, z = 1.959964: spread = z·SE/(F·log F) = 0.1959964/(0.25 × −1.3862944) = −0.5655254.
        // lower = 0.25^exp(+0.5655254) = 0.25^1.760343 = 0.0871263; upper = 0.25^exp(−0.5655254) = 0.25^0.568071 = 0.4549808.
        var (lower, upper) = new CumulativeIncidenceValue(12, 0.25, 0.01).ConfidenceInterval();

        Assert.Equal(0.08712634197651048, lower!.Value, 12);
        Assert.Equal(0.45498078942039966, upper!.Value, 12);
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(1.0, 0.0)]
    [InlineData(null, null)]
    [InlineData(0.4, null)]
    public void Cumulative_incidence_limits_are_null_where_the_scale_or_the_variance_is_undefined(double? estimate, double? variance)
    {
        var (lower, upper) = new CumulativeIncidenceValue(12, estimate, variance).ConfidenceInterval();

        Assert.Null(lower);
        Assert.Null(upper);
    }

    [Fact]
    public void Cumulative_incidence_limits_stay_inside_zero_and_one_and_around_the_estimate()
    {
        var random = new Random(20251127);
        for (var i = 0; i < 500; i++)
        {
            var estimate = 0.001 + (0.998 * random.NextDouble());
            var variance = Math.Pow(random.NextDouble() * 0.5, 2);

            var (lower, upper) = new CumulativeIncidenceValue(1, estimate, variance).ConfidenceInterval();

            Assert.InRange(lower!.Value, 0, estimate);
            Assert.InRange(upper!.Value, estimate, 1);
        }
    }

    [Fact]
    public void Restricted_mean_limits_are_the_estimate_plus_and_minus_z_standard_errors()
    {
        // 10 ± 1.959964 × 2 at 95%; 10 − 1.644854 × 2 at 90%.
        var rmst = new RestrictedMeanSurvival(60, 10, 2);

        var (lower, upper) = rmst.ConfidenceInterval();

        Assert.Equal(6.080072030919892, lower, 12);
        Assert.Equal(13.919927969080108, upper, 12);
        Assert.Equal(6.710292746097055, rmst.ConfidenceInterval(0.90).Lower, 12);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void A_confidence_level_outside_zero_and_one_is_refused(double level)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RestrictedMeanSurvival(60, 10, 2).ConfidenceInterval(level));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CumulativeIncidenceValue(1, 0.3, 0.01).ConfidenceInterval(level));
    }
}
