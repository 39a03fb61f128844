using System.Collections.Immutable;

namespace GistNotebooks.Survival.Regression;

/// <summary>
/// A fitted Cox proportional hazards model, as R's <c>coxph</c> (survival 3.5-3) reports it.
/// </summary>
/// <remarks>
/// An estimate that runs to ±∞ (monotone likelihood) keeps the value where the iteration stopped in
/// <see cref="CoxCoefficient.Coefficient"/>, but is marked <see cref="CoxCoefficient.IsInfinite"/>, named in
/// <see cref="MonotoneLikelihood"/> and explained in <see cref="Warnings"/>; its standard error, interval,
/// z and p are then meaningless (R prints them; so do we, flagged). Refit with <see cref="CoxOptions.Firth"/>.
/// </remarks>
public sealed record CoxModel
{
    /// <summary>The term names, one per coefficient (R's names: <c>age</c>, <c>celltypesmallcell</c>).</summary>
    public required ImmutableArray<string> Terms { get; init; }

    /// <summary>The model terms as a user names them: a factor is one term covering its indicator columns (R's <c>assign</c>). Used by the proportional-hazards test.</summary>
    public required ImmutableArray<CoxModelTerm> ModelTerms { get; init; }

    /// <summary>One row per coefficient.</summary>
    public required ImmutableArray<CoxCoefficient> Coefficients { get; init; }

    /// <summary>The variance matrix of the coefficients as R's <c>fit$var</c>: the inverse of the information I(β̂), or the robust sandwich variance when it is in force (<see cref="IsRobust"/>); rows and columns follow <see cref="Terms"/>.</summary>
    public required ImmutableArray<ImmutableArray<double>> Variance { get; init; }

    /// <summary>The model-based variance I(β̂)⁻¹ when <see cref="Variance"/> is the robust one (R's <c>fit$naive.var</c>); null otherwise.</summary>
    public ImmutableArray<ImmutableArray<double>>? NaiveVariance { get; init; }

    /// <summary>Whether <see cref="Variance"/> is the robust sandwich variance (clusters, fractional weights or <see cref="CoxVariance.Robust"/>).</summary>
    public bool IsRobust => NaiveVariance is not null;

    /// <summary>The robust score test of β = 0 (R's <c>fit$rscore</c>, printed as "Robust"); null unless the variance is robust.</summary>
    public CoxTest? RobustScoreTest { get; init; }

    /// <summary>The number of clusters the robust variance summed over (each row its own cluster when none were given); null unless the variance is robust.</summary>
    public int? Clusters { get; init; }

    /// <summary>0-based rows (of the data handed to the fit) left out because their case weight is zero; empty when none.</summary>
    public ImmutableArray<int> ZeroWeightRows { get; init; } = [];

    /// <summary>The centring values of the covariates, as R's <c>fit$means</c>: the weighted mean, or 0 for a column whose values are all −1, 0 or 1.</summary>
    public required ImmutableArray<double> Means { get; init; }

    /// <summary>The log partial likelihood at β = 0.</summary>
    public required double LogLikelihoodNull { get; init; }

    /// <summary>The log partial likelihood at the estimate (for a Firth fit, the unpenalised ℓ(β̂)).</summary>
    public required double LogLikelihood { get; init; }

    /// <summary>The penalised log-likelihood ℓ(β̂) + ½·log det I(β̂) of a Firth fit; null for an ordinary fit.</summary>
    public double? PenalizedLogLikelihood { get; init; }

    /// <summary>Whether the fit maximised Firth's penalised likelihood.</summary>
    public bool IsPenalized { get; init; }

    /// <summary>The likelihood-ratio test of β = 0: 2(ℓ(β̂) − ℓ(0)) on p df (for a Firth fit, of the penalised likelihood).</summary>
    public required CoxTest LikelihoodRatioTest { get; init; }

    /// <summary>The Wald test of β = 0: β̂ᵀ I(β̂) β̂ on p df.</summary>
    public required CoxTest WaldTest { get; init; }

    /// <summary>The score (log-rank) test of β = 0: U(0)ᵀ I(0)⁻¹ U(0) on p df.</summary>
    public required CoxTest ScoreTest { get; init; }

    /// <summary>Harrell's concordance of the linear predictor with survival, as <c>coxph</c> reports it.</summary>
    public required CoxConcordance Concordance { get; init; }

    /// <summary>The number of rows used (rows of weight zero are left out).</summary>
    public required int N { get; init; }

    /// <summary>The number of events.</summary>
    public required int Events { get; init; }

    /// <summary>The Newton–Raphson iterations taken (R's <c>iter</c>): the limit plus one when the iteration ran out, as R reports it.</summary>
    public required int Iterations { get; init; }

    /// <summary>Whether the iteration converged to a finite estimate: false when it ran out of iterations or a coefficient is infinite.</summary>
    public required bool Converged { get; init; }

    /// <summary>The terms whose estimate is infinite (monotone likelihood); empty when none.</summary>
    public required ImmutableArray<string> MonotoneLikelihood { get; init; }

    /// <summary>1-based data rows dropped for a missing covariate (from a <see cref="Data.ModelFrame"/>); empty otherwise.</summary>
    public required ImmutableArray<int> DroppedRows { get; init; }

    /// <summary>Messages about the fit (non-convergence, infinite coefficients), in words.</summary>
    public required ImmutableArray<string> Warnings { get; init; }

    /// <summary>The tie method used.</summary>
    public required TieMethod Ties { get; init; }

    /// <summary>The confidence level of the intervals.</summary>
    public required double ConfidenceLevel { get; init; }
}

/// <summary>One coefficient of a Cox model.</summary>
/// <param name="Term">The term name.</param>
/// <param name="Coefficient">The estimate β̂ (log hazard ratio); for an infinite estimate, the value where the iteration stopped.</param>
/// <param name="StandardError">√ of the diagonal of the variance matrix.</param>
/// <param name="HazardRatio">exp(β̂).</param>
/// <param name="Lower">The lower limit of the hazard-ratio interval: exp(β̂ − z·se), or the profile penalised-likelihood limit for a Firth fit; null when it does not exist.</param>
/// <param name="Upper">The upper limit of the hazard-ratio interval; null when it does not exist.</param>
/// <param name="Z">β̂ / se.</param>
/// <param name="P">The two-sided p-value: Wald for an ordinary fit, the penalised likelihood-ratio test for a Firth fit.</param>
/// <param name="IsInfinite">Whether the estimate is infinite (monotone likelihood); if so the other fields are not to be interpreted.</param>
public sealed record CoxCoefficient(
    string Term,
    double Coefficient,
    double StandardError,
    double HazardRatio,
    double? Lower,
    double? Upper,
    double Z,
    double P,
    bool IsInfinite);

/// <summary>A chi-square test statistic with its degrees of freedom and upper-tail p-value.</summary>
/// <param name="Statistic">The chi-square statistic.</param>
/// <param name="DegreesOfFreedom">The degrees of freedom.</param>
/// <param name="P">P(χ²_df ≥ statistic).</param>
public sealed record CoxTest(double Statistic, int DegreesOfFreedom, double P);

/// <summary>
/// Harrell's concordance of a Cox model, as <c>coxph</c> in survival 3.5-3 reports it (via <c>concordancefit</c>
/// with <c>reverse = TRUE</c>): C = (concordant + tied.x/2) / (concordant + discordant + tied.x).
/// </summary>
/// <param name="Estimate">The concordance C; null when no pair is comparable (0/0, R's NA).</param>
/// <param name="StandardError">The infinitesimal-jackknife standard error, R's <c>sqrt(var)</c>; null with the estimate.</param>
/// <param name="Concordant">Weighted count of concordant pairs.</param>
/// <param name="Discordant">Weighted count of discordant pairs.</param>
/// <param name="TiedRisk">Comparable pairs tied on the linear predictor (R's tied.x).</param>
/// <param name="TiedTime">Pairs of events tied on time, not tied on the predictor (R's tied.y).</param>
/// <param name="TiedBoth">Pairs of events tied on both (R's tied.xy).</param>
public sealed record CoxConcordance(
    double? Estimate,
    double? StandardError,
    double Concordant,
    double Discordant,
    double TiedRisk,
    double TiedTime,
    double TiedBoth);

/// <summary>A model term as written in a formula: a numeric covariate (one column) or a factor (one column per non-reference level).</summary>
/// <param name="Name">The term name (the covariate or factor name).</param>
/// <param name="Columns">The 0-based coefficient indices that belong to the term.</param>
public sealed record CoxModelTerm(string Name, ImmutableArray<int> Columns);
