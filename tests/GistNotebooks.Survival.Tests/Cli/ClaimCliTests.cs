using System.Globalization;
using System.Text.Json;
using GistNotebooks.Cli;

namespace GistNotebooks.Survival.Tests.Cli;

public sealed class ClaimCliTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "gistnb-claims-" + Guid.NewGuid().ToString("N"));

    public ClaimCliTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var exit = CliApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Reconstruct_writes_nothing_and_exits_1_naming_a_claim_no_cohort_passes()
    {
        // S(1) = 83.3% = 5/6 makes the first patient die with all six at risk, so the log-rank test always compares
        // something; no p-value reaches 1.5, so every drawn cohort fails A3. Nothing may be written.
        var claims = Write("impossible-predictor.json", """
            { "study": { "id": "p", "citation": "-", "timeUnit": "months", "timeColumn": "months", "eventColumn": "dead" },
              "claims": [
                { "id": "A1", "kind": "cohortSize", "description": "6 patients", "sentence": "-", "count": 6 },
                { "id": "A2", "kind": "categoryCounts", "description": "sex", "sentence": "-", "column": "sex", "counts": { "female": 3, "male": 3 } },
                { "id": "A4", "kind": "survivalAt", "description": "S(1)", "sentence": "-", "time": 1, "percent": { "value": 83.3, "decimals": 1 } },
                { "id": "A3", "kind": "noSignificantPredictor", "description": "sex", "sentence": "-", "alpha": 1.5,
                  "predictors": [ { "column": "sex", "level": "female", "label": "female vs male" } ] } ] }
            """);
        var output = Path.Combine(folder, "out");

        var (exit, _, error) = Run("reconstruct", "--claims", claims, "--out", output);

        Assert.Equal(1, exit);
        Assert.Contains("claim A3 fails", error, StringComparison.Ordinal);
        Assert.Contains("nothing written", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Reconstruct_draws_under_the_default_reading_or_the_one_named()
    {
        var whole = Path.Combine(folder, "whole");
        var tenth = Path.Combine(folder, "tenth");

        var (exitWhole, outputWhole, _) = Run("reconstruct", "--claims", TestData.NunobeClaims, "--out", whole);
        var (exitTenth, outputTenth, _) = Run("reconstruct", "--claims", TestData.NunobeClaims, "--reading", "tenth-month", "--out", tenth);

        Assert.Equal(0, exitWhole);
        Assert.Equal(0, exitTenth);
        Assert.Contains("16 death/censoring sequences agree with C06, C07, C08, C11 (reading whole-month)", outputWhole, StringComparison.Ordinal);
        Assert.Contains("24 death/censoring sequences agree with C06, C07, C08, C11 (reading tenth-month)", outputTenth, StringComparison.Ordinal);
        Assert.Equal("whole-month", JsonDocument.Parse(File.ReadAllText(Path.Combine(whole, "cohort.json"))).RootElement.GetProperty("reading").GetString());

        // Whole months are written as whole numbers; tenths with one decimal.
        var wholeTimes = File.ReadAllLines(Path.Combine(whole, "cohort.csv")).Skip(1).Select(l => l.Split(',')[7]).ToList();
        Assert.All(wholeTimes, t => Assert.DoesNotContain(".", t, StringComparison.Ordinal));
        Assert.All(File.ReadAllLines(Path.Combine(tenth, "cohort.csv")).Skip(1).Select(l => l.Split(',')[7]), t => Assert.Matches(@"^\d+\.\d$", t));
    }

    [Fact]
    public void Check_takes_a_reading_and_an_unknown_reading_is_a_one_line_input_error()
    {
        var (exit, output, _) = Run("check", "--claims", TestData.NunobeClaims, "--cohort", TestData.NunobeCohort, "--reading", "at-least-5-years");
        var (badExit, _, error) = Run("check", "--claims", TestData.NunobeClaims, "--cohort", TestData.NunobeCohort, "--reading", "decades");

        Assert.Equal(0, exit);
        Assert.Contains("12 of 12 claims pass.", output, StringComparison.Ordinal);
        Assert.Equal(2, badExit);
        Assert.Equal("gistnb: nunobe2005: no reading 'decades'; the claims file defines whole-month, tenth-month, at-least-5-years, each-site" + Environment.NewLine, error);
    }
}
