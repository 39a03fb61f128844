using System.Collections.Immutable;

namespace GistNotebooks.Survival.Comparison;

/// <summary>
/// The result of a (weighted, possibly stratified) log-rank comparison of k groups, as R's <c>survdiff</c>.
/// </summary>
/// <param name="Statistic">The chi-square statistic (O − E)ᵀ V⁻ (O − E) over the informative groups less the first, with V⁻ a generalised inverse.</param>
/// <param name="DegreesOfFreedom">The rank of that reduced variance matrix: k − 1 unless a group has no expected events (survdiff drops it) or the matrix is singular.</param>
/// <param name="P">The upper tail P(χ²(df) ≥ Statistic), as <c>pchisq(chisq, df, lower.tail = FALSE)</c>.</param>
/// <param name="Rho">The Fleming–Harrington exponent ρ that weighted the test (0 for the log-rank test).</param>
/// <param name="Groups">Per group, in <see cref="Data.SurvivalData.GroupLevels"/> order: size, (weighted) observed and expected events.</param>
/// <param name="Variance">The k × k variance matrix of O − E (rows in group order), summed over strata, as survdiff's <c>var</c>.</param>
/// <param name="StrataCount">The number of strata the test was computed within (1 when the data have no strata).</param>
public sealed record LogRankResult(
    double Statistic,
    int DegreesOfFreedom,
    double P,
    double Rho,
    ImmutableArray<LogRankGroup> Groups,
    ImmutableArray<ImmutableArray<double>> Variance,
    int StrataCount)
{
    /// <summary>O − E per group, in group order (summed over strata).</summary>
    public ImmutableArray<double> ObservedMinusExpected => [.. Groups.Select(g => g.ObservedMinusExpected)];
}

/// <summary>One group's line of a log-rank table.</summary>
/// <param name="Group">The group label, a level of <see cref="Data.SurvivalData.GroupLevels"/>.</param>
/// <param name="N">The number of rows in the group (not weighted), as survdiff's <c>n</c>.</param>
/// <param name="Observed">Observed events Σ w(t)·d_g(t); with ρ &gt; 0 the sum is weighted by Ŝ(t−)^ρ, as survdiff returns it.</param>
/// <param name="Expected">Expected events under the null hypothesis Σ w(t)·d(t)·n_g(t)/n(t).</param>
public sealed record LogRankGroup(string Group, int N, double Observed, double Expected)
{
    /// <summary>Observed − Expected: positive when the group has more events than under equal hazards.</summary>
    public double ObservedMinusExpected => Observed - Expected;
}

/// <summary>
/// The result of a log-rank test for trend across ordered groups: (Σ s_g (O_g − E_g))² / (sᵀ V s) on 1 degree of freedom.
/// </summary>
/// <param name="Statistic">The chi-square statistic U² / (sᵀ V s).</param>
/// <param name="P">The upper tail P(χ²(1) ≥ Statistic).</param>
/// <param name="Score">U = Σ s_g (O_g − E_g); positive when groups with higher scores have more events than expected.</param>
/// <param name="ScoreVariance">sᵀ V s, the variance of U under the null hypothesis.</param>
/// <param name="Scores">The scores s_g, in group order.</param>
/// <param name="Comparison">The k-group test the trend test was built from (its O, E and V).</param>
public sealed record LogRankTrendResult(
    double Statistic,
    double P,
    double Score,
    double ScoreVariance,
    ImmutableArray<double> Scores,
    LogRankResult Comparison)
{
    /// <summary>Always 1: the trend test has one degree of freedom.</summary>
    public int DegreesOfFreedom { get; } = 1;
}
