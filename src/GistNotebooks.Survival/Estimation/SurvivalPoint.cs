namespace GistNotebooks.Survival.Estimation;

/// <summary>
/// The survival curve read at a requested time, as one row of R's <c>summary(fit, times = , extend = TRUE)</c>.
/// </summary>
/// <param name="Time">The requested time.</param>
/// <param name="AtRisk">The number at risk at that time (0 beyond the last follow-up time).</param>
/// <param name="Events">Events in the interval since the previous requested time (from time 0 for the first); when the requested times are not increasing, the events at the curve's last time at or before this one, as R.</param>
/// <param name="Censored">Censorings counted as <paramref name="Events"/>.</param>
/// <param name="Survival">S at the requested time (right-continuous; 1 before the first time, the last value beyond the last time).</param>
/// <param name="StandardError">Greenwood's standard error of S on the survival scale; null where S = 0.</param>
/// <param name="Lower">The lower pointwise confidence limit; null where undefined.</param>
/// <param name="Upper">The upper pointwise confidence limit; null where undefined.</param>
/// <param name="CumulativeHazard">The Nelson–Aalen cumulative hazard at the requested time.</param>
public sealed record SurvivalPoint(
    double Time,
    double AtRisk,
    double Events,
    double Censored,
    double Survival,
    double? StandardError,
    double? Lower,
    double? Upper,
    double CumulativeHazard);
