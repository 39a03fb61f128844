using System.Runtime.CompilerServices;

namespace GistNotebooks.Survival.Data;

/// <summary>What makes a cell missing, and whether a comma may stand for the decimal point.</summary>
/// <param name="MissingValues">Cell texts (after trimming) that are missing values.</param>
/// <param name="DecimalComma">Whether a comma may stand for the decimal point.</param>
/// <param name="PointGroupsThousands">
/// Whether a point groups thousands (<c>1.234,5</c> = 1234.5), as in a file declared to write decimal commas; a point
/// is then never a decimal point.
/// </param>
/// <param name="RefuseAmbiguousPoint">
/// Whether a number written with a point is refused when the file also writes numbers with a decimal comma (the file's
/// convention was detected, not declared): <c>1.234</c> could then be 1.234 or 1234.
/// </param>
/// <param name="DecimalPointDeclared">Whether the reader was told that the point is the decimal mark (so a comma never is, whatever the delimiter).</param>
internal sealed record CellRules(string[] MissingValues, bool DecimalComma, bool PointGroupsThousands = false, bool RefuseAmbiguousPoint = false, bool DecimalPointDeclared = false)
{
    /// <summary>Whether some missing-value marker reads as a plain decimal (such as -99), so that numbers must be checked against the markers.</summary>
    public bool MarkerLooksLikeNumber { get; } = MissingValues.Any(v => NumberText.TryParsePlainDecimal(v, out _, out _));

    /// <summary>The rules of a table built in memory: the empty text and NA are missing, no decimal comma.</summary>
    public static CellRules Default { get; } = new(["", "NA"], false);

    /// <summary>Whether a trimmed cell is a missing value.</summary>
    public bool IsMissing(ReadOnlySpan<char> cell)
    {
        foreach (var value in MissingValues)
        {
            if (cell.SequenceEqual(value))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// Builds one column from cell texts, row by row, deciding its kind on the way: the column holds numbers until a cell
/// is neither missing nor a number, and from then on labels. Rows are kept in chunks of 65,536 (<see cref="Chunked{T}"/>),
/// so a long column is never copied, neither while it grows nor when it is done. The first chunk starts small and
/// doubles up to the full length (copying at most 65,536 items in all), so that a table of a few rows, such as each of
/// the hundreds of cohorts of a reconstruction ensemble, takes a few hundred bytes a column rather than half a megabyte.
/// </summary>
/// <remarks>
/// A number whose text is not its round-trip form keeps its text beside it; when the column turns to labels, the rows
/// read so far get back exactly the text they were written with, without reading the source again.
/// </remarks>
internal sealed class ColumnBuilder(string name, CellRules rules, LabelPool pool)
{
    private const int ChunkShift = Chunked<double>.Shift;
    private const int ChunkLength = 1 << ChunkShift;
    private const int ChunkMask = ChunkLength - 1;
    private const int FirstChunkLength = 64;

    private readonly List<double[]?> numberChunks = [];
    private readonly List<bool[]?> missingChunks = [];
    private readonly List<int> textRows = [];
    private readonly List<string> texts = [];
    private List<string?[]?>? labelChunks;
    private int count;

    // The rows the chunks have room for: a multiple of the chunk length, except while the first chunk grows.
    private int room;

    /// <summary>The column name.</summary>
    public string Name { get; } = name;

    /// <summary>The first number of the column written with a point (0-based row and text), while it holds numbers; tracked only when <see cref="CellRules.RefuseAmbiguousPoint"/> is set.</summary>
    public (int Row, string Text)? FirstPointNumber { get; private set; }

    /// <summary>The first number of the column written with a decimal comma (0-based row and text), while it holds numbers; tracked only when <see cref="CellRules.RefuseAmbiguousPoint"/> is set.</summary>
    public (int Row, string Text)? FirstCommaNumber { get; private set; }

    /// <summary>Adds the next cell, already unquoted and trimmed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(ReadOnlySpan<char> cell)
    {
        var offset = count & ChunkMask;
        if (count == room)
        {
            MakeRoom();
        }

        var chunk = count >> ChunkShift;
        count++;
        if (labelChunks is not null)
        {
            labelChunks[chunk]![offset] = rules.IsMissing(cell) ? null : pool.Intern(cell);
            return;
        }

        if (!(rules.PointGroupsThousands && cell.Contains('.')) && NumberText.TryParsePlainDecimal(cell, out var value, out var canonical))
        {
            numberChunks[chunk]![offset] = value;
            if (rules.RefuseAmbiguousPoint && FirstPointNumber is null && cell.Contains('.'))
            {
                FirstPointNumber = (count - 1, cell.ToString());
            }

            if (!canonical)
            {
                KeepText(cell);
            }

            if (rules.MarkerLooksLikeNumber)
            {
                MarkIfMissing(chunk, offset, cell);
            }

            return;
        }

        AddSlow(chunk, offset, cell);
    }

    /// <summary>The finished column, its chunks handed over as they are (no copy); the builder must not be used afterwards.</summary>
    public TableColumn Build()
    {
        if (labelChunks is not null)
        {
            return new TableColumn(Name, new Chunked<string?>([.. labelChunks], count));
        }

        var missing = missingChunks.Any(c => c is not null) ? new Chunked<bool>([.. missingChunks], count) : null;
        var text = texts.Count == 0 ? null : new SourceTexts([.. textRows], [.. texts]);
        return new TableColumn(Name, new Chunked<double>([.. numberChunks], count), missing, text);
    }

    private void AddSlow(int chunk, int offset, ReadOnlySpan<char> cell)
    {
        if (rules.IsMissing(cell))
        {
            numberChunks[chunk]![offset] = double.NaN;
            (missingChunks[chunk] ??= new bool[numberChunks[chunk]!.Length])[offset] = true;
            return;
        }

        // Exponents, long digit strings, Inf, decimal commas: the general parser (rare, so the text is compared in full).
        if (NumberText.TryParse(cell, rules, out var value))
        {
            numberChunks[chunk]![offset] = value;
            if (rules.RefuseAmbiguousPoint)
            {
                NoteSeparator(cell);
            }

            if (!NumberText.IsRoundTripText(cell, value))
            {
                KeepText(cell);
            }

            return;
        }

        TurnToLabels();
        labelChunks![chunk]![offset] = pool.Intern(cell);
    }

    private void NoteSeparator(ReadOnlySpan<char> cell)
    {
        if (FirstPointNumber is null && cell.Contains('.'))
        {
            FirstPointNumber = (count - 1, cell.ToString());
        }
        else if (FirstCommaNumber is null && cell.Contains(','))
        {
            FirstCommaNumber = (count - 1, cell.ToString());
        }
    }

    private void MarkIfMissing(int chunk, int offset, ReadOnlySpan<char> cell)
    {
        if (rules.IsMissing(cell))
        {
            numberChunks[chunk]![offset] = double.NaN;
            (missingChunks[chunk] ??= new bool[numberChunks[chunk]!.Length])[offset] = true;
        }
    }

    /// <summary>Keeps the text of the row just added: few numbers are written otherwise than in their round-trip form, so the texts are kept sparse.</summary>
    private void KeepText(ReadOnlySpan<char> cell)
    {
        textRows.Add(count - 1);
        texts.Add(pool.Intern(cell));
    }

    /// <summary>A new chunk when the last one is full, or a first chunk twice as long while it is shorter than a full one.</summary>
    private void MakeRoom()
    {
        if ((count & ChunkMask) == 0)
        {
            var length = count == 0 ? FirstChunkLength : ChunkLength;
            if (labelChunks is not null)
            {
                labelChunks.Add(new string?[length]);
            }
            else
            {
                numberChunks.Add(new double[length]);
                missingChunks.Add(null);
            }

            room += length;
            return;
        }

        // Only the first chunk is ever shorter than a full one.
        var longer = Math.Min(2 * room, ChunkLength);
        if (labelChunks is not null)
        {
            labelChunks[0] = Resized(labelChunks[0]!, longer);
        }
        else
        {
            numberChunks[0] = Resized(numberChunks[0]!, longer);
            if (missingChunks[0] is bool[] missing)
            {
                missingChunks[0] = Resized(missing, longer);
            }
        }

        room = longer;
    }

    private static T[] Resized<T>(T[] chunk, int length)
    {
        var longer = new T[length];
        chunk.CopyTo(longer, 0);
        return longer;
    }

    /// <summary>The rows read so far become labels: each the text it was written with, or null where missing.</summary>
    private void TurnToLabels()
    {
        // The row being added counts already but holds no number yet; it is written as a label by the caller.
        labelChunks = new List<string?[]?>(numberChunks.Count);
        var next = 0;
        for (var k = 0; k < numberChunks.Count; k++)
        {
            var numbers = numberChunks[k]!;
            var labels = new string?[numbers.Length];
            var missing = missingChunks[k];
            var rows = Math.Min(ChunkLength, count - 1 - (k << ChunkShift));
            for (var r = 0; r < rows; r++)
            {
                var row = (k << ChunkShift) + r;
                string? text = null;
                if (next < textRows.Count && textRows[next] == row)
                {
                    text = texts[next++];
                }

                labels[r] = missing is not null && missing[r] ? null : text ?? pool.Format(numbers[r]);
            }

            labelChunks.Add(labels);
        }

        // A column of labels holds no numbers, so neither of its separators can make another cell ambiguous.
        FirstPointNumber = null;
        FirstCommaNumber = null;
        numberChunks.Clear();
        missingChunks.Clear();
        textRows.Clear();
        texts.Clear();
    }
}
