using System.Collections.Immutable;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Regression;

/// <summary>
/// A fitted parametric (accelerated failure time) survival model, as R's <c>survreg</c> (survival 3.5-3) reports
/// it: y = xᵀβ + σ·W with y = log T (or T for the Gaussian and logistic distributions). A positive coefficient
/// lengthens survival. Predictions for new covariate values are in <see cref="Quantiles"/>, <see cref="SurvivalAt"/>
/// and <see cref="LinearPredictor"/>; the proportional-hazards form of a Weibull model in <see cref="HazardRatios"/>.
/// </summary>
public sealed partial record ParametricModel
{
    /// <summary>The term name R gives the intercept.</summary>
    public const string InterceptTerm = "(Intercept)";

    /// <summary>The term name R gives log σ in <c>summary(fit)</c>.</summary>
    public const string LogScaleTerm = "Log(scale)";

    /// <summary>The distribution fitted.</summary>
    public required ParametricDistribution Distribution { get; init; }

    /// <summary>The coefficient names, intercept first (R's <c>names(coef(fit))</c>): <c>(Intercept)</c>, then the covariate terms.</summary>
    public required ImmutableArray<string> Terms { get; init; }

    /// <summary>The regression coefficients β, intercept first, as R's <c>coef(fit)</c>, with standard errors, z and p as <c>summary(fit)</c>.</summary>
    public required ImmutableArray<ParametricCoefficient> Coefficients { get; init; }

    /// <summary>log σ with its standard error, z and p (the <c>Log(scale)</c> row of <c>summary(fit)</c>); null when the scale is fixed.</summary>
    public required ParametricCoefficient? LogScale { get; init; }

    /// <summary>The scale σ (R's <c>fit$scale</c>); for a Weibull model the shape is 1/σ.</summary>
    public required double Scale { get; init; }

    /// <summary>Whether σ was fixed (exponential, or <see cref="ParametricOptions.Scale"/> given) rather than estimated.</summary>
    public bool IsScaleFixed => LogScale is null;

    /// <summary>
    /// The variance matrix of the estimates (R's <c>fit$var</c>), the inverse of the observed information: rows and
    /// columns follow <see cref="Terms"/>, then log σ when it is estimated.
    /// </summary>
    public required ImmutableArray<ImmutableArray<double>> Variance { get; init; }

    /// <summary>
    /// The log-likelihood of the fitted model on the time scale (R's <c>fit$loglik[2]</c>): for the distributions
    /// fitted to log T it includes the Jacobian, −Σ log tᵢ over the events.
    /// </summary>
    public required double LogLikelihood { get; init; }

    /// <summary>The log-likelihood of the intercept-only model with the same distribution (R's <c>fit$loglik[1]</c>).</summary>
    public required double LogLikelihoodInterceptOnly { get; init; }

    /// <summary>The likelihood-ratio test against the intercept-only model: 2(ℓ − ℓ₀) on the number of covariate terms, as <c>summary(fit)</c> prints it.</summary>
    public required ChiSquareTest LikelihoodRatioTest { get; init; }

    /// <summary>The Wald test that every covariate coefficient (not the intercept or σ) is 0: β̂ᵀV⁻¹β̂ on the covariate block; null with no covariates.</summary>
    public required ChiSquareTest? WaldTest { get; init; }

    /// <summary>The number of estimated parameters (coefficients, plus log σ when estimated), R's <c>attr(logLik(fit), "df")</c>.</summary>
    public required int ParameterCount { get; init; }

    /// <summary>Akaike's criterion −2ℓ + 2k, as R's <c>AIC(fit)</c>.</summary>
    public double Aic => (-2 * LogLikelihood) + (2 * ParameterCount);

    /// <summary>The Bayesian criterion −2ℓ + k·log n with n the number of subjects, as R's <c>BIC(fit)</c>.</summary>
    public double Bic => (-2 * LogLikelihood) + (ParameterCount * Math.Log(N));

    /// <summary>The number of subjects used.</summary>
    public required int N { get; init; }

    /// <summary>The number of events.</summary>
    public required int Events { get; init; }

    /// <summary>The Newton–Raphson iterations of the full model (R's <c>fit$iter</c>).</summary>
    public required int Iterations { get; init; }

    /// <summary>Whether the iteration converged; when false, the estimates are the last iteration's and <see cref="Warnings"/> says so.</summary>
    public required bool Converged { get; init; }

    /// <summary>1-based data rows dropped for a missing covariate (from a <see cref="ModelFrame"/>); empty otherwise.</summary>
    public required ImmutableArray<int> DroppedRows { get; init; }

    /// <summary>The factor covariates with their levels (reference first), for building covariate values by name.</summary>
    public required ImmutableArray<FactorCovariate> Factors { get; init; }

    /// <summary>Messages about the fit, in words.</summary>
    public required ImmutableArray<string> Warnings { get; init; }

    /// <summary>The confidence level of the intervals.</summary>
    public required double ConfidenceLevel { get; init; }
}

/// <summary>One estimated parameter of a parametric model (a coefficient or log σ).</summary>
/// <param name="Term">The name: <c>(Intercept)</c>, a covariate term, or <c>Log(scale)</c>.</param>
/// <param name="Coefficient">The estimate (R's "Value").</param>
/// <param name="StandardError">√ of the diagonal of the variance matrix.</param>
/// <param name="Z">Estimate / standard error.</param>
/// <param name="P">The two-sided normal p-value.</param>
/// <param name="Lower">The lower Wald limit, estimate − z·se (R's <c>confint</c>).</param>
/// <param name="Upper">The upper Wald limit.</param>
public sealed record ParametricCoefficient(string Term, double Coefficient, double StandardError, double Z, double P, double Lower, double Upper);

/// <summary>A chi-square test statistic with its degrees of freedom and upper-tail p-value.</summary>
/// <param name="Statistic">The chi-square statistic.</param>
/// <param name="DegreesOfFreedom">The degrees of freedom.</param>
/// <param name="P">P(χ²_df ≥ statistic).</param>
public sealed record ChiSquareTest(double Statistic, int DegreesOfFreedom, double P);

/// <summary>A predicted quantile of survival time for one set of covariate values.</summary>
/// <param name="Probability">p: the time by which a fraction p has failed (p = 0.5 is the median).</param>
/// <param name="Time">The quantile tₚ, as R's <c>predict(fit, type = "quantile")</c>.</param>
/// <param name="StandardError">Its delta-method standard error on the time scale, as <c>predict(..., se.fit = TRUE)</c>.</param>
/// <param name="Lower">The lower limit, formed on the model's scale (log t for the log-time distributions) and transformed back.</param>
/// <param name="Upper">The upper limit.</param>
public sealed record ParametricQuantile(double Probability, double Time, double StandardError, double Lower, double Upper);

/// <summary>Predicted survival at one time for one set of covariate values.</summary>
/// <param name="Time">The time.</param>
/// <param name="Survival">S(t | x) = 1 − F((y(t) − xᵀβ)/σ).</param>
/// <param name="StandardError">The delta-method standard error of S.</param>
/// <param name="Lower">The lower limit, formed on the scale of the standardised residual z and transformed back, so it lies in [0, 1].</param>
/// <param name="Upper">The upper limit.</param>
public sealed record ParametricSurvivalPoint(double Time, double Survival, double StandardError, double Lower, double Upper);

/// <summary>A prediction of a parametric model (a linear predictor, a restricted mean) with its delta-method standard error.</summary>
/// <param name="Estimate">The predicted value.</param>
/// <param name="StandardError">√(gᵀVg), g the gradient of the prediction in (β, log σ).</param>
public sealed record ParametricEstimate(double Estimate, double StandardError);

/// <summary>A covariate effect of a Weibull (or exponential) model in proportional-hazards form.</summary>
/// <param name="Term">The covariate term.</param>
/// <param name="LogHazardRatio">−β/σ.</param>
/// <param name="StandardError">Its delta-method standard error, using the covariance of β and log σ.</param>
/// <param name="HazardRatio">exp(−β/σ).</param>
/// <param name="Lower">The lower limit of the hazard ratio, exp(−β/σ − z·se).</param>
/// <param name="Upper">The upper limit.</param>
public sealed record ParametricHazardRatio(string Term, double LogHazardRatio, double StandardError, double HazardRatio, double Lower, double Upper);
