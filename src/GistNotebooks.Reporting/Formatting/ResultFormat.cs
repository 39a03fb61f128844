using System.Globalization;
using GistNotebooks.Reporting.Charts;
using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Inference;
using GistNotebooks.Survival.Power;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Reporting.Formatting;

/// <summary>
/// Results as readable tables, the one rendering that notebooks and the command line share: <c>ToHtml()</c> gives
/// plain accessible HTML (caption, header cells with scope, no scripts), <c>ToText()</c> the same tables as aligned
/// text, and the <c>To…Table</c> methods give the <see cref="ResultTable"/>s themselves for a caller that composes
/// its own view. Numbers are written by <see cref="Number"/> (four significant digits, as R prints them by default),
/// p-values by <see cref="PValue"/>; a value that does not exist is "NA".
/// </summary>
public static partial class ResultFormat
{
    /// <summary>A Kaplan–Meier curve as HTML: n, events, median with its confidence limits, and survival at chosen times.</summary>
    /// <param name="curve">The curve.</param>
    /// <param name="times">The times to read survival at; default every 12 months for a follow-up of two to twenty years in months, otherwise the ticks of its chart.</param>
    /// <param name="timeUnit">The unit of time, written in the headers; default "months".</param>
    public static string ToHtml(this KaplanMeierCurve curve, IReadOnlyList<double>? times = null, string timeUnit = "months") =>
        ResultTable.Html(Tables(curve, times, timeUnit));

    /// <summary>A Kaplan–Meier curve as text; see <see cref="ToHtml(KaplanMeierCurve, IReadOnlyList{double}?, string)"/>.</summary>
    public static string ToText(this KaplanMeierCurve curve, IReadOnlyList<double>? times = null, string timeUnit = "months") =>
        ResultTable.Text(Tables(curve, times, timeUnit));

    /// <summary>A log-rank result as HTML, as R's <c>survdiff</c> prints it, with the chi-square, degrees of freedom and p-value.</summary>
    public static string ToHtml(this LogRankResult result) => ResultTable.Html(Tables(result));

    /// <summary>A log-rank result as text.</summary>
    public static string ToText(this LogRankResult result) => ResultTable.Text(Tables(result));

    /// <summary>A Cox model as HTML: R's coefficient table (coef, exp(coef), se(coef), z, p, confidence limits) and its tests.</summary>
    public static string ToHtml(this CoxModel model) => ResultTable.Html(Tables(model));

    /// <summary>A Cox model as text.</summary>
    public static string ToText(this CoxModel model) => ResultTable.Text(Tables(model));

    /// <summary>A proportion with its confidence interval (Clopper–Pearson exact by default) as HTML.</summary>
    public static string ToHtml(this ProportionResult result) => ResultTable.Html(Tables(result));

    /// <summary>A proportion as text.</summary>
    public static string ToText(this ProportionResult result) => ResultTable.Text(Tables(result));

    /// <summary>A required-events calculation as HTML.</summary>
    public static string ToHtml(this RequiredEventsResult result) => ResultTable.Html(Tables(result));

    /// <summary>A required-events calculation as text.</summary>
    public static string ToText(this RequiredEventsResult result) => ResultTable.Text(Tables(result));

    /// <summary>A simulated power as HTML, with its Monte Carlo standard error.</summary>
    public static string ToHtml(this SimulatedPowerResult result) => ResultTable.Html(Tables(result));

    /// <summary>A simulated power as text.</summary>
    public static string ToText(this SimulatedPowerResult result) => ResultTable.Text(Tables(result));

    /// <summary>A number with four significant digits, no exponent for ordinary magnitudes; "NA" for null or NaN.</summary>
    public static string Number(double? value)
    {
        if (value is not double v || double.IsNaN(v))
        {
            return "NA";
        }

        if (double.IsInfinity(v))
        {
            return v > 0 ? "Inf" : "-Inf";
        }

        if (v == 0)
        {
            return "0";
        }

        var magnitude = Math.Abs(v);
        if (magnitude >= 1e-4 && magnitude < 1e7)
        {
            var decimals = Math.Max(0, 3 - (int)Math.Floor(Math.Log10(magnitude)));
            return Math.Round(v, decimals).ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture);
        }

        return v.ToString("0.###e+0", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A p-value as the whole kit prints it, by <see cref="PValueFormat.Format"/> (R's <c>format.pval(p, digits = 3)</c>):
    /// three significant digits ("0.928", "0.000123"), scientific notation where narrower ("1e-04", "1.83e-11"),
    /// "&lt;2e-16" below R's machine epsilon, "NA" for null or NaN.
    /// </summary>
    public static string PValue(double? p) => PValueFormat.Format(p);

    private static string ConfidenceTypeText(ConfidenceIntervalType type) => type switch
    {
        ConfidenceIntervalType.LogLog => "log-log",
        _ => type.ToString().ToLowerInvariant(),
    };

    private static string Percent(double level) => (100 * level).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Whole(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string WithUnit(string name, string unit) => unit.Length == 0 ? name : $"{name} ({unit})";

    private static IEnumerable<ResultTable> Tables(KaplanMeierCurve curve, IReadOnlyList<double>? times, string timeUnit)
    {
        ArgumentNullException.ThrowIfNull(curve);
        var level = Percent(curve.ConfidenceLevel);
        yield return new ResultTable(
            CurveLabel(curve),
            ["", "n", "events", WithUnit("median", timeUnit), $"lower {level}", $"upper {level}"],
            [[curve.Group ?? "all", curve.N.ToString(CultureInfo.InvariantCulture), Whole(curve.Events), Number(curve.Median.Estimate), Number(curve.Median.Lower), Number(curve.Median.Upper)]],
            curve.Median.Estimate is null ? ["The median is not reached: survival stays above 50%."] : []);
        var last = curve.Table.IsEmpty ? 0 : curve.Table[^1].Time;
        var at = times ?? TimeTicks.At(last, TimeTicks.TableInterval(last, timeUnit)).Where(t => t > 0).ToArray();
        if (at.Count > 0)
        {
            yield return curve.ToSurvivalAtTable(at, timeUnit);
        }
    }

    private static IEnumerable<ResultTable> Tables(LogRankResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rows = LogRankRows(result);
        var test = result.Rho == 0 ? "Log-rank test" : $"Fleming–Harrington test (rho = {Number(result.Rho)})";
        yield return new ResultTable(
            test,
            ["group", "N", "observed", "expected", "(O−E)²/E", "(O−E)²/V"],
            rows,
            [$"Chisq = {Number(result.Statistic)} on {result.DegreesOfFreedom.ToString(CultureInfo.InvariantCulture)} degrees of freedom, p = {PValue(result.P)}"
                + (result.StrataCount > 1 ? $" (stratified, {result.StrataCount.ToString(CultureInfo.InvariantCulture)} strata)" : string.Empty)]);
    }

    private static IEnumerable<ResultTable> Tables(CoxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var level = DataFrameLevel(model.ConfidenceLevel);
        var notes = new List<string>
        {
            $"n = {model.N.ToString(CultureInfo.InvariantCulture)}, number of events = {model.Events.ToString(CultureInfo.InvariantCulture)}; ties: {model.Ties}"
                + (model.DroppedRows.IsEmpty ? string.Empty : $" ({model.DroppedRows.Length.ToString(CultureInfo.InvariantCulture)} rows dropped for missing values: {string.Join(", ", model.DroppedRows.Select(r => r.ToString(CultureInfo.InvariantCulture)))})"),
            $"Concordance = {Number(model.Concordance.Estimate)} (se = {Number(model.Concordance.StandardError)})",
            Test("Likelihood ratio test", model.LikelihoodRatioTest),
            Test("Wald test", model.WaldTest),
            Test("Score (logrank) test", model.ScoreTest),
        };
        if (!model.Converged)
        {
            notes.Add($"Did not converge in {model.Iterations.ToString(CultureInfo.InvariantCulture)} iterations.");
        }

        if (model.IsPenalized)
        {
            notes.Add("z is the Wald statistic coef/se(coef); p and the limits come from the profile penalised likelihood, so p need not match z.");
        }

        if (model.Coefficients.Any(c => c.IsInfinite))
        {
            notes.Add("An infinite coefficient has no Wald z or p-value (NA): the likelihood has no maximum in that direction.");
        }

        notes.AddRange(model.Warnings.Select(w => "Warning: " + w));
        yield return new ResultTable(
            model.IsPenalized ? "Cox model (Firth penalised likelihood)" : "Cox proportional hazards model",
            ["term", "coef", "exp(coef)", "se(coef)", "z", "p", "lower " + level, "upper " + level],
            [.. model.Coefficients.Select(c => (IReadOnlyList<string>)(c.IsInfinite
                ? [c.Term, c.Coefficient > 0 ? "Inf" : "-Inf", c.Coefficient > 0 ? "Inf" : "0", "NA", "NA", "NA", Number(c.Lower), Number(c.Upper)]
                : [c.Term, Number(c.Coefficient), Number(c.HazardRatio), Number(c.StandardError), Number(c.Z), PValue(c.P), Number(c.Lower), Number(c.Upper)]))],
            notes);

        static string Test(string name, CoxTest test) =>
            $"{name} = {Number(test.Statistic)} on {test.DegreesOfFreedom.ToString(CultureInfo.InvariantCulture)} df, p = {PValue(test.P)}";
    }

    private static IEnumerable<ResultTable> Tables(ProportionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var method = result.Method == ProportionMethod.ClopperPearson ? "Clopper–Pearson exact" : result.Method.ToString();
        yield return new ResultTable(
            $"Proportion with {Percent(result.ConfidenceLevel)} confidence interval ({method})",
            ["", "successes", "trials", "estimate (%)", "lower (%)", "upper (%)"],
            [["proportion", result.Successes.ToString(CultureInfo.InvariantCulture), result.Trials.ToString(CultureInfo.InvariantCulture), Number(100 * result.Estimate), Number(100 * result.Lower), Number(100 * result.Upper)]],
            []);
    }

    private static IEnumerable<ResultTable> Tables(RequiredEventsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        yield return new ResultTable(
            $"Events required by the log-rank test ({result.Method})",
            ["", "hazard ratio", "two-sided α", "power (%)", "allocation", "events", "events, rounded up"],
            [["required events", Number(result.HazardRatio), Number(result.Alpha), Number(100 * result.Power), Number(result.Allocation), Number(result.Events), result.EventsRoundedUp.ToString(CultureInfo.InvariantCulture)]],
            []);
    }

    private static IEnumerable<ResultTable> Tables(SimulatedPowerResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        yield return new ResultTable(
            "Simulated power of the log-rank test",
            ["", "power (%)", "Monte Carlo s.e. (%)", "replicates", "rejections", "mean events", "seed"],
            [["simulation", Number(100 * result.Power), Number(100 * result.MonteCarloStandardError), result.Replicates.ToString(CultureInfo.InvariantCulture), result.Rejections.ToString(CultureInfo.InvariantCulture), Number(result.MeanEvents), result.Seed.ToString(CultureInfo.InvariantCulture)]],
            []);
    }

    private static string DataFrameLevel(double level) => GistNotebooks.Reporting.Tables.DataFrames.LevelText(level);

    private static IReadOnlyList<IReadOnlyList<string>> LogRankRows(LogRankResult result) =>
        [.. result.Groups.Select((g, i) => (IReadOnlyList<string>)[
            g.Group,
            g.N.ToString(CultureInfo.InvariantCulture),
            Number(g.Observed),
            Number(g.Expected),
            Number(g.ObservedMinusExpected * g.ObservedMinusExpected / g.Expected),
            Number(g.ObservedMinusExpected * g.ObservedMinusExpected / result.Variance[i][i])])];
}
