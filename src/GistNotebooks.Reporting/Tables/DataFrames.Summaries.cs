using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Inference;
using GistNotebooks.Survival.Power;
using GistNotebooks.Survival.Regression;
using Microsoft.Data.Analysis;

namespace GistNotebooks.Reporting.Tables;

/// <content>
/// The one-line and per-claim results as DataFrames: a proportion with its interval, the events a log-rank test needs,
/// a simulated power, the comparison of parametric distributions, and claim checks. Numbers stay numbers; labels and
/// the claims' reported and reproduced figures (text as the abstract and the check print them) stay text.
/// </content>
public static partial class DataFrames
{
    /// <summary>One row: successes, trials, the estimate and its confidence limits (named by the level), and the method.</summary>
    public static DataFrame ToDataFrame(this ProportionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var level = LevelText(result.ConfidenceLevel);
        return new DataFrame(
            new Int32DataFrameColumn("successes", [result.Successes]),
            new Int32DataFrameColumn("trials", [result.Trials]),
            new DoubleDataFrameColumn("estimate", [result.Estimate]),
            new DoubleDataFrameColumn("lower " + level, [result.Lower]),
            new DoubleDataFrameColumn("upper " + level, [result.Upper]),
            new StringDataFrameColumn("method", [result.Method.ToString()]));
    }

    /// <summary>One row: the events needed (exact and rounded up) for the hazard ratio, two-sided α, power and allocation, and the formula used.</summary>
    public static DataFrame ToDataFrame(this RequiredEventsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new DataFrame(
            new DoubleDataFrameColumn("events", [result.Events]),
            new Int32DataFrameColumn("eventsRoundedUp", [result.EventsRoundedUp]),
            new DoubleDataFrameColumn("hazardRatio", [result.HazardRatio]),
            new DoubleDataFrameColumn("alpha", [result.Alpha]),
            new DoubleDataFrameColumn("power", [result.Power]),
            new DoubleDataFrameColumn("allocation", [result.Allocation]),
            new StringDataFrameColumn("method", [result.Method]));
    }

    /// <summary>One row: the simulated power with its Monte Carlo standard error, the replicates and rejections, the mean number of events, and the seed.</summary>
    public static DataFrame ToDataFrame(this SimulatedPowerResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new DataFrame(
            new DoubleDataFrameColumn("power", [result.Power]),
            new DoubleDataFrameColumn("monteCarloStandardError", [result.MonteCarloStandardError]),
            new Int32DataFrameColumn("replicates", [result.Replicates]),
            new Int32DataFrameColumn("rejections", [result.Rejections]),
            new DoubleDataFrameColumn("meanEvents", [result.MeanEvents]),
            new Int32DataFrameColumn("seed", [result.Seed]));
    }

    /// <summary>
    /// One row per distribution, best (lowest AIC) first: the log-likelihood, the number of parameters, AIC, BIC, the
    /// AIC difference from the best and the Akaike weight, the scale, and whether the fit converged.
    /// </summary>
    public static DataFrame ToDataFrame(this ParametricComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var rows = comparison.Rows;
        return new DataFrame(
            new StringDataFrameColumn("distribution", rows.Select(r => r.Distribution.ToString().ToLowerInvariant())),
            new DoubleDataFrameColumn("logLikelihood", rows.Select(r => r.Model.LogLikelihood)),
            new Int32DataFrameColumn("parameters", rows.Select(r => r.Model.ParameterCount)),
            new DoubleDataFrameColumn("aic", rows.Select(r => r.Aic)),
            new DoubleDataFrameColumn("bic", rows.Select(r => r.Bic)),
            new DoubleDataFrameColumn("deltaAic", rows.Select(r => r.DeltaAic)),
            new DoubleDataFrameColumn("akaikeWeight", rows.Select(r => r.AkaikeWeight)),
            new DoubleDataFrameColumn("scale", rows.Select(r => r.Model.Scale)),
            new BooleanDataFrameColumn("converged", rows.Select(r => r.Model.Converged)));
    }

    /// <summary>One row per claim: id, description, reported and reproduced figures as printed, status (pass, fail, not checkable) and why a claim could not be checked.</summary>
    public static DataFrame ToDataFrame(this ConsistencyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return ToDataFrame(report.Checks);
    }

    /// <summary>One claim check as a one-row DataFrame, with the columns of <see cref="ToDataFrame(ConsistencyReport)"/>.</summary>
    public static DataFrame ToDataFrame(this ClaimCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return ToDataFrame([check]);
    }

    private static DataFrame ToDataFrame(IReadOnlyList<ClaimCheck> checks) => new(
        new StringDataFrameColumn("id", checks.Select(c => c.Id)),
        new StringDataFrameColumn("description", checks.Select(c => c.Description)),
        new StringDataFrameColumn("reported", checks.Select(c => c.Reported)),
        new StringDataFrameColumn("reproduced", checks.Select(c => c.Reproduced)),
        new StringDataFrameColumn("status", checks.Select(c => c.Status)),
        new StringDataFrameColumn("notCheckableReason", checks.Select(c => c.NotCheckableReason)));
}
