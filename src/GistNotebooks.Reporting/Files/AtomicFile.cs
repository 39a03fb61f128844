using System.Text;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Reporting.Files;

/// <summary>
/// Writes a file through a temporary file in the same folder and a rename, so a reader never sees half of it and an
/// interrupted run leaves the previous file (if any) in place. Every file the kit writes goes through here: the
/// statistics library only returns contents, and this is the lowest layer that both the notebooks and the command line
/// use.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes text as UTF-8 (no byte-order mark) to <paramref name="path"/>, replacing any file there only once the new one is complete.</summary>
    /// <exception cref="DataValidationException">The folder cannot be created or written; the message names the path.</exception>
    public static void WriteAllText(string path, string contents) => WriteAllText(path, contents, verify: null);

    /// <summary>
    /// Writes text as <see cref="WriteAllText(string, string)"/> does, and first hands the complete temporary file to
    /// <paramref name="verify"/>, which reads it back and throws when it is not what was meant; the file is then not moved into place.
    /// </summary>
    /// <exception cref="DataValidationException">The folder cannot be created or written, or <paramref name="verify"/> refused the file.</exception>
    public static void WriteAllText(string path, string contents, Action<string>? verify)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(contents);
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath)!;
        var temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(temporary, contents, Utf8NoBom);
            verify?.Invoke(temporary);
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch (DataValidationException)
        {
            TryDelete(temporary);
            throw;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new DataValidationException($"{path}: cannot write ({e.Message})", e);
        }
    }

    /// <summary>Writes bytes to <paramref name="path"/>, replacing any file there only once the new one is complete.</summary>
    /// <exception cref="DataValidationException">The folder cannot be created or written; the message names the path.</exception>
    public static void WriteAllBytes(string path, byte[] contents)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(contents);
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath)!;
        var temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(temporary, contents);
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new DataValidationException($"{path}: cannot write ({e.Message})", e);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing was written there, or the folder is read-only; either way there is nothing to clean.
        }
    }
}
