using GistNotebooks.Reporting.Charts;
using static GistNotebooks.Cli.Tests.Gistnb;

namespace GistNotebooks.Cli.Tests.Commands;

/// <summary><c>gistnb analyze km --plot FILE</c>: the curves drawn to a file, through Chromium for SVG, PNG and PDF.</summary>
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
}
