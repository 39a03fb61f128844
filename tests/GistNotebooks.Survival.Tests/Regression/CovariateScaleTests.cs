using System.Globalization;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Survival.Tests.Regression;

/// <summary>
/// A covariate whose unit is far from its spread (ages scaled by 10⁻¹², incomes in cents) fits to the same tests, but
/// its ratio per unit is infinite or indistinguishable from 1: every regression warns, naming the standard deviation
/// and the factor that brings it to about 1; a covariate of ordinary scale gives no warning.
/// </summary>
public sealed class CovariateScaleTests
{
    // 40 subjects, times 1..40 with every fourth censored; x rises with time but not monotonically, so the estimate is finite.
    private static readonly double[] Times = [.. Enumerable.Range(1, 40).Select(i => (double)i)];
    private static readonly bool[] Events = [.. Enumerable.Range(1, 40).Select(i => i % 4 != 0)];
    private static readonly double[] Age = [.. Enumerable.Range(1, 40).Select(i => 70 - (0.5 * i) + (7 * ((i * 37) % 11)))];

    private static CoxModel Cox(double scale)
        => CoxRegression.Fit(SurvivalData.Create(Times, Events), CovariateMatrix.FromColumn("age", [.. Age.Select(a => a * scale)]));

    [Fact]
    public void A_covariate_of_ordinary_scale_gives_no_warning()
        => Assert.Empty(Cox(1).Warnings);

    [Theory]
    [InlineData(1e-12)]
    [InlineData(1e9)]
    public void A_covariate_scaled_far_from_its_spread_is_warned_about_with_its_standard_deviation(double scale)
    {
        var plain = Cox(1);
        var scaled = Cox(scale);
        var sd = CovariateScale.StandardDeviations(CovariateMatrix.FromColumn("age", [.. Age.Select(a => a * scale)]), null)[0];
        var factor = Math.Pow(10, -Math.Round(Math.Log10(sd)));

        var warning = Assert.Single(scaled.Warnings);
        Assert.StartsWith("The covariate age has standard deviation " + sd.ToString("G4", CultureInfo.InvariantCulture), warning, StringComparison.Ordinal);
        Assert.Contains("multiply it by " + factor.ToString("G4", CultureInfo.InvariantCulture), warning, StringComparison.Ordinal);
        Assert.InRange(sd * factor, 0.3, 3.2);
        Assert.Contains("hazard ratio per unit", warning, StringComparison.Ordinal);

        // The fit itself is the same model: the coefficient is rescaled by 1/scale, the tests unchanged.
        Assert.Equal(plain.Coefficients[0].Coefficient / scale, scaled.Coefficients[0].Coefficient, plain.Coefficients[0].Coefficient / scale * 1e-6);
        Assert.Equal(plain.LikelihoodRatioTest.Statistic, scaled.LikelihoodRatioTest.Statistic, 6);
    }

    [Fact]
    public void The_standard_deviation_named_is_the_columns()
    {
        var sd = CovariateScale.StandardDeviations(CovariateMatrix.FromColumn("x", [1.0, 2, 3, 4]), null);

        // R: sd(1:4) = sqrt(5/3).
        Assert.Equal(Math.Sqrt(5.0 / 3), sd[0], 14);
        Assert.True(double.IsNaN(CovariateScale.StandardDeviations(CovariateMatrix.FromColumn("x", [0.0, 1, 1, 0]), null)[0]));
    }

    [Fact]
    public void Fine_Gray_warns_about_the_subdistribution_hazard_ratio_per_unit()
    {
        var causes = Enumerable.Range(1, 40).Select(i => i % 4 == 0 ? 0 : i % 3 == 0 ? 2 : 1).ToArray();
        var model = FineGray.Fit(CompetingRisksData.Create(Times, causes), CovariateMatrix.FromColumn("age", [.. Age.Select(a => a * 1e-12)]));

        Assert.Contains(model.Warnings, w => w.StartsWith("The covariate age has standard deviation ", StringComparison.Ordinal) && w.Contains("subdistribution hazard ratio per unit", StringComparison.Ordinal));
    }

    [Fact]
    public void A_parametric_model_warns_about_the_time_ratio_per_unit()
    {
        var data = SurvivalData.Create(Times, Events);
        var plain = ParametricRegression.Fit(data, CovariateMatrix.FromColumn("age", Age));
        var scaled = ParametricRegression.Fit(data, CovariateMatrix.FromColumn("age", [.. Age.Select(a => a * 1e-12)]));

        Assert.Empty(plain.Warnings);
        Assert.Contains(scaled.Warnings, w => w.StartsWith("The covariate age has standard deviation ", StringComparison.Ordinal) && w.Contains("time ratio per unit", StringComparison.Ordinal));
    }
}
