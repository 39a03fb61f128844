using System.Text.Json;
using static GistNotebooks.Cli.Tests.Gistnb;

namespace GistNotebooks.Cli.Tests.Commands;

/// <summary>
/// <c>gistnb analyze concordance</c> against R survival 3.5-3's <c>concordance()</c> (Reference/coxph.expected.json from
/// data/reference/coxph.R): the estimate, its infinitesimal-jackknife standard error and the five pair counts, to 1e-8 relative.
/// </summary>
public sealed class ConcordanceCommandTests
{
    private static JsonElement Expected(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(TestData.Reference("coxph.expected.json")));
        return document.RootElement.GetProperty("concordance").GetProperty(name).Clone();
    }

    private static void Close(double expected, double actual, string what)
        => Assert.True(Math.Abs(expected - actual) <= 1e-8 * Math.Max(Math.Abs(expected), 1e-300), $"{what}: expected {expected:R}, got {actual:R}");

    [Theory]
    [InlineData("veteran_karno", "veteran.csv", "karno", false, null)]
    [InlineData("veteran_karno_reverse", "veteran.csv", "karno", true, null)]
    [InlineData("ovarian_age_strata", "ovarian.csv", "age", false, "rx")]
    public void Concordance_of_a_column_MatchesRSurvival(string name, string file, string predictor, bool reverse, string? strata)
    {
        string[] args = ["analyze", "concordance", "--data", TestData.Reference(file), "--time", "time", "--event", "event", "--predictor", predictor, "--format", "json"];
        if (reverse)
        {
            args = [.. args, "--reverse"];
        }

        if (strata is not null)
        {
            args = [.. args, "--strata", strata];
        }

        var (exit, output, error) = Run(args);
        Assert.True(exit == 0, error);
        var json = JsonDocument.Parse(output).RootElement;
        var expected = Expected(name);
        Close(expected.GetProperty("concordance").GetDouble(), json.GetProperty("estimate").GetDouble(), "concordance");
        Close(expected.GetProperty("se").GetDouble(), json.GetProperty("standardError").GetDouble(), "se");

        // R gives one row of counts per stratum; the pairs add over strata.
        var counts = expected.GetProperty("count");
        double Count(int k) => counts[0].ValueKind == JsonValueKind.Array ? counts.EnumerateArray().Sum(row => row[k].GetDouble()) : counts[k].GetDouble();
        var pairs = json.GetProperty("pairs");
        string[] keys = ["concordant", "discordant", "tiedPredictor", "tiedTime", "tiedBoth"];
        for (var k = 0; k < keys.Length; k++)
        {
            Assert.Equal(Count(k), pairs.GetProperty(keys[k]).GetDouble(), 9);
        }
    }

    [Fact]
    public void A_predictor_that_is_not_a_number_names_the_row_and_column()
    {
        var path = Path.Combine(Path.GetTempPath(), "gistnb-concordance-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllLines(path, ["time,event,score", "3,1,0.5", "5,0,high", "7,1,0.2"]);
        try
        {
            var (exit, _, error) = Run("analyze", "concordance", "--data", path, "--time", "time", "--event", "event", "--predictor", "score");
            Assert.Equal(2, exit);
            Assert.Contains("score", error, StringComparison.Ordinal);
            Assert.Contains("row 2", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Text_output_gives_the_estimate_and_its_standard_error()
    {
        var (exit, output, error) = Run("analyze", "concordance", "--data", TestData.Reference("veteran.csv"), "--time", "time", "--event", "event", "--predictor", "karno");
        Assert.True(exit == 0, error);
        Assert.Contains("C = 0.70928 (se 0.0225587)", output, StringComparison.Ordinal);
    }
}
