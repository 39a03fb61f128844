using System.Globalization;
using System.Text;

namespace GistNotebooks.Survival.Data;

/// <summary>
/// A delimited text file held as columns of text, read once and then asked for typed columns.
/// Every error names the file, the 1-based data row (the header is row 0) and the column.
/// </summary>
/// <remarks>
/// Accepts a UTF-8 byte-order mark, LF or CRLF line ends, quoted fields (with <c>""</c> for a quote),
/// and comma, semicolon or tab delimiters. Blank lines at the end are ignored.
/// </remarks>
public sealed class CsvTable
{
    private readonly string[][] cells;
    private readonly Dictionary<string, int> columnIndex;
    private readonly HashSet<string> missing;
    private readonly bool decimalComma;

    private CsvTable(string sourceName, string[] header, string[][] cells, CsvReadOptions options, char delimiter)
    {
        SourceName = sourceName;
        ColumnNames = header;
        this.cells = cells;
        Delimiter = delimiter;
        missing = new HashSet<string>(options.MissingValues, StringComparer.Ordinal);
        decimalComma = options.DecimalComma ?? delimiter != ',';
        columnIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var j = 0; j < header.Length; j++)
        {
            if (header[j].Length == 0)
            {
                throw new DataValidationException(sourceName, null, null, FormattableString.Invariant($"column {j + 1} of the header has no name"));
            }

            if (!columnIndex.TryAdd(header[j], j))
            {
                throw new DataValidationException(sourceName, null, header[j], "the column name appears more than once in the header");
            }
        }
    }

    /// <summary>The file name (or the name given to text that was parsed).</summary>
    public string SourceName { get; }

    /// <summary>The column names, in file order.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>The delimiter used.</summary>
    public char Delimiter { get; }

    /// <summary>The number of data rows (the header is not counted).</summary>
    public int RowCount => cells.Length == 0 ? 0 : cells[0].Length;

    /// <summary>Reads a delimited file.</summary>
    /// <exception cref="DataValidationException">The file is missing, empty, has only a header, or its rows do not match the header.</exception>
    public static CsvTable Read(string path, CsvReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new DataValidationException(path, null, null, "the file does not exist");
        }

        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (IOException e)
        {
            throw new DataValidationException(path, null, null, "the file cannot be read: " + e.Message);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DataValidationException(path, null, null, "the file cannot be read: " + e.Message);
        }

        return Parse(text, path, options);
    }

    /// <summary>Parses delimited text; <paramref name="sourceName"/> is used in error messages.</summary>
    /// <exception cref="DataValidationException">The text is empty, has only a header, or its rows do not match the header.</exception>
    public static CsvTable Parse(string text, string sourceName = "input", CsvReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= CsvReadOptions.Default;
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        if (text.AsSpan().Trim().IsEmpty)
        {
            throw new DataValidationException(sourceName, null, null, "the file is empty; expected a header line and at least one data row");
        }

        // No delimited text holds a NUL character; a workbook or other binary file does.
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new DataValidationException(sourceName, null, null, "the file is not delimited text (it holds binary data); expected a CSV file with a header line (save a spreadsheet as CSV first)");
        }

        var delimiter = options.Delimiter ?? DetectDelimiter(text);
        var records = SplitRecords(text, delimiter, sourceName);
        var header = records[0];
        for (var j = 0; j < header.Length; j++)
        {
            header[j] = header[j].Trim();
        }

        if (records.Count == 1)
        {
            throw new DataValidationException(sourceName, null, null, "the file has a header but no data rows");
        }

        var rowCount = records.Count - 1;
        var columns = new string[header.Length][];
        for (var j = 0; j < header.Length; j++)
        {
            columns[j] = new string[rowCount];
        }

        for (var i = 0; i < rowCount; i++)
        {
            var record = records[i + 1];
            if (record.Length != header.Length)
            {
                throw new DataValidationException(sourceName, i + 1, null, FormattableString.Invariant(
                    $"expected {header.Length} fields as in the header, found {record.Length}"));
            }

            for (var j = 0; j < record.Length; j++)
            {
                columns[j][i] = record[j];
            }
        }

        return new CsvTable(sourceName, header, columns, options, delimiter);
    }

    /// <summary>Whether the table has a column of this name (exact, case-sensitive).</summary>
    public bool HasColumn(string column) => columnIndex.ContainsKey(column);

    /// <summary>The raw text of a column, trimmed; null where the value is missing.</summary>
    /// <exception cref="DataValidationException">The column does not exist.</exception>
    public string?[] GetText(string column)
    {
        var raw = Column(column);
        var result = new string?[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            var value = raw[i].Trim();
            result[i] = missing.Contains(value) ? null : value;
        }

        return result;
    }

    /// <summary>A numeric column with no missing values.</summary>
    /// <exception cref="DataValidationException">The column does not exist, or a value is missing or not a number.</exception>
    public double[] GetNumbers(string column)
    {
        var values = GetNumbersOrMissing(column);
        for (var i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i]) && IsMissing(column, i))
            {
                throw new DataValidationException(SourceName, i + 1, column, "the value is missing; expected a number");
            }
        }

        return values;
    }

    /// <summary>A numeric column in which a missing value is NaN.</summary>
    /// <exception cref="DataValidationException">The column does not exist, or a value is present but not a number.</exception>
    public double[] GetNumbersOrMissing(string column)
    {
        var raw = Column(column);
        var result = new double[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            var value = raw[i].AsSpan().Trim();
            if (missing.Contains(value.ToString()))
            {
                result[i] = double.NaN;
                continue;
            }

            if (!TryParseNumber(value, out result[i]))
            {
                throw new DataValidationException(SourceName, i + 1, column, $"expected a number, found '{value.ToString()}'{DecimalCommaHint(value)}");
            }
        }

        return result;
    }

    /// <summary>Whether every present value of the column is a number.</summary>
    public bool IsNumeric(string column)
    {
        foreach (var raw in Column(column))
        {
            var value = raw.AsSpan().Trim();
            if (!missing.Contains(value.ToString()) && !TryParseNumber(value, out _))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the value at a 0-based row index is missing.</summary>
    public bool IsMissing(string column, int rowIndex) => missing.Contains(Column(column)[rowIndex].Trim());

    /// <summary>Parses a number with the invariant culture (and a decimal comma when the table allows it); R's <c>Inf</c> and <c>-Inf</c> are infinities.</summary>
    internal bool TryParseNumber(ReadOnlySpan<char> text, out double value)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        // R writes infinities as Inf and -Inf; reading them as numbers lets the caller say that a finite value was expected.
        if (text is "Inf" or "+Inf" or "-Inf")
        {
            value = text[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        if (decimalComma && text.Contains(','))
        {
            Span<char> copy = text.Length <= 128 ? stackalloc char[text.Length] : new char[text.Length];
            text.CopyTo(copy);
            copy.Replace(',', '.');
            return double.TryParse(copy, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }

        return false;
    }

    /// <summary>A hint for a value that would be a number with a decimal comma, in a table that does not read decimal commas.</summary>
    private string DecimalCommaHint(ReadOnlySpan<char> value)
    {
        if (decimalComma || !value.Contains(','))
        {
            return string.Empty;
        }

        var withPoint = value.ToString().Replace(',', '.');
        return double.TryParse(withPoint, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? "; a decimal comma is read only in files separated by semicolons or tabs, so write a decimal point (" + withPoint + ")"
            : string.Empty;
    }

    private string[] Column(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (!columnIndex.TryGetValue(column, out var j))
        {
            throw new DataValidationException(SourceName, null, column,
                "no such column; the columns are " + string.Join(", ", ColumnNames));
        }

        return cells[j];
    }

    private static char DetectDelimiter(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        var header = end < 0 ? text : text[..end];
        var counts = new[] { (',', header.Count(c => c == ',')), (';', header.Count(c => c == ';')), ('\t', header.Count(c => c == '\t')) };
        var best = counts.MaxBy(c => c.Item2);
        return best.Item2 == 0 ? ',' : best.Item1;
    }

    private static List<string[]> SplitRecords(string text, char delimiter, string sourceName)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var fieldWasQuoted = false;
        var line = 1;
        var recordStartLine = 1;

        void EndField()
        {
            fields.Add(fieldWasQuoted ? field.ToString() : field.ToString());
            field.Clear();
            fieldWasQuoted = false;
        }

        void EndRecord()
        {
            EndField();
            var blank = fields.Count == 1 && fields[0].Trim().Length == 0;
            if (!blank)
            {
                records.Add([.. fields]);
            }

            fields.Clear();
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            if (c == '"' && field.ToString().Trim().Length == 0)
            {
                field.Clear();
                inQuotes = true;
                fieldWasQuoted = true;
            }
            else if (c == delimiter)
            {
                EndField();
            }
            else if (c == '\r' || c == '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                EndRecord();
                line++;
                recordStartLine = line;
            }
            else
            {
                field.Append(c);
            }
        }

        if (inQuotes)
        {
            throw new DataValidationException(sourceName, null, null, FormattableString.Invariant(
                $"a quoted field that starts on line {recordStartLine} is never closed"));
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            EndRecord();
        }

        return records;
    }
}
