using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;

namespace GistNotebooks.Notebooks.Documents;

/// <summary>The kind of a notebook cell.</summary>
public enum CellKind
{
    /// <summary>Prose, rendered as Markdown.</summary>
    Markdown,

    /// <summary>Code sent to a kernel.</summary>
    Code,

    /// <summary>Text passed through unchanged.</summary>
    Raw,
}

/// <summary>One cell of a notebook as written by its author.</summary>
/// <param name="Number">The cell's position, counting from 1 as a reader does.</param>
/// <param name="Id">The nbformat 4.5 cell id: the source's own, or one derived from the position.</param>
/// <param name="Kind">Markdown, code or raw.</param>
/// <param name="KernelName">The kernel a code cell runs in (for example <c>csharp</c>); <c>markdown</c> for prose.</param>
/// <param name="Source">The cell's text.</param>
public sealed record NotebookCell(int Number, string Id, CellKind Kind, string KernelName, string Source)
{
    /// <summary>
    /// The cell's JSON object as the <c>.ipynb</c> source has it (metadata, tags, attachments and all), which the
    /// executed copy keeps unchanged; null for a <c>.dib</c> cell.
    /// </summary>
    public string? SourceJson { get; init; }

    /// <summary>The first non-empty line of the cell, which names it in messages.</summary>
    public string FirstLine => Source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "(empty cell)";
}

/// <summary>A notebook read from a <c>.ipynb</c> or <c>.dib</c> file.</summary>
/// <param name="Path">The full path of the file it was read from.</param>
/// <param name="Cells">The cells in order.</param>
/// <param name="ContentHash">SHA-256 of the file's bytes, in lower-case hex.</param>
public sealed record NotebookDocument(string Path, ImmutableArray<NotebookCell> Cells, string ContentHash)
{
    /// <summary>The notebook-level <c>metadata</c> object of a <c>.ipynb</c> source, as JSON, which the executed copy keeps; null for a <c>.dib</c>.</summary>
    public string? SourceMetadataJson { get; init; }

    /// <summary>The file name without folder, for messages and output names.</summary>
    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>Reads a notebook; the source file is only read, never written.</summary>
    /// <param name="path">A <c>.ipynb</c> (Jupyter) or <c>.dib</c> (Polyglot script) file.</param>
    /// <exception cref="NotebookException">The file is missing, has another extension, or is not a valid notebook.</exception>
    public static NotebookDocument Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new NotebookException($"{path}: notebook not found.");
        }

        var extension = System.IO.Path.GetExtension(fullPath).ToUpperInvariant();
        if (extension is not (".IPYNB" or ".DIB"))
        {
            throw new NotebookException($"{path}: not a notebook; expected a .ipynb or .dib file.");
        }

        var bytes = File.ReadAllBytes(fullPath);
        var text = Encoding.UTF8.GetString(bytes);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        var document = extension == ".IPYNB" ? ParseJupyter(path, text) : CodeSubmission.Parse(text, KernelNames());
        var source = extension == ".IPYNB" ? JupyterSource.Read(text) : JupyterSource.None;
        if (source.Cells.Length > 0 && source.Cells.Length != document.Elements.Count)
        {
            throw new NotebookException($"{path}: the notebook has {source.Cells.Length} cells but only {document.Elements.Count} could be read; check the cells' \"cell_type\" and \"source\".");
        }

        var cells = document.Elements.Select((element, index) => ToCell(element, index, source)).ToImmutableArray();
        return new NotebookDocument(fullPath, cells, hash) { SourceMetadataJson = source.Metadata };
    }

    /// <summary>The kernels the kit's runner offers, as the document readers need them to assign cells.</summary>
    internal static KernelInfoCollection KernelNames() =>
    [
        new KernelInfo("csharp", "C#", ["c#", "C#", "cs"]),
        new KernelInfo("html", "HTML"),
        new KernelInfo("value", null),
        new KernelInfo("markdown", "Markdown", ["md"]),
    ];

    private static InteractiveDocument ParseJupyter(string path, string text)
    {
        try
        {
            using var probe = JsonDocument.Parse(text);
            if (probe.RootElement.ValueKind != JsonValueKind.Object || !probe.RootElement.TryGetProperty("cells", out var cells) || cells.ValueKind != JsonValueKind.Array)
            {
                throw new NotebookException($"{path}: not a Jupyter notebook; expected a JSON object with a \"cells\" array.");
            }
        }
        catch (JsonException e)
        {
            throw new NotebookException($"{path}: not valid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}: {FirstSentence(e.Message)}", e);
        }

        return Notebook.Parse(text, KernelNames());
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    private static NotebookCell ToCell(InteractiveDocumentElement element, int index, JupyterSource source)
    {
        var kernel = element.KernelName ?? "csharp";
        var cellType = index < source.Cells.Length ? source.Cells[index].Type : null;

        // The cell's own cell_type decides: a raw cell is passed through, never run, whatever kernel the reader guessed.
        var kind = cellType switch
        {
            "raw" => CellKind.Raw,
            "markdown" => CellKind.Markdown,
            "code" => CellKind.Code,
            _ => kernel switch
            {
                "markdown" or "md" => CellKind.Markdown,
                "raw" => CellKind.Raw,
                _ => CellKind.Code,
            },
        };
        var sourceId = index < source.Cells.Length ? source.Cells[index].Id : string.Empty;
        var id = IsValidId(sourceId) ? sourceId : FormattableString.Invariant($"cell-{index + 1:D2}");
        var kernelName = kind switch { CellKind.Markdown => "markdown", CellKind.Raw => "raw", _ => kernel };
        return new NotebookCell(index + 1, id, kind, kernelName, element.Contents ?? string.Empty)
        {
            SourceJson = index < source.Cells.Length ? source.Cells[index].Json : null,
        };
    }

    /// <summary>What the Interactive document reader drops from a <c>.ipynb</c>: each cell's own JSON, type and id, and the notebook's metadata.</summary>
    private sealed record JupyterSource(ImmutableArray<(string Json, string? Type, string Id)> Cells, string? Metadata)
    {
        public static JupyterSource None { get; } = new([], null);

        public static JupyterSource Read(string text)
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            var cells = root.GetProperty("cells").EnumerateArray().Select(c =>
            {
                if (c.ValueKind != JsonValueKind.Object)
                {
                    return (c.GetRawText(), (string?)null, string.Empty);
                }

                var type = c.TryGetProperty("cell_type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                var id = c.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() ?? string.Empty : string.Empty;
                return (c.GetRawText(), type, id);
            }).ToImmutableArray();
            var metadata = root.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m.GetRawText() : null;
            return new JupyterSource(cells, metadata);
        }
    }

    private static bool IsValidId(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

/// <summary>A notebook that cannot be read or run, with a message that names the file (and the cell, when one failed).</summary>
public sealed class NotebookException : Exception
{
    /// <summary>Creates the exception with a message for the user.</summary>
    public NotebookException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message for the user and the underlying cause.</summary>
    public NotebookException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without a message.</summary>
    public NotebookException()
    {
    }
}
