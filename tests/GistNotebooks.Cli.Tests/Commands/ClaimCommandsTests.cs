using System.Text.Json;
using static GistNotebooks.Cli.Tests.Gistnb;

namespace GistNotebooks.Cli.Tests.Commands;

/// <summary><c>gistnb check</c> and <c>gistnb reconstruct</c>: the shipped cohort against its paper's claims, and the files a reconstruction writes.</summary>
public sealed class ClaimCommandsTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("gistnb-claims-");

    public void Dispose() => folder.Delete(recursive: true);

    private static string[] Keys(JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name)];

    private static string[] FileNames(string directory) =>
        [.. Directory.GetFiles(directory).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Fact]
    public void Check_passes_the_shipped_cohort_and_exits_zero()
    {
        var (exit, output, _) = Run("check", "--claims", TestData.NunobeClaims, "--cohort", TestData.NunobeCohort);

        Assert.Equal(0, exit);
        Assert.Contains("12 of 12 claims pass ✓", output, StringComparison.Ordinal);
        Assert.Matches(@"\nC06 +63\.7% +63\.73% +✓ pass +searched\n", output);
        Assert.Contains("12 of 12 claims consistent: 7 assigned, 4 searched, 1 redrawn", output, StringComparison.Ordinal);
        // Long cells are cut for the terminal; --format json carries them whole.
        Assert.All(output.Split('\n'), line => Assert.True(line.Length <= 5 + 2 + 48 + 2 + 48 + 2 + 6 + 2 + 8, line));
        Assert.Contains("…", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_json_is_the_claim_records_in_full()
    {
        var (exit, output, _) = Run("check", "--claims", TestData.NunobeClaims, "--cohort", TestData.NunobeCohort, "--format", "json");

        Assert.Equal(0, exit);
        var claims = JsonDocument.Parse(output).RootElement.GetProperty("claims");
        Assert.Equal(12, claims.GetArrayLength());
        Assert.Equal(["id", "description", "reported", "reproduced", "status", "basis"], Keys(claims[11]));
        Assert.Equal("redrawn", claims[11].GetProperty("basis").GetString());
        Assert.StartsWith("primary site: stomach vs other: p = ", claims[11].GetProperty("reproduced").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("…", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Reconstruct_creates_the_folder_and_writes_the_shipped_cohort_and_its_provenance_and_nothing_else()
    {
        var outFolder = Path.Combine(folder.FullName, "new", "out");

        var (exit, output, error) = Run("reconstruct", "--claims", TestData.NunobeClaims, "--out", outFolder);

        Assert.True(exit == 0, error);
        Assert.Contains("12 of 12 claims pass ✓", output, StringComparison.Ordinal);
        Assert.Contains($"Wrote 2 files to {outFolder}.", output, StringComparison.Ordinal);
        // No temporary file is left beside them (GetFiles lists the hidden ".name.*.tmp" too).
        Assert.Equal(["cohort.csv", "cohort.json"], FileNames(outFolder));
        Assert.Equal(File.ReadAllText(TestData.NunobeCohort), File.ReadAllText(Path.Combine(outFolder, "cohort.csv")));
        var shippedProvenance = Path.Combine(Path.GetDirectoryName(TestData.NunobeCohort)!, "cohort.json");
        Assert.Equal(File.ReadAllText(shippedProvenance), File.ReadAllText(Path.Combine(outFolder, "cohort.json")));
    }

    [Fact]
    public void Reconstruct_of_an_ensemble_writes_every_cohort_the_provenance_and_the_ensemble_summary()
    {
        var outFolder = folder.FullName;
        File.WriteAllText(Path.Combine(outFolder, "cohort.csv"), "an older file, replaced whole\n");

        var (exit, output, error) = Run("reconstruct", "--claims", TestData.NunobeClaims, "--seed", "7", "--count", "3", "--out", outFolder);

        Assert.True(exit == 0, error);
        Assert.Contains($"Wrote 6 files to {outFolder}.", output, StringComparison.Ordinal);
        Assert.Equal(["cohort-0001.csv", "cohort-0002.csv", "cohort-0003.csv", "cohort.csv", "cohort.json", "ensemble.json"], FileNames(outFolder));
        Assert.Equal(File.ReadAllText(Path.Combine(outFolder, "cohort-0001.csv")), File.ReadAllText(Path.Combine(outFolder, "cohort.csv")));
        Assert.StartsWith("patient,", File.ReadAllText(Path.Combine(outFolder, "cohort-0003.csv")), StringComparison.Ordinal);
        Assert.Contains("\"cohorts\": 3", File.ReadAllText(Path.Combine(outFolder, "ensemble.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Reconstruct_into_a_path_that_is_a_file_is_a_one_line_input_error_naming_the_path()
    {
        var notAFolder = Path.Combine(folder.FullName, "a-file");
        File.WriteAllText(notAFolder, "not a folder");

        var (exit, _, error) = Run("reconstruct", "--claims", TestData.NunobeClaims, "--out", notAFolder);

        Assert.Equal(2, exit);
        Assert.StartsWith($"gistnb: {notAFolder}: the output folder cannot be written", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Equal("not a folder", File.ReadAllText(notAFolder));
    }
}
