namespace GistNotebooks.Survival.Data;

/// <summary>How a delimited text file is read.</summary>
/// <remarks>
/// Defaults: the delimiter is detected from the header line (comma, semicolon or tab); numbers are
/// read with the invariant culture, and a decimal comma is accepted only when the delimiter is not a
/// comma (a file that writes decimal commas may then write no number with a point, see <see cref="DecimalComma"/>); an empty field or <c>NA</c> is a missing value, as in R's <c>read.csv</c>.
/// </remarks>
public sealed record CsvReadOptions
{
    /// <summary>The field delimiter, or null (the default) to detect it from the header line.</summary>
    public char? Delimiter { get; init; }

    /// <summary>
    /// How decimals are written. Null (the default) detects it: a comma may stand for the decimal point when the
    /// delimiter is not a comma, and a file that does write decimal commas may not also write a number with a point
    /// (<c>1.234</c> would be 1234 to the program that wrote the commas and 1.234 to one that did not): such a cell is
    /// refused with its row and column. True: the comma is the decimal mark and a point only groups thousands
    /// (<c>1.234,5</c> = 1234.5; <c>1.5</c> is not a number). False: the point is the decimal mark and a comma never is.
    /// </summary>
    public bool? DecimalComma { get; init; }

    /// <summary>Field texts read as a missing value (compared after trimming). Default: the empty field and <c>NA</c>.</summary>
    public IReadOnlyCollection<string> MissingValues { get; init; } = ["", "NA"];

    /// <summary>
    /// The columns to keep, or null (the default) for every column. The other columns are still split and checked
    /// (every row must have the header's number of fields) but not kept, which saves memory on wide or long files. A
    /// column named here that the file lacks is reported when it is asked for, with the file's columns listed.
    /// </summary>
    public IReadOnlyCollection<string>? Columns { get; init; }

    /// <summary>
    /// The text encoding of the file, or null (the default) for UTF-8 — or UTF-16/UTF-32 when the file starts with its
    /// byte-order mark. With the default, a byte that is not UTF-8 is refused with its row and column named, never
    /// replaced: two labels that differ only in such a byte (Müller and Möller in Latin-1) would otherwise merge.
    /// </summary>
    public System.Text.Encoding? Encoding { get; init; }

    /// <summary>
    /// The memory, in bytes, that reading a file may take, or null (the default) for the environment variable
    /// <c>GISTNB_MEMORY_BUDGET</c> when set, else the memory the runtime reports available. A file whose table would
    /// need more (estimated from its size, its first lines and the columns kept) is refused before a row is read, with
    /// the estimate; a file that fits in the first 64 KB of text is never refused.
    /// </summary>
    public long? MemoryBudget { get; init; }

    /// <summary>The default options.</summary>
    public static CsvReadOptions Default { get; } = new();
}
