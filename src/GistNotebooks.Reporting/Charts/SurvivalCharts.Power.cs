using System.Globalization;
using GistNotebooks.Survival.Power;
using Plotly.NET;

namespace GistNotebooks.Reporting.Charts;

public static partial class SurvivalCharts
{
    /// <summary>
    /// Power of the two-sided log-rank test against the hazard ratio, one curve per number of events (Schoenfeld's
    /// formula, <see cref="LogRankPower.SchoenfeldPower"/>), on a logarithmic hazard-ratio axis, with a dashed line at
    /// the target power and a marker at each curve's detectable hazard ratio. Schoenfeld's formula counts only the tail
    /// in the direction of the effect, so a curve falls to α/2, not α, as the ratio nears 1; the axis title says so
    /// (<see cref="LogRankPower.DetectableHazardRatio"/>): the smallest effect those events find with that power.
    /// </summary>
    /// <param name="eventCounts">The numbers of events, one curve each.</param>
    /// <param name="alpha">The two-sided significance level; default 0.05.</param>
    /// <param name="allocation">The fraction of subjects in one group; default 0.5 (1:1).</param>
    /// <param name="targetPower">The power marked by the dashed line; default 0.8.</param>
    /// <param name="minimumHazardRatio">The left end of the axis; default 0.1.</param>
    /// <param name="maximumHazardRatio">The right end of the axis; default 1 (effects below 1; the curve is symmetric in log HR).</param>
    /// <param name="title">The chart title; default "Power of the log-rank test".</param>
    /// <param name="height">The figure height in pixels; default 480.</param>
    /// <exception cref="ArgumentException">No event counts, or an axis end that is not positive or not in increasing order.</exception>
    public static GenericChart Power(
        IReadOnlyList<double> eventCounts,
        double alpha = 0.05,
        double allocation = 0.5,
        double targetPower = 0.8,
        double minimumHazardRatio = 0.1,
        double maximumHazardRatio = 1.0,
        string? title = null,
        int height = 480)
    {
        ArgumentNullException.ThrowIfNull(eventCounts);
        if (eventCounts.Count == 0)
        {
            throw new ArgumentException("At least one number of events is needed.", nameof(eventCounts));
        }

        if (!(minimumHazardRatio > 0) || !(maximumHazardRatio > minimumHazardRatio))
        {
            throw new ArgumentException("The hazard-ratio axis must run between two positive values in increasing order.", nameof(minimumHazardRatio));
        }

        // 200 points evenly spaced in log HR; HR = 1 itself is left out, where the formula has no effect to detect.
        const int points = 200;
        var step = (Math.Log(maximumHazardRatio) - Math.Log(minimumHazardRatio)) / (points - 1);
        var grid = Enumerable.Range(0, points).Select(i => Math.Exp(Math.Log(minimumHazardRatio) + (i * step))).Where(h => Math.Abs(h - 1) > 1e-9).ToArray();

        var traces = new List<Trace>();
        for (var k = 0; k < eventCounts.Count; k++)
        {
            var events = eventCounts[k];
            var label = Number(events) + " events";
            traces.Add(Figure.Trace(
                "scatter",
                ("name", label),
                ("x", grid),
                ("y", grid.Select(h => 100 * LogRankPower.SchoenfeldPower(events, h, alpha, allocation)).ToArray()),
                ("mode", "lines"),
                ("line", Figure.Object(("width", 2.5), ("color", ChartStyle.Color(k)))),
                ("legendgroup", label),
                ("hovertemplate", $"{label}<br>HR %{{x:.2f}}: power %{{y:.1f}}%<extra></extra>"),
                ("meta", "power")));
            // The detectable ratio above 1; its reciprocal is the matching effect below 1.
            var above = LogRankPower.DetectableHazardRatio(events, alpha, targetPower, allocation);
            var detectable = maximumHazardRatio <= 1 ? 1 / above : above;
            traces.Add(Figure.Trace(
                "scatter",
                ("name", $"{label}: detectable HR"),
                ("x", new[] { detectable }),
                ("y", new[] { 100 * targetPower }),
                ("mode", "markers+text"),
                ("text", new[] { "HR " + detectable.ToString("0.00", CultureInfo.InvariantCulture) }),
                // The curve falls from upper left to lower right, so the upper right of the marker is free.
                ("textposition", "top right"),
                ("textfont", Figure.Object(("color", ChartStyle.Color(k)))),
                ("marker", Figure.Object(("size", 10), ("color", ChartStyle.Color(k)), ("line", Figure.Object(("color", "white"), ("width", 1))))),
                ("legendgroup", label),
                ("showlegend", false),
                ("hovertemplate", $"{label}: {Percent(targetPower)} power at HR %{{x:.3f}}<extra></extra>"),
                ("meta", "detectable")));
        }

        var layout = Figure.Layout(
            title ?? "Power of the log-rank test",
            height,
            ("xaxis", Figure.Axis(
                "Hazard ratio (log scale)",
                ("type", "log"),
                ("range", new[] { Math.Log10(minimumHazardRatio), Math.Log10(maximumHazardRatio) }),
                ("tickmode", "array"),
                ("tickvals", HazardRatioTicks.Where(t => t >= minimumHazardRatio && t <= maximumHazardRatio).ToArray()))),
            ("yaxis", Figure.Axis(
                $"Power (%), two-sided α = {alpha.ToString("0.###", CultureInfo.InvariantCulture)}; Schoenfeld, nearer tail only (α/2 at HR 1)",
                ("range", PercentRange),
                ("tickvals", PercentTicks),
                ("ticksuffix", "%"))),
            ("shapes", new[]
            {
                Figure.Object(
                    ("type", "line"),
                    ("xref", "paper"),
                    ("yref", "y"),
                    ("x0", 0.0),
                    ("x1", 1.0),
                    ("y0", 100 * targetPower),
                    ("y1", 100 * targetPower),
                    ("line", Figure.Object(("color", ChartStyle.TextColor), ("dash", "dash"), ("width", 1)))),
            }),
            ("legend", Figure.Object(("x", 0.98), ("xanchor", "right"), ("y", 0.98), ("yanchor", "top"), ("bgcolor", "rgba(255,255,255,0.8)"))),
            ("margin", Figure.Object(("l", 80), ("r", 30), ("t", 70), ("b", 60))));
        return Figure.Chart(traces, layout);
    }

    private static readonly double[] HazardRatioTicks = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 10, 20];
}
