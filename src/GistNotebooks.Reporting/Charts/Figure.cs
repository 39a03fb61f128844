using DynamicObj;
using Microsoft.FSharp.Collections;
using Plotly.NET;

namespace GistNotebooks.Reporting.Charts;

/// <summary>
/// Builds Plotly.NET charts from plotly.js attributes by name, so that every attribute the kit relies on
/// (step shape, fills, axis anchors) is visible in one place and lands in the figure JSON unchanged.
/// </summary>
internal static class Figure
{
    /// <summary>A plotly.js object from name–value pairs; null values are left out.</summary>
    public static DynamicObj.DynamicObj Object(params (string Name, object? Value)[] properties)
    {
        var result = new DynamicObj.DynamicObj();
        foreach (var (name, value) in properties)
        {
            if (value is not null)
            {
                result.SetProperty(name, value);
            }
        }

        return result;
    }

    /// <summary>A trace of a plotly.js type (scatter, histogram, ...) from name–value pairs.</summary>
    public static Trace Trace(string type, params (string Name, object? Value)[] properties)
    {
        var trace = new Trace2D(type);
        foreach (var (name, value) in properties)
        {
            if (value is not null)
            {
                trace.SetProperty(name, value);
            }
        }

        return trace;
    }

    /// <summary>The layout every chart starts from: white background, the kit's font, a title and room around the plot.</summary>
    public static Layout Layout(string? title, int height, params (string Name, object? Value)[] properties)
    {
        var layout = new Layout();
        layout.SetProperty("font", Object(("family", ChartStyle.FontFamily), ("size", ChartStyle.FontSize), ("color", ChartStyle.TextColor)));
        layout.SetProperty("paper_bgcolor", "white");
        layout.SetProperty("plot_bgcolor", "white");
        layout.SetProperty("height", height);
        layout.SetProperty("hovermode", "closest");
        if (title is not null)
        {
            // Left-aligned 12 px in from the figure's edge: at x = 0 alone the first letter touched the edge of an exported image.
            layout.SetProperty("title", Object(("text", title), ("x", 0.0), ("xanchor", "left"), ("pad", Object(("l", 12))), ("font", Object(("size", ChartStyle.FontSize + 4)))));
        }

        foreach (var (name, value) in properties)
        {
            if (value is not null)
            {
                layout.SetProperty(name, value);
            }
        }

        return layout;
    }

    /// <summary>An axis with a title in words, a visible axis line and light grid lines.</summary>
    public static DynamicObj.DynamicObj Axis(string? title, params (string Name, object? Value)[] properties)
    {
        var axis = Object(
            ("title", title is null ? null : Object(("text", title))),
            ("showline", true),
            ("linecolor", ChartStyle.TextColor),
            ("ticks", "outside"),
            ("tickcolor", ChartStyle.TextColor),
            ("showgrid", true),
            ("gridcolor", ChartStyle.GridColor),
            ("zeroline", false));
        foreach (var (name, value) in properties)
        {
            if (value is not null)
            {
                axis.SetProperty(name, value);
            }
        }

        return axis;
    }

    /// <summary>Combines traces and a layout into one chart value.</summary>
    public static GenericChart Chart(IEnumerable<Trace> traces, Layout layout)
    {
        var config = new Config();
        config.SetProperty("responsive", true);
        config.SetProperty("displaylogo", false);
        return GenericChart.NewMultiChart(ListModule.OfSeq(traces), layout, config, DisplayOptions.init(null, null, null, null, null, null, null));
    }
}
