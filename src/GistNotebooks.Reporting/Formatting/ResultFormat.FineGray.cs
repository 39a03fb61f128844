using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Reporting.Formatting;

/// <content>Fine–Gray competing-risks regression, as <c>summary(cmprsk::crr(...))</c> prints it.</content>
public static partial class ResultFormat
{
    /// <summary>
    /// A Fine–Gray model as HTML: per term the coefficient, the subdistribution hazard ratio, crr's sandwich standard
    /// error, z, p and the limits; the counts, the pseudo log-likelihoods and the Wald test.
    /// </summary>
    public static string ToHtml(this FineGrayModel model) => ResultTable.Html([model.ToTable()]);

    /// <summary>A Fine–Gray model as text; see <see cref="ToHtml(FineGrayModel)"/>.</summary>
    public static string ToText(this FineGrayModel model) => ResultTable.Text([model.ToTable()]);

    /// <summary>The table of <see cref="ToHtml(FineGrayModel)"/>.</summary>
    public static ResultTable ToTable(this FineGrayModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var level = DataFrameLevel(model.ConfidenceLevel);
        var notes = new List<string>
        {
            $"n = {Count(model.N)}: {Count(model.Events)} events of cause {Count(model.FailureCode)}, {Count(model.CompetingEvents)} competing events, {Count(model.N - model.Events - model.CompetingEvents)} censored"
                + (model.DroppedRows.IsEmpty ? string.Empty : $" ({Count(model.DroppedRows.Length)} rows dropped for missing values: {string.Join(", ", model.DroppedRows.Select(Count))})"),
            "Standard errors from crr's sandwich variance, which accounts for the estimated censoring weights",
            $"Pseudo log-likelihood = {OneDecimal(model.LogPseudoLikelihood)} (at β = 0: {OneDecimal(model.LogPseudoLikelihoodNull)}); pseudo likelihood ratio = {Number(model.PseudoLikelihoodRatio)} on {Count(model.Terms.Length)} df (no p-value, as crr)",
            $"Wald test = {Number(model.WaldTest.Statistic)} on {Count(model.WaldTest.DegreesOfFreedom)} df, p = {PValue(model.WaldTest.P)}",
        };
        if (!model.Converged)
        {
            notes.Add($"Did not converge in {Count(model.Iterations)} iterations.");
        }

        notes.AddRange(model.Warnings.Select(w => "Warning: " + w));
        return new ResultTable(
            $"Competing risks regression (Fine–Gray) for cause {Count(model.FailureCode)}, as cmprsk::crr",
            ["term", "coef", "exp(coef)", "se(coef)", "z", "p", "lower " + level, "upper " + level],
            [.. model.Coefficients.Select(c => (IReadOnlyList<string>)[c.Term, Number(c.Coefficient), Number(c.HazardRatio), Number(c.StandardError), Number(c.Z), PValue(c.P), Number(c.Lower), Number(c.Upper)])],
            notes);
    }
}
