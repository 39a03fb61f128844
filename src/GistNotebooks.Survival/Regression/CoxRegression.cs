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
    /// Optimised from the first call, so that the covariate matrix (copied, sorted and centred, by the likelihood) can be
    /// collected once it is last used; the likelihood itself is let go explicitly before the concordance (the runtime
    /// kept it alive to the end of the method: at 10⁷ rows 1,542 MiB peak against 1,268 MiB). At ten million rows each
    /// is hundreds of megabytes, and the concordance that follows needs as much again.
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

        if (options.Offsets is { } offsetValues && (offsetValues.Count != data.Count || offsetValues.Any(v => !double.IsFinite(v))))
        {
            throw new DataValidationException("offsets", null, null, FormattableString.Invariant($"must be {data.Count} finite numbers, one per row of the survival data"));
        }

        if (options.Clusters is { } clusterLabels && clusterLabels.Count != data.Count)
        {
            throw new DataValidationException("clusters", null, null, FormattableString.Invariant($"has {clusterLabels.Count} labels but the survival data have {data.Count} rows; they must be equal"));
        }

        // Without rows of weight zero the preparation keeps the covariates and the weights as they are, so a large fit
        // checks their rank (which takes their means, kept for the centring) on the second core while the first fixes
        // and sorts the times. A design fault still comes after "no events", as on one core.
        var given = data;
        var rankChecked = data.Count >= TimeSort.TwoCoresFromRows && !(data.WeightArray is { } caseWeights && Array.Exists(caseWeights, w => w == 0))
            ? Task.Run(() => DesignCheck.RequireFullRank(given, covariates))
            : null;
        var prepared = Prepare(data, covariates, options);
        data = prepared.Data;
        covariates = prepared.Covariates;
        if (data.EventCount == 0)
        {
            throw new DataValidationException("events", null, null, "there are no events; a Cox model cannot be fitted");
        }

        if (rankChecked is null)
        {
            DesignCheck.RequireFullRank(data, covariates);
        }
        else
        {
            rankChecked.GetAwaiter().GetResult();
        }

        var means = Centers(data.WeightArray, covariates);
        var terms = covariates.Terms;
        ReleaseUnused(data.Count);
        var likelihood = new CoxLikelihood(data, covariates, means, options.Ties, prepared.Offsets);
        ReleaseUnused(data.Count);
        var fit = options.Firth ? FirthFitter.Fit(likelihood, options) : NewtonFit(likelihood, options);
        (int[] Index, int Count)? clusters = null;
        RobustSummary? robust = null;
        if (UsesRobustVariance(data, options) && !options.Firth)
        {
            clusters = ClusterIndex(prepared.Clusters, data.Count);
            robust = RobustVariance(likelihood, fit, clusters.Value);
        }

        var sorted = new ConcordanceCalculator.RowsInOrder(likelihood.SortedTimes, likelihood.SortedEvents, data.WeightArray is null ? null : likelihood.SortedWeights, likelihood.SortedLinearPredictorInPlace(fit.Beta));
        var order = likelihood.Order;

        // The likelihood's sorted covariates and risk arrays are done with: let the collection below take them before
        // the concordance allocates its own (at 10⁷ rows and three covariates, about 400 MB).
        likelihood = null!;
        ReleaseUnused(data.Count);
        var reportedClusters = prepared.Clusters is not null ? clusters : null;
        var concordance = ConcordanceCalculator.Compute(data, order, sorted, reportedClusters?.Index, reportedClusters?.Count ?? 0);
        var model = WithScaleWarnings(Assemble(data.Count, data.EventCount, terms, options, modelTerms, droppedRows, means, concordance, fit, robust), covariates, data.WeightArray);
        return prepared.ZeroWeightRows.Length == 0 ? model : model with
        {
            ZeroWeightRows = prepared.ZeroWeightRows,
            Warnings = model.Warnings.Add(FormattableString.Invariant($"{prepared.ZeroWeightRows.Length} rows of weight zero were left out before the fit (R's coxph refuses them), so they cannot count in Efron's tie fractions.")),
        };
    }

    /// <summary>Adds a warning for each covariate whose scale makes its hazard ratio per unit meaningless (<see cref="CovariateScale"/>).</summary>
    internal static CoxModel WithScaleWarnings(CoxModel model, CovariateMatrix covariates, double[]? weights)
    {
        var c = model.Coefficients;
        var warnings = CovariateScale.Warnings(
            model.Terms,
            CovariateScale.StandardDeviations(covariates, weights),
            [.. c.Select(x => x.Coefficient)],
            [.. c.Select(x => x.Lower)],
            [.. c.Select(x => x.Upper)],
            "hazard ratio").ToList();
        return warnings.Count == 0 ? model : model with { Warnings = model.Warnings.AddRange(warnings) };
    }

    /// <summary>The data a fit uses: near-equal times merged (<see cref="CoxOptions.TimeFix"/>) and rows of weight zero left out, with their covariates and clusters.</summary>
    internal static PreparedData Prepare(SurvivalData data, CovariateMatrix covariates, CoxOptions options)
    {
        if (options.TimeFix)
        {
            data = TimeFix.Apply(data);
        }

        var clusters = options.Clusters;
        var offsets = options.Offsets;
        if (data.WeightArray is not { } weights || !Array.Exists(weights, w => w == 0))
        {
            return new PreparedData(data, covariates, clusters, offsets, []);
        }

        var kept = new List<int>(weights.Length);
        var zero = ImmutableArray.CreateBuilder<int>();
        for (var i = 0; i < weights.Length; i++)
        {
            (weights[i] == 0 ? (ICollection<int>)zero : kept).Add(i);
        }

        return new PreparedData(
            data.Subset(kept),
            covariates.Subset(kept),
            clusters is null ? null : [.. kept.Select(i => clusters[i])],
            offsets is null ? null : [.. kept.Select(i => offsets[i])],
            zero.ToImmutable());
    }

    /// <summary>Whether the fit reports the robust variance: asked for, or by default when there are clusters or a case weight that is not a whole number (R's coxph).</summary>
    internal static bool UsesRobustVariance(SurvivalData data, CoxOptions options) => options.Variance switch
    {
        CoxVariance.Robust => true,
        CoxVariance.ModelBased => false,
        _ => options.Clusters is not null || (data.WeightArray is { } w && Array.Exists(w, v => v != Math.Floor(v))),
    };

    /// <summary>The 0-based cluster of each row (data order), each row its own cluster when there are no labels; and the number of clusters.</summary>
    private static (int[] Index, int Count) ClusterIndex(IReadOnlyList<string>? labels, int rows)
    {
        var index = new int[rows];
        if (labels is null)
        {
            for (var i = 0; i < rows; i++)
            {
                index[i] = i;
            }

            return (index, rows);
        }

        var lookup = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < rows; i++)
        {
            var label = labels[i] ?? throw new DataValidationException("clusters", i + 1, null, "the label is missing");
            if (!lookup.TryGetValue(label, out var c))
            {
                c = lookup.Count;
                lookup[label] = c;
            }

            index[i] = c;
        }

        return (index, lookup.Count);
    }

    /// <summary>
    /// The robust sandwich variance of Lin &amp; Wei (1989), as coxph: with L_i the score residuals at β̂, w_i the case weights
    /// and V = I(β̂)⁻¹, the weighted dfbeta residuals D_i = w_i·L_iV are summed within each cluster c, and the variance is
    /// Σ_c D_cᵀD_c. Also the robust score test at β = 0, Uᵀ(Σ_c U0_cᵀU0_c)⁻¹U with U0 the weighted score residuals at 0.
    /// </summary>
    private static RobustSummary RobustVariance(CoxLikelihood likelihood, FitState fit, (int[] Index, int Count) clusters)
    {
        var p = likelihood.TermCount;
        var n = likelihood.Count;
        var martingale = new double[n];
        var score = new double[n * p];
        var sums = new double[clusters.Count * p];
        var zeroSums = new double[clusters.Count * p];
        likelihood.Residuals(fit.Beta, martingale, score, null);
        for (var k = 0; k < n; k++)
        {
            var c = clusters.Index[likelihood.Order[k]];
            var w = likelihood.Weight(k);
            for (var a = 0; a < p; a++)
            {
                var d = 0.0;
                for (var b = 0; b < p; b++)
                {
                    d += score[(k * p) + b] * fit.Variance[(b * p) + a];
                }

                sums[(c * p) + a] += w * d;
            }
        }

        // As coxph, the null score residuals are taken at a linear predictor of 0, the offsets left out with the
        // coefficients (R sets linear.predictors to 0 before calling residuals.coxph).
        likelihood.Residuals(new double[p], martingale, score, null, withOffsets: false);
        var total = new double[p];
        for (var k = 0; k < n; k++)
        {
            var c = clusters.Index[likelihood.Order[k]];
            var w = likelihood.Weight(k);
            for (var a = 0; a < p; a++)
            {
                zeroSums[(c * p) + a] += w * score[(k * p) + a];
                total[a] += w * score[(k * p) + a];
            }
        }

        var variance = CrossProduct(sums, clusters.Count, p);
        var solver = new SymmetricSolver(p);
        var scoreStatistic = solver.Factorize(CrossProduct(zeroSums, clusters.Count, p)) ? solver.InverseQuadraticForm(total) : double.PositiveInfinity;
        return new RobustSummary(variance, scoreStatistic, clusters.Count);
    }

    private static double[] CrossProduct(double[] rows, int count, int p)
    {
        var result = new double[p * p];
        for (var c = 0; c < count; c++)
        {
            for (var a = 0; a < p; a++)
            {
                for (var b = 0; b < p; b++)
                {
                    result[(a * p) + b] += rows[(c * p) + a] * rows[(c * p) + b];
                }
            }
        }

        return result;
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
    private static double[] Centers(double[]? weights, CovariateMatrix covariates)
    {
        var columns = covariates.WeightedMeans(weights);
        return [.. columns.Means.Select((mean, j) => columns.IndicatorLike[j] ? 0.0 : mean)];
    }

    /// <summary>Newton–Raphson exactly as survival's coxfit6: converge on |1 − ℓ_best/ℓ_new| ≤ eps, step halving when ℓ falls.</summary>
    private static FitState NewtonFit(ICoxObjective likelihood, CoxOptions options)
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
        int rowCount,
        int events,
        ImmutableArray<string> terms,
        CoxOptions options,
        ImmutableArray<CoxModelTerm> modelTerms,
        ImmutableArray<int> droppedRows,
        double[] means,
        CoxConcordance concordance,
        FitState fit,
        RobustSummary? robust)
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

        // The reported variance: the robust one when in force (R's fit$var), the inverse information otherwise.
        var reported = robust?.Variance ?? fit.Variance;
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
            var se = Math.Sqrt(reported[(j * p) + j]);
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
        var wald = solver.Factorize(reported) ? solver.InverseQuadraticForm(fit.Beta) : double.PositiveInfinity;
        var likelihoodRatio = fit.Penalized is { } penalized
            ? 2 * (penalized.Maximum - penalized.AtZero)
            : 2 * (fit.LogLikelihood - fit.NullLogLikelihood);

        var variance = ImmutableArray.CreateBuilder<ImmutableArray<double>>(p);
        for (var i = 0; i < p; i++)
        {
            variance.Add([.. reported.AsSpan(i * p, p)]);
        }

        ImmutableArray<ImmutableArray<double>>? naive = null;
        if (robust is not null)
        {
            var rows = ImmutableArray.CreateBuilder<ImmutableArray<double>>(p);
            for (var i = 0; i < p; i++)
            {
                rows.Add([.. fit.Variance.AsSpan(i * p, p)]);
            }

            naive = rows.MoveToImmutable();
        }

        return new CoxModel
        {
            Terms = terms,
            ModelTerms = modelTerms,
            Coefficients = coefficients.MoveToImmutable(),
            Variance = variance.MoveToImmutable(),
            NaiveVariance = naive,
            RobustScoreTest = robust is null ? null : Test(robust.ScoreStatistic, p),
            Clusters = robust?.Clusters,
            Means = [.. means],
            LogLikelihoodNull = fit.NullLogLikelihood,
            LogLikelihood = fit.LogLikelihood,
            PenalizedLogLikelihood = fit.Penalized?.Maximum,
            IsPenalized = fit.Penalized is not null,
            LikelihoodRatioTest = Test(likelihoodRatio, p),
            WaldTest = Test(wald, p),
            ScoreTest = Test(fit.ScoreStatistic, p),
            Concordance = concordance,
            N = rowCount,
            Events = events,
            Iterations = fit.Converged ? fit.Iterations : fit.Iterations + 1,
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

    /// <summary>The robust variance (row-major), the robust score statistic and the number of clusters.</summary>
    private sealed record RobustSummary(double[] Variance, double ScoreStatistic, int Clusters);

    /// <summary>What a fit is computed from: the data after <see cref="Prepare"/>, their covariates, clusters and offsets, and the 0-based rows of weight zero left out.</summary>
    internal sealed record PreparedData(SurvivalData Data, CovariateMatrix Covariates, IReadOnlyList<string>? Clusters, IReadOnlyList<double>? Offsets, ImmutableArray<int> ZeroWeightRows);

    /// <summary>Firth-specific results: penalised maxima and profile limits on the log-hazard scale.</summary>
    internal sealed record PenalizedSummary(double Maximum, double AtZero, double?[] Lower, double?[] Upper, double[] P);

    internal static string Describe(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
