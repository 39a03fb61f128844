using System.Collections.Immutable;
using GistNotebooks.Survival.Estimation;

namespace GistNotebooks.Reporting.Charts;

/// <summary>
/// The numbers at risk of several Kaplan–Meier curves at chosen times, as printed under a survival figure.
/// </summary>
/// <param name="Times">The times (the ticks of the time axis).</param>
/// <param name="Groups">The group labels, one per row.</param>
/// <param name="Rows">Per group, the number at risk at each time.</param>
public sealed record AtRiskTable(ImmutableArray<double> Times, ImmutableArray<string> Groups, ImmutableArray<ImmutableArray<double>> Rows)
{
    /// <summary>
    /// The number at risk of each curve at each time, counted as R's <c>summary(fit, times = t)$n.risk</c>: the
    /// subjects whose time is ≥ t (an event or censoring at exactly t still counts at t); 0 beyond the last time.
    /// </summary>
    /// <exception cref="ArgumentException">A time is NaN.</exception>
    public static AtRiskTable Compute(IReadOnlyList<KaplanMeierCurve> curves, IReadOnlyList<double> times)
    {
        ArgumentNullException.ThrowIfNull(curves);
        ArgumentNullException.ThrowIfNull(times);
        var rows = curves.Select(c => c.SurvivalAt(times).Select(p => p.AtRisk).ToImmutableArray()).ToImmutableArray();
        var groups = curves.Select((c, i) => SurvivalCharts.GroupLabel(c, i)).ToImmutableArray();
        return new AtRiskTable([.. times], groups, rows);
    }

    /// <summary>
    /// The cumulative number censored of each curve up to and including each time (survminer's <c>cumcensor</c>
    /// table), in the same shape as the numbers at risk.
    /// </summary>
    public static AtRiskTable ComputeCensored(IReadOnlyList<KaplanMeierCurve> curves, IReadOnlyList<double> times) =>
        Cumulative(curves, times, row => row.Censored);

    /// <summary>
    /// The cumulative number of events of each curve up to and including each time (survminer's <c>cumevents</c>
    /// table), in the same shape as the numbers at risk.
    /// </summary>
    public static AtRiskTable ComputeCumulativeEvents(IReadOnlyList<KaplanMeierCurve> curves, IReadOnlyList<double> times) =>
        Cumulative(curves, times, row => row.Events);

    /// <summary>
    /// The numbers at risk at the ticks <see cref="SurvivalCharts.KaplanMeier"/> draws for the same arguments, so the
    /// table as data equals the table under the figure.
    /// </summary>
    public static AtRiskTable AtTicks(IReadOnlyList<KaplanMeierCurve> curves, string timeUnit = "months", double? tickInterval = null, double? maximumTime = null)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var maximum = maximumTime ?? curves.Max(c => c.Table.IsEmpty ? 0 : c.Table[^1].Time);
        return Compute(curves, TimeTicks.At(maximum, tickInterval ?? TimeTicks.Interval(maximum, timeUnit)));
    }

    private static AtRiskTable Cumulative(IReadOnlyList<KaplanMeierCurve> curves, IReadOnlyList<double> times, Func<KaplanMeierRow, double> count)
    {
        ArgumentNullException.ThrowIfNull(curves);
        ArgumentNullException.ThrowIfNull(times);
        var rows = curves.Select(c => times.Select(t => c.Table.Where(r => r.Time <= t).Sum(count)).ToImmutableArray()).ToImmutableArray();
        var groups = curves.Select((c, i) => SurvivalCharts.GroupLabel(c, i)).ToImmutableArray();
        return new AtRiskTable([.. times], groups, rows);
    }
}
