using System.Globalization;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Reporting.Formatting;

/// <content>Parametric survival models, as R's <c>summary(survreg(...))</c> prints them.</content>
public static partial class ResultFormat
{
    /// <summary>
    /// A parametric survival model as HTML: R's coefficient table (Value, Std. Error, z, p; <c>Log(scale)</c> last when
    /// the scale is estimated), the scale, the log-likelihoods, the likelihood-ratio and Wald tests, AIC and BIC; for a
    /// Weibull or exponential model also the hazard ratios of its proportional-hazards form.
    /// </summary>
    public static string ToHtml(this ParametricModel model) => ResultTable.Html(model.ToTables());

    /// <summary>A parametric survival model as text; see <see cref="ToHtml(ParametricModel)"/>.</summary>
    public static string ToText(this ParametricModel model) => ResultTable.Text(model.ToTables());

    /// <summary>The tables of <see cref="ToHtml(ParametricModel)"/>.</summary>
    public static IReadOnlyList<ResultTable> ToTables(this ParametricModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var name = DistributionName(model.Distribution);
        var notes = new List<string>
        {
            model.IsScaleFixed ? $"Scale fixed at {Number(model.Scale)}" : $"Scale = {Number(model.Scale)}",
            $"{name} distribution",
            $"Loglik(model) = {OneDecimal(model.LogLikelihood)}, Loglik(intercept only) = {OneDecimal(model.LogLikelihoodInterceptOnly)}",
        };
        if (model.LikelihoodRatioTest.DegreesOfFreedom > 0)
        {
            notes.Add($"Likelihood ratio test = {Number(model.LikelihoodRatioTest.Statistic)} on {Count(model.LikelihoodRatioTest.DegreesOfFreedom)} df, p = {PValue(model.LikelihoodRatioTest.P)}");
        }

        if (model.WaldTest is { } wald)
        {
            notes.Add($"Wald test = {Number(wald.Statistic)} on {Count(wald.DegreesOfFreedom)} df, p = {PValue(wald.P)}");
        }

        notes.Add($"AIC = {OneDecimal(model.Aic)}, BIC = {OneDecimal(model.Bic)} ({Count(model.ParameterCount)} parameters)");
        notes.Add($"n = {Count(model.N)}, number of events = {Count(model.Events)}; Newton–Raphson iterations: {Count(model.Iterations)}"
            + (model.DroppedRows.IsEmpty ? string.Empty : $" ({Count(model.DroppedRows.Length)} rows dropped for missing values: {string.Join(", ", model.DroppedRows.Select(Count))})"));
        if (!model.Converged)
        {
            notes.Add($"Did not converge in {Count(model.Iterations)} iterations.");
        }

        notes.AddRange(model.Warnings.Select(w => "Warning: " + w));
        var rows = model.Coefficients.Concat(model.LogScale is null ? [] : [model.LogScale])
            .Select(c => (IReadOnlyList<string>)[c.Term, Number(c.Coefficient), Number(c.StandardError), Number(c.Z), PValue(c.P)]);
        var tables = new List<ResultTable>
        {
            new($"{name} accelerated failure time model (R's survreg)", ["term", "value", "std. error", "z", "p"], [.. rows], notes),
        };
        if (model.Distribution is ParametricDistribution.Weibull or ParametricDistribution.Exponential && model.Coefficients.Length > 1)
        {
            var level = DataFrameLevel(model.ConfidenceLevel);
            tables.Add(new ResultTable(
                $"Proportional-hazards form: hazard ratio exp(−β/scale), Weibull shape 1/scale = {Number(1 / model.Scale)}",
                ["term", "log HR", "se", "HR", "lower " + level, "upper " + level],
                [.. model.HazardRatios().Select(h => (IReadOnlyList<string>)[h.Term, Number(h.LogHazardRatio), Number(h.StandardError), Number(h.HazardRatio), Number(h.Lower), Number(h.Upper)])],
                []));
        }

        return tables;
    }

    /// <summary>
    /// A comparison of distributions as HTML: per distribution (best AIC first) the number of parameters, the
    /// log-likelihood, AIC, ΔAIC, the Akaike weight and BIC; with <paramref name="times"/>, also the predicted survival
    /// (in %) at each time, and with <paramref name="restrictedMeanHorizons"/> the restricted mean to each horizon, so
    /// that extrapolations can be read side by side.
    /// </summary>
    /// <param name="comparison">The fits.</param>
    /// <param name="times">Times at which to give S(t); default none.</param>
    /// <param name="restrictedMeanHorizons">Horizons τ for the restricted mean ∫₀^τ S; default none.</param>
    /// <param name="covariates">Covariate values for the predictions (intercept excluded); default none, for intercept-only models.</param>
    /// <param name="timeUnit">The unit of time, written in the headers; default "months".</param>
    public static string ToHtml(this ParametricComparison comparison, IReadOnlyList<double>? times = null, IReadOnlyList<double>? restrictedMeanHorizons = null, IReadOnlyList<double>? covariates = null, string timeUnit = "months") =>
        ResultTable.Html([comparison.ToTable(times, restrictedMeanHorizons, covariates, timeUnit)]);

    /// <summary>A comparison of distributions as text; see <see cref="ToHtml(ParametricComparison, IReadOnlyList{double}?, IReadOnlyList{double}?, IReadOnlyList{double}?, string)"/>.</summary>
    public static string ToText(this ParametricComparison comparison, IReadOnlyList<double>? times = null, IReadOnlyList<double>? restrictedMeanHorizons = null, IReadOnlyList<double>? covariates = null, string timeUnit = "months") =>
        ResultTable.Text([comparison.ToTable(times, restrictedMeanHorizons, covariates, timeUnit)]);

    /// <summary>The table of <see cref="ToHtml(ParametricComparison, IReadOnlyList{double}?, IReadOnlyList{double}?, IReadOnlyList{double}?, string)"/>.</summary>
    public static ResultTable ToTable(this ParametricComparison comparison, IReadOnlyList<double>? times = null, IReadOnlyList<double>? restrictedMeanHorizons = null, IReadOnlyList<double>? covariates = null, string timeUnit = "months")
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var at = times ?? [];
        var horizons = restrictedMeanHorizons ?? [];
        var x = covariates ?? [];
        var headers = new List<string> { "distribution", "parameters", "log-likelihood", "AIC", "ΔAIC", "Akaike weight", "BIC" };
        headers.AddRange(at.Select(t => $"S({Number(t)} {timeUnit}) (%)"));
        headers.AddRange(horizons.Select(t => $"RMST to {Number(t)} {timeUnit}"));
        var rows = comparison.Rows.Select(r =>
        {
            var cells = new List<string>
            {
                DistributionName(r.Distribution), Count(r.Model.ParameterCount), OneDecimal(r.Model.LogLikelihood),
                OneDecimal(r.Aic), Number(r.DeltaAic), Number(r.AkaikeWeight), OneDecimal(r.Bic),
            };
            cells.AddRange(r.Model.SurvivalAt(x, at).Select(p => Number(100 * p.Survival)));
            cells.AddRange(horizons.Select(t => Number(r.Model.RestrictedMean(x, t).Estimate)));
            return (IReadOnlyList<string>)cells;
        });
        var notes = new List<string>
        {
            "Log-likelihoods on the time scale, so AIC and BIC compare distributions; the Akaike weight is each fit's relative support among those compared, not the probability that it is the true distribution",
        };
        if (at.Count > 0 || horizons.Count > 0)
        {
            notes.Add("Beyond the last follow-up time the predictions are extrapolations: they differ by distribution, and the data cannot say which is right");
        }

        return new ResultTable("Parametric distributions compared (best AIC first)", headers, [.. rows], notes);
    }

    internal static string DistributionName(ParametricDistribution distribution) => distribution switch
    {
        ParametricDistribution.LogNormal => "Log-normal",
        ParametricDistribution.LogLogistic => "Log-logistic",
        _ => distribution.ToString(),
    };

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A log-likelihood or information criterion with one decimal, as <c>print.summary.survreg</c> rounds the log-likelihoods.</summary>
    private static string OneDecimal(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
