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

    /// <summary>The cohort as CSV text, for writing it to a file: a header, one line per subject, LF line ends, no quoting (values never contain commas).</summary>
    public string ToCsv()
    {
        var text = new StringBuilder();
        text.Append(string.Join(',', Columns)).Append('\n');
        for (var i = 0; i < RowCount; i++)
        {
            text.Append(string.Join(',', Columns.Select(c => values[c][i]))).Append('\n');
        }

        return text.ToString();
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
