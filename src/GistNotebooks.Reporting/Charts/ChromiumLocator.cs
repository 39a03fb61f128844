namespace GistNotebooks.Reporting.Charts;

/// <summary>
/// Finds the system Chromium that draws charts to static files: a path given in the options, else the path in the
/// environment variable <see cref="EnvironmentVariable"/>, else the first of <c>chromium</c>, <c>chromium-browser</c>,
/// <c>google-chrome</c> and <c>google-chrome-stable</c> on the <c>PATH</c>. Nothing is downloaded.
/// </summary>
public static class ChromiumLocator
{
    /// <summary>The environment variable that may name the Chromium executable: <c>GISTNB_CHROMIUM</c>.</summary>
    public const string EnvironmentVariable = "GISTNB_CHROMIUM";

    /// <summary>The executable names looked for on the <c>PATH</c>, in order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

    /// <summary>The path of the Chromium executable, or null when there is none.</summary>
    /// <param name="path">A path given by the caller; it wins when given, and must then exist.</param>
    public static string? TryFind(string? path = null)
    {
        if (!string.IsNullOrWhiteSpace(path))
        {
            return File.Exists(path) ? Path.GetFullPath(path) : null;
        }

        var named = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(named))
        {
            return File.Exists(named) ? Path.GetFullPath(named) : null;
        }

        var folders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in Names)
        {
            foreach (var folder in folders)
            {
                var candidate = Path.Combine(folder, OperatingSystem.IsWindows() ? name + ".exe" : name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>The path of the Chromium executable.</summary>
    /// <param name="path">A path given by the caller; it wins when given, and must then exist.</param>
    /// <exception cref="ChartExportException">No Chromium was found; the message says where it was looked for and how to name one.</exception>
    public static string Find(string? path = null)
    {
        var found = TryFind(path);
        if (found is not null)
        {
            return found;
        }

        if (!string.IsNullOrWhiteSpace(path))
        {
            throw new ChartExportException($"Static chart export needs Chromium, and the path given for it does not exist: {path}");
        }

        var named = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(named))
        {
            throw new ChartExportException($"Static chart export needs Chromium, and {EnvironmentVariable} names a file that does not exist: {named}");
        }

        throw new ChartExportException(
            $"Static chart export (SVG, PNG, PDF) needs a system Chromium, run headless and offline, and none was found on the PATH as {string.Join(", ", Names)}. "
            + $"Install one (for example apt-get install chromium), or name its path in the environment variable {EnvironmentVariable} or in {nameof(StaticExportOptions)}.{nameof(StaticExportOptions.ChromiumPath)}. "
            + "An HTML page of the chart needs no Chromium.");
    }
}
