using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Reconstruction;

namespace GistNotebooks.Reporting;

/// <summary>
/// A paper's claims and a cohort, loaded once in a notebook so that each claim is checked in one line:
/// <c>claims.Check("C06", 100 * curve.SurvivalAtTime(36))</c> for a figure the notebook computed, or
/// <c>claims.Check("C02")</c> for a claim checked against the cohort by <see cref="ConsistencyCheck"/>.
/// </summary>
public sealed class NotebookClaims
{
    private readonly Func<string, ClaimBasis?> basis;

    private NotebookClaims(ClaimSet claims, ColumnTable? cohort, Func<string, ClaimBasis?> basis)
    {
        Claims = claims;
        Cohort = cohort;
        this.basis = basis;
    }

    /// <summary>The claims.</summary>
    public ClaimSet Claims { get; }

    /// <summary>The cohort table, or null when none was loaded.</summary>
    public ColumnTable? Cohort { get; }

    /// <summary>
    /// Reads a claims file and, optionally, a cohort file (paths relative to the current directory). Every check then
    /// carries its <see cref="ClaimCheck.Basis"/>: how the reconstruction made the claim hold when the cohort has a
    /// provenance file beside it (<see cref="ReconstructionFiles.IsReconstructed"/>), otherwise independent.
    /// </summary>
    /// <exception cref="DataValidationException">A file is missing or invalid; the message names the file.</exception>
    public static NotebookClaims Load(string claimsPath, string? cohortPath = null)
    {
        ArgumentNullException.ThrowIfNull(claimsPath);
        var claims = ClaimSet.Load(claimsPath);
        return cohortPath is null
            ? new NotebookClaims(claims, null, _ => null)
            : new NotebookClaims(claims, ColumnTable.ReadCsv(cohortPath), ReconstructionFiles.Bases(claims, ReconstructionFiles.IsReconstructed(cohortPath)));
    }

    /// <summary>
    /// Compares a figure the notebook computed with a claim of a single printed value, through
    /// <see cref="ConsistencyCheck.CheckValue"/> (63.7% passes for any value in [63.65, 63.75)).
    /// </summary>
    /// <param name="id">The claim id, e.g. C06.</param>
    /// <param name="value">The figure in the claim's unit (percent for survival).</param>
    /// <exception cref="KeyNotFoundException">No claim has that id.</exception>
    /// <exception cref="ArgumentException">The claim is not a single printed value.</exception>
    public ClaimCheck Check(string id, double value) => ConsistencyCheck.CheckValue(Claims[id], value) with { Basis = basis(id) };

    /// <summary>Checks a claim against the cohort, through the same rules as <see cref="ConsistencyCheck.Check(ClaimSet, ColumnTable)"/>.</summary>
    /// <exception cref="InvalidOperationException">No cohort was loaded.</exception>
    /// <exception cref="KeyNotFoundException">No claim has that id.</exception>
    public ClaimCheck Check(string id) => ConsistencyCheck.Check(Claims, RequireCohort(), id) with { Basis = basis(id) };

    /// <summary>Checks every claim against the cohort.</summary>
    /// <exception cref="InvalidOperationException">No cohort was loaded.</exception>
    public ConsistencyReport CheckAll() => ConsistencyCheck.Check(Claims, RequireCohort()).WithBases(basis);

    private ColumnTable RequireCohort() =>
        Cohort ?? throw new InvalidOperationException("No cohort was loaded; pass the cohort file to NotebookClaims.Load to check claims against it.");
}
