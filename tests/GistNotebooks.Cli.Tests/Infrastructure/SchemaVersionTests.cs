using System.Text.Json;
using System.Text.RegularExpressions;
using GistNotebooks.Survival;
using static GistNotebooks.Cli.Tests.Gistnb;

namespace GistNotebooks.Cli.Tests.Infrastructure;

/// <summary>
/// Every JSON the command line writes starts with <c>"schemaVersion": 1</c>. The commands that can print JSON are found
/// in the help (every command with a <c>--format</c> option), so a new one without an entry below fails here.
/// </summary>
public sealed partial class SchemaVersionTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("gistnb-schema-");

    /// <summary>One invocation per command that prints JSON (without <c>--format json</c>, added by the test).</summary>
    private static readonly Dictionary<string, string[]> JsonCommands = new(StringComparer.Ordinal)
    {
        ["analyze km"] = ["analyze", "km", "--data", TestData.Reference("veteran.csv"), "--time", "time", "--event", "event", "--group", "trt"],
        ["analyze logrank"] = ["analyze", "logrank", "--data", TestData.Reference("veteran.csv"), "--time", "time", "--event", "event", "--group", "trt"],
        ["analyze cox"] = ["analyze", "cox", "--data", TestData.Reference("veteran.csv"), "--time", "time", "--event", "event", "--covariates", "karno,trt"],
        ["analyze survreg"] = ["analyze", "survreg", "--data", TestData.Reference("veteran.csv"), "--time", "time", "--event", "event", "--covariates", "karno"],
        ["analyze cif"] = ["analyze", "cif", "--data", TestData.Reference("crsynth.csv"), "--time", "time", "--status", "status", "--group", "group"],
        ["analyze finegray"] = ["analyze", "finegray", "--data", TestData.Reference("crcov.csv"), "--time", "time", "--status", "status", "--covariates", "x1,x3"],
        ["analyze concordance"] = ["analyze", "concordance", "--data", TestData.Reference("veteran.csv"), "--time", "time", "--event", "event", "--predictor", "karno"],
        ["check"] = ["check", "--claims", TestData.NunobeClaims, "--cohort", TestData.NunobeCohort],
        ["audit"] = ["audit", "--claims", TestData.NunobeClaims],
    };

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void Every_command_with_a_json_format_is_covered_here()
    {
        var withFormat = new List<string>();
        void Visit(string[] path)
        {
            var (_, help, _) = Run([.. path, "--help"]);
            var subcommands = Subcommands(help);
            if (subcommands.Count == 0 && help.Contains("--format", StringComparison.Ordinal))
            {
                withFormat.Add(string.Join(' ', path));
            }

            foreach (var name in subcommands.Where(n => !(path.Length == 0 && n == "kernel")))
            {
                Visit([.. path, name]);
            }
        }

        Visit([]);

        Assert.Equal(JsonCommands.Keys.Order(StringComparer.Ordinal), withFormat.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Json_output_starts_with_the_schema_version(string command)
    {
        var (exit, output, error) = Run([.. JsonCommands[command], "--format", "json"]);

        Assert.True(exit is 0 or 1, error);
        AssertVersionFirst(output);
    }

    [Fact]
    public void Reconstruct_writes_the_schema_version_into_cohort_json_and_ensemble_json()
    {
        var (exit, _, error) = Run("reconstruct", "--claims", TestData.NunobeClaims, "--seed", "7", "--count", "2", "--out", folder.FullName);

        Assert.True(exit == 0, error);
        AssertVersionFirst(File.ReadAllText(Path.Combine(folder.FullName, "cohort.json")));
        AssertVersionFirst(File.ReadAllText(Path.Combine(folder.FullName, "ensemble.json")));
    }

    public static TheoryData<string> Commands() => [.. JsonCommands.Keys];

    private static void AssertVersionFirst(string json)
    {
        using var document = JsonDocument.Parse(json);
        var first = document.RootElement.EnumerateObject().First();
        Assert.Equal(OutputSchema.PropertyName, first.Name);
        Assert.Equal(OutputSchema.Version, first.Value.GetInt32());
    }

    /// <summary>The names listed under "Commands:" in a help text.</summary>
    private static List<string> Subcommands(string help)
    {
        var start = help.IndexOf("Commands:", StringComparison.Ordinal);
        if (start < 0)
        {
            return [];
        }

        return [.. help[(start + "Commands:".Length)..].Split('\n')
            .Skip(1)
            .TakeWhile(line => line.StartsWith("  ", StringComparison.Ordinal))
            .Select(line => CommandName().Match(line))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex(@"^  ([a-z][a-z-]*)\b")]
    private static partial Regex CommandName();
}
