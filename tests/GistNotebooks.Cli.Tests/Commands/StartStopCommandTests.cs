using System.Text.Json;
using static GistNotebooks.Cli.Tests.Gistnb;

namespace GistNotebooks.Cli.Tests.Commands;

/// <summary>
/// <c>gistnb analyze cox|km --start</c> on counting-process (start, stop] data, against R survival 3.5-3 on the heart
/// transplant data (Reference/startstop.expected.json and heart.csv from data/reference/startstop.R).
/// </summary>
public sealed class StartStopCommandTests
{
    private static readonly string Heart = TestData.Reference("heart.csv");

    private static JsonElement Json(params string[] args)
    {
        var (exit, output, error) = Run([.. args, "--format", "json"]);
        Assert.True(exit == 0, error);
        return JsonDocument.Parse(output).RootElement;
    }

    private static JsonElement Expected(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(TestData.Reference("startstop.expected.json")));
        return document.RootElement.GetProperty(name).Clone();
    }

    private static void Close(double expected, double actual, string what)
        => Assert.True(Math.Abs(expected - actual) <= 1e-8 * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");

    [Theory]
    [InlineData("efron", "heart_efron")]
    [InlineData("breslow", "heart_breslow")]
    public void Cox_with_start_fits_the_time_dependent_transplant_covariate_MatchesRSurvival(string ties, string name)
    {
        var json = Json("analyze", "cox", "--data", Heart, "--start", "start", "--time", "stop", "--event", "event", "--covariates", "age,year,surgery,transplant", "--ties", ties);
        var expected = Expected(name);
        var terms = expected.GetProperty("terms").EnumerateArray().Select(t => t.GetString()).ToList();
        var coef = expected.GetProperty("coef").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var se = expected.GetProperty("se").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var coefficients = json.GetProperty("coefficients").EnumerateArray().ToList();
        Assert.Equal(terms.Count, coefficients.Count);
        foreach (var coefficient in coefficients)
        {
            var j = terms.IndexOf(coefficient.GetProperty("term").GetString());
            Close(coef[j], coefficient.GetProperty("coefficient").GetDouble(), "coef " + terms[j]);
            Close(se[j], coefficient.GetProperty("standardError").GetDouble(), "se " + terms[j]);
        }
    }

    [Fact]
    public void Km_with_start_uses_the_delayed_entry_risk_sets_MatchesRSurvival()
    {
        var json = Json("analyze", "km", "--data", Heart, "--start", "start", "--time", "stop", "--event", "event");
        var expected = Expected("km");
        var surv = expected.GetProperty("surv").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var risk = expected.GetProperty("n_risk").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var table = json.GetProperty("curves")[0].GetProperty("table").EnumerateArray().ToList();
        Assert.Equal(surv.Length, table.Count);
        for (var i = 0; i < surv.Length; i++)
        {
            Close(surv[i], table[i].GetProperty("survival").GetDouble(), $"survival {i}");
            Close(risk[i], table[i].GetProperty("atRisk").GetDouble(), $"at risk {i}");
        }
    }

    /// <summary>
    /// Weights 0.5, 1.25, 2 in turn (a copy of heart.csv with an fw column): the infinitesimal-jackknife variance, whose
    /// standard error survfit keeps on the survival scale, and the limits built from it.
    /// </summary>
    [Fact]
    public void Km_with_start_and_fractional_weights_gives_the_jackknife_variance_MatchesRSurvival()
    {
        var path = Path.Combine(Path.GetTempPath(), "gistnb-heart-fw-" + Guid.NewGuid().ToString("N") + ".csv");
        var lines = File.ReadAllLines(Heart);
        double[] weights = [0.5, 1.25, 2];
        File.WriteAllLines(path, [lines[0] + ",fw", .. lines.Skip(1).Select((line, i) => line + "," + weights[i % 3].ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        try
        {
            var json = Json("analyze", "km", "--data", path, "--start", "start", "--time", "stop", "--event", "event", "--weights", "fw");
            var expected = Expected("km_fractional");
            var table = json.GetProperty("curves")[0].GetProperty("table").EnumerateArray().ToList();
            var surv = expected.GetProperty("surv").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var se = expected.GetProperty("std_err_log").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var lower = expected.GetProperty("lower").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.Equal(surv.Length, table.Count);
            for (var i = 0; i < surv.Length; i++)
            {
                Close(surv[i], table[i].GetProperty("survival").GetDouble(), $"survival {i}");
                Close(se[i], table[i].GetProperty("standardError").GetDouble(), $"std.err {i}");
                Close(lower[i], table[i].GetProperty("lower").GetDouble(), $"lower {i}");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Start_with_an_option_the_counting_process_fit_lacks_is_a_usage_error()
    {
        var (exit, _, error) = Run(["analyze", "cox", "--data", Heart, "--start", "start", "--time", "stop", "--event", "event", "--covariates", "age,transplant", "--firth"]);
        Assert.NotEqual(0, exit);
        Assert.Contains("--start cannot be combined with --firth", error, StringComparison.Ordinal);
    }

    /// <summary>--zph with --start: cox.zph(coxph(Surv(start, stop, event) ~ ...))$table, Efron and Breslow ties, to 1e-6 relative.</summary>
    [Theory]
    [InlineData("efron", "zph_efron")]
    [InlineData("breslow", "zph_breslow")]
    public void Cox_with_start_and_zph_MatchesRSurvival(string ties, string name)
    {
        var json = Json("analyze", "cox", "--data", Heart, "--start", "start", "--time", "stop", "--event", "event", "--covariates", "age,year,surgery,transplant", "--ties", ties, "--zph");
        var expected = Expected(name);
        var terms = expected.GetProperty("term").EnumerateArray().Select(t => t.GetString()).ToList();
        var chisq = expected.GetProperty("chisq").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var p = expected.GetProperty("p").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var test = json.GetProperty("proportionalHazards");
        var actual = test.GetProperty("terms").EnumerateArray().ToList();
        Assert.Equal(terms.Count - 1, actual.Count);
        for (var i = 0; i < actual.Count; i++)
        {
            Assert.Equal(terms[i], actual[i].GetProperty("term").GetString());
            Assert.True(Math.Abs(chisq[i] - actual[i].GetProperty("chisq").GetDouble()) <= 1e-6 * chisq[i], $"{terms[i]} chisq");
            Assert.True(Math.Abs(p[i] - actual[i].GetProperty("p").GetDouble()) <= 1e-6 * p[i], $"{terms[i]} p");
        }

        var global = test.GetProperty("global");
        Assert.True(Math.Abs(chisq[^1] - global.GetProperty("chisq").GetDouble()) <= 1e-6 * chisq[^1], "global chisq");
        Assert.Equal(4, global.GetProperty("df").GetInt32());
    }

    /// <summary>R's survdiff refuses (start, stop] data ("Right censored data only"); so does the log-rank command, naming the alternative.</summary>
    [Fact]
    public void Logrank_with_start_is_refused_as_survdiff_refuses_it()
    {
        var (exit, output, error) = Run(["analyze", "logrank", "--data", Heart, "--start", "start", "--time", "stop", "--event", "event", "--group", "surgery"]);
        Assert.NotEqual(0, exit);
        Assert.Empty(output);
        Assert.Contains("--start: the log-rank test is not defined here for counting-process (start, stop] data", error, StringComparison.Ordinal);
        Assert.Contains("analyze cox --start", error, StringComparison.Ordinal);
    }

    /// <summary>--cluster id on (start, stop] rows: standardError from R's fit$var, naiveStandardError from fit$naive.var.</summary>
    [Fact]
    public void Cox_with_start_and_cluster_reports_the_robust_variance_MatchesRSurvival()
    {
        var json = Json("analyze", "cox", "--data", Heart, "--start", "start", "--time", "stop", "--event", "event", "--covariates", "age,year,surgery,transplant", "--cluster", "id");
        var expected = Expected("heart_cluster_efron");
        var se = expected.GetProperty("se").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var naive = expected.GetProperty("naive_var").EnumerateArray().Select((row, j) => Math.Sqrt(row[j].GetDouble())).ToArray();
        var coefficients = json.GetProperty("coefficients").EnumerateArray().ToList();
        for (var j = 0; j < se.Length; j++)
        {
            Close(se[j], coefficients[j].GetProperty("standardError").GetDouble(), $"se {j}");
            Close(naive[j], coefficients[j].GetProperty("naiveStandardError").GetDouble(), $"naive se {j}");
        }

        Assert.Equal("robust", json.GetProperty("variance").GetString());
        Assert.Equal(103, json.GetProperty("clusters").GetInt32());

        // The concordance and its standard error, the influences summed within subjects as coxph's concordancefit.
        var concordance = expected.GetProperty("concordance").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Close(concordance[0], json.GetProperty("concordance").GetProperty("estimate").GetDouble(), "concordance");
        Close(concordance[1], json.GetProperty("concordance").GetProperty("standardError").GetDouble(), "concordance se");
    }

    /// <summary>--residuals with --start: one value per (start, stop] row, as residuals.coxph.</summary>
    [Fact]
    public void Cox_with_start_and_martingale_residuals_MatchesRSurvival()
    {
        var json = Json("analyze", "cox", "--data", Heart, "--start", "start", "--time", "stop", "--event", "event", "--covariates", "age,year,surgery,transplant", "--residuals", "martingale");
        var expected = Expected("residuals_efron").GetProperty("martingale").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var values = json.GetProperty("residuals").GetProperty("values").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - values[i]) <= 1e-8 * Math.Max(Math.Abs(expected[i]), 1e-3), $"martingale {i}: expected {expected[i]:R}, got {values[i]:R}");
        }
    }

    /// <summary>R: robust = TRUE on (start, stop] data without cluster or id stops with "one of cluster or id is needed".</summary>
    [Fact]
    public void Cox_with_start_and_robust_but_no_cluster_is_a_usage_error()
    {
        var (exit, _, error) = Run(["analyze", "cox", "--data", Heart, "--start", "start", "--time", "stop", "--event", "event", "--covariates", "age,transplant", "--robust"]);
        Assert.NotEqual(0, exit);
        Assert.Contains("--start: The robust variance of counting-process (start, stop] data needs clusters", error, StringComparison.Ordinal);
    }

    /// <summary>--predict with --start: survfit(fit, newdata) on the (start, stop] fit, at every distinct stop time.</summary>
    [Fact]
    public void Cox_with_start_and_predict_gives_survfit_coxph_MatchesRSurvival()
    {
        var json = Json("analyze", "cox", "--data", Heart, "--start", "start", "--time", "stop", "--event", "event", "--covariates", "age,year,surgery,transplant", "--predict", "age=-5,year=3,surgery=1,transplant=1");
        var expected = Expected("predict_efron");
        var prediction = Assert.Single(json.GetProperty("predictions").EnumerateArray());
        foreach (var (key, name) in new[] { ("time", "time"), ("surv", "survival"), ("lower", "lower"), ("upper", "upper") })
        {
            var reference = expected.GetProperty(key).EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var values = prediction.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.Equal(reference.Length, values.Length);
            for (var i = 0; i < reference.Length; i++)
            {
                Close(reference[i], values[i], $"{name} {i}");
            }
        }
    }
}
