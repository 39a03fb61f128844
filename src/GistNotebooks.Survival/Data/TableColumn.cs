using System.Runtime.CompilerServices;

namespace GistNotebooks.Survival.Data;

/// <summary>What a column of a <see cref="ColumnTable"/> holds, decided once when the column is made.</summary>
public enum ColumnKind
{
    /// <summary>Numbers (a <c>double</c> per row), with missing values marked apart from the numbers.</summary>
    Numbers,

    /// <summary>Labels (text), one string instance per distinct value; a missing value is null.</summary>
    Labels,
}

/// <summary>
/// One named column of a <see cref="ColumnTable"/>: numbers or labels, with missing values explicit. Immutable, and safe
/// to read from several threads.
/// Build it with <see cref="Numbers(string, IEnumerable{double})"/>, <see cref="Numbers(string, IEnumerable{double?})"/>
/// or <see cref="Labels(string, IEnumerable{string?})"/>; <see cref="ColumnTable.ReadCsv"/> builds its own.
/// </summary>
/// <remarks>
/// A numbers column keeps a <c>double[]</c>, a missing mask only when some value is missing, and the source text of
/// the rare cells whose text is not the number's shortest round-trip form (such as <c>3.0</c> or <c>1e5</c>), so that
/// asking a numbers column for labels gives every cell as it was written. A labels column keeps one string per row,
/// each distinct value a single instance.
/// </remarks>
public sealed class TableColumn
{
    private readonly Chunked<double>? numbers;
    private readonly Chunked<bool>? missing;
    private readonly SourceTexts? text;
    private readonly Chunked<string?>? labels;

    internal TableColumn(string name, Chunked<double> numbers, Chunked<bool>? missing, SourceTexts? text)
    {
        Name = name;
        this.numbers = numbers;
        this.missing = missing;
        this.text = text;
        Count = numbers.Count;
    }

    internal TableColumn(string name, Chunked<string?> labels)
    {
        Name = name;
        this.labels = labels;
        Count = labels.Count;
    }

    /// <summary>The column name.</summary>
    public string Name { get; }

    /// <summary>Whether the column holds numbers or labels.</summary>
    public ColumnKind Kind => numbers is null ? ColumnKind.Labels : ColumnKind.Numbers;

    /// <summary>The number of rows.</summary>
    public int Count { get; }

    /// <summary>Whether some value of the column is missing.</summary>
    public bool HasMissing => labels is null ? missing is not null : labels.IndexOf(v => v is null) >= 0;

    /// <summary>The numbers (NaN where missing), or null for a labels column.</summary>
    internal Chunked<double>? NumberValues => numbers;

    /// <summary>The labels (null where missing), or null for a numbers column.</summary>
    internal Chunked<string?>? LabelValues => labels;

    /// <summary>Whether some cell of a numbers column keeps its source text (see <see cref="SourceTextAt"/>).</summary>
    internal bool HasSourceTexts => text is { Rows.Length: > 0 };

    /// <summary>The source text of a numbers cell whose text is not the number's round-trip form, else null.</summary>
    internal string? SourceTextAt(int row) => text?.At(row);

    /// <summary>A column of numbers with no missing values (NaN is a value, not a missing one).</summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public static TableColumn Numbers(string name, IEnumerable<double> values)
    {
        RequireName(name);
        ArgumentNullException.ThrowIfNull(values);
        return new TableColumn(name, Chunked<double>.From([.. values]), null, null);
    }

    /// <summary>A column of numbers in which null is a missing value.</summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public static TableColumn Numbers(string name, IEnumerable<double?> values)
    {
        RequireName(name);
        ArgumentNullException.ThrowIfNull(values);
        var list = values as IReadOnlyList<double?> ?? [.. values];
        var result = new double[list.Count];
        bool[]? missing = null;
        for (var i = 0; i < result.Length; i++)
        {
            if (list[i] is double v)
            {
                result[i] = v;
            }
            else
            {
                result[i] = double.NaN;
                (missing ??= new bool[result.Length])[i] = true;
            }
        }

        return new TableColumn(name, Chunked<double>.From(result), missing is null ? null : Chunked<bool>.From(missing), null);
    }

    /// <summary>A column of labels in which null is a missing value; equal labels share one string instance.</summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public static TableColumn Labels(string name, IEnumerable<string?> values)
    {
        RequireName(name);
        ArgumentNullException.ThrowIfNull(values);
        var pool = new LabelPool();
        return new TableColumn(name, Chunked<string?>.From([.. values.Select(v => v is null ? null : pool.Intern(v))]));
    }

    /// <summary>Whether the value at a 0-based row index is missing.</summary>
    public bool IsMissing(int rowIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rowIndex, Count);
        return labels is null ? missing is not null && missing[rowIndex] : labels[rowIndex] is null;
    }

    /// <summary>The text of a cell as written (a number's source text or its round-trip form), or null where missing; <paramref name="pool"/>, when given, shares the strings of equal numbers.</summary>
    internal string? TextAt(int row, LabelPool? pool)
    {
        if (labels is not null)
        {
            return labels[row];
        }

        if (missing is not null && missing[row])
        {
            return null;
        }

        return text?.At(row) ?? (pool is null ? NumberText.Format(numbers![row]) : pool.Format(numbers![row]));
    }

    /// <summary>Every cell's text of a numbers column, as <see cref="TextAt"/> gives it, into <paramref name="result"/> (one per row): a pass by chunk.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void FillText(string?[] result, LabelPool pool)
    {
        var numbers = this.numbers ?? throw new InvalidOperationException("A column of labels has its text already.");

        // Only a few cells keep their own text, and none when every cell is written in its round-trip form.
        var kept = text is null ? 0 : text.Rows.Length;
        var nextKept = 0;
        for (var k = 0; k < numbers.ChunkCount; k++)
        {
            var chunk = numbers.Chunk(k);
            var marks = missing is null ? default : missing.Chunk(k);
            var start = k * Chunked<double>.Length;
            if (marks.IsEmpty && (nextKept == kept || text!.Rows[nextKept] >= start + chunk.Length))
            {
                // No cell of the chunk is missing or keeps its own text: the numbers' texts, the last one at hand.
                // (Stored through a span: an array of strings would check each store's type.)
                var target = result.AsSpan(start, chunk.Length);
                var lastBits = 0L;
                string? last = null;
                for (var i = 0; i < chunk.Length; i++)
                {
                    var bits = BitConverter.DoubleToInt64Bits(chunk[i]);
                    if (last is null || bits != lastBits)
                    {
                        (lastBits, last) = (bits, pool.Format(chunk[i]));
                    }

                    target[i] = last;
                }

                continue;
            }

            for (var i = 0; i < chunk.Length; i++)
            {
                var row = start + i;
                if (!marks.IsEmpty && marks[i])
                {
                    result[row] = null;
                }
                else if (nextKept < kept && text!.Rows[nextKept] == row)
                {
                    result[row] = text.Texts[nextKept];
                }
                else
                {
                    result[row] = pool.Format(chunk[i]);
                }

                while (nextKept < kept && text!.Rows[nextKept] <= row)
                {
                    nextKept++;
                }
            }
        }
    }

    /// <summary>
    /// Each row's index among the column's distinct texts (as <see cref="TextAt"/> gives them), numbered in the order
    /// first seen, and those texts; or, with no codes, the 0-based row of the first missing value. The texts of a
    /// numbers column are made once per distinct number, and the last value seen answers without a lookup.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal (int[]? Codes, List<string> Texts, int MissingRow) TextCodes()
    {
        var codes = new int[Count];
        var texts = new List<string>();
        var byText = new Dictionary<string, int>(StringComparer.Ordinal);
        int CodeOf(string text)
        {
            if (!byText.TryGetValue(text, out var code))
            {
                code = texts.Count;
                byText[text] = code;
                texts.Add(text);
            }

            return code;
        }

        if (labels is not null)
        {
            // One instance per distinct label: compared by reference before hashing.
            string? lastLabel = null;
            var lastLabelCode = 0;
            for (var i = 0; i < codes.Length; i++)
            {
                var label = labels[i];
                if (label is null)
                {
                    return (null, texts, i);
                }

                if (!ReferenceEquals(label, lastLabel))
                {
                    (lastLabel, lastLabelCode) = (label, CodeOf(label));
                }

                codes[i] = lastLabelCode;
            }

            return (codes, texts, -1);
        }

        // The two numbers met last answer without a lookup (a two-level group in any order): compared by bits, so -0
        // and 0 stay apart.
        var byBits = new Dictionary<long, int>();
        var (lastBits, lastCode, otherBits, otherCode) = (0L, -1, 0L, -1);
        var keptRows = text?.Rows ?? [];
        var nextKept = 0;
        var nextKeptRow = keptRows.Length > 0 ? keptRows[0] : int.MaxValue;
        for (var k = 0; k < numbers!.ChunkCount; k++)
        {
            var chunk = numbers.Chunk(k);
            var marks = missing is null ? default : missing.Chunk(k);
            var start = k * Chunked<double>.Length;
            var target = codes.AsSpan(start, chunk.Length);
            for (var i = 0; i < chunk.Length; i++)
            {
                if (!marks.IsEmpty && marks[i])
                {
                    return (null, texts, start + i);
                }

                if (start + i == nextKeptRow)
                {
                    target[i] = CodeOf(text!.Texts[nextKept++]);
                    nextKeptRow = nextKept < keptRows.Length ? keptRows[nextKept] : int.MaxValue;
                    continue;
                }

                var bits = BitConverter.DoubleToInt64Bits(chunk[i]);
                if (bits != lastBits || lastCode < 0)
                {
                    if (bits == otherBits && otherCode >= 0)
                    {
                        (lastBits, lastCode, otherBits, otherCode) = (otherBits, otherCode, lastBits, lastCode);
                    }
                    else
                    {
                        if (!byBits.TryGetValue(bits, out var code))
                        {
                            code = CodeOf(NumberText.Format(chunk[i]));
                            byBits[bits] = code;
                        }

                        (lastBits, lastCode, otherBits, otherCode) = (bits, code, lastBits, lastCode);
                    }
                }

                target[i] = lastCode;
            }
        }

        return (codes, texts, -1);
    }

    private static void RequireName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            throw new ArgumentException("A column needs a name.", nameof(name));
        }
    }
}

/// <summary>The source text of the few cells of a numbers column not written in their number's round-trip form, by ascending row.</summary>
/// <param name="Rows">The rows, ascending.</param>
/// <param name="Texts">The text of each of those rows.</param>
internal sealed record SourceTexts(int[] Rows, string[] Texts)
{
    /// <summary>The text kept for a row, or null when the row is written in its round-trip form.</summary>
    public string? At(int row)
    {
        var index = Array.BinarySearch(Rows, row);
        return index >= 0 ? Texts[index] : null;
    }
}
