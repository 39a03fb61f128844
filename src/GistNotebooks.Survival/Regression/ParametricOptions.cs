namespace GistNotebooks.Survival.Regression;

/// <summary>Settings of a parametric survival regression; the defaults are those of R's <c>survreg</c> and <c>survreg.control</c> (survival 3.5-3).</summary>
public sealed record ParametricOptions
{
    /// <summary>The distribution; default <see cref="ParametricDistribution.Weibull"/>, as R.</summary>
    public ParametricDistribution Distribution { get; init; } = ParametricDistribution.Weibull;

    /// <summary>
    /// A fixed scale σ instead of an estimated one (R's <c>scale</c> argument; null, the default, estimates it).
    /// Ignored, with a warning, for <see cref="ParametricDistribution.Exponential"/>, whose scale is always 1.
    /// </summary>
    public double? Scale { get; init; }

    /// <summary>The maximum number of Newton–Raphson iterations of the full model; default 30 (R's <c>iter.max</c>). The intercept-only fit that supplies starting values always allows 20, as R.</summary>
    public int MaxIterations { get; init; } = 30;

    /// <summary>Convergence when the relative (or absolute) change in the log-likelihood is at most this; default 1e-9 (R's <c>rel.tolerance</c>).</summary>
    public double Tolerance { get; init; } = 1e-9;

    /// <summary>Pivots of the information matrix below this are treated as zero; default 1e-10 (R's <c>toler.chol</c>).</summary>
    public double CholeskyTolerance { get; init; } = 1e-10;

    /// <summary>The confidence level of intervals (coefficients, predictions); default 0.95.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;
}
