using GistNotebooks.Cli.Infrastructure;

namespace GistNotebooks.Cli.Commands;

/// <summary>Parses <c>--reference column=level</c> options (repeatable) into the baseline level of each factor.</summary>
internal static class ReferenceLevels
{
    public static Dictionary<string, string> Parse(IEnumerable<string>? items)
    {
        var references = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items ?? [])
        {
            var parts = item.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                throw new CliUsageException($"--reference expects column=level, found '{item}'");
            }

            references[parts[0]] = parts[1];
        }

        return references;
    }
}
