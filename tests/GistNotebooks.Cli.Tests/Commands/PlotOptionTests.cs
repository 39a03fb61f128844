using GistNotebooks.Reporting.Charts;
using static GistNotebooks.Cli.Tests.Gistnb;

namespace GistNotebooks.Cli.Tests.Commands;

/// <summary>
/// <c>gistnb analyze km|cox|cif --plot FILE</c>: the curves or the forest plot drawn to a file, through Chromium for SVG,
/// PNG and PDF; each drawing is checked against the numbers the same command prints.
/// </summary>
public sealed class PlotOptionTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("gistnb-plot-");

    public void Dispose() => folder.Delete(recursive: true);

    private static string[] Km(string plot) =>
        ["analyze", "km", "--data", TestData.Reference("veteran.csv"), "--time", "time", "--event", "event", "--group", "trt", "--plot", plot];

    [Fact]
    public void An_svg_plot_carries_both_groups_the_time_column_and_the_log_rank_p()
    {
        var path = Path.Combine(folder.FullName, "km.svg");

        var (exit, output, error) = Run(Km(path));

        Assert.True(exit == 0, error);
        Assert.Contains("Median", output, StringComparison.OrdinalIgnoreCase);
        var svg = File.ReadAllText(path);
        Assert.StartsWith("<svg", svg, StringComparison.Ordinal);
        Assert.Contains(">1<", svg, StringComparison.Ordinal);
        Assert.Contains(">2<", svg, StringComparison.Ordinal);
        Assert.Contains(">time<", svg, StringComparison.Ordinal);
        Assert.Contains("Log-rank p = 0.928", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void An_html_plot_needs_no_Chromium()
    {
        var path = Path.Combine(folder.FullName, "km.html");
        var saved = Environment.GetEnvironmentVariable(ChromiumLocator.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(ChromiumLocator.EnvironmentVariable, Path.Combine(folder.FullName, "no-chromium"));
            var (exit, _, error) = Run(Km(path));
            Assert.True(exit == 0, error);
            Assert.Contains("Plotly.newPlot", File.ReadAllText(path), StringComparison.Ordinal);

            // The same with .png: exit 2 and one line that names the variable.
            (exit, _, error) = Run(Km(Path.Combine(folder.FullName, "km.png")));
            Assert.Equal(2, exit);
            Assert.StartsWith("gistnb: Static chart export needs Chromium, and GISTNB_CHROMIUM names a file that does not exist", error, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(folder.FullName, "km.png")));
        }
        finally
        {
            Environment.SetEnvironmentVariable(ChromiumLocator.EnvironmentVariable, saved);
        }
    }

    [Fact]
    public void An_unknown_extension_is_refused_before_any_work()
    {
        var (exit, output, error) = Run(Km(Path.Combine(folder.FullName, "km.jpg")));

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal("gistnb: --plot: A chart is saved as .html, .svg, .png or .pdf; the file name 'km.jpg' ends in none of them.", error.Trim());
    }

    [Fact]
    public void A_cox_forest_plot_svg_carries_the_printed_hazard_ratios_reference_level_and_footer()
    {
        var path = Path.Combine(folder.FullName, "forest.svg");
        string[] cox = ["analyze", "cox", "--data", TestData.Reference("veteran.csv"), "--time", "time", "--event", "event", "--covariates", "karno,celltype", "--reference", "celltype=squamous"];

        var (exit, _, error) = Run([.. cox, "--plot", path]);

        Assert.True(exit == 0, error);
        var svg = File.ReadAllText(path);
        Assert.StartsWith("<svg", svg, StringComparison.Ordinal);
        Assert.Contains(">Celltype: squamous<", svg, StringComparison.Ordinal);
        Assert.Contains(">reference<", svg, StringComparison.Ordinal);
        Assert.Contains("Events: 128", svg, StringComparison.Ordinal);

        // Every hazard ratio the JSON output gives appears in the plot to two decimals.
        var (_, json, _) = Run([.. cox, "--format", "json"]);
        var ratios = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("coefficients").EnumerateArray()
            .Select(c => c.GetProperty("hazardRatio").GetDouble().ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(4, ratios.Length);
        Assert.All(ratios, ratio => Assert.Contains(">" + ratio + " (", svg, StringComparison.Ordinal));
    }

    [Fact]
    public void A_cif_plot_pdf_is_a_pdf_and_its_svg_draws_one_curve_per_cause_and_group()
    {
        string[] cif = ["analyze", "cif", "--data", TestData.Reference("crsynth.csv"), "--time", "time", "--status", "status", "--group", "group"];
        var pdf = Path.Combine(folder.FullName, "cif.pdf");
        var svg = Path.Combine(folder.FullName, "cif.svg");

        var (exit, output, error) = Run([.. cif, "--plot", pdf]);
        Assert.True(exit == 0, error);
        Assert.Contains("Gray", output, StringComparison.Ordinal);
        Assert.Equal("%PDF-", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(pdf), 0, 5));

        (exit, _, error) = Run([.. cif, "--format", "json", "--plot", svg]);
        Assert.True(exit == 0, error);
        var drawing = File.ReadAllText(svg);
        // One drawn trace per trace of the chart of the same data (crsynth: two causes in two groups), with the groups in the legend.
        var chart = GistNotebooks.Survival.Estimation.CumulativeIncidence.Estimate(
            GistNotebooks.Survival.Data.CompetingRisksData.FromCsv(TestData.Reference("crsynth.csv"), "time", "status", "group")).ToChart();
        var traces = System.Text.Json.JsonDocument.Parse(chart.ToFigureJson()).RootElement.GetProperty("data").GetArrayLength();
        Assert.True(traces >= 4, $"{traces} traces");
        Assert.Equal(traces, System.Text.RegularExpressions.Regex.Count(drawing, "class=\"trace scatter"));
        Assert.Contains(">Time (time)<", drawing, StringComparison.Ordinal);
    }

    [Fact]
    public void Cox_and_cif_refuse_an_unknown_plot_extension_before_any_work()
    {
        var (exit, output, error) = Run("analyze", "cox", "--data", TestData.Reference("veteran.csv"), "--time", "time", "--event", "event", "--covariates", "karno", "--plot", Path.Combine(folder.FullName, "f.gif"));
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith("gistnb: --plot: A chart is saved as .html, .svg, .png or .pdf", error, StringComparison.Ordinal);

        (exit, output, error) = Run("analyze", "cif", "--data", TestData.Reference("crsynth.csv"), "--time", "time", "--status", "status", "--plot", Path.Combine(folder.FullName, "c.txt"));
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith("gistnb: --plot: A chart is saved as .html, .svg, .png or .pdf", error, StringComparison.Ordinal);
    }
}
