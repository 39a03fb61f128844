using System.Runtime.CompilerServices;

namespace GistNotebooks.Survival.Data;

/// <summary>What makes a cell missing, and whether a comma may stand for the decimal point.</summary>
/// <param name="MissingValues">Cell texts (after trimming) that are missing values.</param>
/// <param name="DecimalComma">Whether a comma may stand for the decimal point.</param>
internal sealed record CellRules(string[] MissingValues, bool DecimalComma)
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
/// is neither missing nor a number, and from then on labels. Rows are kept in chunks of 65,536, so a column of unknown
/// length never needs a copy of itself while it grows.
/// </summary>
/// <remarks>
/// A number whose text is not its round-trip form keeps its text beside it; when the column turns to labels, the rows
/// read so far get back exactly the text they were written with, without reading the source again.
/// </remarks>
internal sealed class ColumnBuilder(string name, CellRules rules, LabelPool pool)
{
    private const int ChunkShift = 16;
    private const int ChunkLength = 1 << ChunkShift;
    private const int ChunkMask = ChunkLength - 1;

    private readonly List<double[]?> numberChunks = [];
    private readonly List<bool[]?> missingChunks = [];
    private readonly List<string?[]?> textChunks = [];
    private List<string?[]?>? labelChunks;
    private int count;

    /// <summary>The column name.</summary>
    public string Name { get; } = name;

    /// <summary>Adds the next cell, already unquoted and trimmed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(ReadOnlySpan<char> cell)
    {
        var offset = count & ChunkMask;
        if (offset == 0)
        {
            AddChunk();
        }

        var chunk = count >> ChunkShift;
        count++;
        if (labelChunks is not null)
        {
            labelChunks[chunk]![offset] = rules.IsMissing(cell) ? null : pool.Intern(cell);
            return;
        }

        if (NumberText.TryParsePlainDecimal(cell, out var value, out var canonical))
        {
            numberChunks[chunk]![offset] = value;
            if (!canonical)
            {
                KeepText(chunk, offset, cell);
            }

            if (rules.MarkerLooksLikeNumber)
            {
                MarkIfMissing(chunk, offset, cell);
            }

            return;
        }

        AddSlow(chunk, offset, cell);
    }

    /// <summary>The finished column; the builder must not be used afterwards.</summary>
    public TableColumn Build()
    {
        if (labelChunks is not null)
        {
            var labels = Concatenate(labelChunks, count);
            labelChunks.Clear();
            return new TableColumn(Name, labels);
        }

        var numbers = Concatenate(numberChunks, count);
        numberChunks.Clear();
        var missing = missingChunks.Any(c => c is not null) ? Concatenate(missingChunks, count) : null;
        var text = textChunks.Any(c => c is not null) ? Concatenate(textChunks, count) : null;
        return new TableColumn(Name, numbers, missing, text);
    }

    private void AddSlow(int chunk, int offset, ReadOnlySpan<char> cell)
    {
        if (rules.IsMissing(cell))
        {
            numberChunks[chunk]![offset] = double.NaN;
            (missingChunks[chunk] ??= new bool[ChunkLength])[offset] = true;
            return;
        }

        // Exponents, long digit strings, Inf, decimal commas: the general parser.
        if (NumberText.TryParse(cell, rules.DecimalComma, out var value))
        {
            numberChunks[chunk]![offset] = value;
            KeepText(chunk, offset, cell);
            return;
        }

        TurnToLabels();
        labelChunks![chunk]![offset] = pool.Intern(cell);
    }

    private void MarkIfMissing(int chunk, int offset, ReadOnlySpan<char> cell)
    {
        if (rules.IsMissing(cell))
        {
            numberChunks[chunk]![offset] = double.NaN;
            (missingChunks[chunk] ??= new bool[ChunkLength])[offset] = true;
        }
    }

    private void KeepText(int chunk, int offset, ReadOnlySpan<char> cell)
        => (textChunks[chunk] ??= new string?[ChunkLength])[offset] = pool.Intern(cell);

    private void AddChunk()
    {
        if (labelChunks is not null)
        {
            labelChunks.Add(new string?[ChunkLength]);
            return;
        }

        numberChunks.Add(new double[ChunkLength]);
        missingChunks.Add(null);
        textChunks.Add(null);
    }

    /// <summary>The rows read so far become labels: each the text it was written with, or null where missing.</summary>
    private void TurnToLabels()
    {
        labelChunks = new List<string?[]?>(numberChunks.Count);
        for (var k = 0; k < numberChunks.Count; k++)
        {
            var labels = new string?[ChunkLength];
            var numbers = numberChunks[k]!;
            var missing = missingChunks[k];
            var text = textChunks[k];
            var rows = Math.Min(ChunkLength, count - (k << ChunkShift));
            for (var r = 0; r < rows; r++)
            {
                labels[r] = missing is not null && missing[r] ? null : text?[r] ?? pool.Format(numbers[r]);
            }

            labelChunks.Add(labels);
        }

        numberChunks.Clear();
        missingChunks.Clear();
        textChunks.Clear();
    }

    private static T[] Concatenate<T>(List<T[]?> chunks, int count)
    {
        var result = new T[count];
        for (var k = 0; k < chunks.Count; k++)
        {
            var start = k << ChunkShift;
            var length = Math.Min(ChunkLength, count - start);
            if (chunks[k] is T[] chunk)
            {
                Array.Copy(chunk, 0, result, start, length);
            }

            // Let the chunk go as soon as it is copied, so that the column is never held twice over.
            chunks[k] = null;
        }

        return result;
    }
}
