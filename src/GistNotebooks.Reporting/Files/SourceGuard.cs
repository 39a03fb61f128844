using GistNotebooks.Survival.Data;

namespace GistNotebooks.Reporting.Files;

/// <summary>
/// Refuses, before anything runs or is written, a command whose output would land on one of its own inputs (a
/// notebook, a manifest, a claims file, a cohort, a data file): <c>reproduce --out .</c> from the repository root
/// would otherwise replace the source notebooks with executed copies.
/// </summary>
/// <remarks>
/// Paths are compared after <see cref="Path.GetFullPath(string)"/> and after following a symbolic link at any level
/// of the path, so a link to a source counts as the source. The comparison ignores case where the file system does
/// (Windows and macOS by default).
/// </remarks>
public static class SourceGuard
{
    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>Throws when any output path is one of the input paths.</summary>
    /// <param name="outputs">Every file the command will write.</param>
    /// <param name="inputs">Every file the command reads.</param>
    /// <param name="outOption">The option the user names the output with (for example <c>--out</c>), quoted in the message.</param>
    /// <exception cref="DataValidationException">An output is an input; the message names both and says what to change.</exception>
    public static void EnsureNoSourceIsWritten(IEnumerable<string> outputs, IEnumerable<string> inputs, string outOption = "--out")
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputs);
        var sources = new Dictionary<string, string>(PathComparison == StringComparison.Ordinal ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
        foreach (var input in inputs)
        {
            sources.TryAdd(Canonical(input), input);
        }

        foreach (var output in outputs)
        {
            if (sources.TryGetValue(Canonical(output), out var input))
            {
                // An option that names one file (--plot) gets a hint about a file; --out names a folder for most commands.
                var hint = outOption == "--out" ? "a folder that holds no source" : "a file that is none of the inputs";
                throw new DataValidationException(
                    $"{output}: this output would replace the input {input}; nothing was run or written. Choose another {outOption} ({hint}).");
            }
        }
    }

    /// <summary>The path as the file system resolves it: full, with every symbolic link along it followed.</summary>
    public static string Canonical(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var root = Path.GetPathRoot(full) ?? string.Empty;
        var resolved = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            resolved = Path.Combine(resolved, part);
            resolved = Follow(resolved);
        }

        return resolved;
    }

    private static string Follow(string path)
    {
        // A chain of links is bounded; a loop is left as it is (the write itself will fail there).
        for (var hops = 0; hops < 40; hops++)
        {
            FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
            if (!info.Exists || info.LinkTarget is not { } target)
            {
                return path;
            }

            path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target, Path.GetDirectoryName(path)!));
        }

        return path;
    }
}
