using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace GistNotebooks.Survival.Data;

/// <summary>Which level each row's label is: the one mapping from group or strata labels to level numbers.</summary>
internal static class LevelIndex
{
    /// <summary>A string instance that is no table's label, so that the cache below starts empty.</summary>
    private static readonly string NoLabel = new('\0', 1);

    /// <summary>
    /// The 0-based index of each label among <paramref name="levels"/> (every label must be one of them). Labels read
    /// from a table share one instance per value, so the two instances met last answer without hashing: at 10⁶ rows
    /// of two groups that is most of the lookups.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] Of(string[] labels, ImmutableArray<string> levels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var index = new Dictionary<string, int>(levels.Length, StringComparer.Ordinal);
        for (var g = 0; g < levels.Length; g++)
        {
            index[levels[g]] = g;
        }

        var result = new int[labels.Length];
        var last = NoLabel;
        var other = NoLabel;
        int lastIndex = 0, otherIndex = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (!ReferenceEquals(label, last))
            {
                (last, lastIndex, other, otherIndex) = ReferenceEquals(label, other)
                    ? (other, otherIndex, last, lastIndex)
                    : (label, index[label], last, lastIndex);
            }

            result[i] = lastIndex;
        }

        return result;
    }
}
