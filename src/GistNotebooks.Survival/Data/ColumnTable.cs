namespace GistNotebooks.Survival.Data;

/// <summary>
/// An immutable in-memory table: named columns, each typed once as numbers (<c>double</c>) or labels (one string
/// instance per distinct value), with missing values marked apart from the values. Every entry point of the library
/// (<see cref="SurvivalData.FromTable"/>, <see cref="ModelFrame.FromTable"/>, <see cref="CompetingRisksData.FromTable"/>,
/// the claim checks) takes one. Build it from columns in memory with <see cref="Create"/>, or read it from delimited
/// text with <see cref="ReadCsv"/> or <see cref="ParseCsv"/>.
/// </summary>
/// <remarks>
/// Every error names the source, the row as the source numbers it (<see cref="SourceRow"/>: for a file, row N is
/// line N + 1, the header line being row 0 and blank lines counted) and the column. A labels column asked for as numbers is read with the table's
/// number rules (the invariant culture, <c>Inf</c>, and a decimal comma when the file was read with one), and fails
/// at its first value that is not a number; a numbers column asked for as labels gives each value as it was written.
/// </remarks>
public sealed partial class ColumnTable
{
    private readonly TableColumn[] columns;
    private readonly Dictionary<string, int> columnIndex;
    private readonly int[]? sourceRows;
    private readonly IReadOnlyList<string> namesForMessages;
    private readonly CellRules rules;

    private readonly RowBreaks? rowBreaks;

    private ColumnTable(string sourceName, TableColumn[] columns, int rowCount, int[]? sourceRows, CellRules rules, IReadOnlyList<string>? namesForMessages, RowBreaks? rowBreaks = null)
    {
        SourceName = sourceName;
        this.rowBreaks = rowBreaks;
        this.columns = columns;
        RowCount = rowCount;
        this.sourceRows = sourceRows;
        this.rules = rules;
        ColumnNames = [.. columns.Select(c => c.Name)];
        this.namesForMessages = namesForMessages ?? ColumnNames;
        columnIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var j = 0; j < columns.Length; j++)
        {
            if (!columnIndex.TryAdd(columns[j].Name, j))
            {
                throw new DataValidationException(sourceName, null, columns[j].Name, "the column name appears more than once in the header");
            }
        }
    }

    /// <summary>The file name, or the name given to the table, used in error messages.</summary>
    public string SourceName { get; }

    /// <summary>The column names, in order.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>The number of rows (for a file, the data rows: the header and blank lines are not counted).</summary>
    public int RowCount { get; }

    /// <summary>Makes a table from columns in memory.</summary>
    /// <param name="sourceName">The name used in error messages (a file name, or a word such as "DataFrame").</param>
    /// <param name="columns">The columns, of equal length and distinct names.</param>
    /// <param name="sourceRows">For each row, its 1-based position in the source, used in error messages; default 1, 2, 3, ….</param>
    /// <exception cref="DataValidationException">Two columns share a name, or the columns differ in length, or there are no rows.</exception>
    public static ColumnTable Create(string sourceName, IEnumerable<TableColumn> columns, IReadOnlyList<int>? sourceRows = null)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(columns);
        TableColumn[] list = [.. columns];
        if (list.Length == 0)
        {
            throw new DataValidationException(sourceName, null, null, "a table needs at least one column");
        }

        var rowCount = list[0].Count;
        foreach (var column in list)
        {
            ArgumentNullException.ThrowIfNull(column);
            if (column.Count != rowCount)
            {
                throw new DataValidationException(sourceName, null, column.Name, FormattableString.Invariant(
                    $"has {column.Count} values but column '{list[0].Name}' has {rowCount}; the lengths must be equal"));
            }
        }

        if (rowCount == 0)
        {
            throw new DataValidationException(sourceName, null, null, "the table has no rows");
        }

        if (sourceRows is not null && sourceRows.Count != rowCount)
        {
            throw new DataValidationException(sourceName, null, null, FormattableString.Invariant(
                $"{sourceRows.Count} source rows are given for {rowCount} rows; the lengths must be equal"));
        }

        return new ColumnTable(sourceName, list, rowCount, sourceRows is null ? null : [.. sourceRows], CellRules.Default, null);
    }

    /// <summary>Whether the table has a column of this name (exact, case-sensitive).</summary>
    public bool HasColumn(string column) => columnIndex.ContainsKey(column);

    /// <summary>The column of this name.</summary>
    /// <exception cref="DataValidationException">The column does not exist; the message lists the columns there are.</exception>
    public TableColumn GetColumn(string column) => columns[Column(column)];

    /// <summary>Whether a column holds numbers or labels.</summary>
    /// <exception cref="DataValidationException">The column does not exist.</exception>
    public ColumnKind KindOf(string column) => GetColumn(column).Kind;

    /// <summary>
    /// The 1-based position of a row in the source, as error messages give it. For a file, row N is physical line N + 1
    /// (the header line, line 1, is row 0): blank lines and the extra lines of a quoted cell that spans lines are
    /// counted, so row N is always the line after line N in an editor. For a table made in memory, the position given
    /// to <see cref="Create"/> (default 1, 2, 3, …).
    /// </summary>
    public int SourceRow(int rowIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rowIndex, RowCount);
        return rowBreaks is not null ? rowBreaks.At(rowIndex) : sourceRows is null ? rowIndex + 1 : sourceRows[rowIndex];
    }

    /// <summary>The labels of a column, trimmed; null where the value is missing. A numbers column gives each value as it was written.</summary>
    /// <exception cref="DataValidationException">The column does not exist.</exception>
    public string?[] GetText(string column)
    {
        var data = GetColumn(column);
        if (data.LabelValues is Chunked<string?> labels)
        {
            return labels.ToArray();
        }

        // A pool per call keeps the table free of shared mutable state (safe to read from several threads).
        var result = new string?[RowCount];
        data.FillText(result, new LabelPool());
        return result;
    }

    /// <summary>A numeric column with no missing values.</summary>
    /// <exception cref="DataValidationException">The column does not exist, or a value is missing or not a number.</exception>
    public double[] GetNumbers(string column) => NumbersWithoutMissing(column).ToArray();

    /// <summary>A numeric column in which a missing value is NaN.</summary>
    /// <exception cref="DataValidationException">The column does not exist, or a value is present but not a number.</exception>
    public double[] GetNumbersOrMissing(string column) => NumbersOrMissing(column).ToArray();

    /// <summary>Whether every present value of the column is a number.</summary>
    /// <exception cref="DataValidationException">The column does not exist.</exception>
    public bool IsNumeric(string column)
    {
        var data = GetColumn(column);
        if (data.LabelValues is not Chunked<string?> labels)
        {
            return true;
        }

        foreach (var label in labels)
        {
            if (label is not null && !NumberText.TryParse(label, rules, out _))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the value at a 0-based row index is missing.</summary>
    /// <exception cref="DataValidationException">The column does not exist.</exception>
    public bool IsMissing(string column, int rowIndex) => GetColumn(column).IsMissing(rowIndex);

    /// <summary>The numbers of a column (NaN where missing), without a copy when the column holds numbers.</summary>
    internal Chunked<double> NumbersOrMissing(string column)
    {
        var data = GetColumn(column);
        if (data.NumberValues is Chunked<double> numbers)
        {
            return numbers;
        }

        var labels = data.LabelValues!;
        var values = new double[labels.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var label = labels[i];
            if (label is null)
            {
                values[i] = double.NaN;
            }
            else if (!NumberText.TryParse(label, rules, out values[i]))
            {
                throw new DataValidationException(SourceName, SourceRow(i), column, $"expected a number, found '{label}'{NumberText.DecimalCommaHint(label, rules)}");
            }
        }

        return Chunked<double>.From(values);
    }

    /// <summary>As <see cref="NumbersOrMissing"/>, refusing a missing value.</summary>
    internal Chunked<double> NumbersWithoutMissing(string column)
    {
        var values = NumbersOrMissing(column);
        var data = GetColumn(column);
        if (data.HasMissing)
        {
            for (var i = 0; i < values.Count; i++)
            {
                if (data.IsMissing(i))
                {
                    throw new DataValidationException(SourceName, SourceRow(i), column, "the value is missing; expected a number");
                }
            }
        }

        return values;
    }

    /// <summary>The text of one cell as written, or null where missing.</summary>
    internal string? TextAt(string column, int rowIndex) => GetColumn(column).TextAt(rowIndex, null);

    /// <summary>The labels of a column, without a copy when it holds labels.</summary>
    internal IReadOnlyList<string?> Labels(string column) => (IReadOnlyList<string?>?)GetColumn(column).LabelValues ?? GetText(column);

    private int Column(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (!columnIndex.TryGetValue(column, out var j))
        {
            throw new DataValidationException(SourceName, null, column,
                "no such column; the columns are " + string.Join(", ", namesForMessages));
        }

        return j;
    }
}
