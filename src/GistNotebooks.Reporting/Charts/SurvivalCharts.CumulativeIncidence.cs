using System.Globalization;
using GistNotebooks.Survival.Estimation;
using Plotly.NET;

namespace GistNotebooks.Reporting.Charts;

public static partial class SurvivalCharts
{
    /// <summary>
    /// Cumulative incidence curves of competing risks (Aalen–Johansen, as <c>cmprsk::cuminc</c>), in percent, as step
    /// functions. Side by side (default): one panel per cause, one curve per group in the group's colour. Stacked: one
    /// panel per group, the causes stacked as shaded areas (cause k is drawn at F₁ + … + F_k), colour by cause, so the
    /// top edge is the incidence of any event.
    /// </summary>
    /// <param name="result">The cumulative incidence result.</param>
    /// <param name="stacked">Whether to stack causes within each group; default false (panels per cause).</param>
    /// <param name="causeLabels">Names of the causes by code (e.g. 1 → "Relapse"); default "Cause k".</param>
    /// <param name="title">The chart title; default "Cumulative incidence by cause".</param>
    /// <param name="timeUnit">The unit of time; default "months".</param>
    /// <param name="tickInterval">The interval between time ticks; default from <see cref="TimeTicks.Interval"/>.</param>
    /// <param name="height">The figure height in pixels; default 480.</param>
    /// <exception cref="ArgumentException">The result has no curves.</exception>
    public static GenericChart ToChart(
        this CumulativeIncidenceResult result,
        bool stacked = false,
        IReadOnlyDictionary<int, string>? causeLabels = null,
        string? title = null,
        string timeUnit = "months",
        double? tickInterval = null,
        int height = 480)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Curves.IsEmpty)
        {
            throw new ArgumentException("The result has no curves.", nameof(result));
        }

        var causes = result.Curves.Select(c => c.Cause).Distinct().Order().ToArray();
        var groups = result.Curves.Select(c => c.Group).Distinct().ToArray();
        string CauseLabel(int cause) => causeLabels is not null && causeLabels.TryGetValue(cause, out var label) ? label : "Cause " + cause.ToString(CultureInfo.InvariantCulture);
        // A bare code such as "1" reads as a group only with the word in front of it.
        string GroupName(string? group) => group is null ? "All subjects" : double.TryParse(group, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? "Group " + group : group;

        var maximum = result.Curves.Max(c => c.MaxFollowUpTime);
        var interval = tickInterval ?? TimeTicks.Interval(maximum, timeUnit);
        var ticks = TimeTicks.At(maximum, interval).ToArray();
        var xRange = new[] { -0.02 * maximum, 1.02 * maximum };
        var panelTitles = stacked ? groups.Select(GroupName).ToArray() : causes.Select(CauseLabel).ToArray();
        var traces = new List<Trace>();

        if (!stacked)
        {
            for (var c = 0; c < causes.Length; c++)
            {
                for (var g = 0; g < groups.Length; g++)
                {
                    var curve = result.Curve(causes[c], groups[g]);
                    var (x, y) = Steps(curve, curve.Points.Select(p => p.Time).ToArray());
                    traces.Add(Figure.Trace(
                        "scatter",
                        ("name", GroupName(groups[g])),
                        ("x", x),
                        ("y", y),
                        ("mode", "lines"),
                        ("line", Figure.Object(("shape", "hv"), ("width", 2.5), ("color", ChartStyle.Color(g)))),
                        ("legendgroup", GroupName(groups[g])),
                        ("showlegend", c == 0 && groups.Length > 1),
                        ("hovertemplate", $"{CauseLabel(causes[c])}, {GroupName(groups[g])}<br>%{{x}} {timeUnit}: %{{y:.1f}}%<extra></extra>"),
                        ("meta", "incidence"),
                        ("xaxis", AxisId("x", c)),
                        ("yaxis", AxisId("y", c))));
                }
            }
        }
        else
        {
            for (var g = 0; g < groups.Length; g++)
            {
                var groupCurves = causes.Select(cause => result.Curve(cause, groups[g])).ToArray();
                // Every cause is read on the same time grid so the stacked sums line up.
                var grid = groupCurves.SelectMany(c => c.Points.Select(p => p.Time)).Distinct().Order().ToArray();
                var running = new double[grid.Length + 1];
                for (var c = 0; c < causes.Length; c++)
                {
                    var (x, y) = Steps(groupCurves[c], grid);
                    for (var i = 0; i < y.Length; i++)
                    {
                        running[i] += y[i];
                        y[i] = running[i];
                    }

                    var color = ChartStyle.Color(c);
                    traces.Add(Figure.Trace(
                        "scatter",
                        ("name", CauseLabel(causes[c])),
                        ("x", x),
                        ("y", y),
                        ("mode", "lines"),
                        ("line", Figure.Object(("shape", "hv"), ("width", 1.5), ("color", color))),
                        ("fill", c == 0 ? "tozeroy" : "tonexty"),
                        ("fillcolor", ChartStyle.Transparent(color, 0.45)),
                        ("legendgroup", CauseLabel(causes[c])),
                        ("showlegend", g == 0),
                        ("hovertemplate", $"{GroupName(groups[g])}: up to {CauseLabel(causes[c])}<br>%{{x}} {timeUnit}: %{{y:.1f}}%<extra></extra>"),
                        ("meta", "incidence-stacked"),
                        ("xaxis", AxisId("x", g)),
                        ("yaxis", AxisId("y", g))));
                }
            }
        }

        var panels = panelTitles.Length;
        var properties = new List<(string, object?)>();
        const double gap = 0.06;
        var width = (1.0 - (gap * (panels - 1))) / panels;
        var annotations = new List<object>();
        for (var p = 0; p < panels; p++)
        {
            var left = p * (width + gap);
            properties.Add((AxisKey("xaxis", p), Figure.Axis(
                $"Time ({timeUnit})",
                ("domain", new[] { left, left + width }),
                ("range", xRange),
                ("tickmode", "array"),
                ("tickvals", ticks),
                ("anchor", AxisId("y", p)))));
            properties.Add((AxisKey("yaxis", p), Figure.Axis(
                p == 0 ? (stacked ? "Cumulative incidence, stacked (%)" : "Cumulative incidence (%)") : null,
                ("range", PercentRange),
                ("tickvals", PercentTicks),
                ("ticksuffix", "%"),
                ("anchor", AxisId("x", p)),
                ("matches", p == 0 ? null : "y"))));
            annotations.Add(Figure.Object(
                ("text", "<b>" + System.Net.WebUtility.HtmlEncode(panelTitles[p]) + "</b>"),
                ("xref", "paper"),
                ("yref", "paper"),
                ("x", left + (width / 2)),
                ("xanchor", "center"),
                ("y", 1.0),
                ("yanchor", "bottom"),
                ("showarrow", false)));
        }

        properties.Add(("annotations", annotations.ToArray()));
        // Group labels such as "1" and "2" mean nothing without the legend's title.
        properties.Add(("legend", Figure.Object(
            ("orientation", "h"), ("x", 1.0), ("xanchor", "right"), ("y", 1.08), ("yanchor", "bottom"),
            ("title", Figure.Object(("text", stacked ? "Cause" : "Group"))))));
        properties.Add(("margin", Figure.Object(("l", 80), ("r", 30), ("t", 100), ("b", 60))));
        var layout = Figure.Layout(title ?? "Cumulative incidence by cause", height, [.. properties]);
        return Figure.Chart(traces, layout);
    }

    /// <summary>A curve's step values in percent on a grid, from (0, 0), ending at its last follow-up time.</summary>
    private static (double[] X, double[] Y) Steps(CumulativeIncidenceCurve curve, double[] grid)
    {
        var values = curve.At(grid);
        var x = new double[grid.Length + 1];
        var y = new double[grid.Length + 1];
        for (var i = 0; i < grid.Length; i++)
        {
            x[i + 1] = grid[i];
            // Beyond a group's follow-up the curve is undefined (null); the step holds its last value for stacking.
            y[i + 1] = 100 * (values[i].Estimate ?? (i == 0 ? 0 : y[i] / 100));
        }

        return (x, y);
    }

    private static string AxisId(string letter, int index) => index == 0 ? letter : letter + (index + 1).ToString(CultureInfo.InvariantCulture);

    private static string AxisKey(string name, int index) => index == 0 ? name : name + (index + 1).ToString(CultureInfo.InvariantCulture);
}
