using System.Collections.Immutable;

namespace GistNotebooks.Survival.Claims;

/// <summary>
/// The counts out of a denominator whose percentage rounds to a printed one, as GRIM does for means (Brown and
/// Heathers 2017): k of n is consistent with a printed p% exactly when 100·k/n rounds to p at p's printed decimals.
/// </summary>
public static class PercentCounts
{
    /// <summary>Every k in 0..n with 100·k/n in the printed value's interval, ascending; empty when none is.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The denominator is below 1.</exception>
    public static ImmutableArray<int> Matching(ReportedValue percent, int denominator)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(denominator, 1);
        return [.. Enumerable.Range(0, denominator + 1).Where(k => percent.Admits(100.0 * k / denominator))];
    }
}
