using System.Text.Json;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Survival.Tests.Regression;

/// <summary>
/// Firth's penalised Cox model and monotone likelihood against Reference/extras.expected.json (made by
/// Reference/extras.R: penalised likelihood maximised by R's optim, Breslow ties, profile limits by uniroot).
/// Because R's optimiser stops near 1e-7 in the gradient, coefficients are compared to 1e-5 relative and
/// profile limits to 1e-4 relative.
/// </summary>
public sealed class CoxFirthTests
{
    private static JsonElement Extras(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(CoxRegressionReferenceTests.ReferencePath("extras.expected.json")));
        return document.RootElement.GetProperty(name).Clone();
    }

    private static ModelFrame Separation()
        => ModelFrame.FromTable(ColumnTable.ReadCsv(CoxRegressionReferenceTests.ReferencePath("separation.csv")), "time", "event", ["x"]);

    private static void CompareFirth(JsonElement expected, CoxModel model)
    {
        Assert.True(model.IsPenalized);
        var terms = expected.GetProperty("terms").EnumerateArray().Select(e => e.GetString()!).ToArray();
        for (var k = 0; k < terms.Length; k++)
        {
            var row = model.Coefficients.Single(c => c.Term == terms[k]);
            CoxRegressionReferenceTests.Close(expected.GetProperty("coef")[k].GetDouble(), row.Coefficient, 1e-5, terms[k] + " coef");
            CoxRegressionReferenceTests.Close(expected.GetProperty("se")[k].GetDouble(), row.StandardError, 1e-5, terms[k] + " se");
            CoxRegressionReferenceTests.Close(expected.GetProperty("hr")[k].GetDouble(), row.HazardRatio, 1e-5, terms[k] + " HR");
            CoxRegressionReferenceTests.Close(expected.GetProperty("profile_ci_lower")[k].GetDouble(), row.Lower!.Value, 1e-6, terms[k] + " lower");
            CoxRegressionReferenceTests.Close(expected.GetProperty("profile_ci_upper")[k].GetDouble(), row.Upper!.Value, 1e-6, terms[k] + " upper");
        }

        CoxRegressionReferenceTests.Close(expected.GetProperty("penalized_loglik").GetDouble(), model.PenalizedLogLikelihood!.Value, 1e-8, "penalised loglik");
    }

    [Fact]
    public void Firth_ovarian_with_Breslow_ties_MatchesRSurvival()
    {
        var frame = CoxRegressionReferenceTests.Frame("ovarian");
        var model = CoxRegression.FitFirth(frame, new CoxOptions { Ties = TieMethod.Breslow });
        CompareFirth(Extras("ovarian"), model);
        Assert.True(model.Converged);
    }

    [Fact]
    public void Firth_separation_gives_a_finite_estimate_MatchesRSurvival()
    {
        var model = CoxRegression.Fit(Separation(), new CoxOptions { Ties = TieMethod.Breslow, Firth = true });
        CompareFirth(Extras("separation"), model);
        Assert.Empty(model.MonotoneLikelihood);
    }

    [Fact]
    public void A_Firth_fit_without_profiling_has_the_same_estimates_and_no_limits()
    {
        var frame = CoxRegressionReferenceTests.Frame("ovarian");
        var full = CoxRegression.FitFirth(frame);
        var estimatesOnly = CoxRegression.FitFirth(frame, new CoxOptions { FirthProfile = false });

        Assert.Equal(full.Coefficients.Select(c => c.Coefficient), estimatesOnly.Coefficients.Select(c => c.Coefficient));
        Assert.Equal(full.Coefficients.Select(c => c.StandardError), estimatesOnly.Coefficients.Select(c => c.StandardError));
        Assert.Equal(full.PenalizedLogLikelihood, estimatesOnly.PenalizedLogLikelihood);
        Assert.All(estimatesOnly.Coefficients, c => Assert.True(c.Lower is null && c.Upper is null && double.IsNaN(c.P)));
        Assert.All(full.Coefficients, c => Assert.True(c.Lower is not null && c.Upper is not null && !double.IsNaN(c.P)));
    }

    [Fact]
    public void Ordinary_fit_of_separated_data_reports_monotone_likelihood()
    {
        var model = CoxRegression.Fit(Separation(), new CoxOptions { Ties = TieMethod.Breslow });
        Assert.False(model.Converged);
        Assert.Equal("x", Assert.Single(model.MonotoneLikelihood));
        var x = Assert.Single(model.Coefficients);
        Assert.True(x.IsInfinite);
        Assert.True(x.Coefficient > 10, "the iteration should have run far towards +infinity");

        // R stops at the same place: coxph's iterate after 19 iterations is 21.3086600242956 (the digits
        // depend on rounding in a flat likelihood, so only 1e-3 relative is asked for).
        CoxRegressionReferenceTests.Close(Extras("separation").GetProperty("ordinary_coxph_coef_after_iterations").GetDouble(), x.Coefficient, 1e-3, "last iterate");
        Assert.Equal(Extras("separation").GetProperty("ordinary_coxph_iterations").GetInt32(), model.Iterations);
        Assert.Contains(model.Warnings, w => w.Contains("Monotone likelihood", StringComparison.Ordinal) && w.Contains("Firth", StringComparison.Ordinal));
    }

    [Fact]
    public void Firth_fit_reports_the_penalised_likelihood_ratio_test()
    {
        var model = CoxRegression.FitFirth(Separation(), new CoxOptions { Ties = TieMethod.Breslow });
        var expected = Extras("separation").GetProperty("penalized_loglik").GetDouble();

        // Hand derivation of ℓ*(0) for separation.csv (no tied times): deaths at t = 1, 2, 3, 4, 6, 8, 10
        // with 12, 11, 10, 9, 7, 5, 3 at risk, so ℓ(0) = −log(12·11·10·9·7·5·3). The x = 1 rows are those
        // with t ≤ 5, so the fraction with x = 1 at the deaths is 5/12, 4/11, 3/10, 2/9, then 0, and
        // I(0) = Σ f(1 − f) = 35/144 + 28/121 + 21/100 + 14/81. ℓ*(0) = ℓ(0) + ½·log I(0).
        var atZero = -Math.Log(12.0 * 11 * 10 * 9 * 7 * 5 * 3) + (0.5 * Math.Log((35.0 / 144) + (28.0 / 121) + (21.0 / 100) + (14.0 / 81)));
        CoxRegressionReferenceTests.Close(2 * (expected - atZero), model.LikelihoodRatioTest.Statistic, 1e-7, "penalised LR");
        CoxRegressionReferenceTests.Close(-Math.Log(12.0 * 11 * 10 * 9 * 7 * 5 * 3), model.LogLikelihoodNull, 1e-12, "null loglik");
        Assert.Equal(1, model.LikelihoodRatioTest.DegreesOfFreedom);
    }
}
