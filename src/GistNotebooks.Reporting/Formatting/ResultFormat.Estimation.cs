using System.Globalization;
using GistNotebooks.Reporting.Charts;
using GistNotebooks.Survival.Estimation;

namespace GistNotebooks.Reporting.Formatting;

/// <content>Nelson–Aalen cumulative hazards, conditional survival and restricted mean survival times.</content>
public static partial class ResultFormat
{
    /// <summary>
    /// A Nelson–Aalen curve as HTML: per time, the number at risk (subjects whose time is ≥ t), the events up to and
    /// including t, the cumulative hazard Λ(t) and its standard error (R's <c>cumhaz</c> and <c>std.chaz</c>).
    /// </summary>
    /// <param name="curve">The curve.</param>
    /// <param name="times">The times to read the curve at; default every 12 for a follow-up of two to twenty years in months, otherwise the ticks of a chart of it.</param>
    /// <param name="timeUnit">The unit of time, written in the headers; default "months".</param>
    public static string ToHtml(this NelsonAalenCurve curve, IReadOnlyList<double>? times = null, string timeUnit = "months") =>
        ResultTable.Html([curve.ToTable(times, timeUnit)]);

    /// <summary>A Nelson–Aalen curve as text; see <see cref="ToHtml(NelsonAalenCurve, IReadOnlyList{double}?, string)"/>.</summary>
    public static string ToText(this NelsonAalenCurve curve, IReadOnlyList<double>? times = null, string timeUnit = "months") =>
        ResultTable.Text([curve.ToTable(times, timeUnit)]);

    /// <summary>The table of <see cref="ToHtml(NelsonAalenCurve, IReadOnlyList{double}?, string)"/>.</summary>
    public static ResultTable ToTable(this NelsonAalenCurve curve, IReadOnlyList<double>? times = null, string timeUnit = "months")
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(timeUnit);
        var last = curve.Table.IsEmpty ? 0 : curve.Table[^1].Time;
        var at = times ?? TimeTicks.At(last, TimeTicks.TableInterval(last, timeUnit)).Where(t => t > 0).ToArray();
        var rows = at.Select(t =>
        {
            var upTo = curve.Table.Where(r => r.Time <= t).ToArray();
            var next = curve.Table.Where(r => r.Time >= t).Select(r => (double?)r.AtRisk).FirstOrDefault() ?? 0;
            var standardError = upTo.Length == 0 ? 0 : upTo[^1].StandardError;
            return (IReadOnlyList<string>)[Number(t), Whole(next), Whole(upTo.Sum(r => r.Events)), Number(curve.CumulativeHazardAtTime(t)), Number(standardError)];
        });
        return new ResultTable(
            "Nelson–Aalen cumulative hazard" + (curve.Group is null ? string.Empty : ", group " + curve.Group),
            [WithUnit("time", timeUnit), "n.risk", "events so far", "cumulative hazard", "std.chaz"],
            [.. rows],
            []);
    }

    /// <summary>A conditional survival S(t + s) / S(t) as HTML, with its standard error and confidence limits.</summary>
    public static string ToHtml(this ConditionalSurvivalResult result) => ResultTable.Html([result.ToTable()]);

    /// <summary>A conditional survival as text.</summary>
    public static string ToText(this ConditionalSurvivalResult result) => ResultTable.Text([result.ToTable()]);

    /// <summary>The table of <see cref="ToHtml(ConditionalSurvivalResult)"/>; "NA" where the estimate or a limit is undefined.</summary>
    public static ResultTable ToTable(this ConditionalSurvivalResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ResultTable(
            "Conditional survival S(t + s) / S(t)",
            ["", "survived t", "further s", "estimate", "std.err", "lower", "upper"],
            [["conditional survival", Number(result.Given), Number(result.Additional), Number(result.Estimate), Number(result.StandardError), Number(result.Lower), Number(result.Upper)]],
            result.Estimate is null ? ["Undefined: no subject survives to t."] : []);
    }

    /// <summary>A restricted mean survival time as HTML: τ, the estimate, its standard error and a Wald confidence interval.</summary>
    /// <param name="result">The restricted mean.</param>
    /// <param name="confidenceLevel">The level of the interval; default 0.95.</param>
    public static string ToHtml(this RestrictedMeanSurvival result, double confidenceLevel = 0.95) => ResultTable.Html([result.ToTable(confidenceLevel)]);

    /// <summary>A restricted mean survival time as text.</summary>
    public static string ToText(this RestrictedMeanSurvival result, double confidenceLevel = 0.95) => ResultTable.Text([result.ToTable(confidenceLevel)]);

    /// <summary>The table of <see cref="ToHtml(RestrictedMeanSurvival, double)"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The level is not strictly between 0 and 1.</exception>
    public static ResultTable ToTable(this RestrictedMeanSurvival result, double confidenceLevel = 0.95)
    {
        ArgumentNullException.ThrowIfNull(result);
        var (lower, upper) = result.ConfidenceInterval(confidenceLevel);
        var level = Percent(confidenceLevel);
        return new ResultTable(
            "Restricted mean survival time",
            ["", "τ", "rmean", "se(rmean)", $"lower {level}", $"upper {level}"],
            [["restricted mean", Number(result.Tau), Number(result.Estimate), Number(result.StandardError), Number(lower), Number(upper)]],
            ["The area under the Kaplan–Meier curve from 0 to τ (R's rmean); the interval is estimate ± z · se."]);
    }

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}
