using System.Collections.Immutable;
using System.Globalization;
using System.Runtime;
using System.Runtime.CompilerServices;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Inference;

namespace GistNotebooks.Survival.Regression;

/// <summary>
/// Cox proportional hazards regression (Cox 1972), matching R's <c>coxph</c> in survival 3.5-3: Efron or
/// Breslow ties, strata, case weights, Newton–Raphson with step halving, the likelihood-ratio, Wald and
/// score tests, the concordance, the proportional-hazards test of <c>cox.zph</c>, and Firth's penalised
/// likelihood for monotone likelihood. See docs/methods/cox.md.
/// </summary>
public static partial class CoxRegression
{
    /// <summary>
    /// Fits a Cox model to survival data and a design matrix by maximising the partial likelihood
    /// (Efron 1977 or Breslow 1974 for ties; stratified when <see cref="SurvivalData.Strata"/> are given;
    /// case weights honoured). Newton–Raphson starts at β = 0 and halves back towards the last good
    /// estimate when the log-likelihood falls, as R's <c>coxph</c>.
    /// </summary>
    /// <param name="data">Times, events, optional weights and strata.</param>
    /// <param name="covariates">One row per subject, one column per coefficient.</param>
    /// <param name="options">Settings; defaults as R (<see cref="CoxOptions"/>).</param>
    /// <returns>The fitted model; an infinite estimate is flagged (<see cref="CoxModel.MonotoneLikelihood"/>), not hidden.</returns>
    /// <exception cref="DataValidationException">The rows differ in number, there are no events, a covariate has no variance, or covariates are collinear (the message names the columns).</exception>
    public static CoxModel Fit(SurvivalData data, CovariateMatrix covariates, CoxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(covariates);
        return FitCore(data, covariates, options ?? new CoxOptions(), SingleColumnTerms(covariates), []);
    }

    /// <summary>Fits a Cox model to a model frame; its dropped rows are kept in <see cref="CoxModel.DroppedRows"/> and each factor is one model term. See <see cref="Fit(SurvivalData, CovariateMatrix, CoxOptions?)"/>.</summary>
    /// <exception cref="DataValidationException">As <see cref="Fit(SurvivalData, CovariateMatrix, CoxOptions?)"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static CoxModel Fit(ModelFrame frame, CoxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return FitCore(frame.Data, frame.Covariates, options ?? new CoxOptions(), FrameTerms(frame), frame.DroppedRows);
    }

    /// <summary>Fits Firth's penalised Cox model (Heinze &amp; Schemper 2001): <see cref="Fit(SurvivalData, CovariateMatrix, CoxOptions?)"/> with <see cref="CoxOptions.Firth"/> set.</summary>
    /// <exception cref="DataValidationException">As <see cref="Fit(SurvivalData, CovariateMatrix, CoxOptions?)"/>.</exception>
    public static CoxModel FitFirth(SurvivalData data, CovariateMatrix covariates, CoxOptions? options = null)
        => Fit(data, covariates, (options ?? new CoxOptions()) with { Firth = true });

    /// <summary>Fits Firth's penalised Cox model to a model frame; see <see cref="FitFirth(SurvivalData, CovariateMatrix, CoxOptions?)"/>.</summary>
    /// <exception cref="DataValidationException">As <see cref="Fit(SurvivalData, CovariateMatrix, CoxOptions?)"/>.</exception>
    public static CoxModel FitFirth(ModelFrame frame, CoxOptions? options = null)
        => Fit(frame, (options ?? new CoxOptions()) with { Firth = true });

    /// <remarks>
    /// Optimised from the first call, so that the covariate matrix (copied, sorted and centred, by the likelihood) and
    /// then the likelihood's own arrays can be collected once they are last used: at ten million rows each is hundreds of
    /// megabytes, and the concordance that follows needs as much again.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static CoxModel FitCore(SurvivalData data, CovariateMatrix covariates, CoxOptions options, ImmutableArray<CoxModelTerm> modelTerms, ImmutableArray<int> droppedRows)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxIterations);
        if (!(options.Tolerance > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The tolerance must be positive.");
        }

        if (!(options.ConfidenceLevel > 0 && options.ConfidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The confidence level must lie strictly between 0 and 1.");
        }

        if (covariates.RowCount != data.Count)
        {
            throw new DataValidationException("covariates", null, null, FormattableString.Invariant($"has {covariates.RowCount} rows but the survival data have {data.Count}; they must be equal"));
        }

        if (data.EventCount == 0)
        {
            throw new DataValidationException("events", null, null, "there are no events; a Cox model cannot be fitted");
        }

        var means = Centers(data, covariates);
        DesignCheck.RequireFullRank(data, covariates);
        var terms = covariates.Terms;
        ReleaseUnused(data.Count);
        var likelihood = new CoxLikelihood(data, covariates, means, options.Ties);
        ReleaseUnused(data.Count);
        var fit = options.Firth ? FirthFitter.Fit(likelihood, options) : NewtonFit(likelihood, options);
        var scores = new RiskScores(likelihood.Order, likelihood.LinearPredictor(fit.Beta));
        ReleaseUnused(data.Count);
        return Assemble(data, terms, options, modelTerms, droppedRows, means, scores, fit);
    }

    /// <summary>
    /// On a large fit, gives back the memory of arrays no longer used before as much again is allocated: whatever the
    /// caller let go (such as the table a model frame was read from) before the likelihood's sorted copy of the data, the
    /// covariate matrix once that copy is made, and the likelihood once the risk scores are known, before the concordance. Left to itself the
    /// collector would keep them until its next full collection, and the peak would hold both.
    /// </summary>
    private static void ReleaseUnused(int rows)
    {
        if (rows >= ReleaseFromRows)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
    }

    /// <summary>R's centring: the weighted mean, except 0 for a column whose values all lie in {−1, 0, 1} (coxph's <c>nocenter</c>).</summary>
    private static double[] Centers(SurvivalData data, CovariateMatrix covariates)
    {
        var p = covariates.TermCount;
        var centers = new double[p];
        var totalWeight = 0.0;
        for (var i = 0; i < data.Count; i++)
        {
            totalWeight += data.WeightAt(i);
        }

        for (var j = 0; j < p; j++)
        {
            var sum = 0.0;
            var indicatorLike = true;
            for (var i = 0; i < data.Count; i++)
            {
                var v = covariates[i, j];
                sum += data.WeightAt(i) * v;
                indicatorLike &= v is -1.0 or 0.0 or 1.0;
            }

            centers[j] = indicatorLike ? 0.0 : sum / totalWeight;
        }

        return centers;
    }

    /// <summary>Newton–Raphson exactly as survival's coxfit6: converge on |1 − ℓ_best/ℓ_new| ≤ eps, step halving when ℓ falls.</summary>
    private static FitState NewtonFit(CoxLikelihood likelihood, CoxOptions options)
    {
        var p = likelihood.TermCount;
        var solver = new SymmetricSolver(p);
        var beta = new double[p];
        var score = new double[p];
        var information = new double[p * p];
        var nullLogLikelihood = likelihood.Evaluate(beta, score, information);
        if (!solver.Factorize(information))
        {
            throw new DataValidationException("covariates", null, null, "the information matrix at β = 0 is singular; check for covariates that do not vary among the subjects at risk");
        }

        var step = (double[])score.Clone();
        solver.Solve(step);
        var scoreStatistic = Dot(step, score);

        var best = nullLogLikelihood;
        var newBeta = new double[p];
        for (var j = 0; j < p; j++)
        {
            newBeta[j] = step[j];
        }

        var iterations = 0;
        var converged = false;
        var halving = 0;
        var logLikelihood = nullLogLikelihood;
        if (options.MaxIterations == 0)
        {
            return new FitState(beta, nullLogLikelihood, nullLogLikelihood, scoreStatistic, solver.Inverse(), score, 0, true, null);
        }

        for (var iteration = 1; iteration <= options.MaxIterations; iteration++)
        {
            iterations = iteration;
            var candidate = likelihood.Evaluate(newBeta, score, information);
            var factorized = solver.Factorize(information);
            var finite = factorized && double.IsFinite(candidate) && score.All(double.IsFinite);
            if (finite && Math.Abs(1 - (best / candidate)) <= options.Tolerance)
            {
                Array.Copy(newBeta, beta, p);
                logLikelihood = candidate;
                converged = true;
                break;
            }

            if (!finite || candidate < best)
            {
                // Move back towards the last good estimate, more firmly each time it fails again.
                halving++;
                for (var j = 0; j < p; j++)
                {
                    newBeta[j] = (newBeta[j] + (halving * beta[j])) / (halving + 1.0);
                }
            }
            else
            {
                halving = 0;
                best = candidate;
                Array.Copy(score, step, p);
                solver.Solve(step);
                Array.Copy(newBeta, beta, p);
                for (var j = 0; j < p; j++)
                {
                    newBeta[j] += step[j];
                }
            }
        }

        if (!converged)
        {
            // Ran out of iterations: report the last good estimate, as R does.
            logLikelihood = likelihood.Evaluate(beta, score, information);
            solver.Factorize(information);
        }

        return new FitState(beta, nullLogLikelihood, logLikelihood, scoreStatistic, solver.Inverse(), score, iterations, converged, null);
    }

    private static CoxModel Assemble(
        SurvivalData data,
        ImmutableArray<string> terms,
        CoxOptions options,
        ImmutableArray<CoxModelTerm> modelTerms,
        ImmutableArray<int> droppedRows,
        double[] means,
        RiskScores scores,
        FitState fit)
    {
        var p = terms.Length;
        var warnings = ImmutableArray.CreateBuilder<string>();
        var infinite = new bool[p];
        if (fit.Penalized is null)
        {
            // R's test for an infinite coefficient: the Newton step still pending at convergence,
            // I⁻¹U, is not negligible relative to the coefficient itself.
            var toleranceInfinite = Math.Sqrt(options.Tolerance);
            for (var j = 0; j < p; j++)
            {
                var pending = 0.0;
                for (var k = 0; k < p; k++)
                {
                    pending += fit.Variance[(j * p) + k] * fit.Score[k];
                }

                pending = Math.Abs(pending);
                infinite[j] = pending > options.Tolerance && pending > toleranceInfinite * Math.Abs(fit.Beta[j]);
            }
        }

        if (!fit.Converged)
        {
            warnings.Add(FormattableString.Invariant($"The Newton–Raphson iteration ran out of iterations ({options.MaxIterations}) and did not converge; the estimates are those of the last iteration."));
        }

        var monotone = ImmutableArray.CreateBuilder<string>();
        for (var j = 0; j < p; j++)
        {
            if (infinite[j])
            {
                monotone.Add(terms[j]);
            }
        }

        if (monotone.Count > 0)
        {
            var direction = string.Join(", ", monotone.Select(t => t + (fit.Beta[terms.IndexOf(t)] > 0 ? " (→ +∞)" : " (→ −∞)")));
            warnings.Add($"Monotone likelihood: the log-likelihood converged while the coefficient of {direction} was still growing, so the estimate is infinite (R: \"Loglik converged before variable ...; coefficient may be infinite\"). The reported value is where the iteration stopped and its standard error, interval and p-value are meaningless; use Firth's penalised likelihood (CoxOptions.Firth or CoxRegression.FitFirth).");
        }

        var critical = Distributions.NormalQuantile(1 - ((1 - options.ConfidenceLevel) / 2));
        var coefficients = ImmutableArray.CreateBuilder<CoxCoefficient>(p);
        for (var j = 0; j < p; j++)
        {
            var b = fit.Beta[j];
            var se = Math.Sqrt(fit.Variance[(j * p) + j]);
            var z = b / se;
            double? lower = Math.Exp(b - (critical * se));
            double? upper = Math.Exp(b + (critical * se));
            var pValue = Distributions.NormalTwoSidedP(z);
            if (fit.Penalized is { } pen)
            {
                lower = pen.Lower[j] is double lo ? Math.Exp(lo) : null;
                upper = pen.Upper[j] is double hi ? Math.Exp(hi) : null;
                pValue = pen.P[j];
            }

            coefficients.Add(new CoxCoefficient(terms[j], b, se, Math.Exp(b), lower, upper, z, pValue, infinite[j]));
        }

        // Wald: β̂ᵀ V⁻¹ β̂ with V the variance matrix, as coxph.wtest.
        var solver = new SymmetricSolver(p);
        var wald = solver.Factorize(fit.Variance) ? solver.InverseQuadraticForm(fit.Beta) : double.PositiveInfinity;
        var likelihoodRatio = fit.Penalized is { } penalized
            ? 2 * (penalized.Maximum - penalized.AtZero)
            : 2 * (fit.LogLikelihood - fit.NullLogLikelihood);

        var concordance = ConcordanceCalculator.Compute(data, scores.LinearPredictor, scores.Order, CoxLikelihood.StratumIndex(data));

        var variance = ImmutableArray.CreateBuilder<ImmutableArray<double>>(p);
        for (var i = 0; i < p; i++)
        {
            variance.Add([.. fit.Variance.AsSpan(i * p, p)]);
        }

        return new CoxModel
        {
            Terms = terms,
            ModelTerms = modelTerms,
            Coefficients = coefficients.MoveToImmutable(),
            Variance = variance.MoveToImmutable(),
            Means = [.. means],
            LogLikelihoodNull = fit.NullLogLikelihood,
            LogLikelihood = fit.LogLikelihood,
            PenalizedLogLikelihood = fit.Penalized?.Maximum,
            IsPenalized = fit.Penalized is not null,
            LikelihoodRatioTest = Test(likelihoodRatio, p),
            WaldTest = Test(wald, p),
            ScoreTest = Test(fit.ScoreStatistic, p),
            Concordance = concordance,
            N = data.Count,
            Events = data.EventCount,
            Iterations = fit.Iterations,
            Converged = fit.Converged && monotone.Count == 0,
            MonotoneLikelihood = monotone.ToImmutable(),
            DroppedRows = droppedRows.IsDefault ? [] : droppedRows,
            Warnings = warnings.ToImmutable(),
            Ties = options.Ties,
            ConfidenceLevel = options.ConfidenceLevel,
        };
    }

    /// <summary>Rows from which <see cref="ReleaseUnused"/> collects: a blocking collection costs milliseconds, the arrays it frees hundreds of megabytes.</summary>
    private const int ReleaseFromRows = 1_000_000;

    /// <summary>What the concordance needs from the fit: the rows in stratum and time order, and each row's linear predictor.</summary>
    private sealed record RiskScores(int[] Order, double[] LinearPredictor);

    private static CoxTest Test(double statistic, int df) => new(statistic, df, Distributions.ChiSquareUpperTail(statistic, df));

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static ImmutableArray<CoxModelTerm> SingleColumnTerms(CovariateMatrix covariates)
        => [.. covariates.Terms.Select((t, j) => new CoxModelTerm(t, [j]))];

    /// <summary>Groups a factor's indicator columns (named factor + level, as R) into one model term.</summary>
    private static ImmutableArray<CoxModelTerm> FrameTerms(ModelFrame frame)
    {
        var terms = frame.Covariates.Terms;
        var result = ImmutableArray.CreateBuilder<CoxModelTerm>();
        var j = 0;
        while (j < terms.Length)
        {
            var factor = frame.Factors.FirstOrDefault(f => f.Levels.Length > 1 && terms[j] == f.Name + f.Levels[1]);
            if (factor is not null && j + factor.Levels.Length - 1 <= terms.Length)
            {
                var width = factor.Levels.Length - 1;
                result.Add(new CoxModelTerm(factor.Name, [.. Enumerable.Range(j, width)]));
                j += width;
            }
            else
            {
                result.Add(new CoxModelTerm(terms[j], [j]));
                j++;
            }
        }

        return result.ToImmutable();
    }

    /// <summary>The numbers a fitter hands back: estimate, log-likelihoods, inverse information, final score.</summary>
    internal sealed record FitState(
        double[] Beta,
        double NullLogLikelihood,
        double LogLikelihood,
        double ScoreStatistic,
        double[] Variance,
        double[] Score,
        int Iterations,
        bool Converged,
        PenalizedSummary? Penalized);

    /// <summary>Firth-specific results: penalised maxima and profile limits on the log-hazard scale.</summary>
    internal sealed record PenalizedSummary(double Maximum, double AtZero, double?[] Lower, double?[] Upper, double[] P);

    internal static string Describe(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
