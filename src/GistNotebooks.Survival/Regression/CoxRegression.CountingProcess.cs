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
    /// <param name="options">Settings; defaults as R. Firth's correction, clusters and the robust variance are not available on this path.</param>
    /// <returns>The fitted model. Its concordance is Harrell's C over the risk sets (each event against the rows at risk at its time), without a standard error.</returns>
    /// <exception cref="DataValidationException">The rows differ in number, there are no events, or the information matrix is singular.</exception>
    /// <exception cref="NotSupportedException">Firth's correction, clusters, or a robust variance (asked for, or implied by non-integer weights) was requested.</exception>
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

        if (options.Firth || options.Clusters is not null || options.Variance == CoxVariance.Robust
            || (options.Variance == CoxVariance.Automatic && data.WeightArray is { } w && Array.Exists(w, v => v != Math.Floor(v))))
        {
            throw new NotSupportedException("Counting-process (start, stop] data are fitted with the model-based variance only: Firth's correction, clusters, the robust variance and non-integer weights (which imply it) are not available for them.");
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

        if (options.TimeFix)
        {
            data = data.WithTimeFix();
        }

        ImmutableArray<int> zeroRows = [];
        if (data.WeightArray is { } weights && Array.Exists(weights, v => v == 0))
        {
            var kept = Enumerable.Range(0, data.Count).Where(i => weights[i] != 0).ToArray();
            zeroRows = [.. Enumerable.Range(0, data.Count).Where(i => weights[i] == 0)];
            data = data.Subset(kept);
            covariates = covariates.Subset(kept);
            offsets = offsets is null ? null : [.. kept.Select(i => offsets[i])];
        }

        if (data.EventCount == 0)
        {
            throw new DataValidationException("events", null, null, "there are no events; a Cox model cannot be fitted");
        }

        var means = Centers(data.WeightArray, covariates);
        var likelihood = new CountingProcessLikelihood(data, covariates, means, options.Ties, offsets);
        var fit = NewtonFit(likelihood, options);
        var concordance = CountingProcessConcordance(data, likelihood.LinearPredictor(fit.Beta));
        var model = WithScaleWarnings(Assemble(data.Count, data.EventCount, covariates.Terms, options, modelTerms, droppedRows, means, concordance, fit, null), covariates, data.WeightArray);
        return zeroRows.Length == 0 ? model : model with
        {
            ZeroWeightRows = zeroRows,
            Warnings = model.Warnings.Add(FormattableString.Invariant($"{zeroRows.Length} rows of weight zero were left out before the fit (R's coxph refuses them), so they cannot count in Efron's tie fractions.")),
        };
    }

    /// <summary>
    /// Harrell's C over the risk sets, as R's <c>concordance</c> counts pairs for (start, stop] data: each event at t
    /// against each other row at risk at t (start &lt; t ≤ stop) that is not itself an event at t, weighted by the
    /// product of the case weights; concordant when the event has the larger linear predictor. A direct count, cost
    /// proportional to events × rows.
    /// </summary>
    private static CoxConcordance CountingProcessConcordance(CountingProcessData data, double[] eta)
    {
        var strata = CountingProcessLikelihood.StratumRows(data);
        var start = data.StartArray;
        var stop = data.StopArray;
        var status = data.StatusArray;
        double concordant = 0, discordant = 0, tiedRisk = 0, tiedTime = 0, tiedBoth = 0;
        foreach (var rows in strata)
        {
            foreach (var i in rows)
            {
                if (!status[i])
                {
                    continue;
                }

                var t = stop[i];
                var wi = data.WeightAt(i);
                foreach (var j in rows)
                {
                    if (j == i || !(start[j] < t && t <= stop[j]))
                    {
                        continue;
                    }

                    var w = wi * data.WeightAt(j);
                    if (status[j] && stop[j] == t)
                    {
                        // Each tied pair is met twice, once from either event.
                        if (eta[i] == eta[j])
                        {
                            tiedBoth += w / 2;
                        }
                        else
                        {
                            tiedTime += w / 2;
                        }
                    }
                    else if (eta[i] > eta[j])
                    {
                        concordant += w;
                    }
                    else if (eta[i] < eta[j])
                    {
                        discordant += w;
                    }
                    else
                    {
                        tiedRisk += w;
                    }
                }
            }
        }

        var comparable = concordant + discordant + tiedRisk;
        double? estimate = comparable > 0 ? (concordant + (tiedRisk / 2)) / comparable : null;
        return new CoxConcordance(estimate, null, concordant, discordant, tiedRisk, tiedTime, tiedBoth);
    }
}
