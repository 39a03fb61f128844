using System.Globalization;
using GistNotebooks.Survival.Estimation;
using Plotly.NET;

namespace GistNotebooks.Reporting.Charts;

/// <summary>
/// One-call charts of survival results (Plotly.NET <see cref="GenericChart"/> values): Kaplan–Meier curves with the
/// numbers at risk, cumulative incidence, forest plots, power curves, ensemble distributions and published series.
/// Required data come first, optional named arguments after; every chart uses <see cref="ChartStyle"/>.
/// </summary>
public static partial class SurvivalCharts
{
    // 102 rather than 100 so a curve at 100% is not cut in half by the frame.
    private static readonly double[] PercentRange = [0, 102];
    private static readonly double[] PercentTicks = [0, 20, 40, 60, 80, 100];

    /// <summary>
    /// Kaplan–Meier curves of one or more groups as a publication figure: step curves in percent, shaded pointwise
    /// confidence bands, censoring marks on the curve, optional median lines, ticks at a natural interval (12 months
    /// for a follow-up in months) and, beneath the plot, the numbers at risk at each tick, one row per group in the
    /// group's colour, sharing the time axis so every number sits under its tick.
    /// </summary>
    /// <remarks>
    /// The number at risk at a tick t counts the subjects whose time is ≥ t, as R's <c>summary(fit, times = t)</c>;
    /// see <see cref="AtRiskTable.Compute"/>.
    /// </remarks>
    /// <param name="curves">The curves, one per group (as <see cref="KaplanMeier.EstimateByGroup(GistNotebooks.Survival.Data.SurvivalData, KaplanMeierOptions?)"/> gives them).</param>
    /// <param name="title">The chart title; default "Overall survival".</param>
    /// <param name="timeUnit">The unit of time, written in the axis title; default "months".</param>
    /// <param name="timeAxisTitle">The time axis title; default "Time since start of follow-up (unit)".</param>
    /// <param name="tickInterval">The interval between time ticks and at-risk counts; default from <see cref="TimeTicks.Interval"/>.</param>
    /// <param name="maximumTime">The end of the time axis; default the largest follow-up time.</param>
    /// <param name="showConfidenceBands">Whether to shade the pointwise confidence limits; default true.</param>
    /// <param name="showCensorMarks">Whether to mark censoring times on the curves; default true.</param>
    /// <param name="showMedians">Whether to draw dashed lines to each reached median; default false.</param>
    /// <param name="showAtRiskTable">Whether to add the numbers-at-risk table under the plot; default true.</param>
    /// <param name="height">The figure height in pixels; default 600.</param>
    /// <exception cref="ArgumentException">No curves are given.</exception>
    public static GenericChart KaplanMeier(
        IReadOnlyList<KaplanMeierCurve> curves,
        string? title = null,
        string timeUnit = "months",
        string? timeAxisTitle = null,
        double? tickInterval = null,
        double? maximumTime = null,
        bool showConfidenceBands = true,
        bool showCensorMarks = true,
        bool showMedians = false,
        bool showAtRiskTable = true,
        int height = 600)
    {
        ArgumentNullException.ThrowIfNull(curves);
        if (curves.Count == 0)
        {
            throw new ArgumentException("At least one curve is needed.", nameof(curves));
        }

        var lastTime = curves.Max(c => c.Table.IsEmpty ? 0 : c.Table[^1].Time);
        var xMaximum = maximumTime ?? lastTime;
        var interval = tickInterval ?? TimeTicks.Interval(xMaximum, timeUnit);
        var ticks = TimeTicks.At(xMaximum, interval);
        // A 3% margin each side keeps the first and last at-risk numbers and the curve's start off the frame.
        var padding = 0.03 * xMaximum;
        var xRange = new[] { -padding, xMaximum + padding };

        var traces = new List<Trace>();
        for (var g = 0; g < curves.Count; g++)
        {
            traces.AddRange(CurveTraces(curves[g], GroupLabel(curves[g], g), ChartStyle.Color(g), timeUnit, showConfidenceBands, showCensorMarks, showMedians));
        }

        var tableShare = showAtRiskTable ? Math.Min(0.35, 0.1 + (0.045 * curves.Count)) : 0.0;
        var plotBottom = showAtRiskTable ? tableShare + 0.17 : 0.0;
        var tickText = ticks.Select(t => Number(t)).ToArray();
        var layoutProperties = new List<(string, object?)>
        {
            ("xaxis", Figure.Axis(
                timeAxisTitle ?? $"Time since start of follow-up ({timeUnit})",
                ("range", xRange),
                ("tickmode", "array"),
                ("tickvals", ticks.ToArray()),
                ("ticktext", tickText),
                ("anchor", "y"))),
            ("yaxis", Figure.Axis(
                "Survival (%)",
                ("range", PercentRange),
                ("tickmode", "array"),
                ("tickvals", PercentTicks),
                ("ticksuffix", "%"),
                ("domain", new[] { plotBottom, 1.0 }),
                ("anchor", "x"))),
            ("legend", Figure.Object(("orientation", "h"), ("x", 1.0), ("xanchor", "right"), ("y", 1.0), ("yanchor", "bottom"), ("bgcolor", "rgba(255,255,255,0)"))),
            ("showlegend", curves.Count > 1),
            ("margin", Figure.Object(("l", 110), ("r", 30), ("t", 80), ("b", 30))),
        };

        if (showAtRiskTable)
        {
            var table = AtRiskTable.Compute(curves, ticks);
            for (var g = 0; g < curves.Count; g++)
            {
                var row = curves.Count - 1 - g;
                traces.Add(Figure.Trace(
                    "scatter",
                    ("name", "At risk: " + GroupLabel(curves[g], g)),
                    ("x", ticks.ToArray()),
                    ("y", Enumerable.Repeat((double)row, ticks.Count).ToArray()),
                    ("text", table.Rows[g].Select(n => Number(n)).ToArray()),
                    ("mode", "text"),
                    ("textposition", "middle center"),
                    ("textfont", Figure.Object(("color", ChartStyle.Color(g)), ("size", ChartStyle.FontSize))),
                    ("cliponaxis", false),
                    ("showlegend", false),
                    ("hovertemplate", $"{GroupLabel(curves[g], g)}: %{{text}} at risk at %{{x}} {timeUnit}<extra></extra>"),
                    ("meta", "at-risk"),
                    ("xaxis", "x2"),
                    ("yaxis", "y2")));
            }

            layoutProperties.Add(("xaxis2", Figure.Object(
                ("matches", "x"),
                ("range", xRange),
                ("tickmode", "array"),
                ("tickvals", ticks.ToArray()),
                ("showticklabels", false),
                ("showgrid", false),
                ("showline", false),
                ("zeroline", false),
                ("anchor", "y2"))));
            layoutProperties.Add(("yaxis2", Figure.Object(
                ("domain", new[] { 0.0, tableShare }),
                ("range", new[] { -0.5, curves.Count - 0.5 }),
                ("tickmode", "array"),
                ("tickvals", Enumerable.Range(0, curves.Count).Select(i => (double)i).ToArray()),
                // Row labels in the group's colour, so a row is read against its curve without the legend.
                ("ticktext", Enumerable.Range(0, curves.Count).Select(i => Colored(GroupLabel(curves[curves.Count - 1 - i], curves.Count - 1 - i), ChartStyle.Color(curves.Count - 1 - i))).ToArray()),
                ("showgrid", false),
                ("showline", false),
                ("zeroline", false),
                ("fixedrange", true),
                ("anchor", "x2"))));
            layoutProperties.Add(("annotations", new[]
            {
                Figure.Object(
                    ("text", "<b>Number at risk</b>"),
                    ("xref", "paper"),
                    ("yref", "paper"),
                    ("x", 0.0),
                    ("xanchor", "right"),
                    ("y", tableShare),
                    ("yanchor", "bottom"),
                    ("showarrow", false)),
            }));
        }

        var layout = Figure.Layout(title ?? "Overall survival", height, [.. layoutProperties]);
        return Figure.Chart(traces, layout);
    }

    /// <summary>The Kaplan–Meier chart of one curve; see <see cref="KaplanMeier"/> for the arguments.</summary>
    public static GenericChart ToChart(
        this KaplanMeierCurve curve,
        string? title = null,
        string timeUnit = "months",
        string? timeAxisTitle = null,
        double? tickInterval = null,
        double? maximumTime = null,
        bool showConfidenceBands = true,
        bool showCensorMarks = true,
        bool showMedians = false,
        bool showAtRiskTable = true,
        int height = 600)
    {
        ArgumentNullException.ThrowIfNull(curve);
        return KaplanMeier([curve], title, timeUnit, timeAxisTitle, tickInterval, maximumTime, showConfidenceBands, showCensorMarks, showMedians, showAtRiskTable, height);
    }

    /// <summary>The Kaplan–Meier chart of several groups; see <see cref="KaplanMeier"/> for the arguments.</summary>
    public static GenericChart ToChart(
        this IReadOnlyList<KaplanMeierCurve> curves,
        string? title = null,
        string timeUnit = "months",
        string? timeAxisTitle = null,
        double? tickInterval = null,
        double? maximumTime = null,
        bool showConfidenceBands = true,
        bool showCensorMarks = true,
        bool showMedians = false,
        bool showAtRiskTable = true,
        int height = 600) =>
        KaplanMeier(curves, title, timeUnit, timeAxisTitle, tickInterval, maximumTime, showConfidenceBands, showCensorMarks, showMedians, showAtRiskTable, height);

    internal static string GroupLabel(KaplanMeierCurve curve, int index) =>
        curve.Group ?? (index == 0 ? "All subjects" : "Group " + (index + 1).ToString(CultureInfo.InvariantCulture));

    internal static string Colored(string text, string color) => $"<span style=\"color:{color}\">{System.Net.WebUtility.HtmlEncode(text)}</span>";

    internal static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static IEnumerable<Trace> CurveTraces(
        KaplanMeierCurve curve, string label, string color, string timeUnit, bool bands, bool censorMarks, bool medians)
    {
        // The curve starts at (0, 100%): R's plot.survfit draws from time 0 even when the first time is later.
        var times = new List<double> { 0 };
        var survival = new List<double> { 100 };
        var lower = new List<double> { 100 };
        var upper = new List<double> { 100 };
        foreach (var row in curve.Table)
        {
            times.Add(row.Time);
            survival.Add(100 * row.Survival);
            // An undefined limit (S = 0, or S = 1 on the log-log scale) is drawn on the curve so the band closes.
            lower.Add(100 * (row.Lower ?? row.Survival));
            upper.Add(100 * Math.Min(1.0, row.Upper ?? row.Survival));
        }

        if (bands)
        {
            yield return Figure.Trace(
                "scatter",
                ("name", $"{label}: upper {Percent(curve.ConfidenceLevel)} limit"),
                ("x", times.ToArray()),
                ("y", upper.ToArray()),
                ("mode", "lines"),
                ("line", Figure.Object(("shape", "hv"), ("width", 0), ("color", color))),
                ("legendgroup", label),
                ("showlegend", false),
                ("hoverinfo", "skip"),
                ("meta", "band-upper"));
            yield return Figure.Trace(
                "scatter",
                ("name", $"{label}: {Percent(curve.ConfidenceLevel)} confidence band"),
                ("x", times.ToArray()),
                ("y", lower.ToArray()),
                ("mode", "lines"),
                ("line", Figure.Object(("shape", "hv"), ("width", 0), ("color", color))),
                ("fill", "tonexty"),
                ("fillcolor", ChartStyle.Transparent(color, 0.18)),
                ("legendgroup", label),
                ("showlegend", false),
                ("hoverinfo", "skip"),
                ("meta", "band-lower"));
        }

        yield return Figure.Trace(
            "scatter",
            ("name", label),
            ("x", times.ToArray()),
            ("y", survival.ToArray()),
            ("mode", "lines"),
            ("line", Figure.Object(("shape", "hv"), ("width", 2.5), ("color", color))),
            ("legendgroup", label),
            ("hovertemplate", $"{label}<br>%{{x}} {timeUnit}: %{{y:.1f}}%<extra></extra>"),
            ("meta", "survival"));

        if (censorMarks)
        {
            var censoredRows = curve.Table.Where(r => r.Censored > 0).ToArray();
            yield return Figure.Trace(
                "scatter",
                ("name", label + ": censored"),
                ("x", censoredRows.Select(r => r.Time).ToArray()),
                ("y", censoredRows.Select(r => 100 * r.Survival).ToArray()),
                ("mode", "markers"),
                ("marker", Figure.Object(("symbol", "line-ns-open"), ("size", 11), ("line", Figure.Object(("width", 2), ("color", color))), ("color", color))),
                ("legendgroup", label),
                ("showlegend", false),
                ("hovertemplate", $"{label}: censored at %{{x}} {timeUnit}<extra></extra>"),
                ("meta", "censored"));
        }

        if (medians && curve.Median.Estimate is double median)
        {
            yield return Figure.Trace(
                "scatter",
                ("name", $"{label}: median {Number(median)} {timeUnit}"),
                ("x", new[] { 0, median, median }),
                ("y", new[] { 50.0, 50, 0 }),
                ("mode", "lines"),
                ("line", Figure.Object(("dash", "dash"), ("width", 1.2), ("color", color))),
                ("legendgroup", label),
                ("showlegend", false),
                ("hovertemplate", $"{label}: median %{{x}} {timeUnit}<extra></extra>"),
                ("meta", "median"));
        }
    }

    private static string Percent(double level) => (100 * level).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
