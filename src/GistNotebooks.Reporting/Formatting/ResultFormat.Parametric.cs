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

    private static string DistributionName(ParametricDistribution distribution) => distribution switch
    {
        ParametricDistribution.LogNormal => "Log-normal",
        ParametricDistribution.LogLogistic => "Log-logistic",
        _ => distribution.ToString(),
    };

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A log-likelihood or information criterion with one decimal, as <c>print.summary.survreg</c> rounds the log-likelihoods.</summary>
    private static string OneDecimal(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
