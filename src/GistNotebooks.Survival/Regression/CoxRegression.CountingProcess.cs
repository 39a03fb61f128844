using System.Collections.Immutable;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Regression;

public static partial class CoxRegression
{
    /// <summary>
    /// Fits a Cox model to counting-process (start, stop] data, R's <c>coxph(Surv(start, stop, event) ~ ...)</c>:
    /// delayed entry, and time-dependent covariates given as several rows per subject. The risk set at an event
    /// time t holds the rows with start &lt; t ≤ stop; ties by Efron or Breslow, strata, case weights and offsets
    /// as in <see cref="Fit(SurvivalData, CovariateMatrix, CoxOptions?)"/>, which keeps its own path for right-censored data.
    /// </summary>
    /// <param name="data">Starts, stops, events, optional weights and strata.</param>
    /// <param name="covariates">One row per interval, one column per coefficient.</param>
    /// <param name="options">Settings; defaults as R. Clusters (R's <c>cluster(id)</c>, usually the subject whose follow-up spans several rows), <see cref="CoxVariance.Robust"/> and non-integer weights give the robust sandwich variance as R; Firth's correction is not available on this path.</param>
    /// <returns>The fitted model. Its concordance is Harrell's C over the risk sets (each event against the rows at risk at its time), with R's infinitesimal-jackknife standard error.</returns>
    /// <exception cref="DataValidationException">The rows (or cluster labels) differ in number, there are no events, or the information matrix is singular.</exception>
    /// <exception cref="NotSupportedException">Firth's correction was requested, or the robust variance without clusters (R: "one of cluster or id is needed").</exception>
    public static CoxModel Fit(CountingProcessData data, CovariateMatrix covariates, CoxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(covariates);
        return FitCountingProcess(data, covariates, options ?? new CoxOptions(), SingleColumnTerms(covariates), []);
    }

    /// <summary>
    /// Fits a Cox model to a model frame whose times are the stops of (start, stop] intervals, with the starts given
    /// one per row the frame kept; each factor is one model term and the frame's dropped rows are kept in
    /// <see cref="CoxModel.DroppedRows"/>. See <see cref="Fit(CountingProcessData, CovariateMatrix, CoxOptions?)"/>.
    /// </summary>
    /// <param name="frame">Stops (the frame's times), events, weights, strata and covariates.</param>
    /// <param name="starts">The start of each row of the frame.</param>
    /// <param name="options">Settings; defaults as R.</param>
    /// <exception cref="DataValidationException">A start is not below its stop, or as <see cref="Fit(CountingProcessData, CovariateMatrix, CoxOptions?)"/>.</exception>
    /// <exception cref="NotSupportedException">As <see cref="Fit(CountingProcessData, CovariateMatrix, CoxOptions?)"/>.</exception>
    public static CoxModel Fit(ModelFrame frame, IReadOnlyList<double> starts, CoxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(starts);
        var survival = frame.Data;
        var data = CountingProcessData.Create(
            starts,
            survival.Times,
            [.. survival.Events.Select(e => e ? 1 : 0)],
            survival.HasWeights ? survival.Weights : null,
            survival.Strata.IsEmpty ? null : survival.Strata);
        return FitCountingProcess(data, frame.Covariates, options ?? new CoxOptions(), FrameTerms(frame), frame.DroppedRows);
    }

    private static CoxModel FitCountingProcess(CountingProcessData data, CovariateMatrix covariates, CoxOptions options, ImmutableArray<CoxModelTerm> modelTerms, ImmutableArray<int> droppedRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxIterations);
        if (!(options.Tolerance > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The tolerance must be positive.");
        }

        if (!(options.ConfidenceLevel > 0 && options.ConfidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The confidence level must lie strictly between 0 and 1.");
        }

        if (options.Firth)
        {
            throw new NotSupportedException("Firth's correction is not available for counting-process (start, stop] data.");
        }

        if (options.Variance == CoxVariance.Robust && options.Clusters is null)
        {
            // R's coxph: "one of cluster or id is needed"; a subject's rows are not independent observations.
            throw new NotSupportedException("The robust variance of counting-process (start, stop] data needs clusters (the subject of each row), as R's coxph asks for cluster or id.");
        }

        if (options.Clusters is { } clusterLabels && clusterLabels.Count != data.Count)
        {
            throw new DataValidationException("clusters", null, null, FormattableString.Invariant($"has {clusterLabels.Count} labels but the survival data have {data.Count} rows; they must be equal"));
        }

        if (covariates.RowCount != data.Count)
        {
            throw new DataValidationException("covariates", null, null, FormattableString.Invariant($"has {covariates.RowCount} rows but the survival data have {data.Count}; they must be equal"));
        }

        var offsets = options.Offsets;
        if (offsets is not null && (offsets.Count != data.Count || offsets.Any(v => !double.IsFinite(v))))
        {
            throw new DataValidationException("offsets", null, null, FormattableString.Invariant($"must be {data.Count} finite numbers, one per row of the survival data"));
        }

        var rows = CountingProcessRows.Prepare(data, covariates, options);
        var clusters = options.Clusters;
        if (rows.Kept is { } kept && clusters is not null)
        {
            clusters = [.. kept.Select(i => clusters[i])];
        }

        (data, covariates, offsets) = (rows.Data, rows.Covariates, rows.Offsets);
        var zeroRows = rows.ZeroWeightRows;

        if (data.EventCount == 0)
        {
            throw new DataValidationException("events", null, null, "there are no events; a Cox model cannot be fitted");
        }

        var means = Centers(data.WeightArray, covariates);
        var likelihood = new CountingProcessLikelihood(data, covariates, means, options.Ties, offsets);
        var fit = NewtonFit(likelihood, options);
        RobustSummary? robust = null;
        if (options.Variance switch
        {
            CoxVariance.Robust => true,
            CoxVariance.ModelBased => false,
            _ => clusters is not null || (data.WeightArray is { } w && Array.Exists(w, v => v != Math.Floor(v))),
        })
        {
            robust = CountingProcessRobustVariance(likelihood, data.WeightArray, fit, ClusterIndex(clusters, data.Count));
        }

        // With clusters the concordance's influences add within them, as coxph passes its clusters to concordancefit.
        (int[] Index, int Count)? concordanceClusters = clusters is null ? null : ClusterIndex(clusters, data.Count);
        var concordance = CountingProcessConcordance.Compute(data, likelihood.LinearPredictor(fit.Beta), concordanceClusters?.Index, concordanceClusters?.Count ?? 0);
        var model = WithScaleWarnings(Assemble(data.Count, data.EventCount, covariates.Terms, options, modelTerms, droppedRows, means, concordance, fit, robust), covariates, data.WeightArray);
        return zeroRows.Length == 0 ? model : model with
        {
            ZeroWeightRows = zeroRows,
            Warnings = model.Warnings.Add(FormattableString.Invariant($"{zeroRows.Length} rows of weight zero were left out before the fit (R's coxph refuses them), so they cannot count in Efron's tie fractions.")),
        };
    }

    /// <summary>
    /// (start, stop] rows as every counting-process computation takes them, as R's coxph does before anything else:
    /// near-equal times merged when <see cref="CoxOptions.TimeFix"/> asks, and rows of weight zero dropped with their
    /// covariates and offsets.
    /// </summary>
    /// <param name="Data">The rows kept, times merged when asked.</param>
    /// <param name="Covariates">Their covariates.</param>
    /// <param name="Offsets">Their offsets, if the options had any.</param>
    /// <param name="Kept">The rows kept, in the input's numbering; null when none was dropped.</param>
    /// <param name="ZeroWeightRows">The rows of weight zero that were dropped, in the input's numbering.</param>
    private sealed record CountingProcessRows(CountingProcessData Data, CovariateMatrix Covariates, IReadOnlyList<double>? Offsets, int[]? Kept, ImmutableArray<int> ZeroWeightRows)
    {
        public static CountingProcessRows Prepare(CountingProcessData data, CovariateMatrix covariates, CoxOptions options)
        {
            if (options.TimeFix)
            {
                data = data.WithTimeFix();
            }

            var offsets = options.Offsets;
            if (data.WeightArray is not { } weights || !Array.Exists(weights, v => v == 0))
            {
                return new(data, covariates, offsets, null, []);
            }

            int[] kept = [.. Enumerable.Range(0, data.Count).Where(i => weights[i] != 0)];
            return new(data.Subset(kept), covariates.Subset(kept), offsets is null ? null : [.. kept.Select(i => offsets[i])], kept, [.. Enumerable.Range(0, data.Count).Where(i => weights[i] == 0)]);
        }

        /// <summary>The input row of each kept row.</summary>
        public int InputRow(int row) => Kept is null ? row : Kept[row];
    }

    /// <summary>
    /// The robust sandwich variance for (start, stop] data, as coxph with <c>cluster()</c> or <c>robust = TRUE</c>: the weighted
    /// dfbeta residuals D_i = w_i·L_iV of the rows (L the score residuals at β̂, V = I(β̂)⁻¹) summed within each cluster c,
    /// variance Σ_c D_cᵀD_c; each row is its own cluster when none are given (so a subject split over several rows
    /// counts as several unless its id is the cluster). Also the robust score test at β = 0, as <see cref="RobustVariance"/>.
    /// </summary>
    private static RobustSummary CountingProcessRobustVariance(CountingProcessLikelihood likelihood, double[]? weights, FitState fit, (int[] Index, int Count) clusters)
    {
        var p = likelihood.TermCount;
        var n = clusters.Index.Length;
        var martingale = new double[n];
        var score = new double[n * p];
        var sums = new double[clusters.Count * p];
        var zeroSums = new double[clusters.Count * p];
        likelihood.Residuals(fit.Beta, martingale, score, null);
        for (var i = 0; i < n; i++)
        {
            var c = clusters.Index[i];
            var w = weights is null ? 1.0 : weights[i];
            for (var a = 0; a < p; a++)
            {
                var d = 0.0;
                for (var b = 0; b < p; b++)
                {
                    d += score[(i * p) + b] * fit.Variance[(b * p) + a];
                }

                sums[(c * p) + a] += w * d;
            }
        }

        // As coxph, the null score residuals are taken at a linear predictor of 0, the offsets left out (see RobustVariance).
        likelihood.Residuals(new double[p], martingale, score, null, withOffsets: false);
        var total = new double[p];
        for (var i = 0; i < n; i++)
        {
            var c = clusters.Index[i];
            var w = weights is null ? 1.0 : weights[i];
            for (var a = 0; a < p; a++)
            {
                zeroSums[(c * p) + a] += w * score[(i * p) + a];
                total[a] += w * score[(i * p) + a];
            }
        }

        var variance = CrossProduct(sums, clusters.Count, p);
        var solver = new SymmetricSolver(p);
        var scoreStatistic = solver.Factorize(CrossProduct(zeroSums, clusters.Count, p)) ? solver.InverseQuadraticForm(total) : double.PositiveInfinity;
        return new RobustSummary(variance, scoreStatistic, clusters.Count);
    }
}
