using System.Globalization;
using GistNotebooks.Survival.Estimation;

namespace GistNotebooks.Reporting.Formatting;

/// <content>The tables of a Kaplan–Meier curve beyond its summary: every time, the quartiles, chosen times, the restricted mean.</content>
public static partial class ResultFormat
{
    /// <summary>
    /// Every distinct time of a curve, as R's <c>summary(fit, censored = TRUE)</c>: at risk, events, censored, survival,
    /// its standard error and confidence limits, and the Nelson–Aalen cumulative hazard.
    /// </summary>
    /// <param name="curve">The curve.</param>
    /// <param name="timeUnit">The unit of time for the header; empty (the default) for none.</param>
    public static ResultTable ToLifeTable(this KaplanMeierCurve curve, string timeUnit = "")
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(timeUnit);
        var level = Percent(curve.ConfidenceLevel);
        return new ResultTable(
            FormattableString.Invariant($"{CurveLabel(curve)}: n = {curve.N}, events = {Number(curve.Events)}; {level} limits, {ConfidenceTypeText(curve.ConfidenceType)} transform"),
            [WithUnit("time", timeUnit), "at risk", "events", "censored", "survival", "std. error", $"lower {level}", $"upper {level}", "cum. hazard"],
            [.. curve.Table.Select(r => (IReadOnlyList<string>)[
                Number(r.Time), Number(r.AtRisk), Number(r.Events), Number(r.Censored), Number(r.Survival), Number(r.StandardError), Number(r.Lower), Number(r.Upper), Number(r.CumulativeHazard)])],
            []);
    }

    /// <summary>The quartiles of survival time with their confidence limits (Brookmeyer–Crowley), with the median restated under the table.</summary>
    /// <param name="curve">The curve.</param>
    /// <param name="timeUnit">The unit of time for the header; empty (the default) for none.</param>
    public static ResultTable ToQuantileTable(this KaplanMeierCurve curve, string timeUnit = "")
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(timeUnit);
        var level = Percent(curve.ConfidenceLevel);
        return new ResultTable(
            "Quartiles of survival time" + (curve.Group is null ? string.Empty : ", " + curve.Group),
            ["quantile", WithUnit("time", timeUnit), $"lower {level}", $"upper {level}"],
            [.. curve.Quantiles().Select(q => (IReadOnlyList<string>)[q.Probability.ToString("0.00", CultureInfo.InvariantCulture), Number(q.Estimate), Number(q.Lower), Number(q.Upper)])],
            [$"Median survival: {Number(curve.Median.Estimate)} ({Number(curve.Median.Lower)} to {Number(curve.Median.Upper)}); NA = not reached"]);
    }

    /// <summary>Survival read at chosen times, as R's <c>summary(fit, times = ...)</c>, with its standard error and confidence limits.</summary>
    /// <param name="curve">The curve.</param>
    /// <param name="times">The times to read survival at.</param>
    /// <param name="timeUnit">The unit of time for the header; default "months", empty for none.</param>
    /// <param name="percent">Whether survival and its limits are shown in percent (the default) or as proportions, as R prints them.</param>
    public static ResultTable ToSurvivalAtTable(this KaplanMeierCurve curve, IReadOnlyList<double> times, string timeUnit = "months", bool percent = true)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(timeUnit);
        var level = Percent(curve.ConfidenceLevel);
        var scale = percent ? 100.0 : 1.0;
        string Header(string name) => percent ? name + " (%)" : name;
        return new ResultTable(
            $"Survival at chosen times{(curve.Group is null ? string.Empty : ", " + curve.Group)} ({ConfidenceTypeText(curve.ConfidenceType)} confidence limits)",
            [WithUnit("time", timeUnit), "at risk", "events", Header("survival"), Header("std. error"), Header($"lower {level}"), Header($"upper {level}")],
            [.. curve.SurvivalAt(times).Select(p => (IReadOnlyList<string>)[
                Number(p.Time), Number(p.AtRisk), Number(p.Events), Number(scale * p.Survival), Number(scale * p.StandardError), Number(scale * p.Lower), Number(scale * p.Upper)])],
            ["At risk: subjects whose time is at or after the time shown, as R's summary(fit, times = ...)."]);
    }

    /// <summary>The restricted mean survival time up to τ with its standard error, as R's <c>print(fit, rmean = τ)</c>.</summary>
    /// <param name="curve">The curve.</param>
    /// <param name="tau">The truncation time τ.</param>
    /// <param name="timeUnit">The unit of time for the headers; empty (the default) for none.</param>
    /// <exception cref="ArgumentOutOfRangeException">τ is negative or not finite.</exception>
    public static ResultTable ToRestrictedMeanTable(this KaplanMeierCurve curve, double tau, string timeUnit = "")
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(timeUnit);
        var restrictedMean = curve.RestrictedMean(tau);
        return new ResultTable(
            "Restricted mean survival time" + (curve.Group is null ? string.Empty : ", " + curve.Group),
            [WithUnit("up to", timeUnit), WithUnit("restricted mean", timeUnit), "std. error"],
            [[Number(restrictedMean.Tau), Number(restrictedMean.Estimate), Number(restrictedMean.StandardError)]],
            []);
    }

    private static string CurveLabel(KaplanMeierCurve curve) => curve.Group is null ? "Kaplan–Meier estimate" : "Kaplan–Meier estimate, " + curve.Group;
}
