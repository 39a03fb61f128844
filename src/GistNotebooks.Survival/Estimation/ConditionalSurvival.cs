namespace GistNotebooks.Survival.Estimation;

/// <summary>
/// Conditional survival read off a Kaplan–Meier curve: the probability of surviving a further time s for a subject
/// who has already survived to time t, CS(s | t) = S(t + s) / S(t) (Zabor et al., Cancer 2013;119:3589–92).
/// </summary>
public static class ConditionalSurvival
{
    /// <summary>
    /// The conditional survival S(t + s) / S(t) with a Greenwood standard error and pointwise limits on the curve's
    /// confidence scale and level.
    /// </summary>
    /// <remarks>
    /// Only the steps after t enter: se(log CS) = √Σ_{t &lt; tⱼ ≤ t + s} dⱼ/(nⱼ(nⱼ − dⱼ)), the difference of Greenwood's
    /// sums at t + s and at t. The limits are built from it exactly as the curve's own limits (log: capped at 1;
    /// log-log: undefined at CS = 1; plain: clipped to [0, 1]); given t = 0 the result equals the curve read at s.
    /// The curve is read as <see cref="KaplanMeierCurve.SurvivalAtTime"/> does, so beyond its last time the last value
    /// is carried forward, which is an extrapolation when the last time is censored. The estimate is null when
    /// S(t) = 0; the standard error and limits are null where they are undefined (CS = 0, or CS = 1 for log-log).
    /// </remarks>
    /// <param name="curve">The Kaplan–Meier curve.</param>
    /// <param name="given">The time t already survived, finite and not negative.</param>
    /// <param name="additional">The further time s, finite and not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">A time is negative or not finite.</exception>
    public static ConditionalSurvivalResult Estimate(KaplanMeierCurve curve, double given, double additional)
        => Estimate(curve, given, additional, ConditionalSurvivalConvention.SurvivedBeyond);

    /// <summary>
    /// The conditional survival under a named convention for a subject seen at time t: <see cref="ConditionalSurvivalConvention.SurvivedBeyond"/>
    /// (the default of <see cref="Estimate(KaplanMeierCurve, double, double)"/>) conditions on T &gt; t, S(t + s)/S(t);
    /// <see cref="ConditionalSurvivalConvention.AtRiskAt"/> on T ≥ t, S(t + s)/S(t−), which is R's <c>survfit(start.time = t)</c>
    /// read at t + s. The two differ only when t is an event time: the deaths at t then count against the second.
    /// </summary>
    /// <param name="curve">The Kaplan–Meier curve.</param>
    /// <param name="given">The time t, finite and not negative.</param>
    /// <param name="additional">The further time s, finite and not negative.</param>
    /// <param name="convention">Whether the subject is known to have survived beyond t or only to be at risk at t.</param>
    /// <exception cref="ArgumentOutOfRangeException">A time is negative or not finite, or the convention is unknown.</exception>
    public static ConditionalSurvivalResult Estimate(KaplanMeierCurve curve, double given, double additional, ConditionalSurvivalConvention convention)
    {
        if (!Enum.IsDefined(convention))
        {
            throw new ArgumentOutOfRangeException(nameof(convention), convention, "Unknown conditional-survival convention.");
        }

        ArgumentNullException.ThrowIfNull(curve);
        if (!double.IsFinite(given) || given < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(given), given, "The time already survived must be finite and not negative.");
        }

        if (!double.IsFinite(additional) || additional < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(additional), additional, "The further time must be finite and not negative.");
        }

        var (survivalGiven, sumGiven) = Read(curve, given, strictlyBefore: convention == ConditionalSurvivalConvention.AtRiskAt);
        if (survivalGiven == 0)
        {
            return new ConditionalSurvivalResult(given, additional, null, null, null, null);
        }

        var (survivalEnd, sumEnd) = Read(curve, given + additional, strictlyBefore: false);
        var estimate = survivalEnd / survivalGiven;
        if (estimate == 0)
        {
            return new ConditionalSurvivalResult(given, additional, 0.0, null, null, null);
        }

        // Both sums are running totals of the same terms, so rounding can leave a tiny negative difference.
        var standardErrorLog = Math.Sqrt(Math.Max(sumEnd - sumGiven, 0.0));
        var z = ConfidenceLimits.CriticalValue(curve.ConfidenceLevel);
        var (lower, upper) = ConfidenceLimits.Compute(estimate, standardErrorLog, z, curve.ConfidenceType);
        return new ConditionalSurvivalResult(given, additional, estimate, estimate * standardErrorLog, Defined(lower), Defined(upper));
    }

    /// <summary>S and Greenwood's sum Σ d/(n(n − d)) of the row in force at t, or just before t when <paramref name="strictlyBefore"/> (1 and 0 before the first time).</summary>
    private static (double Survival, double GreenwoodSum) Read(KaplanMeierCurve curve, double t, bool strictlyBefore)
    {
        var table = curve.Table;
        int low = 0, high = table.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (table[middle].Time < t || (!strictlyBefore && table[middle].Time == t))
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        if (low == 0)
        {
            return (1.0, 0.0);
        }

        var row = table[low - 1];
        return row.StandardErrorCumulativeHazard is double se ? (row.Survival, se * se) : (row.Survival, double.PositiveInfinity);
    }

    private static double? Defined(double value) => double.IsFinite(value) ? value : null;
}

/// <summary>The conditional survival S(t + s) / S(t) with its standard error and pointwise confidence limits.</summary>
/// <param name="Given">The time t already survived.</param>
/// <param name="Additional">The further time s.</param>
/// <param name="Estimate">S(t + s) / S(t); null when S(t) = 0 (no subject survives to t).</param>
/// <param name="StandardError">The standard error on the probability scale, CS · se(log CS); null where CS is 0 or undefined.</param>
/// <param name="Lower">The lower confidence limit on the curve's scale; null where undefined.</param>
/// <param name="Upper">The upper confidence limit on the curve's scale; null where undefined.</param>
public sealed record ConditionalSurvivalResult(double Given, double Additional, double? Estimate, double? StandardError, double? Lower, double? Upper);

/// <summary>What is known of a subject at the time t on which a conditional survival is conditioned.</summary>
public enum ConditionalSurvivalConvention
{
    /// <summary>The subject survived beyond t (T &gt; t): CS = S(t + s)/S(t). The default of this library.</summary>
    SurvivedBeyond,

    /// <summary>The subject is alive and at risk at t (T ≥ t), so a death at t still counts: CS = S(t + s)/S(t−), as R's <c>survfit(start.time = t)</c>.</summary>
    AtRiskAt,
}
