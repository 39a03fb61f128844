using Plotly.NET;

namespace GistNotebooks.Reporting.Charts;

/// <summary>One published series: its label, the figure it reported, the interval if any, and a group to colour it by.</summary>
/// <param name="Label">The study (e.g. "Nunobe 2005, n = 18").</param>
/// <param name="Estimate">The reported figure.</param>
/// <param name="Lower">The lower end of its interval, or null.</param>
/// <param name="Upper">The upper end of its interval, or null.</param>
/// <param name="Group">A group (e.g. "before imatinib"), or null.</param>
public sealed record PublishedStudy(string Label, double Estimate, double? Lower = null, double? Upper = null, string? Group = null);

public static partial class SurvivalCharts
{
    /// <summary>
    /// Published series side by side: one row per study, top to bottom in the order given, a point at the reported
    /// figure and a line over its interval, coloured by group with a legend when there are groups.
    /// </summary>
    /// <param name="studies">The studies.</param>
    /// <param name="measure">The figure with its unit, used as the axis title (e.g. "5-year overall survival (%)").</param>
    /// <param name="title">The chart title; default "Published series".</param>
    /// <param name="height">The figure height in pixels; default 140 + 40 per study.</param>
    /// <exception cref="ArgumentException">No studies.</exception>
    public static GenericChart PublishedSeries(
        IReadOnlyList<PublishedStudy> studies,
        string measure,
        string? title = null,
        int? height = null)
    {
        ArgumentNullException.ThrowIfNull(studies);
        ArgumentNullException.ThrowIfNull(measure);
        if (studies.Count == 0)
        {
            throw new ArgumentException("At least one study is needed.", nameof(studies));
        }

        double Y(int i) => studies.Count - 1 - i;
        var groups = studies.Select(s => s.Group).Distinct().ToArray();
        var traces = new List<Trace>();
        for (var g = 0; g < groups.Length; g++)
        {
            var members = Enumerable.Range(0, studies.Count).Where(i => studies[i].Group == groups[g]).ToArray();
            var color = ChartStyle.Color(g);
            traces.Add(Figure.Trace(
                "scatter",
                ("name", groups[g] ?? "Studies"),
                ("x", members.Select(i => studies[i].Estimate).ToArray()),
                ("y", members.Select(Y).ToArray()),
                ("mode", "markers"),
                ("marker", Figure.Object(("size", 11), ("color", color), ("symbol", "circle"))),
                ("error_x", Figure.Object(
                    ("type", "data"),
                    ("symmetric", false),
                    ("array", members.Select(i => studies[i].Upper is double u ? u - studies[i].Estimate : 0).ToArray()),
                    ("arrayminus", members.Select(i => studies[i].Lower is double l ? studies[i].Estimate - l : 0).ToArray()),
                    ("color", color),
                    ("thickness", 2),
                    ("width", 6))),
                ("text", members.Select(i => System.Net.WebUtility.HtmlEncode(studies[i].Label)).ToArray()),
                ("hovertemplate", "%{text}: %{x}<extra></extra>"),
                ("showlegend", groups.Length > 1),
                ("meta", "studies")));
        }

        var layout = Figure.Layout(
            title ?? "Published series",
            height ?? (140 + (40 * studies.Count)),
            ("xaxis", Figure.Axis(measure)),
            ("yaxis", Figure.Axis(
                null,
                ("range", new[] { -0.7, studies.Count - 0.3 }),
                ("tickmode", "array"),
                ("tickvals", Enumerable.Range(0, studies.Count).Select(Y).ToArray()),
                ("ticktext", studies.Select(s => System.Net.WebUtility.HtmlEncode(s.Label)).ToArray()),
                ("showgrid", false),
                ("ticks", ""),
                ("fixedrange", true))),
            ("legend", Figure.Object(("orientation", "h"), ("x", 1.0), ("xanchor", "right"), ("y", 1.0), ("yanchor", "bottom"))),
            // Room for the longest study label at the axis font (about 7 px a character), so no label is clipped.
            ("margin", Figure.Object(("l", Math.Max(200, 20 + (7 * studies.Max(s => s.Label.Length)))), ("r", 30), ("t", 80), ("b", 60))));
        return Figure.Chart(traces, layout);
    }
}
