namespace GistNotebooks.Survival.Estimation;

/// <summary>Settings for <see cref="KaplanMeier"/>; the defaults are R's <c>survfit</c> defaults.</summary>
public sealed record KaplanMeierOptions
{
    /// <summary>The default settings: log-scale intervals at the 95% level.</summary>
    public static KaplanMeierOptions Default { get; } = new();

    /// <summary>The scale of the pointwise confidence intervals. Default <see cref="ConfidenceIntervalType.Log"/>, as R.</summary>
    public ConfidenceIntervalType ConfidenceType { get; init; } = ConfidenceIntervalType.Log;

    /// <summary>The confidence level of every interval, strictly between 0 and 1. Default 0.95.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>
    /// Whether near-equal times are merged first, as R's <c>survfit(timefix = TRUE)</c> (<see cref="Data.TimeFix"/>).
    /// Default true, as R.
    /// </summary>
    public bool TimeFix { get; init; } = true;

    /// <summary>
    /// The variance of the curve and of the Nelson–Aalen hazard. Default <see cref="KaplanMeierVariance.Automatic"/>:
    /// Greenwood's, or the infinitesimal jackknife when any case weight is not a whole number, as R's <c>survfit</c>.
    /// </summary>
    public KaplanMeierVariance Variance { get; init; } = KaplanMeierVariance.Automatic;

    internal void Validate()
    {
        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), ConfidenceLevel, "The confidence level must be strictly between 0 and 1.");
        }

        if (!Enum.IsDefined(ConfidenceType))
        {
            throw new ArgumentOutOfRangeException(nameof(ConfidenceType), ConfidenceType, "Unknown confidence interval type.");
        }

        if (!Enum.IsDefined(Variance))
        {
            throw new ArgumentOutOfRangeException(nameof(Variance), Variance, "Unknown variance method.");
        }
    }
}

/// <summary>The variance estimator of a Kaplan–Meier curve (and of the Nelson–Aalen hazard read with it).</summary>
public enum KaplanMeierVariance
{
    /// <summary>As R's <c>survfit</c>: <see cref="InfinitesimalJackknife"/> when any case weight is not a whole number, otherwise <see cref="Greenwood"/>.</summary>
    Automatic,

    /// <summary>Greenwood's formula with weighted counts, Σ d/(n(n − d)) for log S and Σ d/n² for Λ.</summary>
    Greenwood,

    /// <summary>The infinitesimal-jackknife (robust) variance Σ_i (w_i·∂/∂w_i)², R's <c>survfit(robust = TRUE)</c>.</summary>
    InfinitesimalJackknife,
}
