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

    [Fact]
    public void Start_with_an_option_the_counting_process_fit_lacks_is_a_usage_error()
    {
        var (exit, _, error) = Run(["analyze", "cox", "--data", Heart, "--start", "start", "--time", "stop", "--event", "event", "--covariates", "age,transplant", "--zph"]);
        Assert.NotEqual(0, exit);
        Assert.Contains("--start cannot be combined with --zph", error, StringComparison.Ordinal);
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
}
