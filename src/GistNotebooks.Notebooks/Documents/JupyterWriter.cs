using System.Text;
using System.Text.Json;
using GistNotebooks.Notebooks.Execution;

namespace GistNotebooks.Notebooks.Documents;

/// <summary>
/// Writes an executed notebook as nbformat 4.5 (cell ids) with the kit's kernelspec (<c>.net-csharp-gistnb</c>, which
/// Jupyter front ends start through <c>gistnb kernel install --jupyter</c>) and the metadata VS Code's Polyglot Notebooks
/// reads: the <c>polyglot_notebook</c> kernel info and each code cell's kernel name.
/// </summary>
/// <remarks>
/// A cell read from a <c>.ipynb</c> is written back as its source had it — metadata, tags, attachments, raw and
/// markdown cells byte for byte as JSON values — with only a code cell's <c>outputs</c> and <c>execution_count</c>
/// replaced (and an <c>id</c> added where the source had none); the notebook's own metadata is kept, with the
/// Polyglot entries added where missing and the run's provenance under <c>gistnotebooks</c>.
/// </remarks>
public static class JupyterWriter
{
    private static readonly JsonWriterOptions Layout = new() { Indented = true, IndentSize = 1, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The executed notebook as Jupyter JSON.</summary>
    /// <param name="run">The run; cells after a failure are written as in the source, without outputs.</param>
    /// <param name="extraMetadata">Written under the notebook metadata key <c>gistnotebooks</c> (for example the run's provenance); may be null.</param>
    public static string ToJson(NotebookRun run, IReadOnlyDictionary<string, string>? extraMetadata = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var executed = run.Cells.ToDictionary(c => c.Cell.Number);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Layout))
        {
            json.WriteStartObject();
            json.WriteStartArray("cells");
            foreach (var cell in run.Document.Cells)
            {
                WriteCell(json, cell, executed.GetValueOrDefault(cell.Number));
            }

            json.WriteEndArray();
            WriteNotebookMetadata(json, run.Document, extraMetadata);
            json.WriteNumber("nbformat", 4);
            json.WriteNumber("nbformat_minor", 5);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteCell(Utf8JsonWriter json, NotebookCell cell, ExecutedCell? executed)
    {
        if (cell.SourceJson is { } source)
        {
            WriteSourceCell(json, cell, executed, source);
            return;
        }

        json.WriteStartObject();
        json.WriteString("cell_type", cell.Kind switch { CellKind.Markdown => "markdown", CellKind.Raw => "raw", _ => "code" });
        if (cell.Kind == CellKind.Code)
        {
            if (executed?.ExecutionCount is { } count)
            {
                json.WriteNumber("execution_count", count);
            }
            else
            {
                json.WriteNull("execution_count");
            }
        }

        json.WriteString("id", cell.Id);
        json.WriteStartObject("metadata");
        if (cell.Kind == CellKind.Code)
        {
            json.WriteStartObject("dotnet_interactive");
            json.WriteString("language", cell.KernelName);
            json.WriteEndObject();
            json.WriteStartObject("polyglot_notebook");
            json.WriteString("kernelName", cell.KernelName);
            json.WriteEndObject();
            json.WriteStartObject("vscode");
            json.WriteString("languageId", "polyglot-notebook");
            json.WriteEndObject();
        }

        json.WriteEndObject();
        if (cell.Kind == CellKind.Code)
        {
            json.WriteStartArray("outputs");
            foreach (var output in executed?.Outputs ?? [])
            {
                WriteOutput(json, output, executed!.ExecutionCount);
            }

            json.WriteEndArray();
        }

        WriteLines(json, "source", cell.Source);
        json.WriteEndObject();
    }

    private static void WriteSourceCell(Utf8JsonWriter json, NotebookCell cell, ExecutedCell? executed, string source)
    {
        using var parsed = JsonDocument.Parse(source);
        if (parsed.RootElement.ValueKind != JsonValueKind.Object)
        {
            parsed.RootElement.WriteTo(json);
            return;
        }

        var code = cell.Kind == CellKind.Code;
        var wroteOutputs = false;
        var wroteCount = false;
        json.WriteStartObject();
        foreach (var property in parsed.RootElement.EnumerateObject())
        {
            switch (property.Name)
            {
                case "outputs" when code:
                    WriteOutputs(json, executed);
                    wroteOutputs = true;
                    break;
                case "execution_count" when code:
                    WriteExecutionCount(json, executed);
                    wroteCount = true;
                    break;
                default:
                    property.WriteTo(json);
                    break;
            }
        }

        if (!parsed.RootElement.TryGetProperty("id", out _))
        {
            json.WriteString("id", cell.Id);
        }

        if (code && !wroteCount)
        {
            WriteExecutionCount(json, executed);
        }

        if (code && !wroteOutputs)
        {
            WriteOutputs(json, executed);
        }

        json.WriteEndObject();
    }

    private static void WriteExecutionCount(Utf8JsonWriter json, ExecutedCell? executed)
    {
        if (executed?.ExecutionCount is { } count)
        {
            json.WriteNumber("execution_count", count);
        }
        else
        {
            json.WriteNull("execution_count");
        }
    }

    private static void WriteOutputs(Utf8JsonWriter json, ExecutedCell? executed)
    {
        json.WriteStartArray("outputs");
        foreach (var output in executed?.Outputs ?? [])
        {
            WriteOutput(json, output, executed!.ExecutionCount);
        }

        json.WriteEndArray();
    }

    private static void WriteOutput(Utf8JsonWriter json, CellOutput output, int? executionCount)
    {
        json.WriteStartObject();
        switch (output.Kind)
        {
            case OutputKind.Stream:
                json.WriteString("name", output.Name);
                json.WriteString("output_type", "stream");
                WriteLines(json, "text", output.Text);
                break;
            case OutputKind.Error:
                json.WriteString("ename", output.Name);
                json.WriteString("evalue", output.Text);
                json.WriteString("output_type", "error");
                json.WriteStartArray("traceback");
                json.WriteEndArray();
                break;
            default:
                json.WriteStartObject("data");
                foreach (var (mime, value) in output.Data.OrderBy(p => MimeOrder(p.Key)).ThenBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (mime.EndsWith("json", StringComparison.Ordinal) && TryParse(value) is { } parsed)
                    {
                        json.WritePropertyName(mime);
                        parsed.RootElement.WriteTo(json);
                        parsed.Dispose();
                    }
                    else
                    {
                        WriteLines(json, mime, value);
                    }
                }

                json.WriteEndObject();
                if (output.Kind == OutputKind.Result)
                {
                    json.WriteNumber("execution_count", executionCount ?? 0);
                }

                json.WriteStartObject("metadata");
                json.WriteEndObject();
                json.WriteString("output_type", output.Kind == OutputKind.Result ? "execute_result" : "display_data");
                break;
        }

        json.WriteEndObject();
    }

    private static int MimeOrder(string mime) => mime switch { "text/html" => 0, "text/plain" => 1, _ => 2 };

    private static JsonDocument? TryParse(string value)
    {
        try
        {
            return JsonDocument.Parse(value);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Jupyter stores multi-line text as an array of lines that keep their line ends.</summary>
    private static void WriteLines(Utf8JsonWriter json, string name, string text)
    {
        json.WriteStartArray(name);
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            var line = end < 0 ? text[start..] : text[start..(end + 1)];
            json.WriteStringValue(line);
            start += line.Length;
        }

        json.WriteEndArray();
    }

    private static void WriteNotebookMetadata(Utf8JsonWriter json, NotebookDocument document, IReadOnlyDictionary<string, string>? extra)
    {
        json.WriteStartObject("metadata");
        var kept = new HashSet<string>(StringComparer.Ordinal);
        if (document.SourceMetadataJson is { } source)
        {
            using var parsed = JsonDocument.Parse(source);
            foreach (var property in parsed.RootElement.EnumerateObject())
            {
                if (property.Name != "gistnotebooks" || extra is not { Count: > 0 })
                {
                    property.WriteTo(json);
                    kept.Add(property.Name);
                }
            }
        }

        WritePolyglotMetadata(json, document, kept);
        if (extra is { Count: > 0 })
        {
            json.WriteStartObject("gistnotebooks");
            foreach (var (key, value) in extra)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WritePolyglotMetadata(Utf8JsonWriter json, NotebookDocument document, HashSet<string> kept)
    {
        if (!kept.Contains("kernelspec"))
        {
            json.WriteStartObject("kernelspec");
            json.WriteString("display_name", Kernel.Jupyter.JupyterKernelSpec.DefaultDisplayName);
            json.WriteString("language", Kernel.Jupyter.JupyterKernelSpec.Language);
            json.WriteString("name", Kernel.Jupyter.JupyterKernelSpec.DefaultName);
            json.WriteEndObject();
        }

        if (!kept.Contains("language_info"))
        {
            json.WriteStartObject("language_info");
            json.WriteString("name", "polyglot-notebook");
            json.WriteEndObject();
        }

        if (kept.Contains("polyglot_notebook"))
        {
            return;
        }

        json.WriteStartObject("polyglot_notebook");
        json.WriteStartObject("kernelInfo");
        json.WriteString("defaultKernelName", "csharp");
        json.WriteStartArray("items");
        var kernels = document.Cells.Where(c => c.Kind == CellKind.Code).Select(c => c.KernelName).Prepend("csharp").Distinct(StringComparer.Ordinal);
        foreach (var kernel in kernels)
        {
            json.WriteStartObject();
            json.WriteStartArray("aliases");
            json.WriteEndArray();
            if (kernel == "csharp")
            {
                json.WriteString("languageName", "C#");
            }

            json.WriteString("name", kernel);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
