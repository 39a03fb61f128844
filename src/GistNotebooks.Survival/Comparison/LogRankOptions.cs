namespace GistNotebooks.Survival.Comparison;

/// <summary>
/// Settings of <see cref="LogRank.Test(Data.SurvivalData, LogRankOptions?)"/> and
/// <see cref="LogRank.TrendTest(Data.SurvivalData, IReadOnlyList{double}?, LogRankOptions?)"/>.
/// </summary>
public sealed record LogRankOptions
{
    /// <summary>
    /// The exponent ρ of the Fleming–Harrington G(ρ) weight Ŝ(t−)^ρ, where Ŝ is the Kaplan–Meier estimate of
    /// the pooled groups (within each stratum), as R's <c>survdiff(rho =)</c>. Default 0: the log-rank test
    /// (Mantel 1966); 1 gives the Peto &amp; Peto (1972) modification of the Gehan–Wilcoxon test.
    /// </summary>
    /// <remarks>Must be finite (checked when a test runs); as in survdiff, a negative ρ is allowed and up-weights late differences.</remarks>
    public double Rho { get; init; }

    /// <summary>Whether near-equal times are merged first, as R's <c>survdiff(timefix = TRUE)</c> (<see cref="Data.TimeFix"/>). Default true, as R.</summary>
    public bool TimeFix { get; init; } = true;

    /// <summary>The default settings: ρ = 0, the log-rank test.</summary>
    public static LogRankOptions Default { get; } = new();
}
