using System.Text.Json;
using GistNotebooks.Survival.Data;
using static GistNotebooks.Cli.Tests.Gistnb;

namespace GistNotebooks.Cli.Tests.Faults;

/// <summary>
/// The fault corpus of text in and CSV out: a file in another encoding is refused with the place of its first bad
/// byte or read by an explicit <c>--encoding</c>, so labels never merge; every CSV written quotes by RFC 4180, guards
/// formula-like cells, and is read back before it is moved into place.
/// </summary>
public sealed class TextAndCsvFaultTests
{
    private static string BadInput(string file) => Path.Combine(AppContext.BaseDirectory, "BadInput", file);

    [Fact]
    public void Latin1_labels_read_with_an_explicit_encoding_stay_two_groups()
    {
        var (exit, output, error) = Run("analyze", "logrank", "--data", BadInput("latin1-labels.csv"), "--time", "time", "--event", "event", "--group", "group", "--encoding", "latin1", "--format", "json");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var text = json.RootElement.GetRawText();
        Assert.Contains("M\\u00FCller", text.Replace("ü", "\\u00FC", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("M\\u00F6ller", text.Replace("ö", "\\u00F6", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Windows_1252_is_an_encoding_the_command_line_knows()
    {
        var (exit, output, error) = Run("analyze", "km", "--data", BadInput("latin1-labels.csv"), "--time", "time", "--event", "event", "--group", "group", "--encoding", "windows-1252");

        Assert.True(exit == 0, error);
        Assert.Contains("Müller", output, StringComparison.Ordinal);
        Assert.Contains("Möller", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_passed_as_data_is_called_a_folder_not_missing()
    {
        var (exit, _, error) = Run("analyze", "km", "--data", AppContext.BaseDirectory, "--time", "time", "--event", "event");

        Assert.Equal(2, exit);
        Assert.Contains("this is a folder, not a file; expected a CSV file", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("small bowel, jejunum", "\"small bowel, jejunum\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData(" padded ", "\" padded \"")]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+cmd", "'+cmd")]
    [InlineData("-cmd", "'-cmd")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("-3.5", "-3.5")]
    [InlineData("+2", "+2")]
    [InlineData("-1e-3", "-1e-3")]
    [InlineData("stomach", "stomach")]
    public void A_field_is_quoted_by_RFC_4180_and_guarded_against_formulas_but_not_negative_numbers(string value, string written)
    {
        Assert.Equal(written, CsvText.Field(value));
    }

    [Fact]
    public void Quoted_and_guarded_fields_read_back_as_one_field_each()
    {
        string[] labels = ["small bowel, jejunum", "say \"hi\"", "=1+1", "-3.5"];
        var text = new System.Text.StringBuilder();
        CsvText.AppendLine(text, ["label", "n"]);
        foreach (var label in labels)
        {
            CsvText.AppendLine(text, [label, "1"]);
        }

        var table = ColumnTable.ParseCsv(text.ToString());

        Assert.Equal(["small bowel, jejunum", "say \"hi\"", "'=1+1", "-3.5"], table.GetText("label").Select(l => l ?? "(missing)"));
    }

    [Fact]
    public void Reconstruct_writes_a_category_with_a_comma_quoted_and_the_cohort_reads_back_and_passes_check()
    {
        var folder = FaultNotebooks.NewFolder();
        var claims = Path.Combine(folder, "claims.json");
        var text = File.ReadAllText(TestData.NunobeClaims).Replace("\"duodenum\"", "\"small bowel, jejunum\"", StringComparison.Ordinal);
        Assert.Contains("small bowel, jejunum", text, StringComparison.Ordinal);
        File.WriteAllText(claims, text);
        var outFolder = Path.Combine(folder, "out");

        var (exit, _, error) = Run("reconstruct", "--claims", claims, "--out", outFolder);

        Assert.True(exit == 0, error);
        Assert.Contains("\"small bowel, jejunum\"", File.ReadAllText(Path.Combine(outFolder, "cohort.csv")), StringComparison.Ordinal);
        var check = Run("check", "--claims", claims, "--cohort", Path.Combine(outFolder, "cohort.csv"));
        Assert.True(check.Exit == 0, check.Error + check.Output);
        Assert.False(File.Exists(Path.Combine(outFolder, "INCOMPLETE.txt")));
    }

    [Fact]
    public void Reconstruct_onto_a_file_system_that_cannot_be_written_is_an_input_error_not_an_internal_one()
    {
        // /proc refuses new folders even to root, for whom permission bits do not apply.
        var (exit, output, error) = Run("reconstruct", "--claims", TestData.NunobeClaims, "--out", "/proc/gistnb-cannot-write/out");

        Assert.Equal(2, exit);
        Assert.Contains("/proc/gistnb-cannot-write/out: the output folder cannot be written", error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrote", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Reconstruct_refuses_an_output_folder_whose_files_would_replace_the_claims_it_reads()
    {
        var folder = FaultNotebooks.NewFolder();
        var claims = Path.Combine(folder, "cohort.json");
        File.Copy(TestData.NunobeClaims, claims);
        var before = File.ReadAllBytes(claims);

        var (exit, _, error) = Run("reconstruct", "--claims", claims, "--out", folder);

        Assert.Equal(2, exit);
        Assert.Contains("this output would replace the input", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(claims));
    }
}

/// <summary>Times and horizons past the last follow-up are flagged, in the text and in the JSON.</summary>
public sealed class ExtrapolationFaultTests
{
    private static string Clean => Path.Combine(AppContext.BaseDirectory, "BadInput", "clean.csv");

    [Fact]
    public void Survival_and_RMST_past_the_last_follow_up_are_flagged_extrapolated_in_json()
    {
        var (exit, output, error) = Run("analyze", "km", "--data", Clean, "--time", "time", "--event", "event", "--times", "5,20", "--rmst-tau", "30", "--format", "json");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var curve = json.RootElement.GetProperty("curves")[0];
        Assert.Equal([false, true], curve.GetProperty("survivalAt").EnumerateArray().Select(p => p.GetProperty("extrapolated").GetBoolean()));
        Assert.True(curve.GetProperty("rmst").GetProperty("extrapolated").GetBoolean());
    }

    [Fact]
    public void Survival_and_RMST_past_the_last_follow_up_are_named_in_the_text_and_times_within_it_are_not()
    {
        var past = Run("analyze", "km", "--data", Clean, "--time", "time", "--event", "event", "--times", "5,20", "--rmst-tau", "30");
        var within = Run("analyze", "km", "--data", Clean, "--time", "time", "--event", "event", "--times", "5,9", "--rmst-tau", "9");

        Assert.Contains("Extrapolated: time 20 lies past the last follow-up (9.75)", past.Output, StringComparison.Ordinal);
        Assert.Contains("Extrapolated: the RMST horizon 30 lies past the last follow-up (9.75)", past.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Extrapolated", within.Output, StringComparison.Ordinal);
    }
}
