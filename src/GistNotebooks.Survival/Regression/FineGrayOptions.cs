namespace GistNotebooks.Survival.Regression;

/// <summary>Settings of a Fine–Gray regression; the defaults are those of <c>cmprsk::crr</c> (cmprsk 2.2-11).</summary>
public sealed record FineGrayOptions
{
    /// <summary>The cause whose subdistribution hazard is modelled (crr's <c>failcode</c>); default 1. Other non-zero codes are competing events, 0 is censored.</summary>
    public int FailureCode { get; init; } = 1;

    /// <summary>The maximum number of Newton–Raphson iterations; default 10 (crr's <c>maxiter</c>).</summary>
    public int MaxIterations { get; init; } = 10;

    /// <summary>
    /// Convergence when maxⱼ |Uⱼ|·max(|βⱼ|, 1) &lt; max(|ℓ|, 1)·tolerance, U the score and ℓ the log
    /// pseudo-likelihood; default 1e-6 (crr's <c>gtol</c>).
    /// </summary>
    public double GradientTolerance { get; init; } = 1e-6;

    /// <summary>The confidence level of the subdistribution hazard ratio intervals; default 0.95.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;
}
