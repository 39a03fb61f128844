namespace GistNotebooks.Cli.Infrastructure;

/// <summary>Which commands of a level to build: a command line that names one needs only that one.</summary>
internal static class CommandTable
{
    /// <summary>
    /// The factory of the command called <paramref name="name"/>, or every factory in order when no command has that
    /// name (no name, an option, a mistyped name): the help and the suggestions then see them all.
    /// </summary>
    public static IEnumerable<TCreate> ToBuild<TCreate>((string Name, TCreate Create)[] table, string? name)
    {
        var named = Array.FindIndex(table, c => c.Name == name);
        return named < 0 ? table.Select(c => c.Create) : [table[named].Create];
    }
}
