using System.Globalization;
using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Inference;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Reporting.Formatting;

/// <content>Fisher's exact test, the test of proportional hazards (<c>cox.zph</c>) and the log-rank test for trend.</content>
public static partial class ResultFormat
{
    /// <summary>Fisher's exact test as HTML, as R's <c>fisher.test</c> prints it: the p-value and, for a 2 × 2 table, the conditional MLE odds ratio with its exact limits.</summary>
    public static string ToHtml(this FisherExactResult result) => ResultTable.Html([result.ToTable()]);

    /// <summary>Fisher's exact test as text.</summary>
    public static string ToText(this FisherExactResult result) => ResultTable.Text([result.ToTable()]);

    /// <summary>The table of <see cref="ToHtml(FisherExactResult)"/>; the odds ratio and its limits are "NA" for a table larger than 2 × 2.</summary>
    public static ResultTable ToTable(this FisherExactResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ResultTable(
            "Fisher's exact test for count data",
            ["", "p-value", "odds ratio", "lower", "upper", "tables"],
            [["two-sided", PValue(result.PValue), Number(result.OddsRatio), Number(result.OddsRatioLower), Number(result.OddsRatioUpper), Count(result.TablesEnumerated)]],
            result.OddsRatio is null ? [] : ["The odds ratio is the conditional maximum-likelihood estimate; the limits are exact conditional limits."]);
    }

    /// <summary>The test of proportional hazards as HTML, as R's <c>cox.zph</c> prints it: per term and globally, chisq, df and p.</summary>
    public static string ToHtml(this ProportionalHazardsTest test) => ResultTable.Html([test.ToTable()]);

    /// <summary>The test of proportional hazards as text.</summary>
    public static string ToText(this ProportionalHazardsTest test) => ResultTable.Text([test.ToTable()]);

    /// <summary>The table of <see cref="ToHtml(ProportionalHazardsTest)"/>, the terms then the GLOBAL row.</summary>
    public static ResultTable ToTable(this ProportionalHazardsTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        var transform = test.Transform == ZphTransform.KaplanMeier ? "km" : "identity";
        return new ResultTable(
            $"Test of proportional hazards (time transform: {transform})",
            ["term", "chisq", "df", "p"],
            [.. test.Terms.Append(test.Global).Select(t => (IReadOnlyList<string>)[t.Term, Number(t.ChiSquare), t.DegreesOfFreedom.ToString(CultureInfo.InvariantCulture), PValue(t.P)])],
            []);
    }

    /// <summary>The log-rank test for trend as HTML: per group its score, N, observed and expected events, then the statistic on 1 degree of freedom.</summary>
    public static string ToHtml(this LogRankTrendResult result) => ResultTable.Html([result.ToTable()]);

    /// <summary>The log-rank test for trend as text.</summary>
    public static string ToText(this LogRankTrendResult result) => ResultTable.Text([result.ToTable()]);

    /// <summary>The table of <see cref="ToHtml(LogRankTrendResult)"/>.</summary>
    public static ResultTable ToTable(this LogRankTrendResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var groups = result.Comparison.Groups;
        return new ResultTable(
            "Log-rank test for trend",
            ["group", "score", "N", "observed", "expected"],
            [.. groups.Select((g, i) => (IReadOnlyList<string>)[g.Group, Number(result.Scores[i]), g.N.ToString(CultureInfo.InvariantCulture), Number(g.Observed), Number(g.Expected)])],
            [$"Chisq = {Number(result.Statistic)} on {result.DegreesOfFreedom.ToString(CultureInfo.InvariantCulture)} degree of freedom, p = {PValue(result.P)}; U = {Number(result.Score)}, var(U) = {Number(result.ScoreVariance)}"]);
    }
}
