using System.Globalization;
using Plotly.NET;

namespace GistNotebooks.Reporting.Charts;

public static partial class SurvivalCharts
{
    /// <summary>
    /// The distribution of one figure across an ensemble of reconstructed cohorts, as a histogram (default) or a
    /// violin with its box and points, with the value the paper reported marked by a vertical dashed line (and, when
    /// given, the interval the printed precision admits shaded), so a reader sees how much the figure depends on what
    /// the paper left unknown.
    /// </summary>
    /// <param name="values">The figure in each cohort (NaN and infinite values are left out and counted in the subtitle).</param>
    /// <param name="figure">The figure's name with its unit, used as the axis title (e.g. "Median survival (months)").</param>
    /// <param name="reported">The reported value, or null to mark none.</param>
    /// <param name="reportedLower">The lower end of the interval the printed precision admits, or null.</param>
    /// <param name="reportedUpper">The upper end of that interval, or null.</param>
    /// <param name="referenceLabel">The label of the marked value; default "Reported" (e.g. "Threshold" for a claim's α).</param>
    /// <param name="violin">Whether to draw a violin instead of a histogram; default false.</param>
    /// <param name="title">The chart title; default "Across N reconstructed cohorts".</param>
    /// <param name="height">The figure height in pixels; default 420.</param>
    /// <exception cref="ArgumentException">No finite value.</exception>
    public static GenericChart EnsembleDistribution(
        IReadOnlyList<double> values,
        string figure,
        double? reported = null,
        double? reportedLower = null,
        double? reportedUpper = null,
        bool violin = false,
        string? title = null,
        int height = 420,
        string referenceLabel = "Reported")
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(figure);
        ArgumentNullException.ThrowIfNull(referenceLabel);
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0)
        {
            throw new ArgumentException("No finite value to show.", nameof(values));
        }

        var undefined = values.Count - finite.Length;
        var heading = title ?? $"Across {finite.Length.ToString(CultureInfo.InvariantCulture)} reconstructed cohorts";
        if (undefined > 0)
        {
            heading += $"<br><sup>{undefined.ToString(CultureInfo.InvariantCulture)} cohorts where the figure does not exist are not shown</sup>";
        }

        var color = ChartStyle.Color(0);
        var trace = violin
            ? Figure.Trace(
                "violin",
                ("name", figure),
                ("x", finite),
                ("orientation", "h"),
                ("y0", " "),
                ("box", Figure.Object(("visible", true))),
                ("meanline", Figure.Object(("visible", true))),
                ("points", "all"),
                ("jitter", 0.4),
                ("pointpos", -1.6),
                ("marker", Figure.Object(("size", 4), ("opacity", 0.5), ("color", color))),
                ("line", Figure.Object(("color", color))),
                ("fillcolor", ChartStyle.Transparent(color, 0.25)),
                ("showlegend", false),
                ("meta", "distribution"))
            : Figure.Trace(
                "histogram",
                ("name", figure),
                ("x", finite),
                ("marker", Figure.Object(("color", ChartStyle.Transparent(color, 0.75)), ("line", Figure.Object(("color", "white"), ("width", 1))))),
                ("hovertemplate", "%{x}: %{y} cohorts<extra></extra>"),
                ("showlegend", false),
                ("meta", "distribution"));

        var shapes = new List<object>();
        var annotations = new List<object>();
        if (reportedLower is double low && reportedUpper is double high)
        {
            shapes.Add(Figure.Object(
                ("type", "rect"), ("xref", "x"), ("yref", "paper"), ("x0", low), ("x1", high), ("y0", 0.0), ("y1", 1.0),
                ("fillcolor", ChartStyle.Transparent("#D55E00", 0.15)), ("line", Figure.Object(("width", 0))), ("layer", "below")));
        }

        if (reported is double value)
        {
            shapes.Add(Figure.Object(
                ("type", "line"), ("xref", "x"), ("yref", "paper"), ("x0", value), ("x1", value), ("y0", 0.0), ("y1", 1.0),
                ("line", Figure.Object(("color", ChartStyle.Color(1)), ("dash", "dash"), ("width", 2.5)))));
            annotations.Add(Figure.Object(
                ("text", referenceLabel + ": " + Number(value)), ("xref", "x"), ("yref", "paper"), ("x", value), ("y", 1.0),
                ("xanchor", "left"), ("yanchor", "bottom"), ("showarrow", false), ("font", Figure.Object(("color", ChartStyle.Color(1))))));
        }

        var layout = Figure.Layout(
            heading,
            height,
            ("xaxis", Figure.Axis(figure)),
            ("yaxis", violin ? Figure.Axis(null, ("showticklabels", false), ("showgrid", false), ("ticks", "")) : Figure.Axis("Number of cohorts")),
            ("bargap", 0.05),
            ("shapes", shapes.ToArray()),
            ("annotations", annotations.ToArray()),
            ("margin", Figure.Object(("l", 80), ("r", 30), ("t", 90), ("b", 60))));
        return Figure.Chart([trace], layout);
    }
}
