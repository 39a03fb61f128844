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
/// Microsoft.Data.Analysis adapters both ways: a DataFrame to and from a <see cref="ColumnTable"/> without loss (so that
/// every estimator, Cox regression and competing risks included, can be fed from a DataFrame), and every result table
/// of the survival library to a DataFrame. A value that does not exist is a missing (null) cell.
/// </summary>
public static partial class DataFrames
{
    private const string Source = "DataFrame";

    /// <summary>
    /// The DataFrame as a table: numeric columns (double, float, decimal and every integer type) become numbers, a
    /// boolean column numbers 1 (true) and 0 (false), a string column labels; a null cell is missing. Any other column
    /// becomes labels, each value written with the invariant culture. Rows keep their order and are numbered 1, 2, 3, …
    /// in error messages.
    /// </summary>
    /// <param name="frame">The DataFrame.</param>
    /// <param name="sourceName">The name used in error messages.</param>
    /// <exception cref="DataValidationException">The frame has no columns or no rows, or two columns share a name.</exception>
    public static ColumnTable ToColumnTable(this DataFrame frame, string sourceName = Source)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(sourceName);
        return ColumnTable.Create(sourceName, frame.Columns.Select(ToTableColumn));
    }

    /// <summary>
    /// The table as a DataFrame: a numbers column becomes a <see cref="DoubleDataFrameColumn"/> and a labels column a
    /// <see cref="StringDataFrameColumn"/>, with a null cell wherever a value is missing. <see cref="ToColumnTable"/>
    /// gives back the same columns, values and missing cells.
    /// </summary>
    public static DataFrame ToDataFrame(this ColumnTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var columns = new List<DataFrameColumn>(table.ColumnNames.Count);
        foreach (var name in table.ColumnNames)
        {
            var column = table.GetColumn(name);
            if (column.Kind == ColumnKind.Labels)
            {
                columns.Add(new StringDataFrameColumn(name, table.GetText(name)));
                continue;
            }

            var numbers = table.GetNumbersOrMissing(name);
            var values = new DoubleDataFrameColumn(name, numbers.Length);
            for (var i = 0; i < numbers.Length; i++)
            {
                values[i] = column.IsMissing(i) ? null : numbers[i];
            }

            columns.Add(values);
        }

        return new DataFrame(columns);
    }

    /// <summary>
    /// Survival data from a DataFrame's time and event columns (and optionally a group column), through
    /// <see cref="ToColumnTable"/> and <see cref="SurvivalData.FromTable"/>. Times may be any numeric column (or text
    /// holding numbers); events are 0/1 numbers or booleans; groups are any values, as text.
    /// </summary>
    /// <exception cref="DataValidationException">A column is missing, or a cell is missing, not a number, a negative or
    /// non-finite time, or an event other than 0/1; the message names the column and the 1-based row.</exception>
    public static SurvivalData ToSurvivalData(this DataFrame frame, string timeColumn, string eventColumn, string? groupColumn = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(timeColumn);
        ArgumentNullException.ThrowIfNull(eventColumn);
        return SurvivalData.FromTable(frame.ToColumnTable(), timeColumn, eventColumn, groupColumn);
    }

    /// <summary>A Cox model frame from a DataFrame, through <see cref="ToColumnTable"/> and <see cref="ModelFrame.FromTable"/> (string columns are factors).</summary>
    /// <exception cref="DataValidationException">As <see cref="ModelFrame.FromTable"/>.</exception>
    public static ModelFrame ToModelFrame(
        this DataFrame frame,
        string timeColumn,
        string eventColumn,
        IReadOnlyList<string> covariates,
        IReadOnlyDictionary<string, string>? references = null,
        string? strataColumn = null,
        string? weightColumn = null,
        EventCoding? eventCoding = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return ModelFrame.FromTable(frame.ToColumnTable(), timeColumn, eventColumn, covariates, references, strataColumn, weightColumn, eventCoding);
    }

    /// <summary>Competing-risks data from a DataFrame, through <see cref="ToColumnTable"/> and <see cref="CompetingRisksData.FromTable"/>.</summary>
    /// <exception cref="DataValidationException">As <see cref="CompetingRisksData.FromTable"/>.</exception>
    public static CompetingRisksData ToCompetingRisksData(this DataFrame frame, string timeColumn, string statusColumn, string? groupColumn = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return CompetingRisksData.FromTable(frame.ToColumnTable(), timeColumn, statusColumn, groupColumn);
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

    private static TableColumn ToTableColumn(DataFrameColumn column) => column switch
    {
        StringDataFrameColumn text => TableColumn.Labels(text.Name, text),
        ArrowStringDataFrameColumn text => TableColumn.Labels(text.Name, text),
        PrimitiveDataFrameColumn<double> numbers => TableColumn.Numbers(numbers.Name, numbers),
        PrimitiveDataFrameColumn<bool> flags => TableColumn.Numbers(flags.Name, flags.Select(b => b is bool v ? (v ? 1.0 : 0.0) : (double?)null)),
        _ when Number(column.DataType) => TableColumn.Numbers(column.Name, Cells(column).Select(v => v is null ? (double?)null : Convert.ToDouble(v, CultureInfo.InvariantCulture))),
        _ => TableColumn.Labels(column.Name, Cells(column).Select(v => v is null ? null : Text(v))),
    };

    private static bool Number(Type type) => Type.GetTypeCode(type) is TypeCode.Single or TypeCode.Decimal
        or TypeCode.SByte or TypeCode.Byte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64;

    private static IEnumerable<object?> Cells(DataFrameColumn column)
    {
        for (long i = 0; i < column.Length; i++)
        {
            yield return column[i];
        }
    }

    private static string Text(object value) => value switch
    {
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
