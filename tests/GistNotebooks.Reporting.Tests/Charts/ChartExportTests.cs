using System.Buffers.Binary;
using System.Text.RegularExpressions;
using GistNotebooks.Reporting.Charts;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Regression;
using static GistNotebooks.Reporting.Tests.TestData;

namespace GistNotebooks.Reporting.Tests.Charts;

/// <summary>
/// Static export through the system Chromium (headless, offline). Each file is checked against the chart it came from:
/// the SVG carries the figure's trace names, axis titles and one drawn group per trace; the PNG has a valid header and
/// the size asked for. CI installs Chromium (.ci/run); without it these tests fail with the locator's message.
/// </summary>
public class ChartExportTests
{
    private static readonly IReadOnlyList<KaplanMeierCurve> VeteranCurves = KaplanMeier.EstimateByGroup(Veteran());

    private static readonly ModelFrame Frame = ModelFrame.FromTable(
        ColumnTable.ReadCsv(Reference("veteran.csv")), "time", "event", ["karno", "celltype"], new Dictionary<string, string> { ["celltype"] = "squamous" });

    [Fact]
    public void Kaplan_Meier_svg_carries_the_legend_axis_titles_and_one_drawn_trace_per_figure_trace()
    {
        var chart = VeteranCurves.ToChart(timeUnit: "days");

        var svg = chart.ToSvg();

        Assert.StartsWith("<svg", svg.TrimStart(), StringComparison.Ordinal);
        Assert.Contains("width=\"900\"", svg, StringComparison.Ordinal);
        Assert.Contains("height=\"600\"", svg, StringComparison.Ordinal);
        var figure = Figure(chart);
        foreach (var name in TracesWithMeta(chart, "survival").Select(t => t.GetProperty("name").GetString()!))
        {
            Assert.Contains(">" + System.Net.WebUtility.HtmlEncode(name) + "<", svg, StringComparison.Ordinal);
        }

        var xTitle = figure.GetProperty("layout").GetProperty("xaxis").GetProperty("title").GetProperty("text").GetString()!;
        Assert.Contains(">" + xTitle + "<", svg, StringComparison.Ordinal);
        Assert.Equal(Traces(chart).Length, Regex.Count(svg, "class=\"trace scatter"));

        // The censor marks: one drawn point per censored time in each group.
        var censored = TracesWithMeta(chart, "censored").Sum(t => t.GetProperty("x").GetArrayLength());
        var drawnPoints = Regex.Count(svg, "class=\"point\"");
        Assert.True(drawnPoints >= censored, $"{drawnPoints} points drawn for {censored} censor marks");
        File.WriteAllText(OutputPath("kaplan-meier.svg"), svg);
    }

    [Fact]
    public void Forest_plot_svg_carries_its_labels_reference_rows_and_footer()
    {
        var chart = CoxRegression.Fit(Frame).ToForestChart(Frame);

        var svg = chart.ToSvg();

        var labels = Texts(Figure(chart).GetProperty("layout").GetProperty("yaxis").GetProperty("ticktext"));
        Assert.All(labels, label => Assert.Contains(">" + label + "<", svg, StringComparison.Ordinal));
        Assert.Contains(">reference<", svg, StringComparison.Ordinal);
        Assert.Contains("Events: 128", svg, StringComparison.Ordinal);
        File.WriteAllText(OutputPath("forest.svg"), svg);
    }

    [Fact]
    public void Png_has_a_valid_header_and_the_size_asked_for()
    {
        var chart = VeteranCurves.ToChart(timeUnit: "days");

        var png = chart.ToPng(new StaticExportOptions { Width = 600, Height = 400, Scale = 2 });

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(1200, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(800, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
        Assert.True(png.Length > 20_000, $"a {png.Length}-byte PNG is too small to hold the curves");

        // Not blank: both groups' curves are drawn in their palette colours (#0072B2, #D55E00).
        var pixels = PngPixels.Decode(png);
        Assert.True(pixels.CountColour(0x00, 0x72, 0xB2) > 500, "too few pixels of the first group's blue");
        Assert.True(pixels.CountColour(0xD5, 0x5E, 0x00) > 500, "too few pixels of the second group's vermillion");
        File.WriteAllBytes(OutputPath("kaplan-meier.png"), png);
    }

    [Fact]
    public void Forest_plot_columns_fit_inside_a_900_pixel_export()
    {
        var chart = CoxRegression.Fit(Frame).ToForestChart(Frame);

        var png = chart.ToPng(new StaticExportOptions { Width = 900, Scale = 1 });
        File.WriteAllBytes(OutputPath("forest-900.png"), png);
        var pixels = PngPixels.Decode(png);

        Assert.Equal(900, pixels.Width);
        // Text cut by the figure's edge leaves ink in its last columns; the p column ends at least 8 px short of it.
        Assert.Equal(0, pixels.InkInColumns(pixels.Width - 8, pixels.Width));
        Assert.Equal(0, pixels.InkInColumns(0, 8)); // nor is the title at the left edge
        Assert.True(pixels.InkInColumns(pixels.Width - 200, pixels.Width - 8) > 100, "no numbers drawn at the right of the plot");
    }

    [Fact]
    public void Kaplan_Meier_time_axis_title_stays_clear_of_the_risk_table_at_600_by_400()
    {
        var chart = VeteranCurves.ToChart(timeUnit: "days", height: 400);

        var svg = chart.ToSvg(new StaticExportOptions { Width = 600 });
        File.WriteAllText(OutputPath("kaplan-meier-600x400.svg"), svg);

        Assert.Contains("height=\"400\"", svg, StringComparison.Ordinal);
        var titleBaseline = double.Parse(Regex.Match(svg, "class=\"xtitle\" x=\"[0-9.]+\" y=\"([0-9.]+)\"").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        // The table is the lower of the two subplots; its first row is the smallest text y inside it.
        var tableTop = Regex.Matches(svg, "class=\"plot\" transform=\"translate\\([0-9.]+,([0-9.]+)\\)\"")
            .Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Max();
        var tableStart = svg.LastIndexOf("class=\"plot\" transform=", StringComparison.Ordinal);
        var firstRow = Regex.Matches(svg[tableStart..], "<g class=\"textpoint\" transform=\"translate\\(0,([0-9.]+)\\)\"><text x=\"[0-9.]+\" y=\"([0-9.]+)\"")
            .Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))
            .Min();
        // Baseline to baseline: the 14 px row's letters rise about 10 px above its baseline; the title's descenders reach 4 px below its own.
        Assert.True(titleBaseline + 4 < tableTop + firstRow - 10, $"time axis title at y = {titleBaseline}, first risk-table row at y = {tableTop + firstRow}");
    }

    [Fact]
    public void Forest_plot_png_and_pdf_are_files_of_their_formats()
    {
        var chart = CoxRegression.Fit(Frame).ToForestChart(Frame);
        var folder = OutputPath("export-" + Guid.NewGuid().ToString("N"));

        chart.Save(Path.Combine(folder, "forest.png"));
        chart.Save(Path.Combine(folder, "forest.pdf"));

        var png = File.ReadAllBytes(Path.Combine(folder, "forest.png"));
        Assert.Equal(0x89504E47u, BinaryPrimitives.ReadUInt32BigEndian(png));
        Assert.True(png.Length > 20_000, $"a {png.Length}-byte PNG is too small to hold the plot");
        var pdf = File.ReadAllBytes(Path.Combine(folder, "forest.pdf"));
        Assert.Equal("%PDF-", System.Text.Encoding.ASCII.GetString(pdf, 0, 5));
        Assert.True(pdf.Length > 5_000, $"a {pdf.Length}-byte PDF is too small to hold the plot");
        Assert.Single(Directory.GetFiles(folder, "*.pdf"));
    }

    [Fact]
    public void A_missing_Chromium_is_named_with_the_ways_to_provide_one()
    {
        var chart = VeteranCurves.ToChart(timeUnit: "days");
        var missing = Path.Combine(Path.GetTempPath(), "no-such-chromium-" + Guid.NewGuid().ToString("N"));

        var error = Assert.Throws<ChartExportException>(() => chart.ToSvg(new StaticExportOptions { ChromiumPath = missing }));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Null(ChromiumLocator.TryFind(missing));
    }

    [Theory]
    [InlineData("a.svg", ChartFileFormat.Svg)]
    [InlineData("a.PNG", ChartFileFormat.Png)]
    [InlineData("dir/a.pdf", ChartFileFormat.Pdf)]
    [InlineData("a.htm", ChartFileFormat.Html)]
    [InlineData("a.html", ChartFileFormat.Html)]
    public void The_format_follows_the_file_extension(string path, ChartFileFormat format) => Assert.Equal(format, ChartExport.FormatOf(path));

    [Fact]
    public void An_unknown_extension_lists_the_formats()
    {
        var error = Assert.Throws<ArgumentException>(() => ChartExport.FormatOf("plot.jpg"));
        Assert.Contains(".svg, .png or .pdf", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_options_reject_sizes_and_scales_outside_their_ranges()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StaticExportOptions { Width = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new StaticExportOptions { Height = 20_000 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new StaticExportOptions { Scale = double.NaN }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new StaticExportOptions { Timeout = TimeSpan.Zero }.Validate());
    }
}
