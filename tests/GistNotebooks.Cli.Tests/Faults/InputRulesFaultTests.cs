using System.Globalization;
using System.Text;
using System.Text.Json;
using GistNotebooks.Cli.Commands;
using static GistNotebooks.Cli.Tests.Gistnb;

namespace GistNotebooks.Cli.Tests.Faults;

/// <summary>
/// The fault corpus of input rules: a decimal-comma file read as declared, a covariate whose scale makes its hazard
/// ratio per unit meaningless, <c>gistnb new</c> given a claims file its own output would replace, a chart that would
/// replace the data it is drawn from, and the kernel's publish kept out of the source tree.
/// </summary>
public sealed class InputRulesFaultTests
{
    private static string BadInput(string file) => Path.Combine(AppContext.BaseDirectory, "BadInput", file);

    [Fact]
    public void A_declared_decimal_comma_reads_a_point_as_a_thousands_separator()
    {
        var (exit, output, error) = Run("analyze", "km", "--data", BadInput("semicolon-ambiguous-point.csv"), "--time", "time", "--event", "event", "--decimal", "comma", "--format", "json");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var times = json.RootElement.GetRawText();
        Assert.Contains("1234", times, StringComparison.Ordinal);
        Assert.DoesNotContain("1.234", times, StringComparison.Ordinal);
    }

    [Fact]
    public void A_covariate_scaled_by_a_trillionth_is_warned_about_in_text_and_json()
    {
        var folder = FaultNotebooks.NewFolder();
        var path = Path.Combine(folder, "tiny.csv");
        var text = new StringBuilder("time,event,x\n");
        for (var i = 1; i <= 40; i++)
        {
            var age = 70 - (0.5 * i) + (7 * ((i * 37) % 11));
            text.Append(CultureInfo.InvariantCulture, $"{i},{(i % 4 == 0 ? 0 : 1)},{age * 1e-12:R}\n");
        }

        File.WriteAllText(path, text.ToString());

        var (exit, output, error) = Run("analyze", "cox", "--data", path, "--time", "time", "--event", "event", "--covariates", "x", "--format", "json");
        var (textExit, textOutput, _) = Run("analyze", "cox", "--data", path, "--time", "time", "--event", "event", "--covariates", "x");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var warning = Assert.Single(json.RootElement.GetProperty("warnings").EnumerateArray()).GetString()!;
        Assert.StartsWith("The covariate x has standard deviation ", warning, StringComparison.Ordinal);
        Assert.Contains("Rescale it (multiply it by 1E+11", warning, StringComparison.Ordinal);
        Assert.Equal(0, textExit);
        Assert.Contains("Warning: The covariate x has standard deviation ", textOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void A_km_plot_that_would_replace_its_data_file_is_refused_and_the_file_is_unchanged()
    {
        // A data file may be named anything; one called .html is also a valid --plot target.
        var folder = FaultNotebooks.NewFolder();
        var data = Path.Combine(folder, "cohort.html");
        File.WriteAllText(data, "time,event\n1,1\n2,0\n3,1\n");
        var before = File.ReadAllBytes(data);

        var (exit, output, error) = Run("analyze", "km", "--data", data, "--time", "time", "--event", "event", "--plot", Path.Combine(folder, ".", "cohort.html"));

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Equal($"gistnb: {Path.Combine(folder, ".", "cohort.html")}: this output would replace the input {data}; nothing was run or written. Choose another --plot (a file that is none of the inputs).", error.Trim());
        Assert.Equal(before, File.ReadAllBytes(data));
    }

    [Fact]
    public void New_refuses_a_claims_file_that_its_study_would_replace()
    {
        var root = FaultNotebooks.NewFolder();
        var claims = Path.Combine(root, "data", "S", "claims.json");
        Directory.CreateDirectory(Path.GetDirectoryName(claims)!);
        File.Copy(TestData.NunobeClaims, claims);
        var before = File.ReadAllBytes(claims);

        var (exit, _, error) = Run("new", "S", "--claims", claims, "--out", root);

        Assert.Equal(2, exit);
        Assert.Contains("this output would replace the input " + claims, error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(claims));
        Assert.False(Directory.Exists(Path.Combine(root, "notebooks")));
    }

    [Fact]
    public void The_kernel_publish_keeps_its_build_files_under_artifacts_not_beside_the_sources()
    {
        var repository = Path.Combine(Path.GetTempPath(), "repo");
        var project = Path.Combine(repository, "src", "GistNotebooks.Cli", "GistNotebooks.Cli.csproj");

        var arguments = KernelCommands.PublishArguments(project, Path.Combine(repository, ".kernel"), repository);

        var at = arguments.ToList().IndexOf("--artifacts-path");
        Assert.True(at >= 0, string.Join(' ', arguments));
        Assert.Equal(Path.Combine(repository, "artifacts", "kernel-build"), arguments[at + 1]);
        Assert.DoesNotContain(arguments, a => a.StartsWith(Path.Combine(repository, "src"), StringComparison.Ordinal) && a != project);
    }
}
