using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;
using static GistNotebooks.Survival.Tests.Regression.CoxphReference;

namespace GistNotebooks.Survival.Tests.Regression;

/// <summary>
/// Residuals of Cox fits against R survival 3.5-3's <c>residuals.coxph</c> with its default weighting (Reference/coxph.expected.json,
/// data/reference/coxph.R): veteran with Efron and Breslow ties (24 tied event times), aml, a stratified fit and whole-number
/// case weights. Tolerance 1e-8 relative (1e-11 absolute near 0); observed about 1e-13.
/// </summary>
public sealed class CoxResidualsReferenceTests
{
    private const double Tolerance = 1e-8;

    public static TheoryData<string> Fits => new() { "veteran_efron", "veteran_breslow", "aml_efron", "veteran_strata_efron", "ovarian_weighted_efron" };

    private static (CoxModel Model, ModelFrame Frame) Fit(string name)
    {
        switch (name)
        {
            case "veteran_efron":
            case "veteran_breslow":
                var veteran = Frame("veteran", ["trt", "karno", "age", "celltype"]);
                return (CoxRegression.Fit(veteran, new CoxOptions { Ties = name.EndsWith("breslow", StringComparison.Ordinal) ? TieMethod.Breslow : TieMethod.Efron }), veteran);
            case "aml_efron":
                var aml = Frame("aml", ["x"]);
                return (CoxRegression.Fit(aml), aml);
            case "veteran_strata_efron":
                var strata = Frame("veteran", ["karno", "age"], strata: "celltype");
                return (CoxRegression.Fit(strata), strata);
            default:
                var ovarian = Frame("ovarian", ["age", "ecog.ps", "rx"]);
                var weighted = WithWeights(ovarian, [.. FractionalWeights(ovarian.Data.Count).Select(w => Math.Round(w * 2, MidpointRounding.ToEven))]);
                return (CoxRegression.Fit(weighted), weighted);
        }
    }

    [Theory]
    [MemberData(nameof(Fits))]
    public void Martingale_and_deviance_residuals_MatchesRSurvival(string name)
    {
        var (model, frame) = Fit(name);
        foreach (var (type, key) in new[] { (CoxResidualType.Martingale, "martingale"), (CoxResidualType.Deviance, "deviance") })
        {
            var expected = Numbers(Get("residuals", name, key));
            var actual = CoxRegression.Residuals(model, frame, type).Values;
            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                Close(expected[i], actual[i], Tolerance, $"{name} {key} row {i + 1}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Fits))]
    public void Score_dfbeta_and_dfbetas_residuals_MatchesRSurvival(string name)
    {
        var (model, frame) = Fit(name);
        var index = TermIndex(Strings(Get("residuals", name, "terms")), model.Terms);
        foreach (var (type, key) in new[] { (CoxResidualType.Score, "score"), (CoxResidualType.Dfbeta, "dfbeta"), (CoxResidualType.Dfbetas, "dfbetas") })
        {
            var expected = Matrix(Get("residuals", name, key));
            var actual = CoxRegression.Residuals(model, frame, type).Rows;
            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                for (var j = 0; j < index.Length; j++)
                {
                    Close(expected[i][j], actual[i][index[j]], Tolerance, $"{name} {key} row {i + 1} term {j}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Fits))]
    public void Schoenfeld_and_scaled_Schoenfeld_residuals_MatchesRSurvival(string name)
    {
        var (model, frame) = Fit(name);
        var index = TermIndex(Strings(Get("residuals", name, "terms")), model.Terms);
        var times = Numbers(Get("residuals", name, "schoenfeld_time"));
        foreach (var (type, key) in new[] { (CoxResidualType.Schoenfeld, "schoenfeld"), (CoxResidualType.ScaledSchoenfeld, "scaledsch") })
        {
            var expected = Matrix(Get("residuals", name, key));
            var actual = CoxRegression.Residuals(model, frame, type);
            Assert.Equal(expected.Length, actual.Rows.Length);
            Assert.Equal(times, actual.EventTimes);
            for (var i = 0; i < expected.Length; i++)
            {
                for (var j = 0; j < index.Length; j++)
                {
                    Close(expected[i][j], actual.Rows[i][index[j]], Tolerance, $"{name} {key} event {i + 1} term {j}");
                }
            }
        }
    }

    /// <summary>Score residuals sum to the score at β̂, which is 0 at convergence; martingale residuals sum to 0 (n − Σ expected).</summary>
    [Theory]
    [MemberData(nameof(Fits))]
    public void Residuals_sum_to_zero(string name)
    {
        var (model, frame) = Fit(name);
        var weights = frame.Data.Weights;
        var martingale = CoxRegression.Residuals(model, frame, CoxResidualType.Martingale).Values;
        Assert.True(Math.Abs(martingale.Select((m, i) => weights[i] * m).Sum()) < 1e-10);
        var score = CoxRegression.Residuals(model, frame, CoxResidualType.Score).Rows;
        for (var j = 0; j < model.Terms.Length; j++)
        {
            Assert.True(Math.Abs(score.Select((r, i) => weights[i] * r[j]).Sum()) < 1e-6, $"term {j}");
        }
    }

    /// <summary>
    /// predict.coxph(fit, type = "lp" | "risk" | "expected") without new data; the stratified fit centres each row by its
    /// stratum's means (R's default reference = "strata").
    /// </summary>
    [Theory]
    [MemberData(nameof(Fits))]
    public void Predictions_for_the_fitted_rows_MatchesRSurvival(string name)
    {
        var (model, frame) = Fit(name);
        foreach (var (type, key) in new[] { (CoxPredictionType.LinearPredictor, "lp"), (CoxPredictionType.Risk, "risk"), (CoxPredictionType.Expected, "expected") })
        {
            var expected = Numbers(Get("residuals", name, key));
            var actual = CoxRegression.Predict(model, frame, type);
            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                // A centred linear predictor can be near zero: relative to the largest of the column there.
                var scale = Math.Max(Math.Abs(expected[i]), 1e-3 * expected.Max(Math.Abs));
                Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance * scale, $"{name} {key} row {i + 1}: expected {expected[i]:R}, got {actual[i]:R}");
            }
        }
    }
}
