using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;

namespace GistNotebooks.Survival.Regression;

public static partial class CoxRegression
{
    /// <summary>
    /// The survival curves a model fitted to counting-process (start, stop] data predicts for a covariate row, one per
    /// stratum, as R's <c>survfit(fit, newdata)</c> for <c>coxph(Surv(start, stop, event) ~ ...)</c> (routine <c>agsurv</c>):
    /// at every distinct stop time, the baseline cumulative hazard over the (start, stop] risk sets (Efron's or Breslow's
    /// form, as the fit's ties) times exp((x − x̄)β̂), with R's variance (the hazard's own variance plus qᵀVq, q(t) the
    /// accumulated (x − x̄(s))·dΛ₀(s)) and log-scale limits. The covariates are taken as fixed over the whole follow-up.
    /// </summary>
    /// <param name="model">The model fitted to <paramref name="data"/>.</param>
    /// <param name="data">The (start, stop] rows the model was fitted to.</param>
    /// <param name="covariates">The covariates the model was fitted to.</param>
    /// <param name="row">The covariate values to predict for, one per term (<see cref="DesignRow"/> builds it from names).</param>
    /// <param name="options">The options of the fit (its time handling and offsets); default as <see cref="CoxOptions"/>.</param>
    /// <exception cref="ArgumentException">The row does not have one value per term.</exception>
    public static IReadOnlyList<CoxSurvivalCurve> PredictSurvival(CoxModel model, CountingProcessData data, CovariateMatrix covariates, IReadOnlyList<double> row, CoxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(covariates);
        ArgumentNullException.ThrowIfNull(row);
        var p = model.Terms.Length;
        if (row.Count != p || covariates.TermCount != p || covariates.RowCount != data.Count)
        {
            throw new ArgumentException(FormattableString.Invariant($"Expected one value for each of the model's {p} terms, found {row.Count}."), nameof(row));
        }

        var rows = CountingProcessRows.Prepare(data, covariates, options ?? new CoxOptions());
        (data, covariates) = (rows.Data, rows.Covariates);

        var likelihood = new CountingProcessLikelihood(data, covariates, model.Means.AsSpan(), model.Ties, rows.Offsets);
        var beta = model.Coefficients.Select(c => c.Coefficient).ToArray();
        var centred = new double[p];
        var eta = 0.0;
        for (var a = 0; a < p; a++)
        {
            centred[a] = row[a] - model.Means[a];
            eta += beta[a] * centred[a];
        }

        var risk = Math.Exp(eta);
        var variance = model.Variance;
        var z = ConfidenceLimits.CriticalValue(model.ConfidenceLevel);
        var strata = likelihood.HazardSteps(beta);
        var curves = new List<CoxSurvivalCurve>();
        for (var s = 0; s < strata.Count; s++)
        {
            var steps = strata[s];
            var m = steps.Count;
            var cumulative = new double[m];
            var survival = new double[m];
            var se = new double?[m];
            var lower = new double?[m];
            var upper = new double?[m];
            var hazard = 0.0;
            var hazardVariance = 0.0;
            var q = new double[p];
            for (var i = 0; i < m; i++)
            {
                var step = steps[i];
                hazard += step.Increment;
                hazardVariance += step.VarianceIncrement;
                for (var a = 0; a < p; a++)
                {
                    q[a] += (step.Increment * centred[a]) - step.WeightedMean[a];
                }

                var quadratic = 0.0;
                for (var a = 0; a < p; a++)
                {
                    for (var b = 0; b < p; b++)
                    {
                        quadratic += q[a] * variance[a][b] * q[b];
                    }
                }

                cumulative[i] = risk * hazard;
                survival[i] = Math.Exp(-cumulative[i]);
                var standardError = risk * Math.Sqrt(hazardVariance + quadratic);
                se[i] = standardError;
                var (lo, hi) = ConfidenceLimits.Compute(survival[i], standardError, z, ConfidenceIntervalType.Log);
                lower[i] = double.IsFinite(lo) ? lo : null;
                upper[i] = double.IsFinite(hi) ? hi : null;
            }

            var stratum = data.StratumArray is null ? null : data.StrataLevels[s];
            curves.Add(new CoxSurvivalCurve(stratum, [.. row], [.. steps.Select(x => x.Time)], [.. steps.Select(x => x.AtRisk)], [.. steps.Select(x => x.EventWeight)], [.. cumulative], [.. survival], [.. se], [.. lower], [.. upper]));
        }

        return curves;
    }
}
