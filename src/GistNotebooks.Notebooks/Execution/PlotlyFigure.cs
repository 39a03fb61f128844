using Plotly.NET;

namespace GistNotebooks.Notebooks.Execution;

/// <summary>
/// A Plotly.NET chart as the plotly.js figure that Jupyter front ends draw themselves (JupyterLab, Jupyter Notebook,
/// VS Code): executed notebooks and the Jupyter kernel carry it beside the chart's HTML, which loads plotly.js from a
/// CDN and so stays blank offline and outside VS Code.
/// </summary>
internal static class PlotlyFigure
{
    /// <summary>The MIME type of a plotly.js figure (<c>{"data": [...], "layout": {...}}</c>).</summary>
    public const string MimeType = "application/vnd.plotly.v1+json";

    /// <summary>The figure's JSON (data, layout and config) when the value is a chart; otherwise null.</summary>
    public static string? Json(object? value) => value is GenericChart chart ? GenericChart.toFigureJson(chart) : null;
}
