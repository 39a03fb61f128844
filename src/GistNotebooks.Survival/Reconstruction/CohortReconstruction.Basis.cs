using System.Collections.Immutable;
using GistNotebooks.Survival.Claims;

namespace GistNotebooks.Survival.Reconstruction;

/// <content>The basis of each claim: how the summary-constrained reconstruction makes it hold.</content>
public static partial class CohortReconstruction
{
    /// <summary>
    /// How this reconstruction makes a claim hold in the cohorts it draws, read from the steps it takes:
    /// <see cref="ClaimBasis.Searched"/> for every claim the death/censoring search is compiled from (survival at a time,
    /// a follow-up median and range, a Kaplan–Meier median, a number of survivors beyond a time);
    /// <see cref="ClaimBasis.Assigned"/> for the cohort size and every count or margin the assignment step sets directly;
    /// <see cref="ClaimBasis.Redrawn"/> for a claim of no significant predictor, met by rejecting assignments that break it;
    /// <see cref="ClaimBasis.Independent"/> for any other kind, which no step targets.
    /// </summary>
    /// <param name="claims">The claims (under the reading in force) the cohorts are drawn from.</param>
    /// <param name="claim">One of them.</param>
    /// <exception cref="Data.DataValidationException">The claims name no cohort size the reconstruction accepts.</exception>
    public static ClaimBasis Basis(ClaimSet claims, Claim claim)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(claim);
        return Bases(claims).TryGetValue(claim.Id, out var basis) ? basis : BasisOutsideSearch(claim);
    }

    /// <summary>The basis of every claim of a claim set, by id (see <see cref="Basis"/>).</summary>
    /// <exception cref="Data.DataValidationException">The claims name no cohort size the reconstruction accepts.</exception>
    public static ImmutableSortedDictionary<string, ClaimBasis> Bases(ClaimSet claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var searched = TimeConstraints.From(claims, ConsistentSequences.CohortSize(claims)).ClaimIds.ToHashSet(StringComparer.Ordinal);
        return claims.Claims.ToImmutableSortedDictionary(
            c => c.Id,
            c => searched.Contains(c.Id) ? ClaimBasis.Searched : BasisOutsideSearch(c),
            StringComparer.Ordinal);
    }

    private static ClaimBasis BasisOutsideSearch(Claim claim) => claim switch
    {
        _ when IsAssigned(claim) => ClaimBasis.Assigned,
        NoSignificantPredictorClaim => ClaimBasis.Redrawn,
        _ => ClaimBasis.Independent,
    };

    /// <summary>Whether the assignment step sets the claim's figure directly (the cohort size, and the columns <see cref="Assign"/> fills from a claim's counts).</summary>
    private static bool IsAssigned(Claim claim) => claim is CohortSizeClaim or CategoryCountsClaim or CountClaim;
}
