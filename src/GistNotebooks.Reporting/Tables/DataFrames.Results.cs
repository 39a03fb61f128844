using GistNotebooks.Reporting.Charts;
using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Inference;
using GistNotebooks.Survival.Regression;
using Microsoft.Data.Analysis;

namespace GistNotebooks.Reporting.Tables;

/// <content>The remaining results as DataFrames: Nelson–Aalen, cumulative incidence, Gray's test, Fisher's test, the test of proportional hazards, the trend test, conditional survival, the restricted mean, and the Fine–Gray and parametric regression tables.</content>
public static partial class DataFrames
{
    /// <summary>The Nelson–Aalen table, one row per distinct time (R's <c>cumhaz</c> and <c>std.chaz</c>), with a group column when the curve has a group.</summary>
    public static DataFrame ToDataFrame(this NelsonAalenCurve curve)
    {
        ArgumentNullException.ThrowIfNull(curve);
        return ToDataFrame([curve]);
    }

    /// <summary>The Nelson–Aalen tables of several curves stacked, with a group column first.</summary>
    public static DataFrame ToDataFrame(this IReadOnlyList<NelsonAalenCurve> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var rows = curves.SelectMany((c, i) => c.Table.Select(r => (Group: SurvivalCharts.GroupLabel(c.Group, i), Row: r))).ToArray();
        var columns = new List<DataFrameColumn>();
        if (curves.Count > 1 || curves.Any(c => c.Group is not null))
        {
            columns.Add(new StringDataFrameColumn("group", rows.Select(r => r.Group)));
        }

        columns.Add(new DoubleDataFrameColumn("time", rows.Select(r => r.Row.Time)));
        columns.Add(new DoubleDataFrameColumn("atRisk", rows.Select(r => r.Row.AtRisk)));
        columns.Add(new DoubleDataFrameColumn("events", rows.Select(r => r.Row.Events)));
        columns.Add(new DoubleDataFrameColumn("cumulativeHazard", rows.Select(r => r.Row.CumulativeHazard)));
        columns.Add(new DoubleDataFrameColumn("standardError", rows.Select(r => r.Row.StandardError)));
        return new DataFrame(columns);
    }

    /// <summary>Every cumulative incidence curve stacked: group (missing without groups), cause, time, estimate and cmprsk's variance.</summary>
    public static DataFrame ToDataFrame(this CumulativeIncidenceResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var points = result.Curves.SelectMany(c => c.Points.Select(p => (c.Group, c.Cause, Point: p))).ToArray();
        return new DataFrame(
            new StringDataFrameColumn("group", points.Select(p => p.Group)),
            new Int32DataFrameColumn("cause", points.Select(p => p.Cause)),
            new DoubleDataFrameColumn("time", points.Select(p => p.Point.Time)),
            new DoubleDataFrameColumn("estimate", points.Select(p => p.Point.Estimate)),
            new DoubleDataFrameColumn("variance", points.Select(p => p.Point.Variance)));
    }

    /// <summary>Gray's test, one row per cause (the rows of <c>cuminc(...)$Tests</c>): cause, statistic, df, p; missing where undefined.</summary>
    public static DataFrame ToDataFrame(this GrayTestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new DataFrame(
            new Int32DataFrameColumn("cause", result.Tests.Select(t => t.Cause)),
            new DoubleDataFrameColumn("statistic", result.Tests.Select(t => t.Statistic)),
            new Int32DataFrameColumn("df", result.Tests.Select(t => t.DegreesOfFreedom)),
            new DoubleDataFrameColumn("p", result.Tests.Select(t => t.PValue)));
    }

    /// <summary>Fisher's exact test as one row: p, the odds ratio and its limits (missing beyond 2 × 2), and the number of tables summed over.</summary>
    public static DataFrame ToDataFrame(this FisherExactResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new DataFrame(
            new DoubleDataFrameColumn("p", [result.PValue]),
            new DoubleDataFrameColumn("oddsRatio", [result.OddsRatio]),
            new DoubleDataFrameColumn("lower", [result.OddsRatioLower]),
            new DoubleDataFrameColumn("upper", [result.OddsRatioUpper]),
            new Int64DataFrameColumn("tables", [result.TablesEnumerated]));
    }

    /// <summary>The test of proportional hazards as <c>cox.zph(fit)$table</c>: one row per term, then GLOBAL; columns term, chisq, df, p.</summary>
    public static DataFrame ToDataFrame(this ProportionalHazardsTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        var rows = test.Terms.Append(test.Global).ToArray();
        return new DataFrame(
            new StringDataFrameColumn("term", rows.Select(r => r.Term)),
            new DoubleDataFrameColumn("chisq", rows.Select(r => r.ChiSquare)),
            new Int32DataFrameColumn("df", rows.Select(r => r.DegreesOfFreedom)),
            new DoubleDataFrameColumn("p", rows.Select(r => r.P)));
    }

    /// <summary>
    /// The log-rank test for trend as one row: chisq, df (1), p, the score U and its variance; the per-group O and E
    /// are <c>result.Comparison.ToDataFrame()</c>.
    /// </summary>
    public static DataFrame ToDataFrame(this LogRankTrendResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new DataFrame(
            new DoubleDataFrameColumn("chisq", [result.Statistic]),
            new Int32DataFrameColumn("df", [result.DegreesOfFreedom]),
            new DoubleDataFrameColumn("p", [result.P]),
            new DoubleDataFrameColumn("score", [result.Score]),
            new DoubleDataFrameColumn("scoreVariance", [result.ScoreVariance]));
    }

    /// <summary>A conditional survival as one row: given, additional, estimate, standardError, lower, upper; missing where undefined.</summary>
    public static DataFrame ToDataFrame(this ConditionalSurvivalResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new DataFrame(
            new DoubleDataFrameColumn("given", [result.Given]),
            new DoubleDataFrameColumn("additional", [result.Additional]),
            new DoubleDataFrameColumn("estimate", [result.Estimate]),
            new DoubleDataFrameColumn("standardError", [result.StandardError]),
            new DoubleDataFrameColumn("lower", [result.Lower]),
            new DoubleDataFrameColumn("upper", [result.Upper]));
    }

    /// <summary>A restricted mean survival time as one row: tau, estimate, standardError and the Wald limits at the level given (named as R names limits, "lower .95").</summary>
    /// <exception cref="ArgumentOutOfRangeException">The level is not strictly between 0 and 1.</exception>
    public static DataFrame ToDataFrame(this RestrictedMeanSurvival result, double confidenceLevel = 0.95)
    {
        ArgumentNullException.ThrowIfNull(result);
        var (lower, upper) = result.ConfidenceInterval(confidenceLevel);
        var level = LevelText(confidenceLevel);
        return new DataFrame(
            new DoubleDataFrameColumn("tau", [result.Tau]),
            new DoubleDataFrameColumn("estimate", [result.Estimate]),
            new DoubleDataFrameColumn("standardError", [result.StandardError]),
            new DoubleDataFrameColumn("lower " + level, [lower]),
            new DoubleDataFrameColumn("upper " + level, [upper]));
    }

    /// <summary>
    /// The Fine–Gray coefficient table, as cmprsk's <c>summary(crr)</c>: coef, exp(coef) (the subdistribution hazard
    /// ratio), se(coef) (the sandwich standard error), z, p (unrounded) and the confidence limits of exp(coef).
    /// </summary>
    public static DataFrame ToDataFrame(this FineGrayModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var c = model.Coefficients;
        var level = LevelText(model.ConfidenceLevel);
        return new DataFrame(
            new StringDataFrameColumn("term", c.Select(x => x.Term)),
            new DoubleDataFrameColumn("coef", c.Select(x => x.Coefficient)),
            new DoubleDataFrameColumn("exp(coef)", c.Select(x => x.HazardRatio)),
            new DoubleDataFrameColumn("se(coef)", c.Select(x => x.StandardError)),
            new DoubleDataFrameColumn("z", c.Select(x => x.Z)),
            new DoubleDataFrameColumn("p", c.Select(x => x.P)),
            new DoubleDataFrameColumn("lower " + level, c.Select(x => x.Lower)),
            new DoubleDataFrameColumn("upper " + level, c.Select(x => x.Upper)));
    }

    /// <summary>
    /// The parametric regression table, as R's <c>summary(survreg)</c>: one row per coefficient and, when the scale was
    /// estimated, a last row "Log(scale)"; Value, Std. Error, z, p and the Wald limits of the value (R's <c>confint</c>).
    /// </summary>
    public static DataFrame ToDataFrame(this ParametricModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        ParametricCoefficient[] rows = [.. model.Coefficients, .. model.LogScale is { } logScale ? new[] { logScale } : []];
        var level = LevelText(model.ConfidenceLevel);
        return new DataFrame(
            new StringDataFrameColumn("term", rows.Select(x => x.Term)),
            new DoubleDataFrameColumn("value", rows.Select(x => x.Coefficient)),
            new DoubleDataFrameColumn("se", rows.Select(x => x.StandardError)),
            new DoubleDataFrameColumn("z", rows.Select(x => x.Z)),
            new DoubleDataFrameColumn("p", rows.Select(x => x.P)),
            new DoubleDataFrameColumn("lower " + level, rows.Select(x => x.Lower)),
            new DoubleDataFrameColumn("upper " + level, rows.Select(x => x.Upper)));
    }
}
