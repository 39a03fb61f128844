using System.Collections.Immutable;
using GistNotebooks.Survival.Inference;

namespace GistNotebooks.Survival.Regression;

/// <content>Predictions for new covariate values, with delta-method standard errors as R's <c>predict.survreg</c>.</content>
public sealed partial record ParametricModel
{
    /// <summary>
    /// The design row (without the intercept) for covariate values given by name: a number for a numeric
    /// covariate, a level for a factor (the reference level gives zeros), as R's <c>newdata</c>.
    /// </summary>
    /// <param name="values">One entry per covariate of the model.</param>
    /// <returns>Values in the order of <see cref="Terms"/>, the intercept left out.</returns>
    /// <exception cref="ArgumentException">A covariate is missing or unknown, a level does not occur, or a number does not parse.</exception>
    public ImmutableArray<double> CovariateRow(IReadOnlyDictionary<string, string> values) =>
        CovariateValues.Row(Terms.RemoveAt(0), Factors, values);

    /// <summary>The linear predictor xᵀβ for covariate values <paramref name="covariates"/> (intercept excluded, in term order), with √(xᵀVx), as R's <c>predict(fit, newdata, type = "lp", se.fit = TRUE)</c>.</summary>
    /// <exception cref="ArgumentException">The number of values is not the number of covariate terms.</exception>
    public ParametricEstimate LinearPredictor(IReadOnlyList<double> covariates)
    {
        var row = FullRow(covariates);
        var gradient = new double[Variance.Length];
        Array.Copy(row, gradient, row.Length);
        return new ParametricEstimate(Dot(row, Coefficients.Select(c => c.Coefficient)), Math.Sqrt(QuadraticForm(gradient)));
    }

    /// <summary>
    /// Quantiles of survival time for covariate values <paramref name="covariates"/>: tₚ = g⁻¹(xᵀβ + σ·w_p) with
    /// w_p the p-quantile of the standard distribution and g the time transformation (log or identity), as R's
    /// <c>predict(fit, newdata, type = "quantile", p = , se.fit = TRUE)</c>. The standard error is the delta method
    /// on (β, log σ), transformed to the time scale as R does (times tₚ for log-time models); the limits are
    /// xᵀβ + σ·w_p ± z·se on the model's scale, transformed back, so they are positive for log-time models.
    /// </summary>
    /// <param name="covariates">Values of the covariate terms (intercept excluded), in term order; see <see cref="CovariateRow"/>.</param>
    /// <param name="probabilities">Probabilities in (0, 1); 0.5 gives the median.</param>
    /// <exception cref="ArgumentException">The number of values is wrong, or a probability is not in (0, 1).</exception>
    public ImmutableArray<ParametricQuantile> Quantiles(IReadOnlyList<double> covariates, IReadOnlyList<double> probabilities)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        var row = FullRow(covariates);
        var family = StandardDistributions.Family(Distribution);
        var logTime = StandardDistributions.UsesLogTime(Distribution);
        var linear = Dot(row, Coefficients.Select(c => c.Coefficient));
        var critical = Critical;
        var result = ImmutableArray.CreateBuilder<ParametricQuantile>(probabilities.Count);
        foreach (var p in probabilities)
        {
            if (!(p > 0 && p < 1))
            {
                throw new ArgumentException($"A probability must lie strictly between 0 and 1, found {p}.", nameof(probabilities));
            }

            var w = StandardDistributions.Quantile(family, p);
            var location = linear + (w * Scale);
            var gradient = new double[Variance.Length];
            Array.Copy(row, gradient, row.Length);
            if (!IsScaleFixed)
            {
                gradient[row.Length] = w * Scale;
            }

            var se = Math.Sqrt(QuadraticForm(gradient));
            result.Add(logTime
                ? new ParametricQuantile(p, Math.Exp(location), se * Math.Exp(location), Math.Exp(location - (critical * se)), Math.Exp(location + (critical * se)))
                : new ParametricQuantile(p, location, se, location - (critical * se), location + (critical * se)));
        }

        return result.MoveToImmutable();
    }

    /// <summary>
    /// Survival probabilities S(t | x) = P(W &gt; (g(t) − xᵀβ)/σ) at <paramref name="times"/>, with the
    /// delta-method standard error of S on (β, log σ). The limits come from an interval for z = (g(t) − xᵀβ)/σ,
    /// z ± c·se(z), mapped through the survival function of W, so they stay in [0, 1]. Beyond the last follow-up
    /// these are extrapolations that rest entirely on the distribution chosen.
    /// </summary>
    /// <param name="covariates">Values of the covariate terms (intercept excluded), in term order.</param>
    /// <param name="times">Times; for log-time models a time of 0 gives S = 1.</param>
    /// <exception cref="ArgumentException">The number of values is wrong, or a time is negative (log-time models) or not finite.</exception>
    public ImmutableArray<ParametricSurvivalPoint> SurvivalAt(IReadOnlyList<double> covariates, IReadOnlyList<double> times)
    {
        ArgumentNullException.ThrowIfNull(times);
        var row = FullRow(covariates);
        var family = StandardDistributions.Family(Distribution);
        var logTime = StandardDistributions.UsesLogTime(Distribution);
        var linear = Dot(row, Coefficients.Select(c => c.Coefficient));
        var critical = Critical;
        var result = ImmutableArray.CreateBuilder<ParametricSurvivalPoint>(times.Count);
        foreach (var t in times)
        {
            if (!double.IsFinite(t) || (logTime && t < 0))
            {
                throw new ArgumentException($"A time must be finite{(logTime ? " and not negative" : string.Empty)}, found {t}.", nameof(times));
            }

            if (logTime && t == 0)
            {
                result.Add(new ParametricSurvivalPoint(t, 1, 0, 1, 1));
                continue;
            }

            var z = ((logTime ? Math.Log(t) : t) - linear) / Scale;
            var (survival, density) = StandardDistributions.SurvivalAndDensity(family, z);
            var gradientSurvival = new double[Variance.Length];
            var gradientZ = new double[Variance.Length];
            for (var j = 0; j < row.Length; j++)
            {
                gradientSurvival[j] = density * row[j] / Scale;
                gradientZ[j] = -row[j] / Scale;
            }

            if (!IsScaleFixed)
            {
                gradientSurvival[row.Length] = density * z;
                gradientZ[row.Length] = -z;
            }

            var seZ = Math.Sqrt(QuadraticForm(gradientZ));
            result.Add(new ParametricSurvivalPoint(
                t,
                survival,
                Math.Sqrt(QuadraticForm(gradientSurvival)),
                StandardDistributions.SurvivalAndDensity(family, z + (critical * seZ)).Survival,
                StandardDistributions.SurvivalAndDensity(family, z - (critical * seZ)).Survival));
        }

        return result.MoveToImmutable();
    }

    /// <summary>
    /// The covariate effects of a Weibull or exponential model in proportional-hazards form: the hazard is
    /// λ(t | x) = λ₀(t)·exp(−xᵀβ/σ) with Weibull shape 1/σ, so the log hazard ratio of a term is −βⱼ/σ; its
    /// standard error is the delta method on (βⱼ, log σ). R's <c>survreg</c> prints the accelerated-failure-time
    /// form only.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is not Weibull or exponential (no other distribution here has proportional hazards).</exception>
    public ImmutableArray<ParametricHazardRatio> HazardRatios()
    {
        if (Distribution is not (ParametricDistribution.Weibull or ParametricDistribution.Exponential))
        {
            throw new InvalidOperationException($"Only Weibull and exponential models have proportional hazards; this model is {ParametricRegression.Name(Distribution)}.");
        }

        var critical = Critical;
        var result = ImmutableArray.CreateBuilder<ParametricHazardRatio>(Coefficients.Length - 1);
        for (var j = 1; j < Coefficients.Length; j++)
        {
            var beta = Coefficients[j].Coefficient;
            var logHazardRatio = -beta / Scale;
            var gradient = new double[Variance.Length];
            gradient[j] = -1 / Scale;
            if (!IsScaleFixed)
            {
                gradient[Coefficients.Length] = beta / Scale;
            }

            var se = Math.Sqrt(QuadraticForm(gradient));
            result.Add(new ParametricHazardRatio(Terms[j], logHazardRatio, se, Math.Exp(logHazardRatio), Math.Exp(logHazardRatio - (critical * se)), Math.Exp(logHazardRatio + (critical * se))));
        }

        return result.MoveToImmutable();
    }

    /// <summary>
    /// The restricted mean survival time μ(τ) = ∫₀^τ S(t | x) dt of the fitted distribution, by adaptive quadrature
    /// (double-exponential, absolute error about 1e-10·τ), with a delta-method standard error from ∫₀^τ ∇S dt. With τ
    /// beyond the last follow-up the value rests on the distribution's extrapolation.
    /// </summary>
    /// <param name="covariates">Values of the covariate terms (intercept excluded), in term order.</param>
    /// <param name="tau">The horizon τ &gt; 0 (for Gaussian and logistic models the integral still starts at 0).</param>
    /// <exception cref="ArgumentException">The number of values is wrong, or τ is not positive and finite.</exception>
    public ParametricEstimate RestrictedMean(IReadOnlyList<double> covariates, double tau)
    {
        if (!(tau > 0) || !double.IsFinite(tau))
        {
            throw new ArgumentException($"The horizon must be positive and finite, found {tau}.", nameof(tau));
        }

        var row = FullRow(covariates);
        var family = StandardDistributions.Family(Distribution);
        var logTime = StandardDistributions.UsesLogTime(Distribution);
        var linear = Dot(row, Coefficients.Select(c => c.Coefficient));
        var size = Variance.Length;
        var tolerance = 1e-10 * tau;

        // Component k of ∇S at t: ∂S/∂βₖ = f(z)·xₖ/σ, ∂S/∂log σ = f(z)·z (k = size − 1 when σ is estimated).
        double Integrand(double t, int component)
        {
            if (logTime && t <= 0)
            {
                return component < 0 ? 1 : 0;
            }

            var z = ((logTime ? Math.Log(t) : t) - linear) / Scale;
            var (survival, density) = StandardDistributions.SurvivalAndDensity(family, z);
            return component < 0 ? survival : component < row.Length ? density * row[component] / Scale : density * z;
        }

        var mean = MathNet.Numerics.Integrate.DoubleExponential(t => Integrand(t, -1), 0, tau, tolerance);
        var gradient = new double[size];
        for (var k = 0; k < size; k++)
        {
            var component = k;
            gradient[k] = MathNet.Numerics.Integrate.DoubleExponential(t => Integrand(t, component), 0, tau, tolerance);
        }

        return new ParametricEstimate(mean, Math.Sqrt(QuadraticForm(gradient)));
    }

    private double Critical => Distributions.NormalQuantile(1 - ((1 - ConfidenceLevel) / 2));

    private double[] FullRow(IReadOnlyList<double> covariates)
    {
        ArgumentNullException.ThrowIfNull(covariates);
        if (covariates.Count != Coefficients.Length - 1)
        {
            throw new ArgumentException($"Expected {Coefficients.Length - 1} covariate values (one per term, intercept excluded: {string.Join(", ", Terms.Skip(1))}), found {covariates.Count}.", nameof(covariates));
        }

        var row = new double[Coefficients.Length];
        row[0] = 1;
        for (var j = 0; j < covariates.Count; j++)
        {
            row[j + 1] = covariates[j];
        }

        return row;
    }

    private double QuadraticForm(double[] gradient)
    {
        var sum = 0.0;
        for (var i = 0; i < gradient.Length; i++)
        {
            for (var j = 0; j < gradient.Length; j++)
            {
                sum += gradient[i] * Variance[i][j] * gradient[j];
            }
        }

        return sum;
    }

    private static double Dot(double[] row, IEnumerable<double> coefficients)
    {
        var sum = 0.0;
        var j = 0;
        foreach (var c in coefficients)
        {
            sum += row[j++] * c;
        }

        return sum;
    }
}
