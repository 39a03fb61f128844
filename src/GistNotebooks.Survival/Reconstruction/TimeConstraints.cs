using System.Collections.Immutable;
using GistNotebooks.Survival.Claims;

namespace GistNotebooks.Survival.Reconstruction;

/// <summary>
/// What a claims file says about the order and the times of deaths and censorings: the number of
/// subjects, survival at given times, a Kaplan–Meier median, the follow-up median and range, and the
/// number followed beyond a time. Built from the claims that constrain times; the others do not enter.
/// </summary>
internal sealed record TimeConstraints(
    int Count,
    ImmutableArray<SurvivalAtClaim> SurvivalAt,
    ImmutableArray<MedianSurvivalClaim> MedianSurvival,
    FollowUpClaim? FollowUp,
    ImmutableArray<SurvivorsBeyondClaim> SurvivorsBeyond)
{
    /// <summary>The ids of every claim that enters, in file order.</summary>
    public ImmutableArray<string> ClaimIds { get; } =
        [.. SurvivalAt.Select(c => c.Id).Concat(MedianSurvival.Select(c => c.Id)).Concat(FollowUp is null ? [] : [FollowUp.Id]).Concat(SurvivorsBeyond.Select(c => c.Id)).Order(StringComparer.Ordinal)];

    /// <summary>The distinct times at which the enumeration records how many subjects have been passed, ascending.</summary>
    public ImmutableArray<double> CutTimes { get; } =
        [.. SurvivalAt.Select(c => c.Time).Concat(MedianSurvival.Select(c => c.Median.Value)).Concat(SurvivorsBeyond.Select(c => c.Time)).Distinct().Order()];

    /// <summary>Collects the time constraints of a claim set, keeping only the claims whose ids are in <paramref name="include"/> (all when null).</summary>
    public static TimeConstraints From(ClaimSet claims, int count, IReadOnlySet<string>? include = null)
    {
        bool Keep(Claim c) => include is null || include.Contains(c.Id);
        return new TimeConstraints(
            count,
            [.. claims.Claims.OfType<SurvivalAtClaim>().Where(Keep)],
            [.. claims.Claims.OfType<MedianSurvivalClaim>().Where(Keep)],
            claims.Claims.OfType<FollowUpClaim>().Where(Keep).FirstOrDefault(),
            [.. claims.Claims.OfType<SurvivorsBeyondClaim>().Where(Keep)]);
    }
}
