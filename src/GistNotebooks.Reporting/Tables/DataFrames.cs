using System.Globalization;
using GistNotebooks.Reporting.Charts;
using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Reconstruction;
using GistNotebooks.Survival.Regression;
using Microsoft.Data.Analysis;

namespace GistNotebooks.Reporting.Tables;

/// <summary>
/// Microsoft.Data.Analysis adapters both ways: DataFrame columns to validated <see cref="SurvivalData"/>, and every
/// result table of the survival library to a DataFrame. A value that does not exist is a missing (null) cell.
/// </summary>
public static class DataFrames
{
    private const string Source = "DataFrame";

    /// <summary>
    /// Survival data from a DataFrame's time and event columns (and optionally a group column). Times may be any
    /// numeric column (or text holding numbers); events are 0/1 numbers or booleans; groups are any values, as text.
    /// </summary>
    /// <exception cref="DataValidationException">A column is missing, or a cell is missing, not a number, a negative or
    /// non-finite time, or an event other than 0/1; the message names the column and the 1-based row.</exception>
    public static SurvivalData ToSurvivalData(this DataFrame frame, string timeColumn, string eventColumn, string? groupColumn = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(timeColumn);
        ArgumentNullException.ThrowIfNull(eventColumn);
        var timeValues = Column(frame, timeColumn);
        var eventValues = Column(frame, eventColumn);
        var groupValues = groupColumn is null ? null : Column(frame, groupColumn);
        var count = (int)frame.Rows.Count;
        var times = new double[count];
        var events = new bool[count];
        var groups = groupValues is null ? null : new string[count];
        for (var i = 0; i < count; i++)
        {
            var time = Number(timeValues[i], timeColumn, i);
            if (!double.IsFinite(time) || time < 0)
            {
                throw new DataValidationException(Source, i + 1, timeColumn, "expected a time that is finite and not negative, found " + Text(timeValues[i]));
            }

            times[i] = time;
            events[i] = eventValues[i] switch
            {
                bool b => b,
                null => throw new DataValidationException(Source, i + 1, eventColumn, "the event is missing; expected 0 (censored) or 1 (event)"),
                var value => Number(value, eventColumn, i) switch
                {
                    0 => false,
                    1 => true,
                    _ => throw new DataValidationException(Source, i + 1, eventColumn, "expected 0 (censored) or 1 (event), found " + Text(value)),
                },
            };
            if (groups is not null)
            {
                groups[i] = groupValues![i] is { } g ? Text(g) : throw new DataValidationException(Source, i + 1, groupColumn, "the group label is missing");
            }
        }

        return SurvivalData.Create(times, events, groups: groups);
    }

    /// <summary>The Kaplan–Meier table, one row per distinct time (as R's <c>summary(fit, censored = TRUE)</c>), with a group column when the curve has a group.</summary>
    public static DataFrame ToDataFrame(this KaplanMeierCurve curve)
    {
        ArgumentNullException.ThrowIfNull(curve);
        return ToDataFrame([curve]);
    }

    /// <summary>The Kaplan–Meier tables of several curves stacked, with a group column first.</summary>
    public static DataFrame ToDataFrame(this IReadOnlyList<KaplanMeierCurve> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var rows = curves.SelectMany((c, i) => c.Table.Select(r => (Group: SurvivalCharts.GroupLabel(c, i), Row: r))).ToArray();
        var columns = new List<DataFrameColumn>();
        if (curves.Count > 1 || curves.Any(c => c.Group is not null))
        {
            columns.Add(new StringDataFrameColumn("group", rows.Select(r => r.Group)));
        }

        columns.Add(new DoubleDataFrameColumn("time", rows.Select(r => r.Row.Time)));
        columns.Add(new DoubleDataFrameColumn("atRisk", rows.Select(r => r.Row.AtRisk)));
        columns.Add(new DoubleDataFrameColumn("events", rows.Select(r => r.Row.Events)));
        columns.Add(new DoubleDataFrameColumn("censored", rows.Select(r => r.Row.Censored)));
        columns.Add(new DoubleDataFrameColumn("survival", rows.Select(r => r.Row.Survival)));
        columns.Add(new DoubleDataFrameColumn("standardError", rows.Select(r => r.Row.StandardError)));
        columns.Add(new DoubleDataFrameColumn("lower", rows.Select(r => r.Row.Lower)));
        columns.Add(new DoubleDataFrameColumn("upper", rows.Select(r => r.Row.Upper)));
        columns.Add(new DoubleDataFrameColumn("cumulativeHazard", rows.Select(r => r.Row.CumulativeHazard)));
        return new DataFrame(columns);
    }

    /// <summary>The numbers-at-risk table as printed under the figure: a group column, then one column per time named by the time.</summary>
    public static DataFrame ToDataFrame(this AtRiskTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var columns = new List<DataFrameColumn> { new StringDataFrameColumn("group", table.Groups) };
        for (var t = 0; t < table.Times.Length; t++)
        {
            columns.Add(new DoubleDataFrameColumn(table.Times[t].ToString(CultureInfo.InvariantCulture), table.Rows.Select(r => r[t])));
        }

        return new DataFrame(columns);
    }

    /// <summary>
    /// The numbers at risk of the curves at the ticks their chart draws (see <see cref="AtRiskTable.AtTicks"/>), or at
    /// the times given.
    /// </summary>
    public static DataFrame AtRiskDataFrame(this IReadOnlyList<KaplanMeierCurve> curves, IReadOnlyList<double>? times = null, string timeUnit = "months", double? tickInterval = null)
    {
        ArgumentNullException.ThrowIfNull(curves);
        return (times is null ? AtRiskTable.AtTicks(curves, timeUnit, tickInterval) : AtRiskTable.Compute(curves, times)).ToDataFrame();
    }

    /// <summary>The log-rank table per group, as R's <c>survdiff</c> prints it: N, Observed, Expected, (O−E)²/E, (O−E)²/V.</summary>
    public static DataFrame ToDataFrame(this LogRankResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var groups = result.Groups;
        return new DataFrame(
            new StringDataFrameColumn("group", groups.Select(g => g.Group)),
            new Int32DataFrameColumn("n", groups.Select(g => g.N)),
            new DoubleDataFrameColumn("observed", groups.Select(g => g.Observed)),
            new DoubleDataFrameColumn("expected", groups.Select(g => g.Expected)),
            new DoubleDataFrameColumn("(O-E)^2/E", groups.Select(g => g.ObservedMinusExpected * g.ObservedMinusExpected / g.Expected)),
            new DoubleDataFrameColumn("(O-E)^2/V", groups.Select((g, i) => g.ObservedMinusExpected * g.ObservedMinusExpected / result.Variance[i][i])));
    }

    /// <summary>The Cox coefficient table, as R's <c>summary(coxph)</c>: coef, exp(coef), se(coef), z, p and the confidence limits of exp(coef).</summary>
    public static DataFrame ToDataFrame(this CoxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var c = model.Coefficients;
        var level = LevelText(model.ConfidenceLevel);
        return new DataFrame(
            new StringDataFrameColumn("term", c.Select(x => x.Term)),
            new DoubleDataFrameColumn("coef", c.Select(x => (double?)(x.IsInfinite ? null : x.Coefficient))),
            new DoubleDataFrameColumn("exp(coef)", c.Select(x => (double?)(x.IsInfinite ? null : x.HazardRatio))),
            new DoubleDataFrameColumn("se(coef)", c.Select(x => (double?)(x.IsInfinite ? null : x.StandardError))),
            new DoubleDataFrameColumn("z", c.Select(x => (double?)(x.IsInfinite ? null : x.Z))),
            new DoubleDataFrameColumn("p", c.Select(x => x.P)),
            new DoubleDataFrameColumn("lower " + level, c.Select(x => x.Lower)),
            new DoubleDataFrameColumn("upper " + level, c.Select(x => x.Upper)));
    }

    /// <summary>The ensemble summary: per figure, minimum, quartiles, median, maximum and how many cohorts lack the figure.</summary>
    public static DataFrame ToDataFrame(this IReadOnlyList<EnsembleFigure> figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        return new DataFrame(
            new StringDataFrameColumn("figure", figures.Select(f => f.Figure)),
            new DoubleDataFrameColumn("minimum", figures.Select(f => f.Minimum)),
            new DoubleDataFrameColumn("lowerQuartile", figures.Select(f => f.LowerQuartile)),
            new DoubleDataFrameColumn("median", figures.Select(f => f.Median)),
            new DoubleDataFrameColumn("upperQuartile", figures.Select(f => f.UpperQuartile)),
            new DoubleDataFrameColumn("maximum", figures.Select(f => f.Maximum)),
            new Int32DataFrameColumn("undefined", figures.Select(f => f.Undefined)));
    }

    /// <summary>".95" for 0.95, as R names confidence limits.</summary>
    internal static string LevelText(double level) => level.ToString("#.##", CultureInfo.InvariantCulture);

    private static DataFrameColumn Column(DataFrame frame, string name)
    {
        var index = frame.Columns.IndexOf(name);
        return index >= 0
            ? frame.Columns[index]
            : throw new DataValidationException(Source, null, name, "no such column; the columns are " + string.Join(", ", frame.Columns.Select(c => c.Name)));
    }

    private static double Number(object? value, string column, int index) => value switch
    {
        null => throw new DataValidationException(Source, index + 1, column, "the value is missing"),
        double d => d,
        float f => f,
        int n => n,
        long n => n,
        short n => n,
        byte n => n,
        decimal m => (double)m,
        bool => throw new DataValidationException(Source, index + 1, column, "expected a number, found a boolean"),
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw new DataValidationException(Source, index + 1, column, "expected a number, found '" + Text(value) + "'"),
    };

    private static string Text(object? value) => value switch
    {
        null => "a missing value",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
