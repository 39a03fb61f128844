using System.Collections.Immutable;
using System.Text.Json;
using GistNotebooks.Notebooks.Execution;

namespace GistNotebooks.Notebooks.Reproduction;

/// <summary>A claim as a notebook reproduced it, gathered from the notebook's machine-readable claim output.</summary>
/// <param name="Id">The claim id (C01...).</param>
/// <param name="Description">The claim in words.</param>
/// <param name="Reported">The figure as the paper reported it.</param>
/// <param name="Reproduced">The figure the notebook computed.</param>
/// <param name="Status"><c>pass</c> or <c>fail</c>; <c>not reproduced</c> when no notebook checked the claim.</param>
/// <param name="Notebook">The notebook's file name; empty when no notebook checked the claim.</param>
/// <param name="CellId">The id of the cell that checked it, for a link into the report.</param>
public sealed record ClaimResult(string Id, string Description, string Reported, string Reproduced, string Status, string Notebook, string CellId)
{
    /// <summary>The mime type of a claim check's machine-readable record in a notebook's outputs.</summary>
    public const string MimeType = GistNotebooks.Reporting.ClaimRecord.MimeType;

    /// <summary>The status of a claim that no notebook checked.</summary>
    public const string NotReproduced = "not reproduced";

    /// <summary>Whether the claim was reproduced and agrees with the paper.</summary>
    public bool Passed => Status == "pass";

    /// <summary>Every claim record a notebook run produced, in the order the cells produced them.</summary>
    public static ImmutableArray<ClaimResult> FromRun(NotebookRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var results = ImmutableArray.CreateBuilder<ClaimResult>();
        foreach (var cell in run.Cells)
        {
            foreach (var output in cell.Outputs)
            {
                if (output.Data.TryGetValue(MimeType, out var json))
                {
                    results.Add(Parse(json, run.Document.FileName, cell.Cell.Id));
                }
            }
        }

        return results.ToImmutable();
    }

    private static ClaimResult Parse(string json, string notebook, string cellId)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        string Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : string.Empty;
        return new ClaimResult(Text("id"), Text("description"), Text("reported"), Text("reproduced"), Text("status"), notebook, cellId);
    }
}
