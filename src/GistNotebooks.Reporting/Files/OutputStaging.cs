using System.Diagnostics;
using System.Globalization;
using System.Text;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Reporting.Files;

/// <summary>
/// A set of output files written first into a hidden staging folder inside the output folder and moved into place
/// together when the command ends, so that an output folder holds either the previous complete set, the new complete
/// set, or a set that says in a marker file that it is incomplete — never a mix that looks complete.
/// </summary>
/// <remarks>
/// <para>While the command runs, nothing in the output folder changes: a run stopped then (Ctrl+C, <c>kill -9</c>, a
/// crash) leaves the previous set as it was, and only its staging folder behind, which the next command into the same
/// folder removes once the process that made it has ended.</para>
/// <para><see cref="Commit"/> writes the marker, moves every staged file over its final path (a rename on the same file
/// system, so each file is whole), then deletes the marker. A run stopped during the moves leaves the marker, which names
/// the files that may be old.</para>
/// </remarks>
public sealed class OutputStaging : IDisposable
{
    private const string StagingPrefix = ".gistnb-staging-";
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private readonly List<(string Staged, string Final)> files = [];
    private readonly string stagingFolder;
    private bool committed;

    private OutputStaging(string folder, string markerName)
    {
        Folder = Path.GetFullPath(folder);
        MarkerPath = Path.Combine(Folder, markerName);
        stagingFolder = Path.Combine(Folder, string.Create(CultureInfo.InvariantCulture, $"{StagingPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"));
    }

    /// <summary>The output folder, full path.</summary>
    public string Folder { get; }

    /// <summary>The marker file that says a set is incomplete; present only while, or after an interrupted, <see cref="Commit"/>.</summary>
    public string MarkerPath { get; }

    /// <summary>Creates the output folder and its staging folder, removing staging folders left by ended processes.</summary>
    /// <param name="folder">The output folder.</param>
    /// <param name="markerName">The marker's file name, for example <c>INCOMPLETE.txt</c>.</param>
    /// <exception cref="DataValidationException">The folder cannot be created or written.</exception>
    public static OutputStaging Begin(string folder, string markerName)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(markerName);
        var staging = new OutputStaging(folder, markerName);
        try
        {
            Directory.CreateDirectory(staging.Folder);
            RemoveAbandoned(staging.Folder);
            Directory.CreateDirectory(staging.stagingFolder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataValidationException($"{folder}: the output folder cannot be written ({e.Message}).", e);
        }

        return staging;
    }

    /// <summary>The full path a relative output name will have once committed.</summary>
    public string FinalPath(string relativePath) => Path.GetFullPath(Path.Combine(Folder, relativePath));

    /// <summary>Writes one file of the set into the staging folder (UTF-8 without a byte-order mark).</summary>
    /// <param name="relativePath">The file's path inside the output folder.</param>
    /// <param name="contents">The text.</param>
    /// <param name="verify">Given the staged file's path, throws when what was written cannot be read back; may be null.</param>
    /// <returns>The full path the file will have once committed.</returns>
    /// <exception cref="DataValidationException">The file cannot be written, or <paramref name="verify"/> refused it.</exception>
    public string Write(string relativePath, string contents, Action<string>? verify = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        ArgumentNullException.ThrowIfNull(contents);
        ObjectDisposedException.ThrowIf(committed, this);
        var final = FinalPath(relativePath);
        if (!final.StartsWith(Folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{relativePath}: an output must stay inside {Folder}.", nameof(relativePath));
        }

        var staged = Path.Combine(stagingFolder, Path.GetRelativePath(Folder, final));
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
            File.WriteAllText(staged, contents, Utf8NoBom);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataValidationException($"{final}: cannot write ({e.Message})", e);
        }

        verify?.Invoke(staged);
        files.RemoveAll(f => string.Equals(f.Final, final, StringComparison.Ordinal));
        files.Add((staged, final));
        return final;
    }

    /// <summary>Moves every staged file into place, behind the marker; returns their final paths in the order written.</summary>
    /// <exception cref="DataValidationException">A file cannot be moved; the marker then stays and says so.</exception>
    public IReadOnlyList<string> Commit()
    {
        ObjectDisposedException.ThrowIf(committed, this);
        committed = true;
        var finals = files.Select(f => f.Final).ToList();
        try
        {
            File.WriteAllText(MarkerPath, MarkerText(finals), Utf8NoBom);
            foreach (var (staged, final) in files)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(final)!);
                File.Move(staged, final, overwrite: true);
            }

            File.Delete(MarkerPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataValidationException($"{Folder}: the outputs could not all be moved into place ({e.Message}); {Path.GetFileName(MarkerPath)} marks the set as incomplete.", e);
        }
        finally
        {
            DeleteStaging();
        }

        return finals;
    }

    /// <summary>Removes the staging folder when the set was not committed; the output folder is left as it was.</summary>
    public void Dispose()
    {
        if (!committed)
        {
            committed = true;
            DeleteStaging();
        }
    }

    private string MarkerText(List<string> finals)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"INCOMPLETE: gistnb began moving a new set of outputs into this folder at {DateTimeOffset.UtcNow:yyyy-MM-dd'T'HH:mm:ss'Z'} (process {Environment.ProcessId}) and did not finish.\n");
        text.Append("The files below may come from two different runs; run the command again to get a complete set.\n");
        foreach (var final in finals)
        {
            text.Append(Path.GetRelativePath(Folder, final)).Append('\n');
        }

        return text.ToString();
    }

    private void DeleteStaging()
    {
        try
        {
            if (Directory.Exists(stagingFolder))
            {
                Directory.Delete(stagingFolder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next command into this folder, which removes it once this process has ended.
        }
    }

    private static void RemoveAbandoned(string folder)
    {
        foreach (var abandoned in Directory.EnumerateDirectories(folder, StagingPrefix + "*"))
        {
            var name = Path.GetFileName(abandoned)[StagingPrefix.Length..];
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(name[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var processId) || IsRunning(processId))
            {
                continue;
            }

            try
            {
                Directory.Delete(abandoned, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another command may be removing it at the same time; it is hidden and harmless.
            }
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
