using System.Globalization;
using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Estimation;

namespace GistNotebooks.Reporting.Formatting;

/// <content>Cumulative incidence curves and Gray's test, as <c>cmprsk::cuminc</c> prints them.</content>
public static partial class ResultFormat
{
    /// <summary>
    /// Cumulative incidence as HTML: one table per cause and group with the estimate and cmprsk's variance, at every
    /// distinct time or at the times asked for (as <c>cmprsk::timepoints</c>; NA beyond a group's follow-up).
    /// </summary>
    /// <param name="result">The curves.</param>
    /// <param name="times">The times to read the incidence at; default every distinct time of each curve.</param>
    public static string ToHtml(this CumulativeIncidenceResult result, IReadOnlyList<double>? times = null) => ResultTable.Html(result.ToTables(times));

    /// <summary>Cumulative incidence as text; see <see cref="ToHtml(CumulativeIncidenceResult, IReadOnlyList{double}?)"/>.</summary>
    public static string ToText(this CumulativeIncidenceResult result, IReadOnlyList<double>? times = null) => ResultTable.Text(result.ToTables(times));

    /// <summary>Gray's test as HTML: per cause the statistic, degrees of freedom and p-value.</summary>
    public static string ToHtml(this GrayTestResult result) => ResultTable.Html([result.ToTable()]);

    /// <summary>Gray's test as text.</summary>
    public static string ToText(this GrayTestResult result) => ResultTable.Text([result.ToTable()]);

    /// <summary>The tables of <see cref="ToHtml(CumulativeIncidenceResult, IReadOnlyList{double}?)"/>, one per curve, in the result's order.</summary>
    public static IReadOnlyList<ResultTable> ToTables(this CumulativeIncidenceResult result, IReadOnlyList<double>? times = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        return [.. result.Curves.Select(curve =>
        {
            IReadOnlyList<CumulativeIncidenceValue> values = times is null
                ? [.. curve.Points.Select(p => new CumulativeIncidenceValue(p.Time, p.Estimate, p.Variance))]
                : curve.At(times);
            return new ResultTable(
                $"Cumulative incidence of cause {curve.Cause.ToString(CultureInfo.InvariantCulture)}{(curve.Group is null ? string.Empty : ", group " + curve.Group)}",
                ["time", "estimate", "variance"],
                [.. values.Select(v => (IReadOnlyList<string>)[Number(v.Time), Number(v.Estimate), Number(v.Variance)])],
                []);
        })];
    }

    /// <summary>The table of <see cref="ToHtml(GrayTestResult)"/>.</summary>
    public static ResultTable ToTable(this GrayTestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ResultTable(
            "Gray's test of equal cumulative incidence across groups" + (result.Rho == 0 ? string.Empty : $" (rho = {Number(result.Rho)})"),
            ["cause", "statistic", "df", "p"],
            [.. result.Tests.Select(t => (IReadOnlyList<string>)[
                t.Cause.ToString(CultureInfo.InvariantCulture), Number(t.Statistic), t.DegreesOfFreedom.ToString(CultureInfo.InvariantCulture), PValue(t.PValue)])],
            []);
    }
}
