using GistNotebooks.Reporting.Formatting;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Regression;
using Plotly.NET;

namespace GistNotebooks.Reporting.Charts;

public static partial class SurvivalCharts
{
    /// <summary>
    /// Fitted parametric survival curves over the Kaplan–Meier curve they were fitted to, with the numbers at risk:
    /// each distribution a solid line up to the last follow-up time and a dashed line beyond it, where the curve is an
    /// extrapolation that only the choice of distribution supports; a dotted vertical line marks the end of follow-up.
    /// </summary>
    /// <param name="curve">The Kaplan–Meier curve of the data the models were fitted to.</param>
    /// <param name="models">The fitted models, drawn in the order given (colours after the Kaplan–Meier curve's).</param>
    /// <param name="covariates">The covariate values to draw the models at (intercept excluded, in term order); default none, for intercept-only models.</param>
    /// <param name="horizon">The end of the time axis; default twice the last follow-up time. At least the last follow-up time.</param>
    /// <param name="title">The chart title; default "Fitted distributions and Kaplan–Meier estimate".</param>
    /// <param name="timeUnit">The unit of time, written in the axis title; default "months".</param>
    /// <param name="tickInterval">The interval between time ticks and at-risk counts; default from <see cref="TimeTicks.Interval"/>.</param>
    /// <param name="showConfidenceBands">Whether to shade the Kaplan–Meier confidence band; default true.</param>
    /// <param name="showAtRiskTable">Whether to add the numbers-at-risk table under the plot; default true.</param>
    /// <param name="points">The number of points on each fitted segment; default 200.</param>
    /// <param name="height">The figure height in pixels; default 600.</param>
    /// <exception cref="ArgumentException">No models, a horizon before the last follow-up time, fewer than 2 points, or covariate values that do not fit a model.</exception>
    public static GenericChart ParametricFits(
        KaplanMeierCurve curve,
        IReadOnlyList<ParametricModel> models,
        IReadOnlyList<double>? covariates = null,
        double? horizon = null,
        string? title = null,
        string timeUnit = "months",
        double? tickInterval = null,
        bool showConfidenceBands = true,
        bool showAtRiskTable = true,
        int points = 200,
        int height = 600)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0)
        {
            throw new ArgumentException("At least one model is needed.", nameof(models));
        }

        if (points < 2)
        {
            throw new ArgumentException("At least 2 points per segment are needed.", nameof(points));
        }

        var lastFollowUp = curve.Table.IsEmpty ? 0 : curve.Table[^1].Time;
        var end = horizon ?? (2 * lastFollowUp);
        if (!(end >= lastFollowUp) || !double.IsFinite(end))
        {
            throw new ArgumentException($"The horizon ({end}) must be finite and at least the last follow-up time ({lastFollowUp}).", nameof(horizon));
        }

        var x = covariates ?? [];
        var chart = KaplanMeier([curve], title ?? "Fitted distributions and Kaplan–Meier estimate", timeUnit, maximumTime: end, tickInterval: tickInterval,
            showConfidenceBands: showConfidenceBands, showAtRiskTable: showAtRiskTable, height: height);
        var traces = GenericChart.getTraces(chart).ToList();
        foreach (var trace in traces.Where(t => t.TryGetTypedPropertyValue<string>("meta") is { Value: "survival" }))
        {
            trace.SetProperty("name", "Kaplan–Meier");
        }

        for (var m = 0; m < models.Count; m++)
        {
            var model = models[m];
            var color = ChartStyle.Color(m + 1);
            var name = $"{ResultFormat.DistributionName(model.Distribution)} (AIC {model.Aic.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)})";
            traces.Add(FittedSegment(model, x, 0, lastFollowUp, points, name, color, timeUnit, extrapolated: false));
            if (end > lastFollowUp)
            {
                traces.Add(FittedSegment(model, x, lastFollowUp, end, points, name, color, timeUnit, extrapolated: true));
            }
        }

        traces.Add(Figure.Trace(
            "scatter",
            ("name", $"End of follow-up ({Number(lastFollowUp)} {timeUnit})"),
            ("x", new[] { lastFollowUp, lastFollowUp }),
            ("y", new[] { 0.0, 100 }),
            ("mode", "lines"),
            ("line", Figure.Object(("dash", "dot"), ("width", 1.2), ("color", ChartStyle.TextColor))),
            ("hoverinfo", "skip"),
            ("meta", "follow-up-end")));

        var layout = GenericChart.getLayout(chart);
        layout.SetProperty("showlegend", true);
        return Figure.Chart(traces, layout);
    }

    /// <summary>The fitted curves of a comparison over the Kaplan–Meier curve, best (lowest AIC) first; see <see cref="ParametricFits(KaplanMeierCurve, IReadOnlyList{ParametricModel}, IReadOnlyList{double}?, double?, string?, string, double?, bool, bool, int, int)"/>.</summary>
    public static GenericChart ToChart(
        this ParametricComparison comparison,
        KaplanMeierCurve curve,
        IReadOnlyList<double>? covariates = null,
        double? horizon = null,
        string? title = null,
        string timeUnit = "months",
        double? tickInterval = null,
        bool showConfidenceBands = true,
        bool showAtRiskTable = true,
        int points = 200,
        int height = 600)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return ParametricFits(curve, [.. comparison.Rows.Select(r => r.Model)], covariates, horizon, title, timeUnit, tickInterval, showConfidenceBands, showAtRiskTable, points, height);
    }

    private static Trace FittedSegment(ParametricModel model, IReadOnlyList<double> covariates, double from, double to, int points, string name, string color, string timeUnit, bool extrapolated)
    {
        var times = Enumerable.Range(0, points).Select(i => from + ((to - from) * i / (points - 1))).ToArray();
        var survival = model.SurvivalAt(covariates, times).Select(p => 100 * p.Survival).ToArray();
        return Figure.Trace(
            "scatter",
            ("name", extrapolated ? name + ", extrapolated" : name),
            ("x", times),
            ("y", survival),
            ("mode", "lines"),
            ("line", Figure.Object(("width", 2), ("color", color), ("dash", extrapolated ? "dash" : "solid"))),
            ("legendgroup", name),
            ("showlegend", !extrapolated),
            ("hovertemplate", $"{name}{(extrapolated ? " (extrapolated)" : string.Empty)}<br>%{{x:.1f}} {timeUnit}: %{{y:.1f}}%<extra></extra>"),
            ("meta", extrapolated ? "extrapolated" : "fitted"));
    }
}
