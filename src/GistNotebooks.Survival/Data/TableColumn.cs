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
/// One named column of a <see cref="ColumnTable"/>: numbers or labels, with missing values explicit. Immutable.
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
    private readonly double[]? numbers;
    private readonly bool[]? missing;
    private readonly string?[]? text;
    private readonly string?[]? labels;

    internal TableColumn(string name, double[] numbers, bool[]? missing, string?[]? text)
    {
        Name = name;
        this.numbers = numbers;
        this.missing = missing;
        this.text = text;
        Count = numbers.Length;
    }

    internal TableColumn(string name, string?[] labels)
    {
        Name = name;
        this.labels = labels;
        Count = labels.Length;
    }

    /// <summary>The column name.</summary>
    public string Name { get; }

    /// <summary>Whether the column holds numbers or labels.</summary>
    public ColumnKind Kind => numbers is null ? ColumnKind.Labels : ColumnKind.Numbers;

    /// <summary>The number of rows.</summary>
    public int Count { get; }

    /// <summary>Whether some value of the column is missing.</summary>
    public bool HasMissing => labels is null ? missing is not null : Array.IndexOf(labels, null) >= 0;

    /// <summary>The numbers (NaN where missing), not copied: callers inside the library must not write to them.</summary>
    internal double[]? NumberArray => numbers;

    /// <summary>The labels (null where missing), not copied: callers inside the library must not write to them.</summary>
    internal string?[]? LabelArray => labels;

    /// <summary>The source text of a numbers cell whose text is not the number's round-trip form, else null.</summary>
    internal string? SourceTextAt(int row) => text?[row];

    /// <summary>A column of numbers with no missing values (NaN is a value, not a missing one).</summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public static TableColumn Numbers(string name, IEnumerable<double> values)
    {
        RequireName(name);
        ArgumentNullException.ThrowIfNull(values);
        return new TableColumn(name, [.. values], null, null);
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

        return new TableColumn(name, result, missing, null);
    }

    /// <summary>A column of labels in which null is a missing value; equal labels share one string instance.</summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public static TableColumn Labels(string name, IEnumerable<string?> values)
    {
        RequireName(name);
        ArgumentNullException.ThrowIfNull(values);
        var pool = new LabelPool();
        return new TableColumn(name, [.. values.Select(v => v is null ? null : pool.Intern(v))]);
    }

    /// <summary>Whether the value at a 0-based row index is missing.</summary>
    public bool IsMissing(int rowIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rowIndex, Count);
        return labels is null ? missing is not null && missing[rowIndex] : labels[rowIndex] is null;
    }

    /// <summary>The text of a cell as written (a number's source text or its round-trip form), or null where missing.</summary>
    internal string? TextAt(int row, LabelPool pool)
    {
        if (labels is not null)
        {
            return labels[row];
        }

        return missing is not null && missing[row] ? null : text?[row] ?? pool.Format(numbers![row]);
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
