using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace GistNotebooks.Survival.Data;

/// <summary>
/// A column of labels as R's factor holds one: the sorted levels and each row's level index. Made from labels, it finds
/// the indices when first asked; made from a table's column, it has the indices at once and makes the labels only when
/// asked, so a million rows of a numeric group cost a million integers, not a million strings.
/// </summary>
internal sealed class Factor
{
    private string[]? labels;
    private int[]? codes;

    private Factor(string[]? labels, int[]? codes, ImmutableArray<string> levels)
    {
        this.labels = labels;
        this.codes = codes;
        Levels = levels;
    }

    /// <summary>The distinct labels, sorted as R orders a factor's levels (<see cref="SurvivalData.SortLevels"/>).</summary>
    public ImmutableArray<string> Levels { get; }

    /// <summary>Each row's 0-based index among <see cref="Levels"/>.</summary>
    public int[] Codes => codes ??= LevelIndex.Of(labels!, Levels);

    /// <summary>Each row's label, one string instance per level.</summary>
    public string[] Labels => labels ??= LabelsOfCodes();

    /// <summary>The factor of labels already checked (none missing).</summary>
    public static Factor OfLabels(string[] labels) => new(labels, null, SurvivalData.SortLevels(labels));

    /// <summary>
    /// The factor of a table's column, or the 0-based row of its first missing value. A numbers column gives each
    /// value's text as it was written (see <see cref="ColumnTable.GetText"/>), so "1" and "1.0" are two levels, as
    /// they are two labels.
    /// </summary>
    public static (Factor? Factor, int MissingRow) OfColumn(TableColumn column)
    {
        var (firstSeen, texts, missingRow) = column.TextCodes();
        if (firstSeen is null)
        {
            return (null, missingRow);
        }

        // The texts in first-seen order, sorted as levels; each code then moves to its text's place among them.
        var order = SurvivalData.LevelOrder(texts);
        var place = new int[order.Length];
        for (var level = 0; level < order.Length; level++)
        {
            place[order[level]] = level;
        }

        Recode(firstSeen, place);
        return (new Factor(null, firstSeen, [.. order.Select(i => texts[i])]), -1);
    }

    /// <summary>The rows at the given indices, as a factor of their own labels (levels no row has are dropped).</summary>
    public Factor Subset(IReadOnlyList<int> rows)
    {
        var all = Labels;
        var picked = new string[rows.Count];
        for (var i = 0; i < picked.Length; i++)
        {
            picked[i] = all[rows[i]];
        }

        return OfLabels(picked);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Recode(int[] codes, int[] place)
    {
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = place[codes[i]];
        }
    }

    private string[] LabelsOfCodes()
    {
        var result = new string[codes!.Length];
        var target = result.AsSpan();
        for (var i = 0; i < target.Length; i++)
        {
            target[i] = Levels[codes[i]];
        }

        return result;
    }
}
