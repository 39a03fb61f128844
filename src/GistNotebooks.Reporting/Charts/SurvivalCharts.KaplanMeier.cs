using System.Globalization;
using GistNotebooks.Survival.Comparison;
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

    // The Kaplan–Meier figure's top and bottom margins, and the room kept between the plot and the risk table, in pixels.
    private const int KaplanMeierMarginTop = 80;
    private const int KaplanMeierMarginBottom = 30;
    private const int TableGapPixels = 80;

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
    /// <param name="logRank">A log-rank result (for example <c>LogRank.Test(data)</c> on the data of the curves) whose p-value is written on the plot as "Log-rank p = …"; default none.</param>
    /// <param name="pValue">A p-value to write on the plot as "p = …" when no log-rank result is given; default none.</param>
    /// <param name="riskTableRows">The rows under the plot: at risk, cumulative censored, cumulative events, or any combination; default at risk only (ignored when <paramref name="showAtRiskTable"/> is false).</param>
    /// <param name="palette">Colours of the groups in order, each of the form #RRGGBB, reused in turn; default <see cref="ChartStyle.Palette"/>.</param>
    /// <param name="legendLabels">Names of the groups in the legend, the hover texts and the table, one per curve; default the curves' groups.</param>
    /// <param name="scale">What the vertical axis shows: survival, cumulative events 1 − S, or cumulative hazard −log S; default survival.</param>
    /// <param name="censorMark">The censoring marker, a bar or a cross; default a bar.</param>
    /// <param name="censorMarkSize">The censoring marker size in pixels; default 11.</param>
    /// <param name="landmarks">Times at which to draw dashed vertical landmark lines across the plot; default none.</param>
    /// <exception cref="ArgumentException">No curves are given, the legend labels are not one per curve, the palette is empty, or a landmark is not finite.</exception>
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
        int height = 600,
        LogRankResult? logRank = null,
        double? pValue = null,
        RiskTableRows riskTableRows = RiskTableRows.AtRisk,
        IReadOnlyList<string>? palette = null,
        IReadOnlyList<string>? legendLabels = null,
        SurvivalScale scale = SurvivalScale.Survival,
        CensorMark censorMark = CensorMark.Bar,
        double censorMarkSize = 11,
        IReadOnlyList<double>? landmarks = null)
    {
        ArgumentNullException.ThrowIfNull(curves);
        if (curves.Count == 0)
        {
            throw new ArgumentException("At least one curve is needed.", nameof(curves));
        }

        if (legendLabels is not null && legendLabels.Count != curves.Count)
        {
            throw new ArgumentException($"Expected {curves.Count.ToString(CultureInfo.InvariantCulture)} legend labels, one per curve, but got {legendLabels.Count.ToString(CultureInfo.InvariantCulture)}.", nameof(legendLabels));
        }

        if (palette is not null && palette.Count == 0)
        {
            throw new ArgumentException("The palette needs at least one colour.", nameof(palette));
        }

        if (landmarks is not null && landmarks.Any(t => !double.IsFinite(t)))
        {
            throw new ArgumentException("Every landmark time must be finite.", nameof(landmarks));
        }

        string Label(int g) => legendLabels?[g] ?? GroupLabel(curves[g], g);
        string Color(int g) => palette is null ? ChartStyle.Color(g) : palette[g % palette.Count];

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
            traces.AddRange(CurveTraces(curves[g], Label(g), Color(g), timeUnit, showConfidenceBands, showCensorMarks, showMedians, scale, censorMark, censorMarkSize));
        }

        // The table's blocks in order, each with its meta name, heading and counts; a blank row separates blocks.
        var blocks = new List<(string Meta, string Heading, string Verb, AtRiskTable Table)>();
        if (showAtRiskTable)
        {
            if (riskTableRows.HasFlag(RiskTableRows.AtRisk))
            {
                blocks.Add(("at-risk", "Number at risk", "at risk", AtRiskTable.Compute(curves, ticks)));
            }

            if (riskTableRows.HasFlag(RiskTableRows.Censored))
            {
                blocks.Add(("censored-count", "Number censored", "censored by", AtRiskTable.ComputeCensored(curves, ticks)));
            }

            if (riskTableRows.HasFlag(RiskTableRows.CumulativeEvents))
            {
                blocks.Add(("cumulative-events", "Cumulative events", "events by", AtRiskTable.ComputeCumulativeEvents(curves, ticks)));
            }
        }

        var hasTable = blocks.Count > 0;
        var rowCount = (blocks.Count * (curves.Count + 1)) - 1;
        var tableShare = hasTable ? Math.Min(blocks.Count > 1 ? 0.5 : 0.35, 0.1 + (0.045 * rowCount)) : 0.0;
        // Between the plot and the table go the time axis's tick labels and title (about 65 px), whatever the
        // figure's height: a fixed share of the height left too little room in a short figure, and the title ran
        // into the first row of the table.
        var plotBottom = hasTable ? tableShare + Math.Max(0.17, TableGapPixels / (double)Math.Max(1, height - KaplanMeierMarginTop - KaplanMeierMarginBottom)) : 0.0;
        var tickText = ticks.Select(t => Number(t)).ToArray();
        var yAxis = scale switch
        {
            SurvivalScale.CumulativeHazard => Figure.Axis(
                "Cumulative hazard",
                ("rangemode", "tozero"),
                ("domain", new[] { plotBottom, 1.0 }),
                ("anchor", "x")),
            _ => Figure.Axis(
                scale == SurvivalScale.CumulativeEvents ? "Cumulative events (%)" : "Survival (%)",
                ("range", PercentRange),
                ("tickmode", "array"),
                ("tickvals", PercentTicks),
                ("ticksuffix", "%"),
                ("domain", new[] { plotBottom, 1.0 }),
                ("anchor", "x")),
        };
        var layoutProperties = new List<(string, object?)>
        {
            ("xaxis", Figure.Axis(
                timeAxisTitle ?? $"Time since start of follow-up ({timeUnit})",
                ("range", xRange),
                ("tickmode", "array"),
                ("tickvals", ticks.ToArray()),
                ("ticktext", tickText),
                ("anchor", "y"))),
            ("yaxis", yAxis),
            ("legend", Figure.Object(("orientation", "h"), ("x", 1.0), ("xanchor", "right"), ("y", 1.0), ("yanchor", "bottom"), ("bgcolor", "rgba(255,255,255,0)"))),
            ("showlegend", curves.Count > 1),
            ("margin", Figure.Object(("l", 110), ("r", 30), ("t", KaplanMeierMarginTop), ("b", KaplanMeierMarginBottom))),
        };

        var annotations = new List<DynamicObj.DynamicObj>();
        if (hasTable)
        {
            var rowValues = new List<double>();
            var rowLabels = new List<string>();
            for (var b = 0; b < blocks.Count; b++)
            {
                var (meta, heading, verb, table) = blocks[b];
                // Rows are numbered from the top; the axis runs upwards, so row r sits at rowCount − 1 − r.
                var firstRow = b * (curves.Count + 1);
                if (b > 0)
                {
                    // The heading sits in the blank row above its block, starting at the plot's left edge.
                    annotations.Add(Figure.Object(
                        ("text", $"<b>{heading}</b>"),
                        ("xref", "paper"),
                        ("yref", "y2"),
                        ("x", 0.0),
                        ("xanchor", "left"),
                        ("y", rowCount - firstRow),
                        ("yanchor", "middle"),
                        ("showarrow", false),
                        ("name", meta)));
                }

                for (var g = 0; g < curves.Count; g++)
                {
                    var row = rowCount - 1 - (firstRow + g);
                    rowValues.Add(row);
                    rowLabels.Add(Colored(Label(g), Color(g)));
                    traces.Add(Figure.Trace(
                        "scatter",
                        ("name", $"{heading}: {Label(g)}"),
                        ("x", ticks.ToArray()),
                        ("y", Enumerable.Repeat((double)row, ticks.Count).ToArray()),
                        ("text", table.Rows[g].Select(n => Number(n)).ToArray()),
                        ("mode", "text"),
                        ("textposition", "middle center"),
                        ("textfont", Figure.Object(("color", Color(g)), ("size", ChartStyle.FontSize))),
                        ("cliponaxis", false),
                        ("showlegend", false),
                        ("hovertemplate", $"{Label(g)}: %{{text}} {verb} %{{x}} {timeUnit}<extra></extra>"),
                        ("meta", meta),
                        ("xaxis", "x2"),
                        ("yaxis", "y2")));
                }
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
                ("range", new[] { -0.5, rowCount - 0.5 }),
                ("tickmode", "array"),
                ("tickvals", rowValues.ToArray()),
                // Row labels in the group's colour, so a row is read against its curve without the legend.
                ("ticktext", rowLabels.ToArray()),
                ("showgrid", false),
                ("showline", false),
                ("zeroline", false),
                ("fixedrange", true),
                ("anchor", "x2"))));
            annotations.Insert(0, Figure.Object(
                ("text", $"<b>{blocks[0].Heading}</b>"),
                ("xref", "paper"),
                ("yref", "paper"),
                ("x", 0.0),
                ("xanchor", "right"),
                ("y", tableShare),
                ("yanchor", "bottom"),
                ("showarrow", false)));
        }

        var pText = logRank is not null ? "Log-rank p = " + PValueText(logRank.P) : pValue is double p ? "p = " + PValueText(p) : null;
        if (pText is not null)
        {
            // Bottom left under falling survival curves; top left over rising cumulative curves.
            var top = scale != SurvivalScale.Survival;
            annotations.Add(Figure.Object(
                ("text", pText),
                ("xref", "paper"),
                ("yref", "paper"),
                ("x", 0.02),
                ("xanchor", "left"),
                ("y", top ? 0.98 : plotBottom + 0.04),
                ("yanchor", top ? "top" : "bottom"),
                ("showarrow", false),
                ("name", "p-value")));
        }

        if (annotations.Count > 0)
        {
            layoutProperties.Add(("annotations", annotations.ToArray()));
        }

        if (landmarks is { Count: > 0 })
        {
            layoutProperties.Add(("shapes", landmarks.Select(t => Figure.Object(
                ("type", "line"),
                ("xref", "x"),
                ("yref", "y domain"),
                ("x0", t),
                ("x1", t),
                ("y0", 0.0),
                ("y1", 1.0),
                ("line", Figure.Object(("dash", "dot"), ("width", 1.2), ("color", ChartStyle.TextColor))),
                ("name", "landmark"))).ToArray()));
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
        int height = 600,
        LogRankResult? logRank = null,
        double? pValue = null,
        RiskTableRows riskTableRows = RiskTableRows.AtRisk,
        IReadOnlyList<string>? palette = null,
        IReadOnlyList<string>? legendLabels = null,
        SurvivalScale scale = SurvivalScale.Survival,
        CensorMark censorMark = CensorMark.Bar,
        double censorMarkSize = 11,
        IReadOnlyList<double>? landmarks = null)
    {
        ArgumentNullException.ThrowIfNull(curve);
        return KaplanMeier([curve], title, timeUnit, timeAxisTitle, tickInterval, maximumTime, showConfidenceBands, showCensorMarks, showMedians, showAtRiskTable, height, logRank, pValue, riskTableRows, palette, legendLabels, scale, censorMark, censorMarkSize, landmarks);
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
        int height = 600,
        LogRankResult? logRank = null,
        double? pValue = null,
        RiskTableRows riskTableRows = RiskTableRows.AtRisk,
        IReadOnlyList<string>? palette = null,
        IReadOnlyList<string>? legendLabels = null,
        SurvivalScale scale = SurvivalScale.Survival,
        CensorMark censorMark = CensorMark.Bar,
        double censorMarkSize = 11,
        IReadOnlyList<double>? landmarks = null) =>
        KaplanMeier(curves, title, timeUnit, timeAxisTitle, tickInterval, maximumTime, showConfidenceBands, showCensorMarks, showMedians, showAtRiskTable, height, logRank, pValue, riskTableRows, palette, legendLabels, scale, censorMark, censorMarkSize, landmarks);

    internal static string GroupLabel(KaplanMeierCurve curve, int index) => GroupLabel(curve.Group, index);

    /// <summary>A curve's group, or for a curve without one "All subjects" (the first) or "Group n".</summary>
    internal static string GroupLabel(string? group, int index) =>
        group ?? (index == 0 ? "All subjects" : "Group " + (index + 1).ToString(CultureInfo.InvariantCulture));

    internal static string Colored(string text, string color) => $"<span style=\"color:{color}\">{System.Net.WebUtility.HtmlEncode(text)}</span>";

    internal static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static IEnumerable<Trace> CurveTraces(
        KaplanMeierCurve curve,
        string label,
        string color,
        string timeUnit,
        bool bands,
        bool censorMarks,
        bool medians,
        SurvivalScale scale,
        CensorMark censorMark,
        double censorMarkSize)
    {
        // The curve starts at S = 1: R's plot.survfit draws from time 0 even when the first time is later.
        var times = new List<double> { 0 };
        var survival = new List<double> { Scaled(1, scale) };
        var lower = new List<double> { Scaled(1, scale) };
        var upper = new List<double> { Scaled(1, scale) };
        foreach (var row in curve.Table)
        {
            if (scale == SurvivalScale.CumulativeHazard && !(row.Survival > 0))
            {
                // −log 0 is infinite: the cumulative hazard curve ends at the last time with S > 0.
                break;
            }

            times.Add(row.Time);
            survival.Add(Scaled(row.Survival, scale));
            // An undefined limit (S = 0, or S = 1 on the log-log scale) is drawn on the curve so the band closes;
            // on a rising scale the lower survival limit gives the upper band edge.
            var low = row.Lower is double l && (scale != SurvivalScale.CumulativeHazard || l > 0) ? l : row.Survival;
            var high = Math.Min(1.0, row.Upper ?? row.Survival);
            lower.Add(Scaled(scale == SurvivalScale.Survival ? low : high, scale));
            upper.Add(Scaled(scale == SurvivalScale.Survival ? high : low, scale));
        }

        var valueFormat = scale == SurvivalScale.CumulativeHazard ? "%{y:.3f}" : "%{y:.1f}%";

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
            ("hovertemplate", $"{label}<br>%{{x}} {timeUnit}: {valueFormat}<extra></extra>"),
            ("meta", "survival"));

        if (censorMarks)
        {
            var censoredRows = curve.Table.Where(r => r.Censored > 0 && (scale != SurvivalScale.CumulativeHazard || r.Survival > 0)).ToArray();
            yield return Figure.Trace(
                "scatter",
                ("name", label + ": censored"),
                ("x", censoredRows.Select(r => r.Time).ToArray()),
                ("y", censoredRows.Select(r => Scaled(r.Survival, scale)).ToArray()),
                ("mode", "markers"),
                ("marker", Figure.Object(
                    ("symbol", censorMark == CensorMark.Plus ? "cross-thin-open" : "line-ns-open"),
                    ("size", censorMarkSize),
                    ("line", Figure.Object(("width", 2), ("color", color))),
                    ("color", color))),
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
                ("y", new[] { Scaled(0.5, scale), Scaled(0.5, scale), 0 }),
                ("mode", "lines"),
                ("line", Figure.Object(("dash", "dash"), ("width", 1.2), ("color", color))),
                ("legendgroup", label),
                ("showlegend", false),
                ("hovertemplate", $"{label}: median %{{x}} {timeUnit}<extra></extra>"),
                ("meta", "median"));
        }
    }

    /// <summary>Survival S on the chart's vertical scale: 100·S, 100·(1 − S) or −log S.</summary>
    private static double Scaled(double survival, SurvivalScale scale) => scale switch
    {
        SurvivalScale.CumulativeEvents => 100 * (1 - survival),
        // + 0.0 turns −log 1 = −0 into 0.
        SurvivalScale.CumulativeHazard => -Math.Log(survival) + 0.0,
        _ => 100 * survival,
    };

    private static string PValueText(double p) => GistNotebooks.Survival.Inference.PValueFormat.Format(p);

    private static string Percent(double level) => (100 * level).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
