using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text;
using nietras.SeparatedValues;

namespace GistNotebooks.Survival.Data;

/// <summary>Reading delimited text into a <see cref="ColumnTable"/>.</summary>
/// <remarks>
/// The text is streamed through Sep (a SIMD delimited-text tokenizer) and never held whole: each cell is trimmed,
/// unquoted, and added at once to its column, which decides on the way whether it holds numbers or labels.
/// Accepted: UTF-8 text, with or without its byte-order mark (or UTF-16/UTF-32 text with its mark, or any encoding
/// named in <see cref="CsvReadOptions.Encoding"/>), LF, CRLF or CR line ends, quoted fields
/// (<c>""</c> for a quote, white space allowed around the quotes), comma, semicolon or tab delimiters detected from the
/// header line, blank lines anywhere. Rows are numbered by the lines of the file: row N is line N + 1, the header line
/// being row 0 and every blank line and every line within a quoted cell counted. Refused with the place named: an empty file, binary data such as a workbook, a
/// header without rows, a header name that is empty or repeated, a row with another number of fields than the header,
/// a quoted field that is never closed, a quote inside an unquoted field that would join fields or lines, and a byte
/// that is not UTF-8 (named by row and column, with how to convert the file), and, in a file separated by semicolons
/// or tabs that writes decimal commas, a number written with a point (<c>1.234</c>: 1234 or 1.234?) unless
/// <see cref="CsvReadOptions.DecimalComma"/> says which.
/// </remarks>
public sealed partial class ColumnTable
{
    /// <summary>Reads a delimited file, streaming it.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">How the file is read; <see cref="CsvReadOptions.Columns"/> keeps only the columns named.</param>
    /// <exception cref="DataValidationException">The file is missing, unreadable, empty, binary, has only a header, or its rows do not match the header; the message names the file and the row.</exception>
    public static ColumnTable ReadCsv(string path, CsvReadOptions? options = null) => ReadCsvFile(path, options, ParallelFromBytes);

    /// <summary>
    /// Files from this size up are read on two threads when the machine has two cores: one splits the text into cells,
    /// the other turns the cells into numbers and labels (<see cref="CellPipe"/>). Below it a second thread costs more
    /// than it saves.
    /// </summary>
    internal const long ParallelFromBytes = 4L << 20;

    /// <summary>As <see cref="ReadCsv(string, CsvReadOptions?)"/>, reading on two threads from <paramref name="parallelFromBytes"/> bytes up (tests set it to 0).</summary>
    internal static ColumnTable ReadCsvFile(string path, CsvReadOptions? options, long parallelFromBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            throw new DataValidationException(path, null, null, "this is a folder, not a file; expected a CSV file");
        }

        if (!File.Exists(path))
        {
            throw new DataValidationException(path, null, null, "the file does not exist");
        }

        options ??= CsvReadOptions.Default;
        try
        {
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0), options.Encoding ?? StrictUtf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            var length = new FileInfo(path).Length;
            return ReadDelimited(reader, path, options, length, pipe: length >= parallelFromBytes && Environment.ProcessorCount > 1);
        }
        catch (DecoderFallbackException)
        {
            throw NotUtf8(path);
        }
        catch (IOException e)
        {
            throw new DataValidationException(path, null, null, "the file cannot be read: " + e.Message);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DataValidationException(path, null, null, "the file cannot be read: " + e.Message);
        }
    }

    /// <summary>UTF-8 that throws at a byte it cannot decode instead of replacing it with U+FFFD.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Names the first byte of a file that is not UTF-8 by its line in the file (the header is line 1) and column (characters from 1), as a text editor shows them.</summary>
    private static DataValidationException NotUtf8(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var buffer = new byte[1 << 16];
        var carried = 0;
        var line = 1;
        var column = 1;
        var offset = 0L;
        var previousWasCarriageReturn = false;
        while (true)
        {
            var read = stream.Read(buffer, carried, buffer.Length - carried);
            var length = carried + read;
            var span = buffer.AsSpan(0, length);
            var end = read == 0;
            while (!span.IsEmpty)
            {
                var status = System.Text.Rune.DecodeFromUtf8(span, out var rune, out var consumed);
                if (status == OperationStatus.NeedMoreData && !end)
                {
                    break;
                }

                if (status != OperationStatus.Done)
                {
                    return new DataValidationException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"{path}, line {line}, column {column}: byte 0x{span[0]:X2} (byte {offset + 1} of the file) is not UTF-8; the file is in another encoding (Latin-1 or Windows-1252, for example). Save it as UTF-8 (for example `iconv -f latin1 -t utf-8 in.csv > out.csv`), or name its encoding with --encoding (for example --encoding latin1)"));
                }

                // CRLF is one line end, as the reader counts it.
                if (rune.Value == '\n' && previousWasCarriageReturn)
                {
                    previousWasCarriageReturn = false;
                }
                else if (rune.Value is '\n' or '\r')
                {
                    line++;
                    column = 1;
                    previousWasCarriageReturn = rune.Value == '\r';
                }
                else
                {
                    column++;
                    previousWasCarriageReturn = false;
                }

                offset += consumed;
                span = span[consumed..];
            }

            if (end)
            {
                // Only a decoder that disagrees with this scan gets here; the file is still not what it should be.
                return new DataValidationException(path, null, null, "the file is not valid UTF-8; save it as UTF-8 or name its encoding with --encoding");
            }

            carried = span.Length;
            span.CopyTo(buffer);
        }
    }

    /// <summary>Parses delimited text held in memory; <paramref name="sourceName"/> is used in error messages.</summary>
    /// <exception cref="DataValidationException">The text is empty, has only a header, or its rows do not match the header.</exception>
    public static ColumnTable ParseCsv(string text, string sourceName = "input", CsvReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);

        // As a file read as UTF-8 would be: a leading byte-order mark is not part of the text.
        using var reader = new StringReader(text.StartsWith('\uFEFF') ? text[1..] : text);
        return ReadDelimited(reader, sourceName, options ?? CsvReadOptions.Default);
    }

    private static ColumnTable ReadDelimited(TextReader text, string sourceName, CsvReadOptions options, long? fileLength = null, bool pipe = false)
    {
        var source = new CheckedReader(text, sourceName);
        var delimiter = source.DetectDelimiter(options.Delimiter);
        if (fileLength is long length)
        {
            RefuseWhatMemoryCannotHold(source, sourceName, delimiter, options, length);
        }

        var rules = new CellRules(
            [.. options.MissingValues],
            options.DecimalComma ?? delimiter != ',',
            PointGroupsThousands: options.DecimalComma == true,
            RefuseAmbiguousPoint: options.DecimalComma is null && delimiter != ',',
            DecimalPointDeclared: options.DecimalComma == false);
        var keep = options.Columns is null ? null : new HashSet<string>(options.Columns, StringComparer.Ordinal);
        var pool = new LabelPool();
        var context = new CellContext(sourceName, delimiter, new ArrayBufferWriter<char>(256));

        string[]? header = null;
        ColumnBuilder?[] builders = [];
        var rows = 0;
        var breaks = new RowBreaks.Builder();

        int? raggedRow = null;
        var raggedCount = 0;
        int? unclosedLine = null;
        CellPipe? cells = null;

        try
        {
            using (var reader = Sep.Reader(o => o with
            {
                Sep = new Sep(delimiter),
                HasHeader = false,
                DisableColCountCheck = true,
                DisableFastFloat = true,
                Unescape = false,
            }).From(source))
            {
                foreach (var row in reader)
                {
                    // Only the last record can hold a quote that is never closed (it runs to the end of the text).
                    unclosedLine = null;
                    var quoted = row.Span.Contains('"');
                    var fieldCount = row.ColCount;
                    if (fieldCount == 1 && Cell(row[0].Span, quoted, row.LineNumberFrom, ref unclosedLine, context).IsEmpty)
                    {
                        continue;
                    }

                    if (header is null)
                    {
                        header = new string[fieldCount];
                        builders = new ColumnBuilder?[fieldCount];
                        var named = new HashSet<string>(StringComparer.Ordinal);
                        for (var j = 0; j < fieldCount; j++)
                        {
                            header[j] = Cell(row[j].Span, quoted, row.LineNumberFrom, ref unclosedLine, context).ToString();
                            if ((keep is null || keep.Contains(header[j])) && header[j].Length > 0 && named.Add(header[j]))
                            {
                                builders[j] = new ColumnBuilder(header[j], rules, pool);
                            }
                        }

                        if (pipe && builders.Any(b => b is not null))
                        {
                            cells = new CellPipe(builders, delimiter);

                            // A label pool is not shared between threads: the reading thread's columns get their own.
                            var readerPool = new LabelPool();
                            foreach (var j in cells.ReaderFields)
                            {
                                builders[j] = new ColumnBuilder(header[j], rules, readerPool);
                            }
                        }

                        continue;
                    }

                    // Row N is line N + 1 of the text, whatever blank lines or lines within quotes came before it.
                    breaks.Add(rows, row.LineNumberFrom - 1);
                    if (rows == MaxRows)
                    {
                        throw new DataValidationException(sourceName, null, null, FormattableString.Invariant($"the file has more than {MaxRows:N0} data rows, more than a table holds; split it"));
                    }

                    rows++;
                    if (fieldCount != header.Length)
                    {
                        if (raggedRow is null)
                        {
                            raggedRow = row.LineNumberFrom - 1;
                            raggedCount = fieldCount;
                        }

                        if (quoted)
                        {
                            for (var j = 0; j < fieldCount; j++)
                            {
                                _ = Cell(row[j].Span, quoted, row.LineNumberFrom, ref unclosedLine, context);
                            }
                        }

                        continue;
                    }

                    if (cells is not null && !quoted)
                    {
                        // Without quotes the row's fields are its text cut at each delimiter: the second thread cuts it.
                        cells.AddRow(row.Span);
                        foreach (var j in cells.ReaderFields)
                        {
                            builders[j]!.Add(row[j].Span.Trim());
                        }

                        continue;
                    }

                    for (var j = 0; j < builders.Length; j++)
                    {
                        if (builders[j] is ColumnBuilder builder)
                        {
                            var cell = Cell(row[j].Span, quoted, row.LineNumberFrom, ref unclosedLine, context);
                            if (cells is null || cells.IsReaderField(j))
                            {
                                builder.Add(cell);
                            }
                            else
                            {
                                cells.Add(cell);
                            }
                        }
                        else if (quoted)
                        {
                            _ = Cell(row[j].Span, quoted, row.LineNumberFrom, ref unclosedLine, context);
                        }
                    }
                }
            }

            cells?.Finish();
        }
        finally
        {
            cells?.Dispose();
        }

        // The order of the checks is the order in which the earlier reader met these faults.
        if (unclosedLine is int line)
        {
            throw new DataValidationException(sourceName, null, null, FormattableString.Invariant($"a quoted field that starts on line {line} is never closed"));
        }

        if (header is null)
        {
            throw new DataValidationException(sourceName, null, null, "the file is empty; expected a header line and at least one data row");
        }

        if (rows == 0)
        {
            throw new DataValidationException(sourceName, null, null, "the file has a header but no data rows");
        }

        if (raggedRow is int bad)
        {
            throw new DataValidationException(sourceName, bad, null, FormattableString.Invariant($"expected {header.Length} fields as in the header, found {raggedCount}"));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < header.Length; j++)
        {
            if (header[j].Length == 0)
            {
                throw new DataValidationException(context.SourceName, null, null, FormattableString.Invariant($"column {j + 1} of the header has no name"));
            }

            if (!seen.Add(header[j]))
            {
                throw new DataValidationException(sourceName, null, header[j], "the column name appears more than once in the header");
            }
        }

        var rowBreaks = breaks.Build();
        if (rules.RefuseAmbiguousPoint)
        {
            RefuseAmbiguousPoints(builders, sourceName, rowBreaks);
        }

        var columns = new List<TableColumn>(builders.Length);
        foreach (var builder in builders)
        {
            if (builder is not null)
            {
                columns.Add(builder.Build());
            }
        }

        return new ColumnTable(sourceName, [.. columns], rows, null, rules, header, rowBreaks);
    }

    /// <summary>The most data rows a table holds (its rows are indexed by <see cref="int"/>).</summary>
    private const int MaxRows = int.MaxValue;

    /// <summary>
    /// Memory an analysis needs per kept cell, measured: 8 bytes for the double (or the reference to a pooled label) the
    /// table keeps, and about as much again twice for the arrays an analysis builds from a column (a copy of its numbers,
    /// the order that sorts them). The peak resident memory of <c>gistnb analyze</c> on 10⁷ rows was 27 bytes per kept
    /// cell for <c>km</c>, 24 for <c>logrank</c> and 27 for <c>cox</c> (docs/methods.md, "Input and faults").
    /// </summary>
    internal const int BytesPerCell = 28;

    /// <summary>
    /// Refuses, before a row is read, a file whose table would not fit in memory: the rows are estimated from the file's
    /// length and the lines in its first block, the cells from the columns kept, and their bytes from
    /// <see cref="BytesPerCell"/>; all in 64-bit arithmetic. The budget is <see cref="CsvReadOptions.MemoryBudget"/>,
    /// else the environment variable <c>GISTNB_MEMORY_BUDGET</c> (bytes), else the memory the runtime says is available
    /// less what the process already holds.
    /// </summary>
    private static void RefuseWhatMemoryCannotHold(CheckedReader source, string sourceName, char delimiter, CsvReadOptions options, long fileLength)
    {
        if (source.EstimateRows(fileLength) is not (long rows, int fields))
        {
            return;
        }

        var kept = options.Columns is null ? fields : Math.Min(fields, options.Columns.Count);
        var needed = rows * Math.Max(kept, 1) * (long)BytesPerCell;
        var budget = MemoryBudget(options);
        if (rows <= MaxRows && needed <= budget)
        {
            return;
        }

        var why = rows > MaxRows
            ? FormattableString.Invariant($"it holds about {rows:N0} rows, more than a table holds ({MaxRows:N0})")
            : FormattableString.Invariant($"reading it needs about {Size(needed)} of memory ({Size(fileLength)} of text, about {rows:N0} rows × {kept} columns kept × {BytesPerCell} bytes per cell), more than the {Size(budget)} available");
        throw new DataValidationException(sourceName, null, null, why + "; nothing was read. Keep only the columns the analysis needs, split the file, or run on a machine with more memory");
    }

    /// <summary>The bytes a table may take: the option, the environment's knob, or what the runtime can still give.</summary>
    private static long MemoryBudget(CsvReadOptions options)
    {
        if (options.MemoryBudget is long given)
        {
            return given;
        }

        if (long.TryParse(Environment.GetEnvironmentVariable("GISTNB_MEMORY_BUDGET"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var knob))
        {
            return knob;
        }

        return Math.Max(0, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes - GC.GetTotalMemory(forceFullCollection: false));
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => FormattableString.Invariant($"{bytes / (double)(1L << 30):0.0} GB"),
        >= 1L << 20 => FormattableString.Invariant($"{bytes / (double)(1L << 20):0.0} MB"),
        >= 1L << 10 => FormattableString.Invariant($"{bytes / (double)(1L << 10):0.0} KB"),
        _ => FormattableString.Invariant($"{bytes} bytes"),
    };

    /// <summary>
    /// In a file separated by semicolons or tabs whose numbers use a decimal comma, refuses the first number written
    /// with a point: where commas mark decimals a point groups thousands, so <c>1.234</c> may be 1234 or 1.234, and
    /// neither reading is safe to guess. Nothing is refused in a file that writes no decimal comma.
    /// </summary>
    private static void RefuseAmbiguousPoints(ColumnBuilder?[] builders, string sourceName, RowBreaks rowBreaks)
    {
        var comma = builders.FirstOrDefault(b => b?.FirstCommaNumber is not null);
        if (comma is null)
        {
            return;
        }

        var point = builders.Where(b => b?.FirstPointNumber is not null).MinBy(b => b!.FirstPointNumber!.Value.Row);
        if (point is null)
        {
            return;
        }

        var (row, text) = point.FirstPointNumber!.Value;
        var (commaRow, commaText) = comma.FirstCommaNumber!.Value;
        throw new DataValidationException(sourceName, rowBreaks.At(row), point.Name, string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"'{text}' is ambiguous: the file writes decimal commas (row {rowBreaks.At(commaRow)}, column '{comma.Name}': '{commaText}'), where a point groups thousands, so '{text}' may be {text.Replace(".", string.Empty, StringComparison.Ordinal)} or {text}; nothing was guessed. Write every number with a decimal comma and no point, or say how the file is written: --decimal comma (a point groups thousands, 1.234 = 1234) or --decimal point (a comma is never a decimal mark); in code, CsvReadOptions.DecimalComma"));
    }

    /// <summary>
    /// The source row of each data row, kept as the rows where the distance between the two changes (a blank line, a
    /// cell that spans lines): a file without either needs one entry, however long.
    /// </summary>
    private sealed class RowBreaks(int[] starts, int[] offsets)
    {
        /// <summary>The source row of the 0-based data row.</summary>
        public int At(int rowIndex)
        {
            var k = Array.BinarySearch(starts, rowIndex);
            return rowIndex + offsets[k >= 0 ? k : ~k - 1];
        }

        /// <summary>Collects the breaks row by row.</summary>
        public sealed class Builder
        {
            private readonly List<int> starts = [];
            private readonly List<int> offsets = [];

            /// <summary>Notes that the 0-based data row is the given source row.</summary>
            public void Add(int rowIndex, int sourceRow)
            {
                var offset = sourceRow - rowIndex;
                if (offsets.Count == 0 || offsets[^1] != offset)
                {
                    starts.Add(rowIndex);
                    offsets.Add(offset);
                }
            }

            /// <summary>The finished map.</summary>
            public RowBreaks Build() => offsets.Count == 0 ? new RowBreaks([0], [1]) : new RowBreaks([.. starts], [.. offsets]);
        }
    }

    /// <summary>
    /// A field as the cell it holds: trimmed, and unquoted when it starts with a quote (<c>""</c> inside quotes is one
    /// quote; text after the closing quote is kept). A quote inside an unquoted field is kept as a character, unless the
    /// tokenizer read it as opening quotes that swallowed a delimiter or a line end: that is refused, since the fields
    /// would no longer be the ones written.
    /// </summary>
    private static ReadOnlySpan<char> Cell(ReadOnlySpan<char> field, bool rowHasQuote, int line, ref int? unclosedLine, CellContext context)
    {
        if (!rowHasQuote || !field.Contains('"'))
        {
            return field.Trim();
        }

        var delimiter = context.Delimiter;
        var trimmed = field.TrimStart();
        if (trimmed[0] != '"')
        {
            // The tokenizer splits at every delimiter and line end outside quotes, so one left in the field lies between quotes.
            if (trimmed.ContainsAny('\r', '\n', delimiter))
            {
                throw new DataValidationException(context.SourceName, null, null, FormattableString.Invariant(
                    $"line {line} has a quote inside an unquoted field, which runs on past a delimiter or a line end; put the whole field in quotes and double the quote (\"\")"));
            }

            return field.Trim();
        }

        context.Scratch.ResetWrittenCount();
        var output = context.Scratch.GetSpan(trimmed.Length)[..trimmed.Length];
        var length = 0;
        var i = 1;
        var closed = false;
        for (; i < trimmed.Length; i++)
        {
            if (trimmed[i] == '"')
            {
                if (i + 1 < trimmed.Length && trimmed[i + 1] == '"')
                {
                    output[length++] = '"';
                    i++;
                    continue;
                }

                closed = true;
                i++;
                break;
            }

            output[length++] = trimmed[i];
        }

        if (!closed)
        {
            unclosedLine = line;
            return output[..length].Trim();
        }

        // Text after the closing quote belongs to the field, as it would when the field was split by hand.
        trimmed[i..].CopyTo(output[length..]);
        length += trimmed.Length - i;
        return output[..length].Trim();
    }

    /// <summary>What turning a field into a cell needs: the names for messages, the delimiter, and a buffer for unquoted text.</summary>
    private sealed record CellContext(string SourceName, char Delimiter, ArrayBufferWriter<char> Scratch);

    /// <summary>
    /// Hands the text to the tokenizer in blocks, refusing binary data (no delimited text holds a NUL character; a
    /// workbook does) and keeping the first block so that the delimiter can be detected from the header line.
    /// </summary>
    private sealed class CheckedReader(TextReader inner, string sourceName) : TextReader
    {
        private char[] first = [];
        private int firstLength;
        private int firstPosition;

        private int headerFields;

        /// <summary>
        /// Reads the first block and returns the given delimiter, or the one among comma, semicolon and tab that the
        /// header line (the first line that is not blank) holds most of; comma when it holds none.
        /// </summary>
        public char DetectDelimiter(char? given)
        {
            first = new char[1 << 16];
            firstLength = 0;
            ReadOnlySpan<char> line = [];
            while (true)
            {
                var read = inner.Read(first, firstLength, first.Length - firstLength);
                if (read > 0)
                {
                    Check(first.AsSpan(firstLength, read));
                }

                firstLength += read;
                var text = first.AsSpan(0, firstLength);
                var start = 0;
                var found = false;
                while (start < text.Length)
                {
                    var end = text[start..].IndexOfAny('\r', '\n');
                    if (end < 0)
                    {
                        break;
                    }

                    if (!text.Slice(start, end).IsWhiteSpace())
                    {
                        line = text.Slice(start, end);
                        found = true;
                        break;
                    }

                    start += end + 1;
                }

                if (found || read == 0 || firstLength == first.Length)
                {
                    if (!found)
                    {
                        line = text[start..];
                    }

                    break;
                }
            }

            (char Delimiter, int Count)[] counts = [(',', line.Count(',')), (';', line.Count(';')), ('\t', line.Count('\t'))];
            var best = counts.MaxBy(c => c.Count);
            var delimiter = given ?? (best.Count == 0 ? ',' : best.Delimiter);
            headerFields = line.Count(delimiter) + 1;
            return delimiter;
        }

        /// <summary>
        /// The data rows of a file of <paramref name="fileLength"/> bytes, estimated from the line ends of the first
        /// block (64-bit), with the header's field count; null when the first block holds the whole file.
        /// </summary>
        public (long Rows, int Fields)? EstimateRows(long fileLength)
        {
            if (firstLength < first.Length || firstLength == 0)
            {
                return null;
            }

            var block = first.AsSpan(0, firstLength);
            var lines = Math.Max(1, block.Count('\n') + (block.Contains('\n') ? 0 : block.Count('\r')));
            return ((long)Math.Ceiling(fileLength * (double)lines / firstLength), headerFields);
        }

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            if (firstPosition < firstLength)
            {
                var length = Math.Min(buffer.Length, firstLength - firstPosition);
                first.AsSpan(firstPosition, length).CopyTo(buffer);
                firstPosition += length;
                if (firstPosition == firstLength)
                {
                    first = [];
                }

                return length;
            }

            var read = inner.Read(buffer);
            Check(buffer[..read]);
            return read;
        }

        public override int Read()
        {
            Span<char> one = stackalloc char[1];
            return Read(one) == 0 ? -1 : one[0];
        }

        private void Check(ReadOnlySpan<char> block)
        {
            if (block.Contains('\0'))
            {
                throw new DataValidationException(sourceName, null, null, "the file is not delimited text (it holds binary data); expected a CSV file with a header line (save a spreadsheet as CSV first)");
            }
        }
    }

    /// <summary>
    /// Hands the rows, in order, from the thread that tokenizes the text to a second thread that adds their cells to
    /// their columns, so that a large file reads in a little more than half the time on two cores. A row without
    /// quotes goes over as its text, which the second thread cuts at the delimiters (its fields are exactly those, since
    /// only quotes can hide a delimiter); a row with quotes goes over as the kept cells, unquoted by the first thread.
    /// Tokenizing costs the reading thread about what one column costs the second thread (measured at 10⁶ rows), so of
    /// k kept columns the reading thread fills the last (k − 1) / 2 itself (<see cref="ReaderFields"/>): none of two,
    /// one of three, two of five. Every column is filled by one thread
    /// only and sees exactly the cells, in exactly the order, that the single-threaded reader gives it, so the table and
    /// every message about it are the same.
    /// </summary>
    private sealed class CellPipe : IDisposable
    {
        private const int Batches = 4;

        private readonly ColumnBuilder[] columns;
        private readonly ColumnBuilder?[] fields;
        private readonly int lastKeptField;
        private readonly char delimiter;
        private readonly BlockingCollection<CellBatch> full = new(Batches);
        private readonly BlockingCollection<CellBatch> free = new(Batches);
        private readonly Task consumer;
        private CellBatch current;
        private bool finished;

        /// <param name="fields">The builder of each field of a row, null for a field not kept.</param>
        /// <param name="delimiter">The delimiter that separates the fields.</param>
        public CellPipe(ColumnBuilder?[] fields, char delimiter)
        {
            this.delimiter = delimiter;
            var kept = Enumerable.Range(0, fields.Length).Where(j => fields[j] is not null).ToArray();
            ReaderFields = kept[^((kept.Length - 1) / 2)..];
            this.fields = [.. fields.Select((f, j) => ReaderFields.Contains(j) ? null : f)];
            columns = [.. this.fields.OfType<ColumnBuilder>()];
            lastKeptField = Array.FindLastIndex(this.fields, f => f is not null);
            for (var i = 0; i < Batches - 1; i++)
            {
                free.Add(new CellBatch());
            }

            current = new CellBatch();
            consumer = Task.Factory.StartNew(Consume, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        /// <summary>The fields whose columns the reading thread fills itself, in field order.</summary>
        public int[] ReaderFields { get; }

        /// <summary>Whether the reading thread fills the column of this field itself.</summary>
        public bool IsReaderField(int field) => Array.IndexOf(ReaderFields, field) >= 0;

        /// <summary>Adds the next cell (of the next column that the second thread fills, row by row), from a row that holds quotes.</summary>
        public void Add(ReadOnlySpan<char> cell) => Hand(cell, isRow: false);

        /// <summary>Adds the text of a whole row that holds no quote and as many fields as the header.</summary>
        public void AddRow(ReadOnlySpan<char> row) => Hand(row, isRow: true);

        private void Hand(ReadOnlySpan<char> text, bool isRow)
        {
            if (!current.TryAdd(text, isRow))
            {
                Send();
                current.Add(text, isRow);
            }
        }

        /// <summary>Sends the last cells and waits until every cell is in its column; an exception of the second thread is thrown here.</summary>
        public void Finish()
        {
            Send();
            finished = true;
            full.CompleteAdding();
            try
            {
                consumer.Wait();
            }
            catch (AggregateException)
            {
                // The second thread's own exception, not the task's wrapper.
                ThrowFailure();
            }
        }

        /// <summary>Stops the second thread when reading ended early (a fault in the text); its columns are discarded.</summary>
        public void Dispose()
        {
            if (!finished)
            {
                full.CompleteAdding();
                free.CompleteAdding();
                try
                {
                    consumer.Wait();
                }
                catch (AggregateException)
                {
                    // The reader's own exception is the one that matters.
                }
            }

            full.Dispose();
            free.Dispose();
        }

        private void Send()
        {
            if (current.Count == 0)
            {
                return;
            }

            full.Add(current);

            // The second thread gives its batches back; when it has failed it gives none, and its failure is thrown here.
            if (!free.TryTake(out var next, Timeout.Infinite))
            {
                ThrowFailure();
            }

            current = next!;
        }

        private void ThrowFailure()
        {
            try
            {
                consumer.Wait();
            }
            catch (AggregateException e) when (e.InnerExceptions.Count == 1)
            {
                ExceptionDispatchInfo.Capture(e.InnerException!).Throw();
            }

            throw new InvalidOperationException("The column thread of the reader stopped without an error.");
        }

        private void Consume()
        {
            try
            {
                ConsumeBatches();
            }
            catch
            {
                // No batch comes back: the reading thread stops at its next hand-over and throws this failure.
                free.CompleteAdding();
                throw;
            }
        }

        private void ConsumeBatches()
        {
            var column = 0;
            foreach (var batch in full.GetConsumingEnumerable())
            {
                var start = 0;
                for (var c = 0; c < batch.Count; c++)
                {
                    var end = batch.Ends[c];
                    if (end >= 0)
                    {
                        AddFields(batch.Text.AsSpan(start, end - start));
                        start = end;
                        continue;
                    }

                    end = ~end;
                    columns[column].Add(batch.Text.AsSpan(start, end - start));
                    start = end;
                    column = column + 1 == columns.Length ? 0 : column + 1;
                }

                batch.Clear();
                if (!free.IsAddingCompleted)
                {
                    free.Add(batch);
                }
            }
        }

        /// <summary>Cuts a row without quotes at its delimiters and adds each kept field, trimmed, to its column.</summary>
        /// <remarks>Compiled optimised at once: it runs for every row, from the first, while start-up still delays the tiered compiler.</remarks>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void AddFields(ReadOnlySpan<char> row)
        {
            for (var j = 0; ; j++)
            {
                var cut = j == fields.Length - 1 ? row.Length : row.IndexOf(delimiter);
                if (fields[j] is ColumnBuilder builder)
                {
                    builder.Add(row[..cut].Trim());
                    if (j == lastKeptField)
                    {
                        return;
                    }
                }

                row = row[(cut + 1)..];
            }
        }
    }

    /// <summary>Rows and cells as one block of text and the end of each: the end of a row, or the complement (~end) of the end of a cell.</summary>
    private sealed class CellBatch
    {
        private const int TextLength = 1 << 17;

        public char[] Text { get; private set; } = new char[TextLength];

        public int[] Ends { get; } = new int[TextLength / 8];

        public int Count { get; private set; }

        private int length;

        /// <summary>Adds a row or a cell when it fits.</summary>
        public bool TryAdd(ReadOnlySpan<char> text, bool isRow)
        {
            if (Count == Ends.Length || length + text.Length > Text.Length)
            {
                return false;
            }

            text.CopyTo(Text.AsSpan(length));
            length += text.Length;
            Ends[Count++] = isRow ? length : ~length;
            return true;
        }

        /// <summary>Adds a row or a cell to an empty batch, making room for one longer than a batch.</summary>
        public void Add(ReadOnlySpan<char> text, bool isRow)
        {
            if (text.Length > Text.Length)
            {
                Text = new char[text.Length];
            }

            _ = TryAdd(text, isRow);
        }

        public void Clear()
        {
            Count = 0;
            length = 0;
        }
    }
}
