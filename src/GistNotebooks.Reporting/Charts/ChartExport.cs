using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using GistNotebooks.Reporting.Files;
using Plotly.NET;

namespace GistNotebooks.Reporting.Charts;

/// <summary>
/// Turns a chart into its plotly.js JSON, a self-contained HTML page, or a static SVG, PNG or PDF file. Static files
/// are drawn by plotly.js itself (<c>Plotly.toImage</c>) inside a system Chromium run headless on a local page that
/// carries plotly.js written into it, so no network is used; see <see cref="ChromiumLocator"/> for where Chromium is
/// looked for. Each static export starts one Chromium (two for a PDF) and takes a few seconds.
/// </summary>
public static class ChartExport
{
    private const string ResultStart = "GISTNB-EXPORT-BEGIN:";
    private const string ResultEnd = ":GISTNB-EXPORT-END";

    private static readonly Lazy<string> PlotlyJavaScriptSource = new(LoadPlotlyJavaScript);

    /// <summary>
    /// plotly.js (minified, with its licence comment) as shipped inside Plotly.NET, for pages that must draw charts
    /// offline; read once per process.
    /// </summary>
    public static string PlotlyJavaScript => PlotlyJavaScriptSource.Value;

    /// <summary>The chart's figure as plotly.js JSON: <c>{"data": [...], "layout": {...}, "frames": []}</c>.</summary>
    public static string ToFigureJson(this GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return GenericChart.toFigureJson(chart);
    }

    /// <summary>
    /// A complete HTML page that draws the chart with plotly.js written into the page (no CDN), so the file
    /// opens offline and in a browser without network access.
    /// </summary>
    public static string ToStandaloneHtml(this GenericChart chart, string? documentTitle = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var options = DisplayOptions.init(documentTitle, "UTF-8", null, null, null, null, PlotlyJSReference.Full);
        return GenericChart.toEmbeddedHTML(GenericChart.setDisplayOptions(options, chart));
    }

    /// <summary>Writes <see cref="ToStandaloneHtml"/> to a file, whole or not at all (<see cref="AtomicFile"/>).</summary>
    /// <exception cref="Survival.Data.DataValidationException">The file cannot be written; the message names the path.</exception>
    public static void SaveStandaloneHtml(this GenericChart chart, string path, string? documentTitle = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.WriteAllText(path, chart.ToStandaloneHtml(documentTitle));
    }

    /// <summary>
    /// The chart as an SVG document drawn by plotly.js (<c>Plotly.toImage</c> with format svg) at the figure's size (see
    /// <see cref="StaticExportOptions.Width"/>): text stays text, so trace names, axis titles and tick labels can be searched in it.
    /// </summary>
    /// <exception cref="ChartExportException">Chromium is missing, fails, times out or gives no drawing.</exception>
    public static string ToSvg(this GenericChart chart, StaticExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var settings = (options ?? StaticExportOptions.Default).Validate();
        var url = Draw(chart, "svg", settings);
        const string Prefix = "data:image/svg+xml,";
        if (!url.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new ChartExportException("Chromium gave a drawing that is not an SVG data URL: " + Shorten(url));
        }

        return Uri.UnescapeDataString(url[Prefix.Length..]);
    }

    /// <summary>The chart as PNG bytes drawn by plotly.js at the figure's width × height × <see cref="StaticExportOptions.Scale"/> pixels.</summary>
    /// <exception cref="ChartExportException">Chromium is missing, fails, times out or gives no drawing.</exception>
    public static byte[] ToPng(this GenericChart chart, StaticExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var settings = (options ?? StaticExportOptions.Default).Validate();
        var url = Draw(chart, "png", settings);
        const string Prefix = "data:image/png;base64,";
        if (!url.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new ChartExportException("Chromium gave a drawing that is not a PNG data URL: " + Shorten(url));
        }

        try
        {
            return Convert.FromBase64String(url[Prefix.Length..]);
        }
        catch (FormatException e)
        {
            throw new ChartExportException("Chromium gave a PNG data URL that is not valid base64.", e);
        }
    }

    /// <summary>
    /// The chart as a one-page vector PDF the size of the figure: the SVG of <see cref="ToSvg"/> printed by Chromium
    /// (no header, footer or margins).
    /// </summary>
    /// <exception cref="ChartExportException">Chromium is missing, fails, times out or gives no document.</exception>
    public static byte[] ToPdf(this GenericChart chart, StaticExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var settings = (options ?? StaticExportOptions.Default).Validate();
        var svg = chart.ToSvg(settings);
        var (width, height) = Size(chart, settings);
        var page = new StringBuilder()
            .Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>")
            .Append(CultureInfo.InvariantCulture, $"@page {{ size: {width}px {height}px; margin: 0; }} ")
            .Append("html, body { margin: 0; padding: 0; } svg { display: block; }</style></head><body>")
            .Append(svg.StartsWith("<?xml", StringComparison.Ordinal) ? svg[(svg.IndexOf("?>", StringComparison.Ordinal) + 2)..] : svg)
            .Append("</body></html>")
            .ToString();
        return WithChromium(page, settings, (folder, pageUrl) =>
        {
            var pdf = Path.Combine(folder, "chart.pdf");
            Run(settings, ["--print-to-pdf=" + pdf, "--no-pdf-header-footer", "--print-to-pdf-no-header", pageUrl], folder);
            if (!File.Exists(pdf) || new FileInfo(pdf).Length == 0)
            {
                throw new ChartExportException("Chromium printed no PDF.");
            }

            return File.ReadAllBytes(pdf);
        });
    }

    /// <summary>Writes the chart as SVG (<see cref="ToSvg"/>), whole or not at all.</summary>
    /// <exception cref="ChartExportException">As <see cref="ToSvg"/>.</exception>
    /// <exception cref="Survival.Data.DataValidationException">The file cannot be written; the message names the path.</exception>
    public static void SaveSvg(this GenericChart chart, string path, StaticExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.WriteAllText(path, chart.ToSvg(options));
    }

    /// <summary>Writes the chart as PNG (<see cref="ToPng"/>), whole or not at all.</summary>
    /// <exception cref="ChartExportException">As <see cref="ToPng"/>.</exception>
    /// <exception cref="Survival.Data.DataValidationException">The file cannot be written; the message names the path.</exception>
    public static void SavePng(this GenericChart chart, string path, StaticExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.WriteAllBytes(path, chart.ToPng(options));
    }

    /// <summary>Writes the chart as PDF (<see cref="ToPdf"/>), whole or not at all.</summary>
    /// <exception cref="ChartExportException">As <see cref="ToPdf"/>.</exception>
    /// <exception cref="Survival.Data.DataValidationException">The file cannot be written; the message names the path.</exception>
    public static void SavePdf(this GenericChart chart, string path, StaticExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.WriteAllBytes(path, chart.ToPdf(options));
    }

    /// <summary>
    /// Writes the chart in the format its file name ends with (.html/.htm, .svg, .png or .pdf; see <see cref="FormatOf"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The extension is none of those.</exception>
    /// <exception cref="ChartExportException">A static format was asked for and Chromium could not draw it.</exception>
    /// <exception cref="Survival.Data.DataValidationException">The file cannot be written; the message names the path.</exception>
    public static void Save(this GenericChart chart, string path, StaticExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        switch (FormatOf(path))
        {
            case ChartFileFormat.Html:
                chart.SaveStandaloneHtml(path);
                break;
            case ChartFileFormat.Svg:
                chart.SaveSvg(path, options);
                break;
            case ChartFileFormat.Png:
                chart.SavePng(path, options);
                break;
            default:
                chart.SavePdf(path, options);
                break;
        }
    }

    /// <summary>The format a file name asks for, from its extension (case does not matter).</summary>
    /// <exception cref="ArgumentException">The extension is not .html, .htm, .svg, .png or .pdf; the message lists them.</exception>
    public static ChartFileFormat FormatOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".HTML" or ".HTM" => ChartFileFormat.Html,
            ".SVG" => ChartFileFormat.Svg,
            ".PNG" => ChartFileFormat.Png,
            ".PDF" => ChartFileFormat.Pdf,
            _ => throw new ArgumentException($"A chart is saved as .html, .svg, .png or .pdf; the file name '{Path.GetFileName(path)}' ends in none of them.", nameof(path)),
        };
    }

    /// <summary>The data URL that <c>Plotly.toImage</c> gives for the chart in Chromium.</summary>
    private static string Draw(GenericChart chart, string format, StaticExportOptions settings)
    {
        var figure = chart.ToFigureJson().Replace("</", "<\\/", StringComparison.Ordinal);
        var (width, height) = Size(chart, settings);
        var call = string.Create(
            CultureInfo.InvariantCulture,
            $"{{ format: \"{format}\", width: {width}, height: {height}, scale: {(format == "png" ? settings.Scale : 1)} }}");
        var page = new StringBuilder()
            .Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><script>")
            .Append(PlotlyJavaScript.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase))
            .Append("</script></head><body><pre id=\"result\"></pre><script>\n")
            .Append("var figure = ").Append(figure).Append(";\n")
            .Append("var result = document.getElementById(\"result\");\n")
            .Append("Plotly.toImage({ data: figure.data, layout: figure.layout, config: { staticPlot: true } }, ").Append(call).Append(")\n")
            .Append("  .then(function (url) { result.textContent = \"").Append(ResultStart).Append("\" + url + \"").Append(ResultEnd).Append("\"; })\n")
            .Append("  .catch(function (e) { result.textContent = \"plotly.js failed: \" + e; });\n")
            .Append("</script></body></html>")
            .ToString();
        return WithChromium(page, settings, (folder, pageUrl) =>
        {
            var dom = Run(settings, ["--virtual-time-budget=60000", "--dump-dom", pageUrl], folder);
            var start = dom.IndexOf(ResultStart, StringComparison.Ordinal);
            var end = dom.IndexOf(ResultEnd, StringComparison.Ordinal);
            if (start < 0 || end < start)
            {
                var failure = dom.IndexOf("plotly.js failed:", StringComparison.Ordinal);
                throw new ChartExportException(failure >= 0
                    ? "Chromium could not draw the chart: " + Shorten(WebUtility.HtmlDecode(dom[failure..]))
                    : "Chromium loaded the page but gave no drawing of the chart.");
            }

            return WebUtility.HtmlDecode(dom[(start + ResultStart.Length)..end]);
        });
    }

    /// <summary>Writes the page into a fresh temporary folder, hands it to <paramref name="use"/>, and removes the folder.</summary>
    private static T WithChromium<T>(string page, StaticExportOptions settings, Func<string, string, T> use)
    {
        _ = ChromiumLocator.Find(settings.ChromiumPath);
        var folder = Path.Combine(Path.GetTempPath(), "gistnb-export-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var file = Path.Combine(folder, "chart.html");
            File.WriteAllText(file, page, new UTF8Encoding(false));
            return use(folder, new Uri(file).AbsoluteUri);
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Chromium may still hold a profile file for a moment; a stale folder in the temporary directory is harmless.
            }
        }
    }

    /// <summary>Runs Chromium headless and offline with the arguments and returns its standard output.</summary>
    private static string Run(StaticExportOptions settings, IEnumerable<string> arguments, string folder)
    {
        var start = new ProcessStartInfo(ChromiumLocator.Find(settings.ChromiumPath))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        string[] common =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--mute-audio",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + Path.Combine(folder, "profile"),
        ];
        foreach (var argument in common.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        Process chromium;
        try
        {
            chromium = Process.Start(start) ?? throw new ChartExportException("Chromium did not start: " + start.FileName);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ChartExportException($"Chromium could not be started ({start.FileName}): {e.Message}", e);
        }

        using (chromium)
        {
            var output = chromium.StandardOutput.ReadToEndAsync();
            var error = chromium.StandardError.ReadToEndAsync();
            if (!chromium.WaitForExit(settings.Timeout))
            {
                chromium.Kill(entireProcessTree: true);
                chromium.WaitForExit();
                throw new ChartExportException(string.Create(CultureInfo.InvariantCulture, $"Chromium did not finish the chart within {settings.Timeout.TotalSeconds:0} s."));
            }

            chromium.WaitForExit();
            if (chromium.ExitCode != 0)
            {
                throw new ChartExportException(string.Create(CultureInfo.InvariantCulture, $"Chromium failed (exit code {chromium.ExitCode}): {Shorten(error.Result)}"));
            }

            return output.Result;
        }
    }

    /// <summary>The figure's size: the options', else the layout's, else the defaults.</summary>
    private static (int Width, int Height) Size(GenericChart chart, StaticExportOptions settings)
    {
        using var figure = System.Text.Json.JsonDocument.Parse(chart.ToFigureJson());
        int? Layout(string name) =>
            figure.RootElement.TryGetProperty("layout", out var layout) && layout.TryGetProperty(name, out var value)
            && value.ValueKind == System.Text.Json.JsonValueKind.Number && value.TryGetDouble(out var number) && number >= 1 && number <= 10_000
                ? (int)Math.Round(number)
                : null;
        return (settings.Width ?? Layout("width") ?? StaticExportOptions.DefaultWidth, settings.Height ?? Layout("height") ?? StaticExportOptions.DefaultHeight);
    }

    private static string Shorten(string text) => text.Length <= 300 ? text.Trim() : text[..300].Trim() + " …";

    private static string LoadPlotlyJavaScript()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".min.js", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
