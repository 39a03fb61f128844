namespace GistNotebooks.Survival.Estimation;

/// <summary>
/// A quantile of the survival time: the time by which a fraction <see cref="Probability"/> of subjects
/// have had the event, with the confidence limits read off the curves of the pointwise limits
/// (Brookmeyer &amp; Crowley 1982).
/// </summary>
/// <param name="Probability">The probability p; the quantile is where S(t) falls to 1 − p.</param>
/// <param name="Estimate">The estimate; null when the curve never falls to 1 − p.</param>
/// <param name="Lower">The lower confidence limit (from the lower pointwise limit curve); null when not reached.</param>
/// <param name="Upper">The upper confidence limit (from the upper pointwise limit curve); null when not reached.</param>
public sealed record SurvivalQuantile(double Probability, double? Estimate, double? Lower, double? Upper);
