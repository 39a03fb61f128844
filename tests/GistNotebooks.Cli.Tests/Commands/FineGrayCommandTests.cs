using System.Text.Json;
using static GistNotebooks.Cli.Tests.Gistnb;

namespace GistNotebooks.Cli.Tests.Commands;

/// <summary><c>gistnb analyze finegray</c>: the documented JSON keys, cmprsk's numbers (Reference/parametric.expected.json), dropped rows, input errors.</summary>
public sealed class FineGrayCommandTests
{
    private static readonly JsonElement Expected =
        JsonDocument.Parse(File.ReadAllText(TestData.Reference("parametric.expected.json"))).RootElement.Clone();

    private static string[] Keys(JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name)];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Finegray_json_matches_crr(int cause)
    {
        var (exit, output, error) = Run("analyze", "finegray", "--data", TestData.Reference("crcov.csv"), "--time", "time", "--status", "status",
            "--covariates", "x1,x2,x3", "--cause", cause.ToString(System.Globalization.CultureInfo.InvariantCulture), "--format", "json");
        Assert.True(exit == 0, error);
        var root = JsonDocument.Parse(output).RootElement;
        var expected = Expected.GetProperty("crr").EnumerateArray().Single(f => f.GetProperty("label").GetString() == $"crcov cause {cause}");

        Assert.Equal(["schemaVersion", "cause", "n", "events", "competingEvents", "droppedRows", "converged", "iterations", "coefficients", "logPseudoLikelihood", "tests", "warnings"], Keys(root));
        Assert.Equal(["term", "coefficient", "standardError", "hazardRatio", "lower", "upper", "z", "p"], Keys(root.GetProperty("coefficients")[0]));
        Assert.Equal(cause, root.GetProperty("cause").GetInt32());
        var coefficients = root.GetProperty("coefficients");
        for (var k = 0; k < coefficients.GetArrayLength(); k++)
        {
            Assert.Equal(expected.GetProperty("terms")[k].GetString(), coefficients[k].GetProperty("term").GetString());
            Assert.Equal(expected.GetProperty("coef")[k].GetDouble(), coefficients[k].GetProperty("coefficient").GetDouble(), 1e-9);
            Assert.Equal(expected.GetProperty("se")[k].GetDouble(), coefficients[k].GetProperty("standardError").GetDouble(), 1e-9);
        }

        Assert.Equal(expected.GetProperty("loglik").GetDouble(), root.GetProperty("logPseudoLikelihood").GetProperty("final").GetDouble(), 1e-8);
    }

    [Fact]
    public void Rows_with_a_missing_covariate_are_dropped_and_the_cause_codes_stay_aligned()
    {
        var file = Path.Combine(Path.GetTempPath(), "gistnb-finegray-" + Guid.NewGuid().ToString("N") + ".csv");
        var lines = File.ReadAllLines(TestData.Reference("crcov.csv"));
        var header = lines[0].Split(',');
        var x1 = Array.IndexOf(header, "x1");

        // Blank x1 on data rows 3 and 10: the fit must equal crr on the other rows, whose causes stay with their rows.
        var edited = lines.Select((line, i) => i is 3 or 10 ? string.Join(',', line.Split(',').Select((cell, j) => j == x1 ? string.Empty : cell)) : line);
        File.WriteAllLines(file, edited);
        try
        {
            var (exit, output, error) = Run("analyze", "finegray", "--data", file, "--time", "time", "--status", "status", "--covariates", "x1,x3", "--format", "json");
            Assert.True(exit == 0, error);
            var root = JsonDocument.Parse(output).RootElement;
            Assert.Equal([3, 10], root.GetProperty("droppedRows").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal(298, root.GetProperty("n").GetInt32());
            var kept = lines.Skip(1).Where((_, i) => i + 1 is not (3 or 10)).Select(l => l.Split(',')[Array.IndexOf(header, "status")]).ToArray();
            Assert.Equal(kept.Count(s => s == "1"), root.GetProperty("events").GetInt32());
            Assert.Equal(kept.Count(s => s == "2"), root.GetProperty("competingEvents").GetInt32());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void After_a_blank_line_the_dropped_rows_are_matched_by_their_line_not_their_index()
    {
        var lines = File.ReadAllLines(TestData.Reference("crcov.csv"));
        var x1 = Array.IndexOf(lines[0].Split(','), "x1");
        string Blanked(string line) => string.Join(',', line.Split(',').Select((cell, j) => j == x1 ? string.Empty : cell));

        // A blank line after data row 1 makes data rows 3 and 10 the file's rows 4 and 11 (blank lines are counted).
        var withBlank = Path.Combine(Path.GetTempPath(), "gistnb-finegray-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllLines(withBlank, [lines[0], lines[1], string.Empty, .. lines.Skip(2).Select((line, i) => i + 2 is 3 or 10 ? Blanked(line) : line)]);
        var withoutRows = Path.Combine(Path.GetTempPath(), "gistnb-finegray-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllLines(withoutRows, lines.Where((_, i) => i is not (3 or 10)));
        try
        {
            string[] Fit(string file) => ["analyze", "finegray", "--data", file, "--time", "time", "--status", "status", "--covariates", "x1,x3", "--format", "json"];
            var (exit, output, error) = Run(Fit(withBlank));
            Assert.True(exit == 0, error);
            var (_, expectedOutput, _) = Run(Fit(withoutRows));
            var actual = JsonDocument.Parse(output).RootElement;
            var expected = JsonDocument.Parse(expectedOutput).RootElement;

            Assert.Equal([4, 11], actual.GetProperty("droppedRows").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal(expected.GetProperty("events").GetInt32(), actual.GetProperty("events").GetInt32());
            Assert.Equal(expected.GetProperty("competingEvents").GetInt32(), actual.GetProperty("competingEvents").GetInt32());
            Assert.Equal(
                expected.GetProperty("coefficients").EnumerateArray().Select(c => c.GetProperty("coefficient").GetDouble()),
                actual.GetProperty("coefficients").EnumerateArray().Select(c => c.GetProperty("coefficient").GetDouble()));
        }
        finally
        {
            File.Delete(withBlank);
            File.Delete(withoutRows);
        }
    }

    [Fact]
    public void A_cause_that_does_not_occur_is_an_input_error_naming_the_file()
    {
        var (exit, _, error) = Run("analyze", "finegray", "--data", TestData.Reference("crsynth.csv"), "--time", "time", "--status", "status", "--covariates", "group", "--cause", "3");
        Assert.Equal(2, exit);
        Assert.Contains("crsynth.csv", error, StringComparison.Ordinal);
        Assert.Contains("no events of cause 3", error, StringComparison.Ordinal);

        var (text, output, _) = Run("analyze", "finegray", "--data", TestData.Reference("crsynth.csv"), "--time", "time", "--status", "status", "--covariates", "group");
        Assert.Equal(0, text);
        Assert.StartsWith("Competing risks regression (Fine–Gray) for cause 1, as cmprsk::crr\n", output, StringComparison.Ordinal);
    }
}
