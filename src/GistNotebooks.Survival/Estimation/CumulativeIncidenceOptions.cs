namespace GistNotebooks.Survival.Estimation;

/// <summary>Settings for <see cref="CumulativeIncidence"/>; the default is <c>cmprsk::cuminc</c> on unweighted data.</summary>
public sealed record CumulativeIncidenceOptions
{
    /// <summary>The default settings: no case weights, cmprsk's estimate and variance.</summary>
    public static CumulativeIncidenceOptions Default { get; } = new();

    /// <summary>
    /// Case weights, one per subject in the order of the data, finite and zero or more; null for none (the default).
    /// With weights the estimate is the weighted Aalen–Johansen estimate of R's multi-state
    /// <c>survfit(Surv(time, factor(status)) ~ group, weights = w)</c>, and the variance is that function's
    /// infinitesimal-jackknife variance (the square of its <c>std.err</c>) instead of cmprsk's. A row of weight zero
    /// keeps its follow-up time on the curve but moves nothing, as in R.
    /// </summary>
    public IReadOnlyList<double>? Weights { get; init; }
}
