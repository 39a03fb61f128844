using System.Collections.Immutable;
using System.Text.Json;
using GistNotebooks.Notebooks.Documents;
using GistNotebooks.Notebooks.Execution;
using GistNotebooks.Reporting;

namespace GistNotebooks.Notebooks.Reproduction;

/// <summary>
/// Gathers the claim records a notebook displayed from its run: one per <see cref="ClaimRecord.MimeType"/> output (a
/// single check) and every record of a <see cref="ClaimRecord.ListMimeType"/> output (a consistency report).
/// </summary>
public static class ClaimCollector
{
    /// <summary>Every claim record a notebook run produced, in the order the cells produced them, each placed in its notebook and cell.</summary>
    /// <exception cref="NotebookException">An output of the claim record's mime type is not a valid record; the message names the notebook and cell.</exception>
    public static ImmutableArray<ClaimRecord> FromRun(NotebookRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var records = ImmutableArray.CreateBuilder<ClaimRecord>();
        foreach (var cell in run.Cells)
        {
            foreach (var output in cell.Outputs)
            {
                var one = output.Data.TryGetValue(ClaimRecord.MimeType, out var json);
                if (!one && !output.Data.TryGetValue(ClaimRecord.ListMimeType, out json))
                {
                    continue;
                }

                try
                {
                    var parsed = one ? [ClaimRecord.Parse(json!)] : ClaimRecord.ParseArray(json!);
                    records.AddRange(parsed.Select(r => r with { Notebook = run.Document.FileName, CellId = cell.Cell.Id }));
                }
                catch (JsonException e)
                {
                    throw new NotebookException($"{run.Document.FileName}, cell {cell.Cell.Number}: the claim record is not valid ({e.Message}).", e);
                }
            }
        }

        return records.ToImmutable();
    }
}
