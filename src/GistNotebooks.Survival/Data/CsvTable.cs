using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace GistNotebooks.Survival.Data;

/// <summary>
/// A delimited text file held as columns of text, read once and then asked for typed columns.
/// Every error names the file, the 1-based data row (the header is row 0) and the column.
/// </summary>
/// <remarks>
/// Accepts a UTF-8 byte-order mark, LF or CRLF line ends, quoted fields (with <c>""</c> for a quote),
/// and comma, semicolon or tab delimiters. Blank lines at the end are ignored.
/// The file is kept as its UTF-8 bytes with the position of every cell, column by column; a number is parsed
/// straight from those bytes when a column is asked for, and a label becomes a string once per distinct value,
/// so a million-row file costs about its own size plus eight bytes a cell.
/// </remarks>
public sealed class CsvTable
{
    /// <summary>Powers of ten that a double holds exactly (the fast path of decimal parsing).</summary>
    private static readonly double[] ExactPowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    private readonly byte[] buffer;
    private readonly int[][] cellStart;
    private readonly int[][] cellLength;
    private readonly int rowCount;
    private readonly Dictionary<string, int> columnIndex;
    private readonly HashSet<string> missing;
    private readonly byte[][] missingBytes;
    private readonly bool decimalComma;
    private readonly Dictionary<int, double[]> parsedColumns = [];
    private readonly Dictionary<string, string> labels = new(StringComparer.Ordinal);

    private CsvTable(string sourceName, string[] header, byte[] buffer, int[][] cellStart, int[][] cellLength, int rowCount, CsvReadOptions options, char delimiter)
    {
        SourceName = sourceName;
        ColumnNames = header;
        this.buffer = buffer;
        this.cellStart = cellStart;
        this.cellLength = cellLength;
        this.rowCount = rowCount;
        Delimiter = delimiter;
        missing = new HashSet<string>(options.MissingValues, StringComparer.Ordinal);
        missingBytes = [.. missing.Select(Encoding.UTF8.GetBytes)];
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
    public int RowCount => rowCount;

    /// <summary>Reads a delimited file.</summary>
    /// <exception cref="DataValidationException">The file is missing, empty, has only a header, or its rows do not match the header.</exception>
    public static CsvTable Read(string path, CsvReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new DataValidationException(path, null, null, "the file does not exist");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
            if (HasUnicodeByteOrderMarkOtherThanUtf8(bytes))
            {
                // UTF-16 or UTF-32 text: decode it as reading the file as text would, then parse that.
                return Parse(File.ReadAllText(path, Encoding.UTF8), path, options);
            }
        }
        catch (IOException e)
        {
            throw new DataValidationException(path, null, null, "the file cannot be read: " + e.Message);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DataValidationException(path, null, null, "the file cannot be read: " + e.Message);
        }

        return ParseUtf8(bytes, path, options ?? CsvReadOptions.Default);
    }

    /// <summary>Parses delimited text; <paramref name="sourceName"/> is used in error messages.</summary>
    /// <exception cref="DataValidationException">The text is empty, has only a header, or its rows do not match the header.</exception>
    public static CsvTable Parse(string text, string sourceName = "input", CsvReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ParseUtf8(Encoding.UTF8.GetBytes(text), sourceName, options ?? CsvReadOptions.Default);
    }

    /// <summary>Whether the table has a column of this name (exact, case-sensitive).</summary>
    public bool HasColumn(string column) => columnIndex.ContainsKey(column);

    /// <summary>The raw text of a column, trimmed; null where the value is missing.</summary>
    /// <exception cref="DataValidationException">The column does not exist.</exception>
    public string?[] GetText(string column)
    {
        var j = Column(column);
        var result = new string?[rowCount];
        for (var i = 0; i < rowCount; i++)
        {
            var cell = Trimmed(j, i);
            result[i] = IsMissingValue(cell) ? null : Label(cell);
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
        var j = Column(column);

        // A column parsed by IsNumeric is handed over (and forgotten), so that it is neither parsed twice nor held twice.
        if (!parsedColumns.Remove(j, out var values))
        {
            var failedRow = TryParseColumn(j, out values);
            if (failedRow >= 0)
            {
                var value = Encoding.UTF8.GetString(Trimmed(j, failedRow));
                throw new DataValidationException(SourceName, failedRow + 1, column, $"expected a number, found '{value}'{DecimalCommaHint(value)}");
            }
        }

        return values;
    }

    /// <summary>Whether every present value of the column is a number.</summary>
    public bool IsNumeric(string column)
    {
        var j = Column(column);
        if (parsedColumns.ContainsKey(j))
        {
            return true;
        }

        if (TryParseColumn(j, out var values) >= 0)
        {
            return false;
        }

        // Keep the parsed column: a caller that asks whether a column is numeric asks for its numbers next.
        parsedColumns[j] = values;
        return true;
    }

    /// <summary>Whether the value at a 0-based row index is missing.</summary>
    public bool IsMissing(string column, int rowIndex)
    {
        var j = Column(column);
        ArgumentOutOfRangeException.ThrowIfNegative(rowIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rowIndex, rowCount);
        return IsMissingValue(Trimmed(j, rowIndex));
    }

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

    /// <summary>
    /// Parses a plain decimal such as <c>-12.345</c> exactly: with at most 15 significant digits the digits form an
    /// integer m ≤ 2⁵³ and the value is m / 10^k, one correctly rounded division of two exact doubles (Clinger 1990),
    /// so the result is the double <see cref="double.Parse(string)"/> gives. Anything else returns false.
    /// </summary>
    internal static bool TryParsePlainDecimal(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (text.Length > 0 && (text[0] == (byte)'-' || text[0] == (byte)'+'))
        {
            negative = text[0] == (byte)'-';
            i = 1;
        }

        ulong mantissa = 0;
        var digits = 0;
        var significant = 0;
        var scale = 0;
        var seenPoint = false;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            var digit = (uint)(c - (byte)'0');
            if (digit <= 9)
            {
                digits++;
                if (mantissa != 0 || digit != 0)
                {
                    if (++significant > 15)
                    {
                        return false;
                    }
                }

                mantissa = (mantissa * 10) + digit;
                if (seenPoint)
                {
                    scale++;
                }
            }
            else if (c == (byte)'.' && !seenPoint)
            {
                seenPoint = true;
            }
            else
            {
                return false;
            }
        }

        if (digits == 0 || scale >= ExactPowersOfTen.Length)
        {
            return false;
        }

        value = mantissa / ExactPowersOfTen[scale];
        if (negative)
        {
            value = -value;
        }

        return true;
    }

    /// <summary>Parses one column; returns the 0-based row of the first value that is neither missing nor a number, or −1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int TryParseColumn(int j, out double[] values)
    {
        values = new double[rowCount];
        for (var i = 0; i < rowCount; i++)
        {
            var cell = Trimmed(j, i);
            if (IsMissingValue(cell))
            {
                values[i] = double.NaN;
                continue;
            }

            if (TryParsePlainDecimal(cell, out values[i]))
            {
                continue;
            }

            // Exponents, long digit strings, Inf, decimal commas: the general parser on the text.
            var text = Encoding.UTF8.GetString(cell);
            if (!TryParseNumber(text.AsSpan().Trim(), out values[i]))
            {
                return i;
            }
        }

        return -1;
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

    private int Column(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (!columnIndex.TryGetValue(column, out var j))
        {
            throw new DataValidationException(SourceName, null, column,
                "no such column; the columns are " + string.Join(", ", ColumnNames));
        }

        return j;
    }

    /// <summary>A cell's bytes without surrounding white space (as <see cref="string.Trim()"/> would remove).</summary>
    private ReadOnlySpan<byte> Trimmed(int column, int row)
    {
        var cell = buffer.AsSpan(cellStart[column][row], cellLength[column][row]);
        var trimmed = cell.Trim(AsciiWhiteSpace);
        if (trimmed.Length > 0 && (trimmed[0] >= 0x80 || trimmed[^1] >= 0x80))
        {
            // Non-ASCII at an edge may be Unicode white space (such as a no-break space): trim the text itself.
            var text = Encoding.UTF8.GetString(trimmed);
            var inner = text.Trim();
            if (inner.Length != text.Length)
            {
                return Encoding.UTF8.GetBytes(inner);
            }
        }

        return trimmed;
    }

    private static ReadOnlySpan<byte> AsciiWhiteSpace => " \t\n\v\f\r"u8;

    private static readonly SearchValues<byte> AsciiWhiteSpaceValues = SearchValues.Create(AsciiWhiteSpace);

    private static readonly SearchValues<byte> LineEnds = SearchValues.Create("\r\n"u8);

    private bool IsMissingValue(ReadOnlySpan<byte> cell)
    {
        foreach (var value in missingBytes)
        {
            if (cell.SequenceEqual(value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The text of a cell, one string per distinct short value (a column of labels repeats a few values).</summary>
    private string Label(ReadOnlySpan<byte> cell)
    {
        if (cell.Length > 64 || labels.Count >= 65_536)
        {
            return Encoding.UTF8.GetString(cell);
        }

        Span<char> chars = stackalloc char[128];
        var length = Encoding.UTF8.GetChars(cell, chars);
        var lookup = labels.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars[..length], out var label))
        {
            return label;
        }

        label = new string(chars[..length]);
        labels[label] = label;
        return label;
    }

    private static bool HasUnicodeByteOrderMarkOtherThanUtf8(ReadOnlySpan<byte> bytes)
        => bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])
            || bytes.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]);

    private static CsvTable ParseUtf8(byte[] bytes, string sourceName, CsvReadOptions options)
    {
        var offset = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var content = bytes.AsSpan(offset);
        var firstVisible = content.IndexOfAnyExcept(AsciiWhiteSpaceValues);
        if (firstVisible < 0 || (content[firstVisible] >= 0x80 && Encoding.UTF8.GetString(content).AsSpan().Trim().IsEmpty))
        {
            throw new DataValidationException(sourceName, null, null, "the file is empty; expected a header line and at least one data row");
        }

        // No delimited text holds a NUL character; a workbook or other binary file does.
        if (content.Contains((byte)0))
        {
            throw new DataValidationException(sourceName, null, null, "the file is not delimited text (it holds binary data); expected a CSV file with a header line (save a spreadsheet as CSV first)");
        }

        var delimiter = options.Delimiter ?? DetectDelimiter(content);
        if (content.Contains((byte)'"') || delimiter >= 0x80)
        {
            // Quoted fields (rare in large files): split the text field by field, then keep the cells as bytes.
            return FromRecords(SplitRecords(Encoding.UTF8.GetString(content), delimiter, sourceName), sourceName, options, delimiter);
        }

        return SplitUnquoted(bytes, offset, (byte)delimiter, sourceName, options, delimiter);
    }

    /// <summary>Splits text without quotes: every delimiter ends a field and every CR, LF or CRLF a record; blank lines are skipped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static CsvTable SplitUnquoted(byte[] bytes, int offset, byte delimiter, string sourceName, CsvReadOptions options, char delimiterChar)
    {
        var span = bytes.AsSpan();
        var position = offset;
        string[]? header = null;
        var columns = 0;
        var capacity = 0;
        int[][] starts = [];
        int[][] lengths = [];
        var rows = 0;
        int? raggedRow = null;
        var raggedCount = 0;
        while (position < span.Length)
        {
            var rest = span[position..];
            var end = rest.IndexOfAny(LineEnds);
            var lineLength = end < 0 ? rest.Length : end;
            var line = rest[..lineLength];
            var next = position + lineLength;
            if (end >= 0)
            {
                next += rest[end] == (byte)'\r' && end + 1 < rest.Length && rest[end + 1] == (byte)'\n' ? 2 : 1;
            }

            var lineStart = position;
            position = next;
            if (line.IndexOf(delimiter) < 0 && IsBlank(line))
            {
                continue;
            }

            if (header is null)
            {
                var names = new List<string>();
                foreach (var range in line.Split(delimiter))
                {
                    names.Add(Encoding.UTF8.GetString(line[range]).Trim());
                }

                header = [.. names];
                columns = header.Length;

                // Rows are at most the line ends left; a rough count sizes the cell arrays once.
                capacity = Math.Max(1, span[position..].Count((byte)'\n') + 1);
                starts = new int[columns][];
                lengths = new int[columns][];
                for (var j = 0; j < columns; j++)
                {
                    starts[j] = new int[capacity];
                    lengths[j] = new int[capacity];
                }

                continue;
            }

            if (rows == capacity)
            {
                // Lone CR line ends were not counted: grow.
                capacity *= 2;
                for (var j = 0; j < columns; j++)
                {
                    Array.Resize(ref starts[j], capacity);
                    Array.Resize(ref lengths[j], capacity);
                }
            }

            var field = 0;
            var fieldStart = 0;
            while (true)
            {
                var length = line[fieldStart..].IndexOf(delimiter);
                var fieldLength = length < 0 ? line.Length - fieldStart : length;
                if (field < columns)
                {
                    starts[field][rows] = lineStart + fieldStart;
                    lengths[field][rows] = fieldLength;
                }

                field++;
                if (length < 0)
                {
                    break;
                }

                fieldStart += length + 1;
            }

            if (field != columns && raggedRow is null)
            {
                raggedRow = rows + 1;
                raggedCount = field;
            }

            rows++;
        }

        if (rows == 0)
        {
            throw new DataValidationException(sourceName, null, null, "the file has a header but no data rows");
        }

        if (raggedRow is int bad)
        {
            throw new DataValidationException(sourceName, bad, null, FormattableString.Invariant(
                $"expected {columns} fields as in the header, found {raggedCount}"));
        }

        return new CsvTable(sourceName, header!, bytes, starts, lengths, rows, options, delimiterChar);
    }

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        var visible = line.IndexOfAnyExcept(AsciiWhiteSpaceValues);
        return visible < 0 || (line[visible] >= 0x80 && Encoding.UTF8.GetString(line).Trim().Length == 0);
    }

    /// <summary>Keeps records split from text (header first) as UTF-8 bytes with cell positions.</summary>
    private static CsvTable FromRecords(List<string[]> records, string sourceName, CsvReadOptions options, char delimiter)
    {
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
        var starts = new int[header.Length][];
        var lengths = new int[header.Length][];
        for (var j = 0; j < header.Length; j++)
        {
            starts[j] = new int[rowCount];
            lengths[j] = new int[rowCount];
        }

        var size = 0;
        for (var i = 0; i < rowCount; i++)
        {
            var record = records[i + 1];
            if (record.Length != header.Length)
            {
                throw new DataValidationException(sourceName, i + 1, null, FormattableString.Invariant(
                    $"expected {header.Length} fields as in the header, found {record.Length}"));
            }

            foreach (var cell in record)
            {
                size += Encoding.UTF8.GetByteCount(cell);
            }
        }

        var buffer = new byte[size];
        var position = 0;
        for (var i = 0; i < rowCount; i++)
        {
            var record = records[i + 1];
            for (var j = 0; j < record.Length; j++)
            {
                var written = Encoding.UTF8.GetBytes(record[j], buffer.AsSpan(position));
                starts[j][i] = position;
                lengths[j][i] = written;
                position += written;
            }
        }

        return new CsvTable(sourceName, header, buffer, starts, lengths, rowCount, options, delimiter);
    }

    private static char DetectDelimiter(ReadOnlySpan<byte> text)
    {
        var end = text.IndexOfAny((byte)'\r', (byte)'\n');
        var header = end < 0 ? text : text[..end];
        var counts = new[] { (',', header.Count((byte)',')), (';', header.Count((byte)';')), ('\t', header.Count((byte)'\t')) };
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
