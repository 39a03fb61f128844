using System.Globalization;
using GistNotebooks.Survival.Regression;
using Plotly.NET;

namespace GistNotebooks.Reporting.Charts;

/// <summary>One line of a forest plot: a label, a hazard ratio and its confidence limits (null when they do not exist).</summary>
/// <param name="Label">The term or subgroup.</param>
/// <param name="HazardRatio">The estimated hazard ratio.</param>
/// <param name="Lower">The lower confidence limit, or null.</param>
/// <param name="Upper">The upper confidence limit, or null.</param>
public sealed record ForestRow(string Label, double HazardRatio, double? Lower, double? Upper);

public static partial class SurvivalCharts
{
    // The plot takes the left two thirds; the column of numbers the rest.
    private static readonly double[] ForestPlotDomain = [0.0, 0.68];
    private static readonly double[] ForestNumbersDomain = [0.72, 1.0];
    private static readonly double[] UnitRange = [0.0, 1.0];

    /// <summary>
    /// A forest plot of hazard ratios: a square per row with its confidence interval as a line, on a logarithmic axis
    /// (so 0.5 and 2 are equally far from 1), a dashed line at 1 (no effect), and beside the plot a column with the
    /// numbers, "HR (lower–upper)". Rows run top to bottom in the order given.
    /// </summary>
    /// <param name="rows">The rows.</param>
    /// <param name="title">The chart title; default "Hazard ratios".</param>
    /// <param name="confidenceLevel">The level of the intervals, used in the column heading; default 0.95.</param>
    /// <param name="axisTitle">The axis title; default "Hazard ratio (log scale)".</param>
    /// <param name="height">The figure height in pixels; default 140 + 40 per row.</param>
    /// <exception cref="ArgumentException">No rows, or a hazard ratio or limit that is not positive.</exception>
    public static GenericChart Forest(
        IReadOnlyList<ForestRow> rows,
        string? title = null,
        double confidenceLevel = 0.95,
        string? axisTitle = null,
        int? height = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("At least one row is needed.", nameof(rows));
        }

        foreach (var row in rows)
        {
            if (!(row.HazardRatio > 0) || row.Lower is <= 0 || row.Upper is <= 0)
            {
                throw new ArgumentException($"Row '{row.Label}': a hazard ratio and its limits must be positive on a log axis.", nameof(rows));
            }
        }

        // Row i is drawn at y = count − 1 − i so the first row is at the top.
        double Y(int i) => rows.Count - 1 - i;
        var intervalX = new List<double?>();
        var intervalY = new List<double?>();
        for (var i = 0; i < rows.Count; i++)
        {
            intervalX.AddRange([rows[i].Lower ?? rows[i].HazardRatio, rows[i].Upper ?? rows[i].HazardRatio, null]);
            intervalY.AddRange([Y(i), Y(i), null]);
        }

        var values = rows.SelectMany(r => new[] { r.HazardRatio, r.Lower ?? r.HazardRatio, r.Upper ?? r.HazardRatio }).Append(1.0).ToArray();
        // A quarter of a decade beyond the extremes keeps squares and interval ends off the frame.
        var logRange = new[] { Math.Log10(values.Min()) - 0.25, Math.Log10(values.Max()) + 0.25 };
        var level = (100 * confidenceLevel).ToString("0.#", CultureInfo.InvariantCulture);
        var labels = rows.Select(r => System.Net.WebUtility.HtmlEncode(r.Label)).ToArray();
        var traces = new List<Trace>
        {
            Figure.Trace(
                "scatter",
                ("name", $"{level}% confidence interval"),
                ("x", intervalX.ToArray()),
                ("y", intervalY.ToArray()),
                ("mode", "lines"),
                ("line", Figure.Object(("color", ChartStyle.Color(0)), ("width", 2))),
                ("connectgaps", false),
                ("hoverinfo", "skip"),
                ("showlegend", false),
                ("meta", "interval")),
            Figure.Trace(
                "scatter",
                ("name", "Hazard ratio"),
                ("x", rows.Select(r => r.HazardRatio).ToArray()),
                ("y", Enumerable.Range(0, rows.Count).Select(Y).ToArray()),
                ("mode", "markers"),
                ("marker", Figure.Object(("symbol", "square"), ("size", 12), ("color", ChartStyle.Color(0)))),
                ("text", labels),
                ("hovertemplate", "%{text}: HR %{x:.3f}<extra></extra>"),
                ("showlegend", false),
                ("meta", "estimate")),
            Figure.Trace(
                "scatter",
                ("name", "Numbers"),
                ("x", Enumerable.Repeat(0.0, rows.Count).ToArray()),
                ("y", Enumerable.Range(0, rows.Count).Select(Y).ToArray()),
                ("text", rows.Select(r => HazardRatioText(r)).ToArray()),
                ("mode", "text"),
                ("textposition", "middle right"),
                ("cliponaxis", false),
                ("hoverinfo", "skip"),
                ("showlegend", false),
                ("xaxis", "x2"),
                ("meta", "numbers")),
        };

        var yRange = new[] { -0.7, rows.Count - 0.3 };
        var layout = Figure.Layout(
            title ?? "Hazard ratios",
            height ?? (140 + (40 * rows.Count)),
            ("xaxis", Figure.Axis(
                axisTitle ?? "Hazard ratio (log scale)",
                ("type", "log"),
                ("range", logRange),
                // Plotly's automatic log ticks label 0.5–0.9 as "5 … 9"; named ratios read unambiguously.
                ("tickmode", "array"),
                ("tickvals", LogAxisTicks(logRange)),
                ("domain", ForestPlotDomain),
                ("showgrid", false),
                ("anchor", "y"))),
            ("xaxis2", Figure.Object(
                ("domain", ForestNumbersDomain),
                ("range", UnitRange),
                ("visible", false),
                ("anchor", "y"))),
            ("yaxis", Figure.Axis(
                null,
                ("range", yRange),
                ("tickmode", "array"),
                ("tickvals", Enumerable.Range(0, rows.Count).Select(Y).ToArray()),
                ("ticktext", labels),
                ("showgrid", false),
                ("ticks", ""),
                ("fixedrange", true))),
            ("shapes", new[]
            {
                Figure.Object(
                    ("type", "line"),
                    ("xref", "x"),
                    ("yref", "paper"),
                    ("x0", 1.0),
                    ("x1", 1.0),
                    ("y0", 0.0),
                    ("y1", 1.0),
                    ("line", Figure.Object(("color", ChartStyle.TextColor), ("dash", "dash"), ("width", 1)))),
            }),
            ("annotations", new[]
            {
                Figure.Object(
                    ("text", $"<b>HR ({level}% CI)</b>"),
                    ("xref", "paper"),
                    ("yref", "paper"),
                    ("x", 0.72),
                    ("xanchor", "left"),
                    ("y", 1.0),
                    ("yanchor", "bottom"),
                    ("showarrow", false)),
            }),
            ("margin", Figure.Object(("l", 180), ("r", 20), ("t", 80), ("b", 60))));
        return Figure.Chart(traces, layout);
    }

    /// <summary>
    /// The forest plot of a Cox model's hazard ratios exp(β) with their confidence limits; an infinite estimate
    /// (monotone likelihood) is left out and named in the title, since it has no place on the axis.
    /// </summary>
    /// <param name="model">The fitted model.</param>
    /// <param name="title">The chart title; default "Hazard ratios (Cox model)".</param>
    /// <param name="height">The figure height in pixels; default 140 + 40 per row.</param>
    public static GenericChart ToForestChart(this CoxModel model, string? title = null, int? height = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var finite = model.Coefficients.Select((c, index) => (Coefficient: c, Label: TermLabel(model, index))).Where(c => !c.Coefficient.IsInfinite).ToArray();
        var infinite = model.Coefficients.Where(c => c.IsInfinite).Select(c => c.Term).ToArray();
        var heading = title ?? "Hazard ratios (Cox model)";
        if (infinite.Length > 0)
        {
            heading += "<br><sup>Not shown, infinite estimate: " + System.Net.WebUtility.HtmlEncode(string.Join(", ", infinite)) + "</sup>";
        }

        return Forest([.. finite.Select(c => new ForestRow(c.Label, c.Coefficient.HazardRatio, c.Coefficient.Lower, c.Coefficient.Upper))], heading, model.ConfidenceLevel, height: height);
    }

    /// <summary>A factor level's coefficient reads "factor: level" (R names it "factorlevel"); a numeric covariate keeps its name.</summary>
    private static string TermLabel(CoxModel model, int index)
    {
        var name = model.Coefficients[index].Term;
        var term = model.ModelTerms.FirstOrDefault(t => t.Columns.Contains(index));
        return term is not null && name.Length > term.Name.Length && name.StartsWith(term.Name, StringComparison.Ordinal)
            ? term.Name + ": " + name[term.Name.Length..]
            : name;
    }

    /// <summary>"1.23 (0.45–3.21)" with three significant decimals, "NA" for a missing limit.</summary>
    internal static string HazardRatioText(ForestRow row) =>
        $"{Fixed(row.HazardRatio)} ({(row.Lower is double l ? Fixed(l) : "NA")}–{(row.Upper is double u ? Fixed(u) : "NA")})";

    /// <summary>Two decimals, or two significant digits below 0.01 so a small limit does not print as 0.00.</summary>
    private static string Fixed(double value) =>
        value is > 0 and < 0.01 ? value.ToString("G2", CultureInfo.InvariantCulture) : value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>
    /// Named hazard-ratio ticks for a log axis spanning <paramref name="logRange"/> (log10 units): the fine series
    /// (0.5, 0.7, 1, 1.5, 2 ...) over about a decade, 1–2–5 steps over a few decades, and powers of ten beyond, so the
    /// labels never crowd however wide an interval is (a Firth interval can reach 0.004).
    /// </summary>
    internal static double[] LogAxisTicks(double[] logRange)
    {
        var span = logRange[1] - logRange[0];
        double[] mantissas = span <= 1.3 ? [] : span <= 2.5 ? [1, 2, 5] : [1];
        var candidates = span <= 1.3
            ? HazardRatioTicks
            : Enumerable.Range((int)Math.Floor(logRange[0]), (int)Math.Ceiling(logRange[1]) - (int)Math.Floor(logRange[0]) + 1)
                .SelectMany(power => mantissas.Select(m => m * Math.Pow(10, power)))
                .ToArray();
        return [.. candidates.Where(t => Math.Log10(t) >= logRange[0] - 1e-9 && Math.Log10(t) <= logRange[1] + 1e-9)];
    }
}
