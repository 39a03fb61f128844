namespace GistNotebooks.Survival.Regression;

/// <summary>How tied event times enter the Cox partial likelihood.</summary>
public enum TieMethod
{
    /// <summary>Efron's (1977) approximation: the k-th of d tied deaths sees the risk set with k/d of each tied death removed. R's default.</summary>
    Efron,

    /// <summary>Breslow's (1974) approximation: every tied death sees the full risk set.</summary>
    Breslow,
}

/// <summary>Settings of a Cox regression; the defaults are those of R's <c>coxph</c> (survival 3.5-3).</summary>
public sealed record CoxOptions
{
    /// <summary>The handling of tied event times; default <see cref="TieMethod.Efron"/>, as R.</summary>
    public TieMethod Ties { get; init; } = TieMethod.Efron;

    /// <summary>The maximum number of Newton–Raphson iterations; default 20 (R's <c>iter.max</c>).</summary>
    public int MaxIterations { get; init; } = 20;

    /// <summary>Convergence when |1 − ℓ_old/ℓ_new| ≤ tolerance for the log partial likelihood ℓ; default 1e-9 (R's <c>eps</c>).</summary>
    public double Tolerance { get; init; } = 1e-9;

    /// <summary>The confidence level of the hazard-ratio intervals; default 0.95.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>Whether to maximise Firth's penalised likelihood ℓ(β) + ½·log det I(β) (Heinze &amp; Schemper 2001) instead of ℓ(β); default false.</summary>
    public bool Firth { get; init; }
}
