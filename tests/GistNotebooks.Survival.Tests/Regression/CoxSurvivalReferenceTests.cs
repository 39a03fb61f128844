using System.Globalization;
using System.Text.Json;
using GistNotebooks.Survival.Regression;
using static GistNotebooks.Survival.Tests.Regression.CoxphReference;

namespace GistNotebooks.Survival.Tests.Regression;

/// <summary>
/// Predicted and baseline survival of Cox fits against R survival 3.5-3's <c>survfit.coxph</c> (Reference/coxph.expected.json,
/// data/reference/coxph.R): Efron and Breslow hazards, new covariate rows with a factor, strata, and the robust variance
/// under fractional weights. Tolerance 1e-8 relative; observed about 1e-13.
/// </summary>
public sealed class CoxSurvivalReferenceTests
{
    private const double Tolerance = 1e-8;

    private static void AssertCurve(JsonElement expected, CoxSurvivalCurve curve, string what)
    {
        var time = Numbers(expected.GetProperty("time"));
        Assert.Equal(time.Length, curve.Time.Length);
        var columns = new (string Key, Func<int, double?> Actual)[]
        {
            ("n_risk", i => curve.AtRisk[i]),
            ("cumhaz", i => curve.CumulativeHazard[i]),
            ("surv", i => curve.Survival[i]),
            ("std_err", i => curve.StandardError[i]),
            ("lower", i => curve.Lower[i]),
            ("upper", i => curve.Upper[i]),
        };
        for (var i = 0; i < time.Length; i++)
        {
            Close(time[i], curve.Time[i], 1e-14, $"{what} time {i}");
            foreach (var (key, actual) in columns)
            {
                var value = Numbers(expected.GetProperty(key))[i];
                if (double.IsNaN(value))
                {
                    Assert.Null(actual(i));
                }
                else
                {
                    Close(value, actual(i)!.Value, Tolerance, $"{what} {key} {i}");
                }
            }
        }
    }

    private static Dictionary<string, string> Values(JsonElement element, int index) => element.EnumerateObject().ToDictionary(
        p => p.Name,
        p =>
        {
            var value = p.Value.ValueKind == JsonValueKind.Array ? p.Value[index] : p.Value;
            return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetDouble().ToString("R", CultureInfo.InvariantCulture);
        });

    [Theory]
    [InlineData("veteran_efron", TieMethod.Efron)]
    [InlineData("veteran_breslow", TieMethod.Breslow)]
    public void Curves_for_new_covariate_rows_MatchesRSurvival(string key, TieMethod ties)
    {
        var frame = Frame("veteran", ["trt", "karno", "age", "celltype"]);
        var model = CoxRegression.Fit(frame, new CoxOptions { Ties = ties });
        var expected = Get("predictions", key);
        for (var r = 0; r < 2; r++)
        {
            var row = CoxRegression.DesignRow(model, frame, Values(Get("predictions", "veteran_new"), r));
            var curves = CoxRegression.PredictSurvival(model, frame, row);
            Assert.Single(curves);
            AssertCurve(expected[r], curves[0], $"{key} row {r}");
        }
    }

    [Fact]
    public void Baseline_curves_at_the_means_MatchesRSurvival()
    {
        var veteran = Frame("veteran", ["trt", "karno", "age", "celltype"]);
        AssertCurve(Get("predictions", "veteran_efron_baseline"), CoxRegression.BaselineSurvival(CoxRegression.Fit(veteran), veteran)[0], "veteran baseline");
        var aml = Frame("aml", ["x"]);
        AssertCurve(Get("predictions", "aml_efron_baseline"), CoxRegression.BaselineSurvival(CoxRegression.Fit(aml), aml)[0], "aml baseline");
    }

    [Fact]
    public void Curves_per_stratum_MatchesRSurvival()
    {
        var frame = Frame("ovarian", ["age", "ecog.ps"], strata: "rx");
        var model = CoxRegression.Fit(frame);
        var curves = CoxRegression.PredictSurvival(model, frame, CoxRegression.DesignRow(model, frame, Values(Get("predictions", "ovarian_strata_new"), 0)));
        var expected = Get("predictions", "ovarian_strata");
        Assert.Equal(expected.GetArrayLength(), curves.Count);
        for (var k = 0; k < curves.Count; k++)
        {
            Assert.Equal(expected[k].GetProperty("stratum").GetString(), "rx=" + curves[k].Stratum);
            AssertCurve(expected[k], curves[k], "stratum " + curves[k].Stratum);
        }
    }

    [Fact]
    public void Curves_use_the_robust_variance_when_it_is_in_force_MatchesRSurvival()
    {
        var ovarian = Frame("ovarian", ["age", "ecog.ps", "rx"]);
        var frame = WithWeights(ovarian, FractionalWeights(ovarian.Data.Count));
        var model = CoxRegression.Fit(frame);
        var row = CoxRegression.DesignRow(model, frame, Values(Get("predictions", "ovarian_weighted_new"), 0));
        AssertCurve(Get("predictions", "ovarian_weighted_robust"), CoxRegression.PredictSurvival(model, frame, row)[0], "weighted");
    }

    /// <summary>A curve never rises, stays in [0, 1], and at the means equals the baseline; a higher risk gives a lower curve.</summary>
    [Fact]
    public void Curves_fall_and_order_with_the_risk()
    {
        var frame = Frame("veteran", ["trt", "karno", "age", "celltype"]);
        var model = CoxRegression.Fit(frame);
        var low = CoxRegression.PredictSurvival(model, frame, CoxRegression.DesignRow(model, frame, new Dictionary<string, string> { ["trt"] = "1", ["karno"] = "90", ["age"] = "50", ["celltype"] = "squamous" }))[0];
        var high = CoxRegression.PredictSurvival(model, frame, CoxRegression.DesignRow(model, frame, new Dictionary<string, string> { ["trt"] = "1", ["karno"] = "30", ["age"] = "50", ["celltype"] = "squamous" }))[0];
        for (var i = 0; i < low.Time.Length; i++)
        {
            Assert.InRange(low.Survival[i], 0, 1);
            Assert.True(i == 0 || low.Survival[i] <= low.Survival[i - 1]);
            Assert.True(high.Survival[i] <= low.Survival[i]);
        }
    }
}
