using System.Text.Json;
using System.Text.RegularExpressions;
using static GistNotebooks.Cli.Tests.Gistnb;

namespace GistNotebooks.Cli.Tests;

/// <summary>
/// Every entry of <c>BadInput/cases.json</c> goes through the command line in-process: the exit code, the message
/// (file, row, column, what was expected) and the absence of a stack trace are checked; the unusual but valid files
/// must give exactly the numbers of the clean file.
/// </summary>
public partial class BadInputCorpusTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "BadInput");

    private static JsonElement Manifest { get; } = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "cases.json"))).RootElement;

    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Manifest.GetProperty("cases").GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    public static TheoryData<string> EquivalentFiles()
    {
        var data = new TheoryData<string>();
        foreach (var entry in Manifest.GetProperty("equivalent").GetProperty("files").EnumerateArray())
        {
            data.Add(entry.GetProperty("file").GetString()!);
        }

        return data;
    }

    internal static string PathOf(string file) => Path.Combine(Folder, file);

    [Fact]
    public void The_corpus_has_a_file_for_every_entry_except_the_missing_file()
    {
        var cases = Manifest.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("file").GetString()!).ToList();
        var missing = cases.Where(f => !File.Exists(PathOf(f))).ToList();

        Assert.Equal(["does-not-exist.csv"], missing);
        Assert.True(cases.Count >= 30, "the corpus shrank");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_bad_input_gives_its_documented_message_and_exit_code_without_a_stack_trace(int index)
    {
        var entry = Manifest.GetProperty("cases")[index];
        var file = PathOf(entry.GetProperty("file").GetString()!);
        var outFolder = Path.Combine(Path.GetTempPath(), "gistnb-badinput-" + Guid.NewGuid().ToString("N"));
        var args = entry.GetProperty("args").EnumerateArray()
            .Select(a => a.GetString()!.Replace("{file}", file, StringComparison.Ordinal).Replace("{out}", outFolder, StringComparison.Ordinal))
            .ToArray();
        var before = File.Exists(file) ? File.ReadAllBytes(file) : null;

        var (exit, output, error) = Run(args);

        Assert.Equal(entry.GetProperty("exitCode").GetInt32(), exit);
        foreach (var fragment in entry.GetProperty("expected").EnumerateArray())
        {
            Assert.Contains(fragment.GetString()!, error, StringComparison.Ordinal);
        }

        Assert.StartsWith("gistnb: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", error, StringComparison.Ordinal);
        Assert.False(ExceptionName().IsMatch(error), "an exception type name leaked: " + error);
        Assert.Equal(string.Empty, output);
        if (exit == 2)
        {
            Assert.Single(error.TrimEnd().Split('\n'));
        }

        // Nothing lost: the input is unchanged and no output folder was started.
        Assert.Equal(before, File.Exists(file) ? File.ReadAllBytes(file) : null);
        Assert.False(Directory.Exists(outFolder), "a failed command wrote output");
    }

    [Theory]
    [MemberData(nameof(EquivalentFiles))]
    public void An_unusual_but_valid_file_gives_the_numbers_of_the_clean_file(string file)
    {
        var extra = Manifest.GetProperty("equivalent").GetProperty("files").EnumerateArray()
            .Single(e => e.GetProperty("file").GetString() == file)
            .GetProperty("args").EnumerateArray().Select(a => a.GetString()!).ToArray();
        var reference = PathOf(Manifest.GetProperty("equivalent").GetProperty("reference").GetString()!);
        string[][] analyses =
        [
            ["analyze", "km", "--time", "time", "--event", "event", "--group", "group", "--times", "3,6", "--rmst-tau", "9", "--format", "json"],
            ["analyze", "logrank", "--time", "time", "--event", "event", "--group", "group", "--format", "json"],
            ["analyze", "cox", "--time", "time", "--event", "event", "--covariates", "age,group", "--format", "json"],
            ["analyze", "km", "--time", "time", "--event", "event"],
        ];

        foreach (var analysis in analyses)
        {
            var clean = Run([.. analysis, "--data", reference]);
            var unusual = Run([.. analysis, "--data", PathOf(file), .. extra]);

            Assert.True(clean.Exit == 0, clean.Error);
            Assert.True(unusual.Exit == 0, unusual.Error);
            Assert.Equal(clean.Output, unusual.Output);
        }
    }

    [GeneratedRegex(@"\b[A-Z]\w*Exception\b")]
    private static partial Regex ExceptionName();
}
