using System.CommandLine;

namespace GistNotebooks.Cli.Infrastructure;

/// <summary>"Did you mean" for a mistyped command or option: the nearest name the command knows, by edit distance.</summary>
internal static class Suggestions
{
    private const string Unrecognized = "Unrecognized command or argument '";

    /// <summary>
    /// A suffix such as <c>; did you mean '--data'?</c> for a parse error that names an unrecognised word close to an
    /// option or subcommand of <paramref name="command"/> (at most two edits, and fewer than half its letters); empty otherwise.
    /// </summary>
    public static string For(string message, Command command)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(command);
        if (!message.StartsWith(Unrecognized, StringComparison.Ordinal))
        {
            return string.Empty;
        }

        var word = message[Unrecognized.Length..].TrimEnd('.').TrimEnd('\'');
        var candidates = command.Options.SelectMany(o => o.Aliases.Prepend(o.Name))
            .Concat(command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))
            .Distinct(StringComparer.Ordinal);
        var best = candidates
            .Select(name => (Name: name, Distance: Distance(word, name)))
            .Where(c => c.Distance > 0 && c.Distance <= Math.Min(2, (word.TrimStart('-').Length - 1) / 2))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Name is null ? string.Empty : $" (did you mean '{best.Name}'?)";
    }

    /// <summary>The Levenshtein distance: insertions, deletions and substitutions, each counting one.</summary>
    internal static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
