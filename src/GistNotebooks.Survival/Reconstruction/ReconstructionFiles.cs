using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GistNotebooks.Survival.Claims;

namespace GistNotebooks.Survival.Reconstruction;

/// <summary>
/// Writes a reconstruction to a folder: <c>cohort.csv</c> (the first cohort), <c>cohort-0001.csv</c>… for
/// an ensemble, <c>cohort.json</c> (provenance) and <c>ensemble.json</c> (how figures vary). Each file is
/// written to a temporary name and then renamed, so an interrupted run leaves no half-written file.
/// </summary>
public static class ReconstructionFiles
{
    /// <summary>Writes the files; returns the paths written.</summary>
    public static IReadOnlyList<string> Write(ReconstructionResult result, ClaimSet claims, string directory, bool writeEnsembleCohorts)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(claims);
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        void Save(string name, string text)
        {
            var path = Path.Combine(directory, name);
            Data.AtomicFile.WriteAllText(path, text);
            written.Add(path);
        }

        Save("cohort.csv", result.Cohorts[0].ToCsv());
        if (writeEnsembleCohorts)
        {
            for (var k = 0; k < result.Cohorts.Length; k++)
            {
                Save(string.Create(CultureInfo.InvariantCulture, $"cohort-{k + 1:0000}.csv"), result.Cohorts[k].ToCsv());
            }
        }

        Save("cohort.json", ProvenanceJson(result, claims));
        if (result.Cohorts.Length > 1)
        {
            Save("ensemble.json", EnsembleJson(EnsembleSummary.Summarize(claims, result.Cohorts), result.Cohorts.Length));
        }

        return written;
    }

    /// <summary>The provenance document of the first cohort, as written to <c>cohort.json</c>.</summary>
    public static string ProvenanceJson(ReconstructionResult result, ClaimSet claims)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(claims);
        var p = result.Provenance;
        var document = new
        {
            study = p.Study,
            citation = claims.Citation,
            notice = p.Notice,
            seed = p.Seed,
            libraryVersion = p.LibraryVersion,
            claimsSha256 = p.ClaimsSha256,
            reading = p.Reading,
            consistentOrders = p.ConsistentOrders,
            consistentOrdersExact = p.ConsistentOrdersExact,
            sampling = p.Sampling,
            constrainingClaims = result.Sequences.ClaimIds,
            timeGrid = p.TimeGrid,
            cohorts = result.Cohorts.Length,
            constrainedColumns = p.ConstrainedColumns.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key, c => c.Value),
            unconstrained = p.Unconstrained,
        };
        return JsonSerializer.Serialize(document, Indented) + "\n";
    }

    private static string EnsembleJson(ImmutableArray<EnsembleFigure> figures, int cohorts)
    {
        var document = new
        {
            cohorts,
            figures = figures.Select(f => new { figure = f.Figure, minimum = f.Minimum, lowerQuartile = f.LowerQuartile, median = f.Median, upperQuartile = f.UpperQuartile, maximum = f.Maximum, undefined = f.Undefined }),
        };
        return JsonSerializer.Serialize(document, Indented) + "\n";
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
