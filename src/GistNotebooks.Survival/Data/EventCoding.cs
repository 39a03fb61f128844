using System.Globalization;

namespace GistNotebooks.Survival.Data;

/// <summary>How the text of an event column maps to event (1) and censored (0).</summary>
public sealed class EventCoding
{
    private readonly Dictionary<string, bool> labels;

    private EventCoding(Dictionary<string, bool> labels) => this.labels = labels;

    /// <summary>The default: 0 is censored, 1 is an event (1.0 and 0.0 are accepted too).</summary>
    public static EventCoding ZeroOne { get; } = new(new Dictionary<string, bool>(StringComparer.Ordinal) { ["0"] = false, ["1"] = true });

    /// <summary>Maps labels such as <c>dead</c> and <c>alive</c> (compared without regard to case) to event and censored; 0 and 1 keep their meaning.</summary>
    /// <exception cref="ArgumentException">A label is in both lists.</exception>
    public static EventCoding FromLabels(IEnumerable<string> eventLabels, IEnumerable<string> censoredLabels)
    {
        ArgumentNullException.ThrowIfNull(eventLabels);
        ArgumentNullException.ThrowIfNull(censoredLabels);
        var map = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase) { ["0"] = false, ["1"] = true };
        foreach (var label in eventLabels)
        {
            map[label.Trim()] = true;
        }

        foreach (var label in censoredLabels)
        {
            if (map.TryGetValue(label.Trim(), out var existing) && existing)
            {
                throw new ArgumentException($"The label '{label}' is given both as an event and as censored.", nameof(censoredLabels));
            }

            map[label.Trim()] = false;
        }

        return new EventCoding(map);
    }

    /// <summary>The indicator for a label, or null when the label is not known.</summary>
    public bool? Map(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (labels.TryGetValue(text, out var value))
        {
            return value;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            if (number == 0)
            {
                return false;
            }

            if (number == 1)
            {
                return true;
            }
        }

        return null;
    }

    /// <summary>The accepted labels, in words, for error messages.</summary>
    public string Describe()
    {
        var events = labels.Where(p => p.Value).Select(p => p.Key);
        var censored = labels.Where(p => !p.Value).Select(p => p.Key);
        return $"{string.Join(" or ", events)} (event) or {string.Join(" or ", censored)} (censored)";
    }
}
