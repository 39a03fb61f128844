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

    /// <summary>
    /// Whether a Firth fit also profiles the penalised likelihood for each coefficient's limits and p value (default
    /// true). Only the kit's ensembles, which read the estimates alone from hundreds of fits, turn it off: profiling is
    /// most of a Firth fit's work. Without it the limits are null and the p values NaN.
    /// </summary>
    internal bool FirthProfile { get; init; } = true;

    /// <summary>Whether near-equal times are merged first, as <c>coxph.control(timefix = TRUE)</c> (<see cref="Data.TimeFix"/>); the concordance then sees the merged times too. Default true, as R.</summary>
    public bool TimeFix { get; init; } = true;

    /// <summary>
    /// The variance reported in <see cref="CoxModel.Variance"/> and used by the standard errors and the Wald test.
    /// Default <see cref="CoxVariance.Automatic"/>: robust when clusters are given or any case weight is not a whole
    /// number, model-based otherwise, as R's <c>coxph</c>.
    /// </summary>
    public CoxVariance Variance { get; init; } = CoxVariance.Automatic;

    /// <summary>
    /// Cluster labels, one per row of the data the model is fitted to (after a model frame has dropped rows with a
    /// missing covariate), as R's <c>cluster()</c> term: rows with the same label are correlated, so the robust variance
    /// sums their dfbeta residuals first. Default null: every row its own cluster. Giving clusters makes the variance
    /// robust unless <see cref="Variance"/> is <see cref="CoxVariance.ModelBased"/>.
    /// </summary>
    public IReadOnlyList<string>? Clusters { get; init; }

    /// <summary>
    /// Offsets, one finite number per row of the data the model is fitted to, as R's <c>offset()</c> term: a known part of
    /// each row's linear predictor, xβ + offset, with no coefficient. They enter the likelihood, the tests, the concordance
    /// and the residuals; a predicted curve (<see cref="CoxRegression.PredictSurvival(CoxModel, Data.ModelFrame, IReadOnlyList{double}, CoxOptions?)"/>)
    /// is for a new row with offset 0. Default null: no offset.
    /// </summary>
    public IReadOnlyList<double>? Offsets { get; init; }
}

/// <summary>Which variance of the coefficients a Cox fit reports.</summary>
public enum CoxVariance
{
    /// <summary>As R's <c>coxph</c>: <see cref="Robust"/> when clusters are given or any case weight is not a whole number, else <see cref="ModelBased"/>.</summary>
    Automatic,

    /// <summary>The inverse of the information, I(β̂)⁻¹ (R's <c>naive.var</c> when the robust variance is in force).</summary>
    ModelBased,

    /// <summary>The robust sandwich variance DᵀD of Lin &amp; Wei (1989), D the weighted dfbeta residuals summed within clusters (R's <c>robust = TRUE</c>).</summary>
    Robust,
}
