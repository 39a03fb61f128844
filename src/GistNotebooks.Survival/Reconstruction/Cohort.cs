using System.Collections.Immutable;
using System.Text;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Reconstruction;

/// <summary>A patient-level table made by reconstruction: named columns of text, one row per subject. Immutable.</summary>
public sealed class Cohort
{
    private readonly ImmutableDictionary<string, ImmutableArray<string>> values;

    internal Cohort(IReadOnlyList<(string Name, string[] Values)> columns)
    {
        Columns = [.. columns.Select(c => c.Name)];
        values = columns.ToImmutableDictionary(c => c.Name, c => ImmutableArray.Create(c.Values));
        RowCount = columns.Count == 0 ? 0 : columns[0].Values.Length;
    }

    /// <summary>The column names, in file order.</summary>
    public ImmutableArray<string> Columns { get; }

    /// <summary>The number of subjects.</summary>
    public int RowCount { get; }

    /// <summary>The values of a column as text (an empty string is a missing value).</summary>
    public ImmutableArray<string> this[string column] => values[column];

    /// <summary>
    /// The cohort as CSV text, for writing it to a file: a header, one line per subject, LF line ends, fields quoted by
    /// RFC 4180 and guarded against spreadsheet formulas (<see cref="CsvText"/>), so a label such as
    /// <c>small bowel, jejunum</c> reads back as one field.
    /// </summary>
    public string ToCsv()
    {
        var text = new StringBuilder();
        CsvText.AppendLine(text, Columns);
        for (var i = 0; i < RowCount; i++)
        {
            CsvText.AppendLine(text, Columns.Select(c => values[c][i]));
        }

        return text.ToString();
    }

    /// <summary>
    /// Checks that a table read back from <see cref="ToCsv"/>'s text holds this cohort: the same columns, rows and
    /// values (a formula-guarded label with its apostrophe), so a file that would not read back is never moved into place.
    /// </summary>
    /// <exception cref="DataValidationException">The table differs; the message names the first row and column that does.</exception>
    public void CheckReadBack(ColumnTable written)
    {
        ArgumentNullException.ThrowIfNull(written);
        if (!written.ColumnNames.SequenceEqual(Columns.Select(c => CsvText.Guarded(c).Trim())) || written.RowCount != RowCount)
        {
            throw new DataValidationException(written.SourceName, null, null, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the cohort written does not read back: expected {RowCount} rows of {string.Join(", ", Columns)}, read {written.RowCount} rows of {string.Join(", ", written.ColumnNames)}; nothing was moved into place"));
        }

        foreach (var column in Columns)
        {
            var read = written.GetText(CsvText.Guarded(column).Trim());
            for (var i = 0; i < RowCount; i++)
            {
                var value = values[column][i].Trim();
                var expected = value.Length == 0 ? null : CsvText.Guarded(value);
                if (!string.Equals(read[i], expected, StringComparison.Ordinal))
                {
                    throw new DataValidationException(written.SourceName, i + 1, column,
                        $"the cohort written does not read back: expected '{expected}', read '{read[i]}'; nothing was moved into place");
                }
            }
        }
    }

    /// <summary>
    /// The cohort as a table, for the rest of the library: each column typed by the rules a file is read with (numbers
    /// when every present value is one; an empty text is missing), with no detour through CSV text.
    /// </summary>
    public ColumnTable ToTable(string sourceName = "cohort.csv")
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        var pool = new LabelPool();
        var columns = new List<TableColumn>(Columns.Length);
        foreach (var name in Columns)
        {
            var builder = new ColumnBuilder(name, CellRules.Default, pool);
            foreach (var value in values[name])
            {
                builder.Add(value.AsSpan().Trim());
            }

            columns.Add(builder.Build());
        }

        return ColumnTable.Create(sourceName, columns);
    }
}
