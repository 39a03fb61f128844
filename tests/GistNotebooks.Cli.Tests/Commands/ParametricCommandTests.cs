using System.Text.Json;
using static GistNotebooks.Cli.Tests.Gistnb;

namespace GistNotebooks.Cli.Tests.Commands;

/// <summary><c>gistnb analyze survreg</c>: the documented JSON keys, R's numbers (Reference/parametric.expected.json), text through the kit's renderer.</summary>
public sealed class ParametricCommandTests
{
    private static readonly JsonElement Expected =
        JsonDocument.Parse(File.ReadAllText(TestData.Reference("parametric.expected.json"))).RootElement.Clone();

    private static JsonElement Json(params string[] args)
    {
        var (exit, output, error) = Run([.. args, "--format", "json"]);
        Assert.True(exit == 0, error);
        return JsonDocument.Parse(output).RootElement;
    }

    private static string[] Keys(JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name)];

    [Theory]
    [InlineData("weibull")]
    [InlineData("exponential")]
    [InlineData("lognormal")]
    [InlineData("loglogistic")]
    [InlineData("gaussian")]
    [InlineData("logistic")]
    public void Survreg_json_matches_survreg_on_veteran(string dist)
    {
        var root = Json("analyze", "survreg", "--data", TestData.Reference("veteran.csv"), "--time", "time", "--event", "event",
            "--covariates", "trt,karno,age,celltype", "--reference", "celltype=squamous", "--dist", dist);
        var expected = Expected.GetProperty("survreg").EnumerateArray().Single(f => f.GetProperty("label").GetString() == "veteran" && f.GetProperty("dist").GetString() == dist);

        Assert.Equal(["schemaVersion", "distribution", "n", "events", "droppedRows", "converged", "iterations", "coefficients", "scale", "scaleFixed", "logLikelihood", "logLikelihoodInterceptOnly", "aic", "bic", "tests", "warnings"], Keys(root));
        Assert.Equal(["term", "coefficient", "standardError", "z", "p"], Keys(root.GetProperty("coefficients")[0]));
        Assert.Equal(dist, root.GetProperty("distribution").GetString());
        var coefficients = root.GetProperty("coefficients").EnumerateArray().ToDictionary(c => c.GetProperty("term").GetString()!);
        Assert.Equal("(Intercept)", root.GetProperty("coefficients")[0].GetProperty("term").GetString());
        var terms = expected.GetProperty("terms").EnumerateArray().Select(t => t.GetString()!).ToArray();
        Assert.Equal(terms.Length, coefficients.Count);
        for (var k = 0; k < terms.Length; k++)
        {
            Assert.Equal(expected.GetProperty("value")[k].GetDouble(), coefficients[terms[k]].GetProperty("coefficient").GetDouble(), 1e-8);
            Assert.Equal(expected.GetProperty("se")[k].GetDouble(), coefficients[terms[k]].GetProperty("standardError").GetDouble(), 1e-8);
        }

        Assert.Equal(expected.GetProperty("scale").GetDouble(), root.GetProperty("scale").GetDouble(), 1e-8);
        Assert.Equal(expected.GetProperty("loglik")[1].GetDouble(), root.GetProperty("logLikelihood").GetDouble(), 1e-7);
        Assert.Equal(expected.GetProperty("aic").GetDouble(), root.GetProperty("aic").GetDouble(), 1e-7);
        Assert.Equal(expected.GetProperty("lr_test").GetProperty("statistic").GetDouble(), root.GetProperty("tests").GetProperty("likelihoodRatio").GetProperty("statistic").GetDouble(), 1e-7);
    }

    [Fact]
    public void Survreg_text_is_R_s_summary_table()
    {
        var (exit, output, _) = Run("analyze", "survreg", "--data", TestData.Reference("lung.csv"), "--time", "time", "--event", "event", "--covariates", "age,sex,ph.ecog", "--reference", "ph.ecog=0");

        Assert.Equal(0, exit);
        Assert.StartsWith("Weibull accelerated failure time model (R's survreg)\nterm ", output, StringComparison.Ordinal);
        Assert.Matches(@"\nLog\(scale\) +-0\.315 +0\.06148 +-5\.123 +3\.01e-07\n", output);
        Assert.Contains("\nScale = 0.7298\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_distribution_and_a_zero_time_are_input_errors()
    {
        var (exit, _, error) = Run("analyze", "survreg", "--data", TestData.Reference("ovarian.csv"), "--time", "time", "--event", "event", "--covariates", "age", "--dist", "gompertz");
        Assert.NotEqual(0, exit);
        Assert.Contains("gompertz", error, StringComparison.Ordinal);

        var file = Path.Combine(Path.GetTempPath(), "gistnb-survreg-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(file, "time,event,x\n2,1,\n0,1,1\n3,0,2\n5,1,3\n");
        try
        {
            (exit, _, error) = Run("analyze", "survreg", "--data", file, "--time", "time", "--event", "event", "--covariates", "x");
            Assert.Equal(2, exit);

            // Row 1 is dropped for its missing x; the zero time is on data row 2 of the file.
            Assert.Contains(file + ", row 2", error, StringComparison.Ordinal);
            Assert.Contains("cannot be log-transformed", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
