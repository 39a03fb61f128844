using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using GistNotebooks.Survival.Claims;

namespace GistNotebooks.Survival.Reconstruction;

/// <summary>One file of a reconstruction: its name inside the output folder and its text.</summary>
/// <param name="Name">The file name, such as <c>cohort.csv</c>; never a path.</param>
/// <param name="Contents">The whole text of the file (UTF-8, lines ending in <c>\n</c>).</param>
public sealed record ReconstructionFile(string Name, string Contents);

/// <summary>
/// The files of a reconstruction, as contents for the caller to write: <c>cohort.csv</c> (the first cohort),
/// <c>cohort-0001.csv</c>… for an ensemble, <c>cohort.json</c> (provenance) and <c>ensemble.json</c> (how figures
/// vary). The library writes nothing; the command line writes each file whole or not at all.
/// </summary>
public static class ReconstructionFiles
{
    /// <summary>The name of the provenance file written beside a reconstructed cohort.</summary>
    public const string ProvenanceName = "cohort.json";

    /// <summary>
    /// Whether a cohort file was written by a reconstruction: a provenance file (<see cref="ProvenanceName"/>) lies in its
    /// folder. A cohort without one is taken as data not built to meet the claims.
    /// </summary>
    /// <param name="cohortPath">The cohort CSV.</param>
    public static bool IsReconstructed(string cohortPath)
    {
        ArgumentNullException.ThrowIfNull(cohortPath);
        var folder = Path.GetDirectoryName(Path.GetFullPath(cohortPath)) ?? ".";
        return File.Exists(Path.Combine(folder, ProvenanceName));
    }

    /// <summary>
    /// The basis of every claim for a cohort: as <see cref="CohortReconstruction.Bases"/> when the cohort was reconstructed,
    /// otherwise <see cref="ClaimBasis.Independent"/> for every claim.
    /// </summary>
    /// <param name="claims">The claims under the reading in force.</param>
    /// <param name="reconstructed">Whether the cohort was drawn by <see cref="CohortReconstruction"/>.</param>
    public static Func<string, ClaimBasis?> Bases(ClaimSet claims, bool reconstructed)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (!reconstructed)
        {
            return _ => ClaimBasis.Independent;
        }

        var bases = CohortReconstruction.Bases(claims);
        return id => bases.TryGetValue(id, out var basis) ? basis : null;
    }

    /// <summary>The files in the order they are written: cohorts, then <c>cohort.json</c>, then <c>ensemble.json</c> when there is more than one cohort.</summary>
    /// <param name="result">The reconstruction.</param>
    /// <param name="claims">The claims it was reconstructed from (for the citation and the ensemble figures).</param>
    /// <param name="includeEnsembleCohorts">Whether every cohort gets its own <c>cohort-NNNN.csv</c> besides <c>cohort.csv</c>.</param>
    public static ImmutableArray<ReconstructionFile> Contents(ReconstructionResult result, ClaimSet claims, bool includeEnsembleCohorts)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(claims);
        var files = ImmutableArray.CreateBuilder<ReconstructionFile>();
        files.Add(new ReconstructionFile("cohort.csv", result.Cohorts[0].ToCsv()));
        if (includeEnsembleCohorts)
        {
            for (var k = 0; k < result.Cohorts.Length; k++)
            {
                files.Add(new ReconstructionFile(string.Create(CultureInfo.InvariantCulture, $"cohort-{k + 1:0000}.csv"), result.Cohorts[k].ToCsv()));
            }
        }

        files.Add(new ReconstructionFile(ProvenanceName, ProvenanceJson(result, claims)));
        if (result.Cohorts.Length > 1)
        {
            files.Add(new ReconstructionFile("ensemble.json", EnsembleJson(EnsembleSummary.Summarize(claims, result.Cohorts), result.Cohorts.Length)));
        }

        return files.ToImmutable();
    }

    /// <summary>The provenance document of the first cohort, as written to <c>cohort.json</c>.</summary>
    public static string ProvenanceJson(ReconstructionResult result, ClaimSet claims)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(claims);
        var p = result.Provenance;
        var document = new
        {
            schemaVersion = OutputSchema.Version,
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
            schemaVersion = OutputSchema.Version,
            cohorts,
            figures = figures.Select(f => new { figure = f.Figure, minimum = f.Minimum, lowerQuartile = f.LowerQuartile, median = f.Median, upperQuartile = f.UpperQuartile, maximum = f.Maximum, undefined = f.Undefined }),
        };
        return JsonSerializer.Serialize(document, Indented) + "\n";
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
