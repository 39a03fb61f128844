using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;

namespace GistNotebooks.Survival.Tests.Estimation;

/// <summary>Conditional survival on tiny data sets derived by hand in the comments. Tolerance 1e-14 absolute.</summary>
public sealed class ConditionalSurvivalTests
{
    private const double Tolerance = 1e-14;
    private const double Z = 1.959963984540054;

    // Deaths at 1, 2, …, 10 (n = 10, no censoring): S(k) = (10 − k)/10.
    // Given t = 2, a further s = 3: CS = S(5)/S(2) = 0.5/0.8 = 5/8.
    // Greenwood terms after t = 2 up to 5: t=3 n=8: 1/(8·7) = 1/56; t=4 n=7: 1/42; t=5 n=6: 1/30.
    // Σ = (15 + 20 + 28)/840 = 63/840 = 3/40, so se(log CS) = √(3/40).
    private static KaplanMeierCurve TenDeaths(ConfidenceIntervalType type = ConfidenceIntervalType.Log) =>
        KaplanMeier.Estimate(SurvivalData.Create([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]), new() { ConfidenceType = type });

    [Fact]
    public void The_estimate_and_standard_error_use_only_the_steps_after_the_given_time()
    {
        var result = ConditionalSurvival.Estimate(TenDeaths(), given: 2, additional: 3);
        Assert.Equal(5.0 / 8, result.Estimate!.Value, Tolerance);
        Assert.Equal(5.0 / 8 * Math.Sqrt(3.0 / 40), result.StandardError!.Value, Tolerance);
        Assert.Equal((2.0, 3.0), (result.Given, result.Additional));
    }

    [Fact]
    public void Log_limits_follow_the_formula_and_the_upper_is_capped_at_one()
    {
        // exp(log(5/8) ± z·√(3/40)): the lower is 0.625·e^(−0.537) ≈ 0.365; the upper 0.625·e^(0.537) ≈ 1.07 is capped at 1.
        var result = ConditionalSurvival.Estimate(TenDeaths(), 2, 3);
        Assert.Equal(5.0 / 8 * Math.Exp(-Z * Math.Sqrt(3.0 / 40)), result.Lower!.Value, Tolerance);
        Assert.Equal(1.0, result.Upper);
    }

    [Fact]
    public void Log_log_limits_follow_the_formula()
    {
        // exp(−exp(log(−log CS) ∓ z·se/log CS)) with CS = 5/8 and se = √(3/40); log CS < 0 turns ∓ into the lower limit.
        var result = ConditionalSurvival.Estimate(TenDeaths(ConfidenceIntervalType.LogLog), 2, 3);
        var logCs = Math.Log(5.0 / 8);
        var half = Z * Math.Sqrt(3.0 / 40) / logCs;
        Assert.Equal(Math.Exp(-Math.Exp(Math.Log(-logCs) - half)), result.Lower!.Value, Tolerance);
        Assert.Equal(Math.Exp(-Math.Exp(Math.Log(-logCs) + half)), result.Upper!.Value, Tolerance);
        Assert.True(result.Lower < 5.0 / 8 && result.Upper > 5.0 / 8);
    }

    [Fact]
    public void Censorings_between_the_two_times_change_the_numbers_at_risk_but_add_no_term()
    {
        // 1, 2+, 3, 4: S(1) = 3/4; at t=3 n=2 d=1, so S(3) = 3/4·1/2 = 3/8. Given 1, a further 2: CS = 1/2.
        // The censoring at 2 adds no Greenwood term; the one term is 1/(2·1) = 1/2, so se(log CS) = √(1/2).
        var curve = KaplanMeier.Estimate(SurvivalData.Create([1, 2, 3, 4], [1, 0, 1, 1]));
        var result = ConditionalSurvival.Estimate(curve, 1, 2);
        Assert.Equal(0.5, result.Estimate!.Value, Tolerance);
        Assert.Equal(0.5 * Math.Sqrt(0.5), result.StandardError!.Value, Tolerance);
    }

    [Theory]
    [InlineData(ConfidenceIntervalType.Log)]
    [InlineData(ConfidenceIntervalType.LogLog)]
    [InlineData(ConfidenceIntervalType.Plain)]
    public void Given_time_zero_it_is_the_curve_read_at_the_further_time(ConfidenceIntervalType type)
    {
        var curve = TenDeaths(type);
        var point = curve.SurvivalAt([4])[0];
        var result = ConditionalSurvival.Estimate(curve, 0, 4);
        Assert.Equal(point.Survival, result.Estimate!.Value, Tolerance);
        Assert.Equal(point.StandardError!.Value, result.StandardError!.Value, Tolerance);
        Assert.Equal(point.Lower!.Value, result.Lower!.Value, Tolerance);
        Assert.Equal(point.Upper!.Value, result.Upper!.Value, Tolerance);
    }

    [Fact]
    public void No_survivor_at_the_given_time_means_no_estimate()
    {
        // 1, 2 both deaths: S(2) = 0, so nothing is conditional on surviving to 2.
        var result = ConditionalSurvival.Estimate(KaplanMeier.Estimate(SurvivalData.Create([1, 2], [1, 1])), 2, 1);
        Assert.Null(result.Estimate);
        Assert.Null(result.StandardError);
        Assert.Null(result.Lower);
        Assert.Null(result.Upper);
    }

    [Fact]
    public void Reaching_zero_after_the_given_time_gives_zero_without_standard_error_or_limits()
    {
        // 1, 2 both deaths: S(1) = 1/2, S(2) = 0, so CS(1 | 1) = 0; Greenwood's term at 2 is 1/(1·0), infinite.
        var result = ConditionalSurvival.Estimate(KaplanMeier.Estimate(SurvivalData.Create([1, 2], [1, 1])), 1, 1);
        Assert.Equal(0.0, result.Estimate);
        Assert.Null(result.StandardError);
        Assert.Null(result.Lower);
        Assert.Null(result.Upper);
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(1, -1)]
    [InlineData(double.NaN, 1)]
    [InlineData(1, double.PositiveInfinity)]
    public void Negative_or_non_finite_times_are_rejected(double given, double additional)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ConditionalSurvival.Estimate(TenDeaths(), given, additional));
    }
}
