namespace GistNotebooks.Survival.Estimation;

/// <summary>
/// One distinct time of a Kaplan–Meier curve (censored-only times included, as R's <c>survfit</c>);
/// counts are weighted when the data carry case weights.
/// </summary>
/// <param name="Time">The distinct follow-up time t.</param>
/// <param name="AtRisk">The number at risk just before t, n(t).</param>
/// <param name="Events">The number of events at t, d(t).</param>
/// <param name="Censored">The number censored at t.</param>
/// <param name="Survival">The Kaplan–Meier estimate S(t) = ∏_{s ≤ t} (1 − d(s)/n(s)).</param>
/// <param name="StandardError">Greenwood's standard error of S(t) on the survival scale, S(t)·√Σ d/(n(n − d)) (as R's <c>summary()</c>); null where undefined (S = 0).</param>
/// <param name="Lower">The lower pointwise confidence limit; null where undefined (S = 0, or S = 1 for log-log).</param>
/// <param name="Upper">The upper pointwise confidence limit; null where undefined (S = 0, or S = 1 for log-log).</param>
/// <param name="CumulativeHazard">The Nelson–Aalen cumulative hazard Σ_{s ≤ t} d(s)/n(s) (R's <c>cumhaz</c>).</param>
/// <param name="StandardErrorCumulativeHazard">Greenwood's standard error of −log S(t), √Σ d/(n(n − d)) (R's internal <c>std.err</c> of a <c>survfit</c>); null where undefined (S = 0).</param>
public readonly record struct KaplanMeierRow(
    double Time,
    double AtRisk,
    double Events,
    double Censored,
    double Survival,
    double? StandardError,
    double? Lower,
    double? Upper,
    double CumulativeHazard,
    double? StandardErrorCumulativeHazard);
