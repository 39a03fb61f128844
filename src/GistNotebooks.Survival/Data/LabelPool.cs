namespace GistNotebooks.Survival.Data;

/// <summary>
/// One string instance per distinct label: a column of labels repeats a few values, and a million rows of "stomach"
/// should cost one string, not a million. Also keeps the text of numbers asked for as labels.
/// </summary>
internal sealed class LabelPool
{
    private readonly Dictionary<string, string> labels = new(StringComparer.Ordinal);
    private readonly Dictionary<double, string> formatted = [];
    private long lastBits;
    private string? lastFormatted;
    private long previousBits;
    private string? previousFormatted;

    /// <summary>The pooled instance equal to <paramref name="label"/>.</summary>
    public string Intern(string label)
    {
        if (labels.TryGetValue(label, out var existing))
        {
            return existing;
        }

        labels[label] = label;
        return label;
    }

    /// <summary>The pooled instance equal to the characters of <paramref name="label"/>, made once.</summary>
    public string Intern(ReadOnlySpan<char> label)
    {
        var lookup = labels.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(label, out var existing))
        {
            return existing;
        }

        var made = label.ToString();
        labels[made] = made;
        return made;
    }

    /// <summary>The round-trip text of a number, pooled (see <see cref="NumberText.Format"/>).</summary>
    public string Format(double value)
    {
        // A column asked for as labels usually repeats a few numbers: the last two answer without a lookup (compared
        // by bits, so -0 and 0 stay apart), which covers a two-level group in any order.
        var bits = BitConverter.DoubleToInt64Bits(value);
        if (lastFormatted is not null && bits == lastBits)
        {
            return lastFormatted;
        }

        if (previousFormatted is not null && bits == previousBits)
        {
            (previousBits, previousFormatted, lastBits, lastFormatted) = (lastBits, lastFormatted, previousBits, previousFormatted);
            return lastFormatted!;
        }

        (previousBits, previousFormatted) = (lastBits, lastFormatted);
        if (formatted.TryGetValue(value, out var text) && !(value == 0 && double.IsNegative(value)))
        {
            (lastBits, lastFormatted) = (bits, text);
            return text;
        }

        text = Intern(NumberText.Format(value));

        // -0 and 0 are equal keys but print differently: keep only the positive zero.
        if (!double.IsNegative(value) || value != 0)
        {
            formatted[value] = text;
        }

        (lastBits, lastFormatted) = (bits, text);
        return text;
    }
}
