using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;
using static GistNotebooks.Survival.Tests.Regression.CoxphReference;

namespace GistNotebooks.Survival.Tests.Regression;

/// <summary>
/// Robust and cluster variances, fractional weights, near-equal times and the iteration count of Cox fits, against
/// R survival 3.5-3 (Reference/coxph.expected.json from data/reference/coxph.R). Tolerance 1e-8 relative; observed about 1e-13.
/// </summary>
public sealed class CoxRobustReferenceTests
{
    private const double Tolerance = 1e-8;

    private static readonly string[] VeteranTerms = ["trt", "karno", "age", "celltype"];

    internal static void AssertFit(System.Text.Json.JsonElement expected, CoxModel model, string what)
    {
        var index = TermIndex(Strings(expected.GetProperty("terms")), model.Terms);
        var coef = Numbers(expected.GetProperty("coef"));
        var se = Numbers(expected.GetProperty("se"));
        var variance = Matrix(expected.GetProperty("var"));
        for (var j = 0; j < index.Length; j++)
        {
            Close(coef[j], model.Coefficients[index[j]].Coefficient, Tolerance, $"{what} coef {j}");
            Close(se[j], model.Coefficients[index[j]].StandardError, Tolerance, $"{what} se {j}");
            for (var k = 0; k < index.Length; k++)
            {
                Close(variance[j][k], model.Variance[index[j]][index[k]], Tolerance, $"{what} var {j},{k}");
            }
        }

        var loglik = Numbers(expected.GetProperty("loglik"));
        Close(loglik[0], model.LogLikelihoodNull, Tolerance, what + " loglik null");
        Close(loglik[1], model.LogLikelihood, Tolerance, what + " loglik");
        Close(expected.GetProperty("wald").GetDouble(), model.WaldTest.Statistic, Tolerance, what + " wald");
        Close(expected.GetProperty("score").GetDouble(), model.ScoreTest.Statistic, Tolerance, what + " score");
        Assert.Equal(expected.GetProperty("iter").GetInt32(), model.Iterations);
        var concordance = Numbers(expected.GetProperty("concordance"));
        Close(concordance[0], model.Concordance.Estimate!.Value, Tolerance, what + " concordance");
        Close(concordance[1], model.Concordance.StandardError!.Value, Tolerance, what + " concordance se");
        if (expected.TryGetProperty("naive_var", out var naive) && naive.ValueKind == System.Text.Json.JsonValueKind.Array)
        {
            Assert.True(model.IsRobust, what + " should be robust");
            var naiveMatrix = Matrix(naive);
            for (var j = 0; j < index.Length; j++)
            {
                for (var k = 0; k < index.Length; k++)
                {
                    Close(naiveMatrix[j][k], model.NaiveVariance!.Value[index[j]][index[k]], Tolerance, $"{what} naive var {j},{k}");
                }
            }

            Close(expected.GetProperty("robust_score").GetDouble(), model.RobustScoreTest!.Statistic, Tolerance, what + " robust score");
        }
        else
        {
            Assert.False(model.IsRobust, what + " should not be robust");
        }
    }

    [Fact]
    public void Fractional_weights_give_the_robust_variance_MatchesRSurvival()
    {
        var ovarian = Frame("ovarian", ["age", "ecog.ps", "rx"]);
        var model = CoxRegression.Fit(WithWeights(ovarian, FractionalWeights(ovarian.Data.Count)));
        AssertFit(Get("fractional_weights", "ovarian_cox_efron"), model, "ovarian weighted");

        var aml = Frame("aml", ["x"]);
        var weighted = WithWeights(aml, FractionalWeights(aml.Data.Count));
        AssertFit(Get("fractional_weights", "aml_cox_efron"), CoxRegression.Fit(weighted), "aml weighted efron");
        AssertFit(Get("fractional_weights", "aml_cox_breslow"), CoxRegression.Fit(weighted, new CoxOptions { Ties = TieMethod.Breslow }), "aml weighted breslow");
    }

    [Theory]
    [InlineData("veteran_cluster_efron", TieMethod.Efron)]
    [InlineData("veteran_cluster_breslow", TieMethod.Breslow)]
    public void Cluster_variance_MatchesRSurvival(string fit, TieMethod ties)
    {
        var veteran = Frame("veteran", VeteranTerms);
        var clusters = Enumerable.Range(0, veteran.Data.Count).Select(i => (i / 3).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var model = CoxRegression.Fit(veteran, new CoxOptions { Ties = ties, Clusters = clusters });
        AssertFit(Get("robust", fit), model, fit);
        Assert.Equal(46, model.Clusters);
    }

    [Fact]
    public void Robust_without_clusters_and_with_strata_MatchesRSurvival()
    {
        AssertFit(Get("robust", "veteran_robust_efron"), CoxRegression.Fit(Frame("veteran", VeteranTerms), new CoxOptions { Variance = CoxVariance.Robust }), "veteran robust");
        var ovarian = Frame("ovarian", ["age", "ecog.ps"], strata: "rx");
        AssertFit(Get("robust", "ovarian_robust_strata"), CoxRegression.Fit(ovarian, new CoxOptions { Variance = CoxVariance.Robust }), "ovarian strata robust");
    }

    [Fact]
    public void Near_equal_times_are_merged_as_aeqSurv_MatchesRSurvival()
    {
        var table = ColumnTable.ReadCsv(TestData.Reference("timefix.csv"));
        var frame = ModelFrame.FromTable(table, "time", "event", ["grp", "z"]);
        AssertFit(Get("timefix", "cox"), CoxRegression.Fit(frame), "timefix");
        AssertFit(Get("timefix", "cox_no_timefix"), CoxRegression.Fit(frame, new CoxOptions { TimeFix = false }), "no timefix");
        var concordance = Numbers(Get("timefix", "cox", "concordance"));
        var model = CoxRegression.Fit(frame);
        Close(concordance[0], model.Concordance.Estimate!.Value, Tolerance, "concordance");
        Close(concordance[1], model.Concordance.StandardError!.Value, Tolerance, "concordance se");

        var merged = TimeFix.Apply(frame.Data);
        Assert.Equal(Get("timefix", "distinct_times_fixed").GetInt32(), merged.Times.Distinct().Count());
        Assert.Equal(Get("timefix", "distinct_times_raw").GetInt32(), frame.Data.Times.Distinct().Count());
    }

    [Fact]
    public void Iterations_at_the_limit_are_reported_as_the_limit_plus_one_MatchesRSurvival()
    {
        var expected = Get("iterations");
        var model = CoxRegression.Fit(Frame("veteran", VeteranTerms), new CoxOptions { MaxIterations = expected.GetProperty("iter_max").GetInt32(), Tolerance = 1e-20 });
        Assert.False(model.Converged);
        Assert.Equal(expected.GetProperty("iter").GetInt32(), model.Iterations);
        var coef = Numbers(expected.GetProperty("coef"));
        var index = TermIndex(["trt", "karno", "age", "celltypesmallcell", "celltypeadeno", "celltypelarge"], model.Terms);
        for (var j = 0; j < coef.Length; j++)
        {
            Close(coef[j], model.Coefficients[index[j]].Coefficient, Tolerance, $"coef {j}");
        }
    }
}

/// <summary>Offsets (R's <c>offset()</c>) against survival 3.5-3 (Reference/coxph.expected.json, offset = age/50 on veteran).</summary>
public sealed class CoxOffsetReferenceTests
{
    [Theory]
    [InlineData("veteran_efron", TieMethod.Efron)]
    [InlineData("veteran_breslow", TieMethod.Breslow)]
    public void Offsets_enter_the_linear_predictor_MatchesRSurvival(string key, TieMethod ties)
    {
        var frame = Frame("veteran", ["karno", "trt"]);
        var age = ModelFrame.FromTable(ColumnTable.ReadCsv(TestData.Reference("veteran.csv")), "time", "event", ["age"]).Covariates.Column(0);
        var options = new CoxOptions { Ties = ties, Offsets = [.. age.Select(a => a / 50)] };
        var model = CoxRegression.Fit(frame, options);
        var expected = Get("offsets", key);
        var coef = Numbers(expected.GetProperty("coef"));
        var se = Numbers(expected.GetProperty("se"));
        for (var j = 0; j < 2; j++)
        {
            Close(coef[j], model.Coefficients[j].Coefficient, 1e-8, $"coef {j}");
            Close(se[j], model.Coefficients[j].StandardError, 1e-8, $"se {j}");
        }

        var loglik = Numbers(expected.GetProperty("loglik"));
        Close(loglik[0], model.LogLikelihoodNull, 1e-8, "loglik null");
        Close(loglik[1], model.LogLikelihood, 1e-8, "loglik");
        Close(expected.GetProperty("score").GetDouble(), model.ScoreTest.Statistic, 1e-8, "score");
        var concordance = Numbers(expected.GetProperty("concordance"));
        Close(concordance[0], model.Concordance.Estimate!.Value, 1e-8, "concordance");
        if (ties == TieMethod.Efron)
        {
            var martingale = Numbers(Get("offsets", "martingale"));
            var actual = CoxRegression.Residuals(model, frame, CoxResidualType.Martingale, options).Values;
            for (var i = 0; i < martingale.Length; i++)
            {
                Close(martingale[i], actual[i], 1e-8, $"martingale {i}");
            }

            // predict.coxph centres the offset by its mean: (x − x̄)β̂ + (o − ō).
            var lp = Numbers(Get("offsets", "lp"));
            var risk = Numbers(Get("offsets", "risk"));
            var predictedLp = CoxRegression.Predict(model, frame, CoxPredictionType.LinearPredictor, options);
            var predictedRisk = CoxRegression.Predict(model, frame, CoxPredictionType.Risk, options);
            for (var i = 0; i < lp.Length; i++)
            {
                Close(lp[i], predictedLp[i], 1e-8, $"lp {i}");
                Close(risk[i], predictedRisk[i], 1e-8, $"risk {i}");
            }
        }
    }

    /// <summary>
    /// An offset with clusters: the robust variance as always, and R's robust score test, whose null score residuals
    /// coxph takes at a linear predictor of 0 (offset left out).
    /// </summary>
    [Fact]
    public void Offsets_with_clusters_MatchesRSurvival()
    {
        var frame = Frame("veteran", ["karno", "trt"]);
        var age = ModelFrame.FromTable(ColumnTable.ReadCsv(TestData.Reference("veteran.csv")), "time", "event", ["age"]).Covariates.Column(0);
        var options = new CoxOptions
        {
            Offsets = [.. age.Select(a => a / 50)],
            Clusters = [.. Enumerable.Range(0, frame.Data.Count).Select(i => (i / 3).ToString(System.Globalization.CultureInfo.InvariantCulture))],
        };
        CoxRobustReferenceTests.AssertFit(Get("offsets", "veteran_cluster_efron"), CoxRegression.Fit(frame, options), "offset cluster");
    }
}
