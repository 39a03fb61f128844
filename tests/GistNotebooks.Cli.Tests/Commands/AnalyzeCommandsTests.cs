using System.Globalization;
using System.Text.Json;
using static GistNotebooks.Cli.Tests.Gistnb;

namespace GistNotebooks.Cli.Tests.Commands;

/// <summary><c>gistnb analyze km|logrank|cox|cif</c>: the documented JSON keys, R's numbers, and output that does not depend on the culture.</summary>
public class AnalyzeCommandsTests
{
    private static JsonElement Json(params string[] args)
    {
        var (exit, output, error) = Run([.. args, "--format", "json"]);
        Assert.True(exit == 0, error);
        Assert.DoesNotContain("NaN", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", output, StringComparison.Ordinal);
        return JsonDocument.Parse(output).RootElement;
    }

    private static string[] Keys(JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name)];

    [Fact]
    public void A_large_km_json_is_streamed_in_blocks_and_stays_one_valid_object()
    {
        // 3,000 distinct times give a table of about 1 MB of JSON: many blocks of 64 KB.
        var path = Path.Combine(Path.GetTempPath(), "gistnb-large-km-" + Guid.NewGuid().ToString("N") + ".csv");
        try
        {
            File.WriteAllLines(path, ["time,event", .. Enumerable.Range(1, 3000).Select(i => FormattableString.Invariant($"{i * 0.5},{(i % 3 == 0 ? 0 : 1)}"))]);
            var (exit, output, error) = Run("analyze", "km", "--data", path, "--time", "time", "--event", "event", "--format", "json");

            Assert.True(exit == 0, error);
            Assert.True(output.Length > 500_000, "the output should span many blocks");
            var table = JsonDocument.Parse(output).RootElement.GetProperty("curves")[0].GetProperty("table");
            Assert.Equal(3000, table.GetArrayLength());
            Assert.Equal(1500.0, table[2999].GetProperty("time").GetDouble());
            Assert.EndsWith("}" + Environment.NewLine, output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Km_json_has_the_documented_keys_and_R_values()
    {
        var root = Json("analyze", "km", "--data", TestData.Reference("aml.csv"), "--time", "time", "--event", "event", "--group", "x", "--times", "12,24", "--rmst-tau", "100");

        var curves = root.GetProperty("curves");
        Assert.Equal(["Maintained", "Nonmaintained"], curves.EnumerateArray().Select(c => c.GetProperty("group").GetString() ?? "<null>").ToArray());
        var first = curves[0];
        Assert.Equal(["group", "n", "events", "table", "median", "quartiles", "survivalAt", "rmst"], Keys(first));
        Assert.Equal(["time", "atRisk", "events", "censored", "survival", "standardError", "lower", "upper", "cumulativeHazard"], Keys(first.GetProperty("table")[0]));
        Assert.Equal(["probability", "estimate", "lower", "upper"], Keys(first.GetProperty("quartiles")[0]));
        Assert.Equal(["time", "atRisk", "survival", "standardError", "lower", "upper", "extrapolated"], Keys(first.GetProperty("survivalAt")[0]));
        Assert.Equal(["tau", "estimate", "standardError", "extrapolated"], Keys(first.GetProperty("rmst")));
        // survfit(Surv(time, status) ~ x, aml): Maintained median 31, upper limit not reached (NA → null).
        Assert.Equal(31, first.GetProperty("median").GetProperty("estimate").GetDouble());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("median").GetProperty("upper").ValueKind);
    }

    [Fact]
    public void Logrank_json_matches_survdiff()
    {
        var root = Json("analyze", "logrank", "--data", TestData.Reference("veteran.csv"), "--time", "time", "--event", "event", "--group", "trt");

        Assert.Equal(["schemaVersion", "statistic", "df", "p", "groups"], Keys(root));
        // survdiff(Surv(time, status) ~ trt, veteran): chisq 0.00822734320235077 on 1 df.
        Assert.Equal(0.00822734320235077, root.GetProperty("statistic").GetDouble(), 1e-12);
        Assert.Equal(["group", "n", "observed", "expected"], Keys(root.GetProperty("groups")[0]));
    }

    [Fact]
    public void Cox_json_matches_coxph_and_reports_an_infinite_coefficient_as_null()
    {
        var root = Json("analyze", "cox", "--data", TestData.Reference("veteran.csv"), "--time", "time", "--event", "event", "--covariates", "trt,karno,age,celltype", "--reference", "celltype=squamous");

        Assert.Equal(["schemaVersion", "n", "events", "droppedRows", "converged", "iterations", "coefficients", "logLikelihood", "tests", "concordance", "warnings"], Keys(root));
        Assert.Equal(["term", "coefficient", "standardError", "hazardRatio", "lower", "upper", "z", "p"], Keys(root.GetProperty("coefficients")[0]));
        Assert.Equal(-474.45779018484, root.GetProperty("logLikelihood").GetProperty("final").GetDouble(), 1e-8);

        var separated = Json("analyze", "cox", "--data", TestData.Reference("separation.csv"), "--time", "time", "--event", "event", "--covariates", "x", "--ties", "breslow");
        Assert.False(separated.GetProperty("converged").GetBoolean());
        Assert.Equal(JsonValueKind.Null, separated.GetProperty("coefficients")[0].GetProperty("coefficient").ValueKind);
        Assert.Contains("Firth", separated.GetProperty("warnings")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Cif_json_matches_cuminc()
    {
        var root = Json("analyze", "cif", "--data", TestData.Reference("crsynth.csv"), "--time", "time", "--status", "status", "--group", "group", "--times", "2,5");

        Assert.Equal(["schemaVersion", "curves", "grayTests"], Keys(root));
        Assert.Equal(["group", "cause", "points"], Keys(root.GetProperty("curves")[0]));
        Assert.Equal(["cause", "statistic", "df", "p"], Keys(root.GetProperty("grayTests")[0]));
    }

    // R: survfit(Surv(time, factor(status)) ~ group, data = crweights, weights = weight) (cifweights.R): pstate and
    // std.err at every time of every curve, to 1e-6 relative; Gray's test has no weighted form and is left out.
    [Fact]
    public void Cif_with_weights_json_MatchesRSurvival()
    {
        var root = Json("analyze", "cif", "--data", TestData.Reference("crweights.csv"), "--time", "time", "--status", "status", "--group", "group", "--weights", "weight");
        using var document = JsonDocument.Parse(File.ReadAllText(TestData.Reference("cifweights.expected.json")));
        var expected = document.RootElement.GetProperty("by_group").EnumerateArray().ToArray();
        var curves = root.GetProperty("curves").EnumerateArray().ToArray();
        Assert.Equal(0, root.GetProperty("grayTests").GetArrayLength());
        Assert.Equal(expected.Length, curves.Length);
        for (var c = 0; c < curves.Length; c++)
        {
            Assert.Equal(expected[c].GetProperty("group").GetString(), curves[c].GetProperty("group").GetString());
            Assert.Equal(expected[c].GetProperty("cause").GetString(), curves[c].GetProperty("cause").GetString());
            var points = curves[c].GetProperty("points").EnumerateArray().ToArray();
            var estimates = expected[c].GetProperty("estimate").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var errors = expected[c].GetProperty("std_err").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.Equal(estimates.Length, points.Length);
            for (var i = 0; i < points.Length; i++)
            {
                Assert.Equal(estimates[i], points[i].GetProperty("estimate").GetDouble(), 1e-6 * estimates[i] + 1e-14);
                Assert.Equal(errors[i], Math.Sqrt(points[i].GetProperty("variance").GetDouble()), 1e-6 * errors[i] + 1e-14);
            }
        }
    }

    [Fact]
    public void Cif_refuses_a_negative_weight_naming_the_file_row_and_column()
    {
        var path = Path.Combine(Path.GetTempPath(), "gistnb-cif-weights-" + Guid.NewGuid().ToString("N") + ".csv");
        try
        {
            File.WriteAllLines(path, ["time,status,w", "1,1,1", "2,2,-0.5", "3,0,1"]);
            var (exit, _, error) = Run("analyze", "cif", "--data", path, "--time", "time", "--status", "status", "--weights", "w");
            Assert.Equal(2, exit);
            Assert.Contains("row 2, column 'w': expected a finite weight of zero or more, found -0.5", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Text_output_is_the_notebooks_table_with_the_kits_p_value_format()
    {
        var (exit, output, _) = Run("analyze", "logrank", "--data", TestData.Reference("veteran.csv"), "--time", "time", "--event", "event", "--group", "trt");

        // survdiff(Surv(time, status) ~ trt, veteran): p = 0.928 (format.pval(0.9277, digits = 3)).
        Assert.Equal(0, exit);
        Assert.Equal(
            "Log-rank test\ngroup   N  observed  expected  (O−E)²/E  (O−E)²/V\n-----  --  --------  --------  --------  --------\n"
            + "    1  69        64      64.5  0.003879  0.008227\n    2  68        64      63.5   0.00394  0.008227\n"
            + "Chisq = 0.008227 on 1 degrees of freedom, p = 0.928\n",
            output);

        var (_, cox, _) = Run("analyze", "cox", "--data", TestData.Reference("veteran.csv"), "--time", "time", "--event", "event", "--covariates", "trt,karno");
        Assert.Matches(@"\nkarno +-0\.03\d+ .* [0-9.]+e-\d\d ", cox);
    }

    [Fact]
    public void Results_do_not_depend_on_the_current_culture()
    {
        string Output()
        {
            var (_, output, _) = Run("analyze", "cox", "--data", TestData.Reference("ovarian.csv"), "--time", "time", "--event", "event", "--covariates", "age,ecog.ps,rx", "--format", "json");
            return output;
        }

        var invariant = Output();
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal(invariant, Output());
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
