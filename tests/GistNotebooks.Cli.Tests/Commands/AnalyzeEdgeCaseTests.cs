using System.Globalization;
using System.Text.Json;
using static GistNotebooks.Cli.Tests.Gistnb;

namespace GistNotebooks.Cli.Tests.Commands;

/// <summary>
/// Every <c>analyze</c> subcommand over statistical edge cases: the JSON never holds NaN or Infinity (a value
/// that does not exist is null), a case that cannot be analysed is a one-line input error, never an internal one;
/// and the output does not depend on the current culture.
/// </summary>
public sealed class AnalyzeEdgeCaseTests : IDisposable
{
    // time,event,status,group,x: status is the competing-risks code (0 censored, 1 or 2 a cause).
    private static readonly Dictionary<string, string> EdgeCases = new(StringComparer.Ordinal)
    {
        ["all-censored"] = "time,event,status,group,x\n1,0,0,A,1\n2,0,0,A,2\n3,0,0,B,3\n4,0,0,B,4\n",
        ["all-events"] = "time,event,status,group,x\n1,1,1,A,1\n2,1,2,A,3\n3,1,1,B,2\n4,1,2,B,5\n",
        ["one-observation"] = "time,event,status,group,x\n5,1,1,A,1\n",
        ["identical-times"] = "time,event,status,group,x\n3,1,1,A,1\n3,1,2,A,2\n3,0,0,B,3\n3,1,1,B,5\n",
        ["zero-times"] = "time,event,status,group,x\n0,1,1,A,1\n0,0,0,A,2\n0,1,2,B,4\n2,1,1,B,3\n",
        ["group-without-events"] = "time,event,status,group,x\n1,1,1,A,1\n2,1,2,A,3\n3,1,1,A,2\n4,0,0,B,5\n5,0,0,B,4\n6,0,0,B,6\n",
        ["complete-separation"] = "time,event,status,group,x\n1,1,1,A,1\n2,1,1,A,1\n3,1,2,A,1\n4,1,1,B,0\n5,0,0,B,0\n6,1,1,B,0\n7,0,0,B,0\n",
        ["very-large-times"] = "time,event,status,group,x\n1e300,1,1,A,1\n2e300,0,0,A,3\n3e300,1,2,B,2\n1.5e300,1,1,B,5\n1e308,1,1,A,4\n",
    };

    private static readonly string[][] Commands =
    [
        ["analyze", "km", "--time", "time", "--event", "event", "--group", "group", "--times", "0,1,3,1e301", "--rmst-tau", "1e300"],
        ["analyze", "km", "--time", "time", "--event", "event", "--conf-type", "log-log", "--rmst-tau", "4"],
        ["analyze", "logrank", "--time", "time", "--event", "event", "--group", "group"],
        ["analyze", "logrank", "--time", "time", "--event", "event", "--group", "group", "--rho", "1"],
        ["analyze", "cox", "--time", "time", "--event", "event", "--covariates", "x"],
        ["analyze", "cox", "--time", "time", "--event", "event", "--covariates", "group", "--firth"],
        ["analyze", "cif", "--time", "time", "--status", "status", "--group", "group", "--times", "0,3,1e301"],
        ["analyze", "cif", "--time", "time", "--status", "status"],
        ["analyze", "survreg", "--time", "time", "--event", "event", "--covariates", "x"],
        ["analyze", "survreg", "--time", "time", "--event", "event", "--covariates", "group", "--dist", "gaussian"],
        ["analyze", "finegray", "--time", "time", "--status", "status", "--covariates", "x"],
        ["analyze", "finegray", "--time", "time", "--status", "status", "--covariates", "group", "--cause", "2"],
    ];

    private readonly string folder = Path.Combine(Path.GetTempPath(), "gistnb-edge-" + Guid.NewGuid().ToString("N"));

    public AnalyzeEdgeCaseTests()
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, text) in EdgeCases)
        {
            File.WriteAllText(Path.Combine(folder, name + ".csv"), text);
        }
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private IEnumerable<(string Case, string[] Args)> AllRuns() =>
        from name in EdgeCases.Keys
        from command in Commands
        select (name, (string[])[.. command, "--data", Path.Combine(folder, name + ".csv")]);

    [Fact]
    public void The_json_of_every_analysis_never_holds_NaN_or_Infinity_and_a_failure_is_an_input_error()
    {
        var succeeded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, args) in AllRuns())
        {
            var (exit, output, error) = Run([.. args, "--format", "json"]);
            var what = name + ": " + string.Join(' ', args.Take(2)) + " → " + error;
            Assert.True(exit is 0 or 2, what);
            if (exit == 2)
            {
                Assert.Single(error.TrimEnd().Split('\n'));
                Assert.Contains(name + ".csv", error, StringComparison.Ordinal);
                continue;
            }

            succeeded.Add(args[1]);
            Assert.DoesNotContain("NaN", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Infinity", output, StringComparison.Ordinal);
            AssertFinite(JsonDocument.Parse(output).RootElement, what);
        }

        Assert.Equal(["cif", "cox", "finegray", "km", "logrank", "survreg"], succeeded.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void All_censored_data_report_the_median_and_its_limits_as_not_reached()
    {
        var data = Path.Combine(folder, "all-censored.csv");
        var (exit, output, _) = Run("analyze", "km", "--data", data, "--time", "time", "--event", "event", "--format", "json");
        Assert.Equal(0, exit);
        var median = JsonDocument.Parse(output).RootElement.GetProperty("curves")[0].GetProperty("median");
        Assert.All(median.EnumerateObject(), p => Assert.Equal(JsonValueKind.Null, p.Value.ValueKind));

        var (_, text, _) = Run("analyze", "km", "--data", data, "--time", "time", "--event", "event");
        Assert.Contains("Median survival: NA (NA to NA); NA = not reached", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_separation_is_reported_as_monotone_likelihood_with_Firth_suggested()
    {
        var (exit, output, _) = Run("analyze", "cox", "--data", Path.Combine(folder, "complete-separation.csv"), "--time", "time", "--event", "event", "--covariates", "x");

        Assert.Equal(0, exit);
        Assert.Matches(@"\nx +Inf +Inf +NA +NA ", output);
        Assert.Contains("Monotone likelihood", output, StringComparison.Ordinal);
        Assert.Contains("Firth", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_analysis_gives_the_same_output_under_a_German_culture()
    {
        var runs = AllRuns().SelectMany(r => new[] { r.Args, [.. r.Args, "--format", "json"] }).ToList();
        var invariant = runs.Select(a => Run(a)).ToList();
        var savedCulture = CultureInfo.CurrentCulture;
        var savedUiCulture = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            CultureInfo.CurrentUICulture = new CultureInfo("de-DE");
            for (var i = 0; i < runs.Count; i++)
            {
                Assert.Equal(invariant[i], Run(runs[i]));
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = savedCulture;
            CultureInfo.CurrentUICulture = savedUiCulture;
        }

        // The comparison means something only if numbers with decimals were printed.
        Assert.Contains(invariant, r => r.Exit == 0 && r.Output.Contains('.', StringComparison.Ordinal));
    }

    private static void AssertFinite(JsonElement element, string what)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    AssertFinite(p.Value, what);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    AssertFinite(item, what);
                }

                break;
            case JsonValueKind.Number:
                Assert.True(double.IsFinite(element.GetDouble()), what);
                break;
        }
    }
}
