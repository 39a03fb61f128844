using System.Text.Json;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;
using static GistNotebooks.Survival.Tests.Regression.CoxCountingProcessReferenceTests;
using static GistNotebooks.Survival.Tests.Regression.CoxphReference;

namespace GistNotebooks.Survival.Tests.Regression;

/// <summary>
/// Robust (cluster) variance and residuals of Cox fits to counting-process (start, stop] data against R survival 3.5-3 on
/// the heart transplant data (data/reference/startstop.R): <c>coxph(..., cluster = id)</c>, fractional weights, and
/// <c>residuals.coxph</c> of every kind per row of the (start, stop] data. Tolerance 1e-6 relative (residuals: relative
/// to the largest magnitude of their column where a value is near zero).
/// </summary>
public sealed class CoxCountingProcessResidualTests
{
    private const double Tolerance = 1e-6;

    private static readonly string[] HeartTerms = ["age", "year", "surgery", "transplant"];

    private static string[] Ids() => [.. Heart().GetNumbers("id").Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private static void AssertRobust(JsonElement expected, CoxModel model, int clusters, string what)
    {
        Assert.True(model.IsRobust, what + " robust");
        Assert.Equal(clusters, model.Clusters);
        var coef = Numbers(expected.GetProperty("coef"));
        var variance = Matrix(expected.GetProperty("var"));
        var naive = Matrix(expected.GetProperty("naive_var"));
        for (var j = 0; j < coef.Length; j++)
        {
            Close(coef[j], model.Coefficients[j].Coefficient, Tolerance, $"{what} coef {j}");
            for (var k = 0; k < coef.Length; k++)
            {
                Close(variance[j][k], model.Variance[j][k], Tolerance, $"{what} var {j},{k}");
                Close(naive[j][k], model.NaiveVariance!.Value[j][k], Tolerance, $"{what} naive var {j},{k}");
            }
        }

        Close(expected.GetProperty("wald").GetDouble(), model.WaldTest.Statistic, Tolerance, what + " robust wald");
        Close(expected.GetProperty("rscore").GetDouble(), model.RobustScoreTest!.Statistic, Tolerance, what + " robust score");
        Close(Numbers(expected.GetProperty("concordance"))[0], model.Concordance.Estimate!.Value, Tolerance, what + " concordance");
        Close(Numbers(expected.GetProperty("concordance"))[1], model.Concordance.StandardError!.Value, Tolerance, what + " concordance se");
    }

    [Theory]
    [InlineData("heart_cluster_efron", TieMethod.Efron)]
    [InlineData("heart_cluster_breslow", TieMethod.Breslow)]
    public void Cluster_variance_over_subjects_MatchesRSurvival(string name, TieMethod ties)
    {
        var (data, covariates) = HeartData(HeartTerms);
        var ids = Ids();
        var model = CoxRegression.Fit(data, covariates, new CoxOptions { Ties = ties, Clusters = ids });
        AssertRobust(Expected(name), model, ids.Distinct().Count(), name);
    }

    /// <summary>Fractional weights imply the robust variance with each row its own cluster, as coxph.</summary>
    [Fact]
    public void Fractional_weights_give_the_robust_variance_MatchesRSurvival()
    {
        var (data, covariates) = HeartData(HeartTerms);
        double[] weights = [.. Enumerable.Range(0, data.Count).Select(i => new[] { 0.5, 1.25, 2 }[i % 3])];
        var weighted = CountingProcessData.Create(data.Starts, data.Stops, [.. data.Events.Select(e => e ? 1 : 0)], weights);
        var model = CoxRegression.Fit(weighted, covariates);
        AssertRobust(Expected("heart_fractional_efron"), model, data.Count, "heart_fractional_efron");
    }

    /// <summary>An offset (age/50) with clusters by subject: the robust score test's null residuals leave the offset out, as coxph.</summary>
    [Fact]
    public void Offset_with_clusters_MatchesRSurvival()
    {
        var (data, covariates) = HeartData(["year", "surgery", "transplant"]);
        var offsets = Heart().GetNumbers("age").Select(a => a / 50).ToArray();
        var model = CoxRegression.Fit(data, covariates, new CoxOptions { Clusters = Ids(), Offsets = offsets });
        AssertRobust(Expected("heart_offset_cluster_efron"), model, 103, "heart_offset_cluster_efron");
    }

    /// <summary>R refuses robust = TRUE on (start, stop] data without cluster or id ("one of cluster or id is needed").</summary>
    [Fact]
    public void Robust_without_clusters_is_refused_as_R_refuses_it()
    {
        var (data, covariates) = HeartData(HeartTerms);
        var error = Assert.Throws<NotSupportedException>(() => CoxRegression.Fit(data, covariates, new CoxOptions { Variance = CoxVariance.Robust }));
        Assert.Contains("needs clusters", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, TieMethod, bool, string?> ResidualCases => new()
    {
        { "residuals_efron", TieMethod.Efron, false, null },
        { "residuals_breslow", TieMethod.Breslow, false, null },
        { "residuals_weighted_efron", TieMethod.Efron, true, null },
        { "residuals_strata_efron", TieMethod.Efron, false, "surgery" },
    };

    [Theory]
    [MemberData(nameof(ResidualCases))]
    public void Residuals_per_row_of_the_start_stop_data_MatchesRSurvival(string name, TieMethod ties, bool weighted, string? strata)
    {
        string[] terms = strata is null ? HeartTerms : ["age", "year", "transplant"];
        var (data, covariates) = HeartData(terms, weighted, strata);
        var options = new CoxOptions { Ties = ties };
        var model = CoxRegression.Fit(data, covariates, options);
        var expected = Expected(name);
        foreach (var (key, type) in new[] { ("martingale", CoxResidualType.Martingale), ("deviance", CoxResidualType.Deviance) })
        {
            var values = CoxRegression.Residuals(model, data, covariates, type, options).Values;
            AssertVector(Numbers(expected.GetProperty(key)), [.. values], $"{name} {key}");
        }

        foreach (var (key, type) in new[] { ("score", CoxResidualType.Score), ("dfbeta", CoxResidualType.Dfbeta), ("dfbetas", CoxResidualType.Dfbetas) })
        {
            var rows = CoxRegression.Residuals(model, data, covariates, type, options).Rows;
            var reference = Matrix(expected.GetProperty(key));
            Assert.Equal(reference.Length, rows.Length);
            for (var a = 0; a < terms.Length; a++)
            {
                AssertVector([.. reference.Select(r => r[a])], [.. rows.Select(r => r[a])], $"{name} {key} column {a}");
            }
        }

        var times = Numbers(expected.GetProperty("schoenfeld_time"));
        foreach (var (key, type) in new[] { ("schoenfeld", CoxResidualType.Schoenfeld), ("scaledsch", CoxResidualType.ScaledSchoenfeld) })
        {
            var residuals = CoxRegression.Residuals(model, data, covariates, type, options);
            var reference = Matrix(expected.GetProperty(key));
            Assert.Equal(times, residuals.EventTimes.ToArray());

            // Within a tied event time R and the kit may list the deaths in another order: compare them sorted.
            var referenceRows = InTimeGroups(times, reference);
            var actualRows = InTimeGroups(times, [.. residuals.Rows.Select(r => r.ToArray())]);
            for (var a = 0; a < terms.Length; a++)
            {
                AssertVector([.. referenceRows.Select(r => r[a])], [.. actualRows.Select(r => r[a])], $"{name} {key} column {a}");
            }
        }
    }

    /// <summary>predict.coxph(fit, type = "lp" | "risk" | "expected") per (start, stop] row, without and with strata.</summary>
    [Theory]
    [InlineData("predict_types_efron", false)]
    [InlineData("predict_types_strata_efron", true)]
    public void Per_row_predictions_MatchesRSurvival(string name, bool stratified)
    {
        var (data, covariates) = stratified ? HeartData(["age", "year", "transplant"], strata: "surgery") : HeartData(HeartTerms);
        var model = CoxRegression.Fit(data, covariates);
        var expected = Expected(name);
        foreach (var (key, type) in new[] { ("lp", CoxPredictionType.LinearPredictor), ("risk", CoxPredictionType.Risk), ("expected", CoxPredictionType.Expected) })
        {
            AssertVector(Numbers(expected.GetProperty(key)), [.. CoxRegression.Predict(model, data, covariates, type)], $"{name} {key}");
        }
    }

    /// <summary>The rows with each run of equal times sorted by their values, so that the order within a tie does not matter.</summary>
    private static double[][] InTimeGroups(double[] times, double[][] rows)
        => [.. rows.Select((r, i) => (Time: times[i], Row: r)).GroupBy(x => x.Time).SelectMany(g => g.Select(x => x.Row).OrderBy(r => r[0]).ThenBy(r => r[^1]))];

    private static void AssertVector(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = expected.Max(Math.Abs);
        for (var i = 0; i < expected.Length; i++)
        {
            var difference = Math.Abs(expected[i] - actual[i]);
            Assert.True(difference <= Tolerance * Math.Max(Math.Abs(expected[i]), 1e-3 * scale), $"{what} [{i}]: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    /// <summary>survfit(fit, newdata) for a subject with age −5, year 3, surgery 1, transplant 1 held over follow-up.</summary>
    [Theory]
    [InlineData("predict_efron", TieMethod.Efron, false)]
    [InlineData("predict_breslow", TieMethod.Breslow, false)]
    [InlineData("predict_weighted_efron", TieMethod.Efron, true)]
    public void Predicted_survival_for_new_covariates_MatchesRSurvival(string name, TieMethod ties, bool weighted)
    {
        var (data, covariates) = HeartData(HeartTerms, weighted);
        var options = new CoxOptions { Ties = ties };
        var model = CoxRegression.Fit(data, covariates, options);
        var curve = Assert.Single(CoxRegression.PredictSurvival(model, data, covariates, [-5.0, 3, 1, 1], options));
        var expected = Expected(name);
        Assert.Equal(Numbers(expected.GetProperty("time")), curve.Time.ToArray());
        AssertVector(Numbers(expected.GetProperty("n_risk")), [.. curve.AtRisk], name + " n.risk");
        AssertVector(Numbers(expected.GetProperty("n_event")), [.. curve.Events], name + " n.event");
        AssertVector(Numbers(expected.GetProperty("surv")), [.. curve.Survival], name + " surv");
        AssertVector(Numbers(expected.GetProperty("cumhaz")), [.. curve.CumulativeHazard], name + " cumhaz");
        AssertVector(Numbers(expected.GetProperty("std_err")), [.. curve.StandardError.Select(v => v!.Value)], name + " std.err");
        AssertVector(Numbers(expected.GetProperty("lower")), [.. curve.Lower.Select(v => v!.Value)], name + " lower");
        AssertVector(Numbers(expected.GetProperty("upper")), [.. curve.Upper.Select(v => v!.Value)], name + " upper");
    }
}
