using System.Text.Json;
using static GistNotebooks.Cli.Tests.Gistnb;

namespace GistNotebooks.Cli.Tests.Commands;

/// <summary>
/// <c>gistnb analyze cox --anova</c> against R survival 3.5-3's <c>anova(coxph(~ trt + karno), coxph(~ trt + karno + age +
/// celltype))</c> on veteran (Reference/coxph.expected.json from data/reference/coxph.R), to 1e-8 relative; and the refusals.
/// </summary>
public sealed class CoxAnovaCommandTests
{
    private static readonly string Veteran = TestData.Reference("veteran.csv");

    private static void Close(double expected, double actual, string what)
        => Assert.True(Math.Abs(expected - actual) <= 1e-8 * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");

    [Fact]
    public void Anova_of_nested_fits_MatchesRSurvival()
    {
        var (exit, output, error) = Run("analyze", "cox", "--data", Veteran, "--time", "time", "--event", "event", "--covariates", "trt,karno,age,celltype", "--anova", "trt,karno", "--format", "json");
        Assert.True(exit == 0, error);
        var anova = JsonDocument.Parse(output).RootElement.GetProperty("anova");
        using var document = JsonDocument.Parse(File.ReadAllText(TestData.Reference("coxph.expected.json")));
        var expected = document.RootElement.GetProperty("anova");
        var loglik = expected.GetProperty("loglik").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(["trt", "karno"], anova.GetProperty("smaller").EnumerateArray().Select(e => e.GetString()));
        Close(loglik[0], anova.GetProperty("logLikelihood").GetProperty("smaller").GetDouble(), "loglik smaller");
        Close(loglik[1], anova.GetProperty("logLikelihood").GetProperty("larger").GetDouble(), "loglik larger");
        Close(expected.GetProperty("chisq").GetDouble(), anova.GetProperty("chisq").GetDouble(), "chisq");
        Assert.Equal(expected.GetProperty("df").GetInt32(), anova.GetProperty("df").GetInt32());
        Close(expected.GetProperty("p").GetDouble(), anova.GetProperty("p").GetDouble(), "p");
    }

    [Theory]
    [InlineData("trt,karno,age,celltype", "not all")]
    [InlineData("trt,sex", "not among them: sex")]
    public void Anova_with_terms_that_are_not_a_smaller_model_is_a_usage_error(string smaller, string expected)
    {
        var (exit, _, error) = Run("analyze", "cox", "--data", Veteran, "--time", "time", "--event", "event", "--covariates", "trt,karno,age,celltype", "--anova", smaller);
        Assert.Equal(2, exit);
        Assert.Contains("--anova", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Anova_when_the_larger_model_drops_rows_is_refused_as_R_refuses_it()
    {
        var path = Path.Combine(Path.GetTempPath(), "gistnb-anova-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllLines(path, ["time,event,x,z", "3,1,1,0.5", "5,0,0,", "7,1,1,0.2", "9,1,0,0.9", "11,0,1,0.4", "12,1,0,0.1"]);
        try
        {
            var (exit, _, error) = Run("analyze", "cox", "--data", path, "--time", "time", "--event", "event", "--covariates", "x,z", "--anova", "x");
            Assert.Equal(2, exit);
            Assert.Contains("R's anova refuses models fitted to different rows", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
