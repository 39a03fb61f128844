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
    }
}
