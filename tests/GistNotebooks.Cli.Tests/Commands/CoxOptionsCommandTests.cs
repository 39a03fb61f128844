using System.Globalization;
using System.Text.Json;
using static GistNotebooks.Cli.Tests.Gistnb;

namespace GistNotebooks.Cli.Tests.Commands;

/// <summary>
/// <c>gistnb analyze cox|km|logrank</c> with weights, strata, clusters, robust variance, residuals, cox.zph and --no-timefix,
/// against R survival 3.5-3 (Reference/coxph.expected.json and veteran.expected.json).
/// </summary>
public sealed class CoxOptionsCommandTests
{
    private static JsonElement Json(params string[] args)
    {
        var (exit, output, error) = Run([.. args, "--format", "json"]);
        Assert.True(exit == 0, error);
        return JsonDocument.Parse(output).RootElement;
    }

    private static JsonElement Reference(string file, params string[] path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(TestData.Reference(file)));
        var element = document.RootElement;
        foreach (var name in path)
        {
            element = element.GetProperty(name);
        }

        return element.Clone();
    }

    private static void Close(double expected, double actual, string what)
        => Assert.True(Math.Abs(expected - actual) <= 1e-8 * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");

    /// <summary>veteran.csv with a cluster column (row − 1) div 3 and a weight column 1 + ((row − 1) mod 4)/4, as coxph.R builds them.</summary>
    private static string VeteranWithColumns()
    {
        var lines = File.ReadAllLines(TestData.Reference("veteran.csv"));
        var path = Path.Combine(Path.GetTempPath(), "gistnb-veteran-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllLines(path, [lines[0] + ",cl,w", .. lines.Skip(1).Select((line, i) => FormattableString.Invariant($"{line},{i / 3},{1 + ((i % 4) / 4.0)}"))]);
        return path;
    }

    [Fact]
    public void Cluster_gives_the_robust_standard_error_and_the_naive_one_MatchesRSurvival()
    {
        var path = VeteranWithColumns();
        try
        {
            var json = Json("analyze", "cox", "--data", path, "--time", "time", "--event", "event", "--covariates", "trt,karno,age,celltype", "--reference", "celltype=squamous", "--cluster", "cl");
            var expected = Reference("coxph.expected.json", "robust", "veteran_cluster_efron");
            var terms = expected.GetProperty("terms").EnumerateArray().Select(t => t.GetString()).ToList();
            var se = expected.GetProperty("se").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var naive = expected.GetProperty("naive_var").EnumerateArray().Select((row, j) => Math.Sqrt(row[j].GetDouble())).ToArray();
            foreach (var coefficient in json.GetProperty("coefficients").EnumerateArray())
            {
                var j = terms.IndexOf(coefficient.GetProperty("term").GetString());
                Close(se[j], coefficient.GetProperty("standardError").GetDouble(), "se " + terms[j]);
                Close(naive[j], coefficient.GetProperty("naiveStandardError").GetDouble(), "naive se " + terms[j]);
            }

            Assert.Equal("robust", json.GetProperty("variance").GetString());
            Assert.Equal(46, json.GetProperty("clusters").GetInt32());
            Close(expected.GetProperty("robust_score").GetDouble(), json.GetProperty("tests").GetProperty("robustScore").GetProperty("statistic").GetDouble(), "robust score");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Without_robust_variance_the_json_has_no_naive_standard_error()
    {
        var json = Json("analyze", "cox", "--data", TestData.Reference("aml.csv"), "--time", "time", "--event", "event", "--covariates", "x");
        Assert.False(json.GetProperty("coefficients")[0].TryGetProperty("naiveStandardError", out _));
        Assert.False(json.TryGetProperty("variance", out _));
        var robust = Json("analyze", "cox", "--data", TestData.Reference("aml.csv"), "--time", "time", "--event", "event", "--covariates", "x", "--robust");
        Assert.True(robust.GetProperty("coefficients")[0].TryGetProperty("naiveStandardError", out _));
    }

    [Fact]
    public void Residuals_have_the_documented_shape_MatchesRSurvival()
    {
        string[] fit = ["analyze", "cox", "--data", TestData.Reference("aml.csv"), "--time", "time", "--event", "event", "--covariates", "x"];
        var martingale = Json([.. fit, "--residuals", "martingale"]).GetProperty("residuals");
        Assert.Equal("martingale", martingale.GetProperty("type").GetString());
        var expected = Reference("coxph.expected.json", "residuals", "aml_efron", "martingale").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var values = martingale.GetProperty("values").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            Close(expected[i], values[i], $"martingale {i}");
        }

        var schoenfeld = Json([.. fit, "--residuals", "schoenfeld"]).GetProperty("residuals");
        Assert.Equal(18, schoenfeld.GetProperty("values").GetArrayLength());
        Assert.Equal(JsonValueKind.Array, schoenfeld.GetProperty("values")[0].ValueKind);
        Assert.Equal(18, schoenfeld.GetProperty("times").GetArrayLength());
        var dfbeta = Json([.. fit, "--residuals", "dfbeta"]).GetProperty("residuals").GetProperty("values");
        Assert.Equal(23, dfbeta.GetArrayLength());
        Assert.Equal(1, dfbeta[0].GetArrayLength());
    }

    [Fact]
    public void Zph_adds_the_proportional_hazards_test_MatchesRSurvival()
    {
        var json = Json("analyze", "cox", "--data", TestData.Reference("veteran.csv"), "--time", "time", "--event", "event", "--covariates", "trt,karno,age,celltype", "--reference", "celltype=squamous", "--zph");
        var expected = Reference("veteran.expected.json", "cox", "efron", "cox_zph");
        var chisq = expected.GetProperty("chisq").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var ph = json.GetProperty("proportionalHazards");
        var terms = ph.GetProperty("terms");
        Assert.Equal(4, terms.GetArrayLength());
        for (var j = 0; j < 4; j++)
        {
            Assert.Equal(expected.GetProperty("term")[j].GetString(), terms[j].GetProperty("term").GetString());
            Close(chisq[j], terms[j].GetProperty("chisq").GetDouble(), "chisq " + j);
        }

        Close(chisq[4], ph.GetProperty("global").GetProperty("chisq").GetDouble(), "global");
        Assert.Equal(6, ph.GetProperty("global").GetProperty("df").GetInt32());
    }

    [Fact]
    public void Weights_and_no_timefix_reach_the_estimators_MatchesRSurvival()
    {
        var timefix = TestData.Reference("timefix.csv");
        string[] cox = ["analyze", "cox", "--data", timefix, "--time", "time", "--event", "event", "--covariates", "grp,z"];
        Close(Reference("coxph.expected.json", "timefix", "cox", "coef")[0].GetDouble(), Json(cox).GetProperty("coefficients")[0].GetProperty("coefficient").GetDouble(), "timefix");
        Close(Reference("coxph.expected.json", "timefix", "cox_no_timefix", "coef")[0].GetDouble(), Json([.. cox, "--no-timefix"]).GetProperty("coefficients")[0].GetProperty("coefficient").GetDouble(), "no timefix");
        string[] logrank = ["analyze", "logrank", "--data", timefix, "--time", "time", "--event", "event", "--group", "grp"];
        Close(Reference("coxph.expected.json", "timefix", "survdiff", "chisq").GetDouble(), Json(logrank).GetProperty("statistic").GetDouble(), "survdiff");
        Close(Reference("coxph.expected.json", "timefix", "survdiff_no_timefix", "chisq").GetDouble(), Json([.. logrank, "--no-timefix"]).GetProperty("statistic").GetDouble(), "survdiff no timefix");

        var path = VeteranWithColumns();
        try
        {
            var weighted = Json("analyze", "cox", "--data", path, "--time", "time", "--event", "event", "--covariates", "karno", "--weights", "w", "--strata", "celltype");
            Assert.Equal("robust", weighted.GetProperty("variance").GetString());
            var km = Json("analyze", "km", "--data", path, "--time", "time", "--event", "event", "--weights", "w");
            var unweighted = Json("analyze", "km", "--data", path, "--time", "time", "--event", "event");
            Assert.NotEqual(unweighted.GetProperty("curves")[0].GetProperty("table")[0].GetProperty("atRisk").GetDouble(), km.GetProperty("curves")[0].GetProperty("table")[0].GetProperty("atRisk").GetDouble());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Predict_adds_curves_with_limits_for_each_setting_MatchesRSurvival()
    {
        var json = Json("analyze", "cox", "--data", TestData.Reference("veteran.csv"), "--time", "time", "--event", "event", "--covariates", "trt,karno,age,celltype", "--reference", "celltype=squamous",
            "--predict", "trt=1,karno=60,age=50,celltype=adeno", "--predict", "trt=2,karno=80,age=65,celltype=squamous");
        var predictions = json.GetProperty("predictions");
        Assert.Equal(2, predictions.GetArrayLength());
        Assert.Equal("adeno", predictions[0].GetProperty("covariates").GetProperty("celltype").GetString());
        var expected = Reference("coxph.expected.json", "predictions", "veteran_efron");
        for (var r = 0; r < 2; r++)
        {
            foreach (var (key, name) in new[] { ("time", "time"), ("surv", "survival"), ("lower", "lower"), ("upper", "upper") })
            {
                var want = expected[r].GetProperty(key).EnumerateArray().Select(e => e.GetDouble()).ToArray();
                var got = predictions[r].GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();
                Assert.Equal(want.Length, got.Length);
                for (var i = 0; i < want.Length; i++)
                {
                    Close(want[i], got[i], $"{name} {r} {i}");
                }
            }
        }

        var (exit, _, error) = Run("analyze", "cox", "--data", TestData.Reference("aml.csv"), "--time", "time", "--event", "event", "--covariates", "x", "--predict", "x=Unknown");
        Assert.Equal(2, exit);
        Assert.Contains("has no level 'Unknown'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Offset_column_enters_the_linear_predictor_MatchesRSurvival()
    {
        var lines = File.ReadAllLines(TestData.Reference("veteran.csv"));
        var ageColumn = Array.IndexOf(lines[0].Split(','), "age");
        var path = Path.Combine(Path.GetTempPath(), "gistnb-offset-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllLines(path, [lines[0] + ",off", .. lines.Skip(1).Select(line => line + "," + (double.Parse(line.Split(',')[ageColumn], CultureInfo.InvariantCulture) / 50).ToString("R", CultureInfo.InvariantCulture))]);
        try
        {
            var json = Json("analyze", "cox", "--data", path, "--time", "time", "--event", "event", "--covariates", "karno,trt", "--offset", "off");
            var coef = Reference("coxph.expected.json", "offsets", "veteran_efron", "coef");
            Close(coef[0].GetDouble(), json.GetProperty("coefficients")[0].GetProperty("coefficient").GetDouble(), "karno");
            Close(coef[1].GetDouble(), json.GetProperty("coefficients")[1].GetProperty("coefficient").GetDouble(), "trt");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
