using System.Collections.Immutable;
using System.Globalization;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Inference;

namespace GistNotebooks.Survival.Regression;

/// <summary>
/// Parametric (accelerated failure time) survival regression, matching R's <c>survreg</c> in survival 3.5-3:
/// exponential, Weibull, log-normal and log-logistic models for log T, Gaussian and logistic models for T itself;
/// right-censored data, case weights, covariates and factors as in <see cref="CoxRegression"/>. See
/// docs/methods.md, "Parametric survival models".
/// </summary>
/// <remarks>
/// <para>
/// The model is y = xᵀβ + σ·W with y = log T (T for Gaussian and logistic) and W standard extreme-value, logistic
/// or normal. The log-likelihood Σ wᵢ[δᵢ(log f(zᵢ) − log σ) + (1 − δᵢ) log(1 − F(zᵢ))], zᵢ = (yᵢ − xᵢᵀβ)/σ, is
/// maximised over (β, log σ) by Newton–Raphson exactly as R does: the same starting values (an intercept-only fit
/// from R's moment estimates, then one weighted least-squares step), the same rescaling of non-indicator columns
/// during the iteration, the same step halving and convergence rule (relative change of ℓ ≤ 1e-9, at most 30
/// iterations). The reported log-likelihood is on the time scale: for log-time models it adds the Jacobian
/// −Σ_events wᵢ log tᵢ, as R's <c>fit$loglik</c> does, so that AIC compares models across distributions.
/// </para>
/// <para>
/// Not supported (R supports them): left- and interval-censored data, counting-process (start, stop] data,
/// strata with separate scales, offsets, the Student-t and user-defined distributions, penalised terms and robust
/// (cluster) variances. Rows with a zero weight are refused, as R refuses them.
/// </para>
/// <para>Cost: O(n·k²) per iteration for k parameters.</para>
/// </remarks>
public static partial class ParametricRegression
{
    /// <summary>Iterations allowed for the intercept-only fit that supplies starting values (fixed at 20 in R).</summary>
    private const int InterceptOnlyIterations = 20;

    /// <summary>
    /// Fits a parametric survival model to survival data and a design matrix (without an intercept column; the
    /// intercept is added). With <paramref name="covariates"/> null the model has an intercept only.
    /// </summary>
    /// <param name="data">Times, events and optional case weights; strata are not supported.</param>
    /// <param name="covariates">One row per subject, one column per covariate term; null for an intercept-only model.</param>
    /// <param name="options">Settings; defaults as R (<see cref="ParametricOptions"/>).</param>
    /// <returns>The fitted model; non-convergence is reported in <see cref="ParametricModel.Converged"/> and its warnings.</returns>
    /// <exception cref="DataValidationException">The rows differ in number, there are no events, a time is not positive for a log-time distribution, a weight is not positive, a covariate has no variance, or covariates are collinear.</exception>
    /// <exception cref="ArgumentException">The data have strata, or an option is out of range.</exception>
    public static ParametricModel Fit(SurvivalData data, CovariateMatrix? covariates = null, ParametricOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return FitCore(data, covariates, options ?? new ParametricOptions(), [], []);
    }

    /// <summary>Fits a parametric survival model to a model frame (covariates and factors as for Cox); its dropped rows are kept in <see cref="ParametricModel.DroppedRows"/>. See <see cref="Fit(SurvivalData, CovariateMatrix?, ParametricOptions?)"/>.</summary>
    /// <exception cref="DataValidationException">As <see cref="Fit(SurvivalData, CovariateMatrix?, ParametricOptions?)"/>.</exception>
    /// <exception cref="ArgumentException">As <see cref="Fit(SurvivalData, CovariateMatrix?, ParametricOptions?)"/>.</exception>
    public static ParametricModel Fit(ModelFrame frame, ParametricOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return FitCore(frame.Data, frame.Covariates, options ?? new ParametricOptions(), frame.DroppedRows, frame.Factors);
    }

    private static ParametricModel FitCore(SurvivalData data, CovariateMatrix? covariates, ParametricOptions options, ImmutableArray<int> droppedRows, ImmutableArray<FactorCovariate> factors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxIterations);
        if (!(options.Tolerance > 0) || !(options.CholeskyTolerance > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The tolerances must be positive.");
        }

        if (!(options.ConfidenceLevel > 0 && options.ConfidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The confidence level must lie strictly between 0 and 1.");
        }

        if (options.Scale is double fixedScale && !(fixedScale > 0 && double.IsFinite(fixedScale)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "A fixed scale must be a positive number.");
        }

        if (!data.Strata.IsEmpty)
        {
            throw new ArgumentException("Strata (a separate scale per stratum) are not supported by the parametric regression; fit each stratum separately.", nameof(data));
        }

        if (covariates is not null && covariates.RowCount != data.Count)
        {
            throw new DataValidationException("covariates", null, null, FormattableString.Invariant($"has {covariates.RowCount} rows but the survival data have {data.Count}; they must be equal"));
        }

        var distribution = options.Distribution;
        var family = StandardDistributions.Family(distribution);
        var logTime = StandardDistributions.UsesLogTime(distribution);
        var warnings = ImmutableArray.CreateBuilder<string>();
        double? scale = options.Scale;
        if (distribution == ParametricDistribution.Exponential)
        {
            if (scale is double given && given != 1)
            {
                warnings.Add("The exponential distribution has its scale fixed at 1; the scale given was ignored (as R does).");
            }

            scale = 1;
        }

        var n = data.Count;
        var times = data.TimeArray;
        var exact = data.StatusArray;
        var weights = data.WeightArray ?? [.. Enumerable.Repeat(1.0, n)];
        if (data.EventCount == 0)
        {
            throw new DataValidationException("events", null, null, "there are no events; a parametric survival model cannot be fitted");
        }

        for (var i = 0; i < n; i++)
        {
            if (!(weights[i] > 0))
            {
                throw new DataValidationException("weights", SourceRow(i, droppedRows), null, FormattableString.Invariant($"a weight must be positive for a parametric model (R's survreg refuses others), found {weights[i]}"));
            }

            if (logTime && !(times[i] > 0))
            {
                throw new DataValidationException("times", SourceRow(i, droppedRows), null,
                    FormattableString.Invariant($"a time of {times[i]} cannot be log-transformed for the {Name(distribution)} distribution (R: \"Invalid survival times for this distribution\"); use a positive time or the gaussian or logistic distribution"));
            }
        }

        if (covariates is not null)
        {
            DesignCheck.RequireFullRank(data, covariates);
        }

        var y = new double[n];
        var logCorrection = 0.0;
        for (var i = 0; i < n; i++)
        {
            y[i] = logTime ? Math.Log(times[i]) : times[i];
            if (logTime && exact[i])
            {
                // The density of T is that of log T times 1/t: R's logcorrect.
                logCorrection -= weights[i] * y[i];
            }
        }

        var p = covariates?.TermCount ?? 0;
        var nvar = p + 1;
        var design = new double[n * nvar];
        for (var i = 0; i < n; i++)
        {
            design[i * nvar] = 1;
            for (var j = 0; j < p; j++)
            {
                design[(i * nvar) + j + 1] = covariates![i, j];
            }
        }

        var (center, spread) = Rescale(design, n, nvar);
        double? fixedLogScale = scale is double s ? Math.Log(s) : null;

        // Starting values as survreg.fit: moments of y, an intercept-only fit, then one weighted least-squares step.
        var (startMean, startVariance) = WeightedMoments(y, weights);
        if (!(startVariance > 0) && fixedLogScale is null)
        {
            throw new DataValidationException("times", null, null, "every time is the same, so the scale of the distribution cannot be estimated");
        }

        var moments = StandardDistributions.Start(family, startMean, startVariance);
        var startLogScale = fixedLogScale ?? (Math.Log(4 * moments.Variance) / 2);
        IterationResult? interceptOnly = null;
        double logScaleForStart;
        if (p > 0)
        {
            var intercept = LeastSquaresStep(y, exact, weights, Enumerable.Repeat(1.0, n).ToArray(), 1, y, Math.Exp(startLogScale), family, options.CholeskyTolerance)[0];
            var interceptLikelihood = new ParametricLikelihood(y, exact, weights, [.. Enumerable.Repeat(1.0, n)], 1, family, fixedLogScale);
            double[] start = fixedLogScale is null ? [intercept, startLogScale] : [intercept];
            interceptOnly = Iterate(interceptLikelihood, start, InterceptOnlyIterations, options.Tolerance, options.CholeskyTolerance);
            if (!interceptOnly.Parameters.All(double.IsFinite) || !double.IsFinite(interceptOnly.LogLikelihood))
            {
                throw new DataValidationException("times", null, null, "the intercept-only fit that supplies the starting values failed (R: \"initial iteration failed\"); the data may not suit this distribution");
            }

            logScaleForStart = fixedLogScale ?? interceptOnly.Parameters[1];
        }
        else
        {
            logScaleForStart = startLogScale;
        }

        var coefficientsStart = LeastSquaresStep(y, exact, weights, design, nvar, y, Math.Exp(logScaleForStart), family, options.CholeskyTolerance);
        var initial = fixedLogScale is null ? [.. coefficientsStart, logScaleForStart] : coefficientsStart;
        var likelihood = new ParametricLikelihood(y, exact, weights, design, nvar, family, fixedLogScale);
        var fit = Iterate(likelihood, initial, options.MaxIterations, options.Tolerance, options.CholeskyTolerance);
        if (!fit.Converged)
        {
            warnings.Add(FormattableString.Invariant($"The Newton–Raphson iteration ran out of iterations ({options.MaxIterations}) and did not converge (R: \"Ran out of iterations and did not converge\"); the estimates are those of the last iteration."));
        }

        var (parameters, variance) = Unscale(fit.Parameters, fit.Variance, center, spread, nvar, likelihood.ParameterCount);
        var logLikelihood = fit.LogLikelihood + logCorrection;
        var logLikelihoodNull = (interceptOnly?.LogLikelihood ?? fit.LogLikelihood) + logCorrection;
        var terms = ImmutableArray.Create(ParametricModel.InterceptTerm).AddRange(covariates?.Terms ?? []);
        var model = Assemble(options, distribution, terms, parameters, variance, likelihood.ParameterCount, nvar,
            logLikelihood, logLikelihoodNull, fit, data, droppedRows, factors, warnings.ToImmutable());
        if (covariates is null)
        {
            return model;
        }

        // survreg fits standardised columns (as here), so the fit itself is sound; the time ratio per unit still is not.
        var slopes = model.Coefficients.Skip(1).ToList();
        var scaleWarnings = CovariateScale.Warnings(
            covariates.Terms,
            CovariateScale.StandardDeviations(covariates, data.WeightArray),
            [.. slopes.Select(c => c.Coefficient)],
            [.. slopes.Select(c => (double?)Math.Exp(c.Lower))],
            [.. slopes.Select(c => (double?)Math.Exp(c.Upper))],
            "time ratio").ToList();
        return scaleWarnings.Count == 0 ? model : model with { Warnings = model.Warnings.AddRange(scaleWarnings) };
    }

    private static ParametricModel Assemble(
        ParametricOptions options,
        ParametricDistribution distribution,
        ImmutableArray<string> terms,
        double[] parameters,
        double[] variance,
        int np,
        int nvar,
        double logLikelihood,
        double logLikelihoodNull,
        IterationResult fit,
        SurvivalData data,
        ImmutableArray<int> droppedRows,
        ImmutableArray<FactorCovariate> factors,
        ImmutableArray<string> warnings)
    {
        var critical = Distributions.NormalQuantile(1 - ((1 - options.ConfidenceLevel) / 2));
        ParametricCoefficient Row(string term, int index)
        {
            var estimate = parameters[index];
            var se = Math.Sqrt(variance[(index * np) + index]);
            var z = estimate / se;
            return new ParametricCoefficient(term, estimate, se, z, Distributions.NormalTwoSidedP(z), estimate - (critical * se), estimate + (critical * se));
        }

        var coefficients = ImmutableArray.CreateRange(Enumerable.Range(0, nvar).Select(j => Row(terms[j], j)));
        var logScale = np > nvar ? Row(ParametricModel.LogScaleTerm, nvar) : null;
        var covariateCount = nvar - 1;
        ChiSquareTest? wald = null;
        if (covariateCount > 0)
        {
            var block = new double[covariateCount * covariateCount];
            for (var a = 0; a < covariateCount; a++)
            {
                for (var b = 0; b < covariateCount; b++)
                {
                    block[(a * covariateCount) + b] = variance[((a + 1) * np) + b + 1];
                }
            }

            var solver = new SymmetricSolver(covariateCount);
            var statistic = solver.Factorize(block) ? solver.InverseQuadraticForm(parameters.AsSpan(1, covariateCount)) : double.PositiveInfinity;
            wald = Test(statistic, covariateCount);
        }

        var rows = ImmutableArray.CreateBuilder<ImmutableArray<double>>(np);
        for (var i = 0; i < np; i++)
        {
            rows.Add([.. variance.AsSpan(i * np, np)]);
        }

        return new ParametricModel
        {
            Distribution = distribution,
            Terms = terms,
            Coefficients = coefficients,
            LogScale = logScale,
            Scale = np > nvar ? Math.Exp(parameters[nvar]) : (distribution == ParametricDistribution.Exponential ? 1 : options.Scale!.Value),
            Variance = rows.MoveToImmutable(),
            LogLikelihood = logLikelihood,
            LogLikelihoodInterceptOnly = logLikelihoodNull,
            LikelihoodRatioTest = Test(2 * (logLikelihood - logLikelihoodNull), covariateCount),
            WaldTest = wald,
            ParameterCount = np,
            N = data.Count,
            Events = data.EventCount,
            Iterations = fit.Iterations,
            Converged = fit.Converged,
            DroppedRows = droppedRows.IsDefault ? [] : droppedRows,
            Factors = factors.IsDefault ? [] : factors,
            Warnings = warnings,
            ConfidenceLevel = options.ConfidenceLevel,
        };
    }

    private static ChiSquareTest Test(double statistic, int df) =>
        new(statistic, df, df > 0 ? Distributions.ChiSquareUpperTail(statistic, df) : 1.0);

    /// <summary>The distribution's name as R spells it in <c>dist =</c>.</summary>
    public static string Name(ParametricDistribution distribution) => distribution switch
    {
        ParametricDistribution.Weibull => "weibull",
        ParametricDistribution.Exponential => "exponential",
        ParametricDistribution.LogNormal => "lognormal",
        ParametricDistribution.LogLogistic => "loglogistic",
        ParametricDistribution.Gaussian => "gaussian",
        ParametricDistribution.Logistic => "logistic",
        _ => throw new ArgumentOutOfRangeException(nameof(distribution)),
    };

    /// <summary>Parses R's name of a distribution (<c>weibull</c>, <c>exponential</c>, <c>lognormal</c>, <c>loglogistic</c>, <c>gaussian</c>, <c>logistic</c>), ignoring case.</summary>
    /// <exception cref="ArgumentException">The name is not one of these.</exception>
    public static ParametricDistribution ParseDistribution(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var distribution in Enum.GetValues<ParametricDistribution>())
        {
            if (string.Equals(Name(distribution), name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return distribution;
            }
        }

        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Unknown distribution '{name}'; expected one of {string.Join(", ", Enum.GetValues<ParametricDistribution>().Select(Name))}."), nameof(name));
    }

    /// <summary>The 1-based row of the source for a 0-based row of the data, counting the rows a model frame dropped.</summary>
    internal static int SourceRow(int index, ImmutableArray<int> droppedRows)
    {
        var row = index + 1;
        foreach (var dropped in droppedRows.IsDefault ? [] : droppedRows)
        {
            if (dropped <= row)
            {
                row++;
            }
        }

        return row;
    }

    /// <summary>The weighted mean and variance (divisor Σw) of y, as the distributions' <c>init</c> functions.</summary>
    private static (double Mean, double Variance) WeightedMoments(double[] y, double[] weights)
    {
        double total = 0, sum = 0;
        for (var i = 0; i < y.Length; i++)
        {
            total += weights[i];
            sum += weights[i] * y[i];
        }

        var mean = sum / total;
        var squares = 0.0;
        for (var i = 0; i < y.Length; i++)
        {
            squares += weights[i] * (y[i] - mean) * (y[i] - mean);
        }

        return (mean, squares / total);
    }

    /// <summary>
    /// R's "glim" step for starting coefficients: the first and second derivatives of each observation's
    /// log-likelihood with respect to its location at the location <paramref name="eta"/> (survreg.fit's
    /// <c>derfun</c>), then one weighted least-squares solve of (XᵀWX) b = Xᵀ(W·η + w·dg), W = −w·ddg.
    /// </summary>
    private static double[] LeastSquaresStep(double[] y, bool[] exact, double[] weights, double[] design, int nvar, double[] eta, double sigma, StandardFamily family, double choleskyTolerance)
    {
        var cross = new double[nvar * nvar];
        var right = new double[nvar];
        for (var i = 0; i < y.Length; i++)
        {
            var z = (y[i] - eta[i]) / sigma;
            var (_, survival, density, slope, curvature) = StandardDistributions.Summary(family, z);
            double dg, ddg;
            if (exact[i])
            {
                var inverse = 1 / sigma;
                dg = -inverse * slope;
                ddg = (inverse / sigma) * curvature;
            }
            else
            {
                var inverse = 1 / (survival * sigma);
                dg = inverse * density;
                ddg = (inverse / sigma) * -(density * slope);
            }

            ddg -= dg * dg;
            var wt = -ddg * weights[i];
            var response = (wt * eta[i]) + (weights[i] * dg);
            var row = design.AsSpan(i * nvar, nvar);
            for (var a = 0; a < nvar; a++)
            {
                right[a] += response * row[a];
                for (var b = 0; b <= a; b++)
                {
                    cross[(a * nvar) + b] += wt * row[a] * row[b];
                }
            }
        }

        LdlFactorization.Factor(cross, nvar, choleskyTolerance);
        LdlFactorization.Solve(cross, nvar, right);
        return right;
    }

    /// <summary>
    /// R centres and scales every column that is not all 0/1 (mean and standard deviation, unweighted) while it
    /// iterates, when the first column is the intercept and there are covariates; returns the centres and spreads
    /// (0 and 1 for untouched columns) after rescaling <paramref name="design"/> in place.
    /// </summary>
    private static (double[] Center, double[] Spread) Rescale(double[] design, int n, int nvar)
    {
        var center = new double[nvar];
        var spread = Enumerable.Repeat(1.0, nvar).ToArray();
        if (nvar == 1)
        {
            return (center, spread);
        }

        var indicator = new bool[nvar];
        for (var j = 0; j < nvar; j++)
        {
            indicator[j] = true;
            for (var i = 0; i < n && indicator[j]; i++)
            {
                indicator[j] = design[(i * nvar) + j] is 0.0 or 1.0;
            }
        }

        if (indicator.All(x => x))
        {
            return (center, spread);
        }

        for (var j = 0; j < nvar; j++)
        {
            if (indicator[j])
            {
                continue;
            }

            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                sum += design[(i * nvar) + j];
            }

            var mean = sum / n;
            var squares = 0.0;
            for (var i = 0; i < n; i++)
            {
                var d = design[(i * nvar) + j] - mean;
                squares += d * d;
            }

            center[j] = mean;
            spread[j] = Math.Sqrt(squares / (n - 1));
            for (var i = 0; i < n; i++)
            {
                design[(i * nvar) + j] = (design[(i * nvar) + j] - mean) / spread[j];
            }
        }

        return (center, spread);
    }

    /// <summary>Maps estimates and variance on the rescaled columns back to the original ones: b = A·b*, V = A·V*·Aᵀ.</summary>
    private static (double[] Parameters, double[] Variance) Unscale(double[] parameters, double[] variance, double[] center, double[] spread, int nvar, int np)
    {
        if (center.All(c => c == 0) && spread.All(s => s == 1))
        {
            return (parameters, variance);
        }

        var transform = new double[np * np];
        for (var i = 0; i < np; i++)
        {
            transform[(i * np) + i] = i < nvar ? 1 / spread[i] : 1;
        }

        for (var j = 1; j < nvar; j++)
        {
            transform[j] = -center[j] / spread[j];
        }

        var result = new double[np];
        for (var i = 0; i < np; i++)
        {
            for (var k = 0; k < np; k++)
            {
                result[i] += transform[(i * np) + k] * parameters[k];
            }
        }

        var temp = new double[np * np];
        for (var i = 0; i < np; i++)
        {
            for (var j = 0; j < np; j++)
            {
                var sum = 0.0;
                for (var k = 0; k < np; k++)
                {
                    sum += transform[(i * np) + k] * variance[(k * np) + j];
                }

                temp[(i * np) + j] = sum;
            }
        }

        var transformed = new double[np * np];
        for (var i = 0; i < np; i++)
        {
            for (var j = 0; j < np; j++)
            {
                var sum = 0.0;
                for (var k = 0; k < np; k++)
                {
                    sum += temp[(i * np) + k] * transform[(j * np) + k];
                }

                transformed[(i * np) + j] = sum;
            }
        }

        return (result, transformed);
    }
}
