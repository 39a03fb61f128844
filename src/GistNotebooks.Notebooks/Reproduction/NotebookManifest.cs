using System.Collections.Immutable;
using System.Text.Json;

namespace GistNotebooks.Notebooks.Reproduction;

/// <summary>One notebook of the manifest.</summary>
/// <param name="File">The notebook's file name, relative to the manifest.</param>
/// <param name="Title">The notebook's title.</param>
/// <param name="Version">The notebook's version (see the changelog).</param>
/// <param name="Claims">The claim ids the notebook reproduces.</param>
public sealed record ManifestEntry(string File, string Title, string Version, ImmutableArray<string> Claims);

/// <summary>
/// The list of notebooks a reproduction runs, in order, with their versions and claim ids, the claims file they
/// reproduce and the data files they read (hashed into the provenance). Read from <c>manifest.json</c> beside the notebooks.
/// </summary>
/// <param name="Path">The manifest's full path.</param>
/// <param name="Study">The study the notebooks reproduce, in words.</param>
/// <param name="ClaimsFile">The claims file's full path.</param>
/// <param name="DataFiles">The data files' full paths.</param>
/// <param name="Notebooks">The notebooks in the order they run.</param>
public sealed record NotebookManifest(string Path, string Study, string ClaimsFile, ImmutableArray<string> DataFiles, ImmutableArray<ManifestEntry> Notebooks)
{
    /// <summary>The manifest's file name in a notebooks folder.</summary>
    public const string FileName = "manifest.json";

    /// <summary>The folder the manifest lives in; notebook and data paths are relative to it.</summary>
    public string Folder => System.IO.Path.GetDirectoryName(Path)!;

    /// <summary>Reads <c>manifest.json</c> from a notebooks folder.</summary>
    /// <exception cref="Documents.NotebookException">The folder or manifest is missing, or the manifest is not valid.</exception>
    public static NotebookManifest Load(string notebooksFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(notebooksFolder);
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(notebooksFolder, FileName));
        if (!Directory.Exists(notebooksFolder))
        {
            throw new Documents.NotebookException($"{notebooksFolder}: notebooks folder not found.");
        }

        if (!System.IO.File.Exists(path))
        {
            throw new Documents.NotebookException($"{System.IO.Path.Combine(notebooksFolder, FileName)}: manifest not found; it lists the notebooks to run.");
        }

        try
        {
            using var json = JsonDocument.Parse(System.IO.File.ReadAllText(path));
            var root = json.RootElement;
            var folder = System.IO.Path.GetDirectoryName(path)!;
            string Full(string relative) => System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, relative));
            var entries = root.GetProperty("notebooks").EnumerateArray().Select(n => new ManifestEntry(
                n.GetProperty("file").GetString()!,
                n.TryGetProperty("title", out var title) ? title.GetString() ?? string.Empty : string.Empty,
                n.GetProperty("version").GetString()!,
                n.TryGetProperty("claims", out var claims) ? [.. claims.EnumerateArray().Select(c => c.GetString()!)] : [])).ToImmutableArray();
            var data = root.TryGetProperty("data", out var files) ? files.EnumerateArray().Select(f => Full(f.GetString()!)).ToImmutableArray() : [];
            return new NotebookManifest(
                path,
                root.TryGetProperty("study", out var study) ? study.GetString() ?? string.Empty : string.Empty,
                Full(root.GetProperty("claimsFile").GetString()!),
                data,
                entries);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new Documents.NotebookException($"{path}: not a valid manifest ({e.Message}); expected {{\"claimsFile\": ..., \"notebooks\": [{{\"file\", \"version\", \"claims\"}}]}}.", e);
        }
    }
}
