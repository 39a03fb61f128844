using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Formatting;

namespace GistNotebooks.Notebooks.Kernel.Jupyter;

/// <summary>
/// Turns a value the kernel displayed into the <c>data</c> of a Jupyter output: one entry per MIME type, JSON types
/// as JSON (nbformat requires an object for <c>application/*+json</c>), always with <c>text/plain</c>, and a Plotly.NET
/// chart also as <see cref="PlotlyMimeType"/>, which JupyterLab, Jupyter Notebook and VS Code draw natively.
/// </summary>
internal static class MimeBundle
{
    /// <summary>The MIME type of a plotly.js figure (<c>{"data": [...], "layout": {...}}</c>).</summary>
    public const string PlotlyMimeType = Execution.PlotlyFigure.MimeType;

    /// <summary>The bundle of one display or result.</summary>
    /// <param name="values">The kernel's formatted values (hidden ones are left out).</param>
    /// <param name="value">The displayed object, when the event carries it (it does in process).</param>
    public static JsonObject From(IEnumerable<FormattedValue> values, object? value)
    {
        var data = new JsonObject();
        foreach (var formatted in values.Where(v => !v.SuppressDisplay))
        {
            data[formatted.MimeType] = IsJson(formatted.MimeType) ? ParseOrText(formatted.Value) : formatted.Value;
        }

        if (Execution.PlotlyFigure.Json(value) is { } json)
        {
            var figure = JsonNode.Parse(json)!.AsObject();
            data[PlotlyMimeType] = figure;
            if (!data.ContainsKey("text/plain"))
            {
                data["text/plain"] = ChartSummary(figure);
            }
        }

        if (!data.ContainsKey("text/plain"))
        {
            data["text/plain"] = value is null ? string.Empty : value.ToDisplayString(PlainTextFormatter.MimeType);
        }

        return data;
    }

    /// <summary><c>Plotly chart: 2 traces (scatter, scatter)</c>: what a front end without a plot renderer shows.</summary>
    private static string ChartSummary(JsonObject figure)
    {
        var traces = figure["data"] as JsonArray ?? [];
        var types = traces.Select(t => t?["type"]?.GetValue<string>() ?? "trace");
        return $"Plotly chart: {traces.Count} trace{(traces.Count == 1 ? string.Empty : "s")} ({string.Join(", ", types)})";
    }

    private static bool IsJson(string mimeType) =>
        mimeType == "application/json" || (mimeType.StartsWith("application/", StringComparison.Ordinal) && mimeType.EndsWith("+json", StringComparison.Ordinal));

    private static JsonNode? ParseOrText(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return text;
        }
    }
}
