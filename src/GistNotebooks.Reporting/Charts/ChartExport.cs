using GistNotebooks.Reporting.Files;
using Plotly.NET;

namespace GistNotebooks.Reporting.Charts;

/// <summary>Turns a chart into its plotly.js JSON or a self-contained HTML page.</summary>
public static class ChartExport
{
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
}
