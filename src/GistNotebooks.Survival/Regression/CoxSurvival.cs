using System.Collections.Immutable;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;

namespace GistNotebooks.Survival.Regression;

/// <summary>
/// A survival curve predicted by a Cox model for one covariate row in one stratum, as R's <c>survfit(fit, newdata)</c>
/// (survival 3.5-3) gives it: one entry per distinct follow-up time of the stratum.
/// </summary>
/// <param name="Stratum">The stratum, or null for a model without strata.</param>
/// <param name="Covariates">The design row the curve is for (the model's term order).</param>
/// <param name="Time">The distinct follow-up times of the stratum, censored-only times included.</param>
/// <param name="AtRisk">The weighted number at risk just before each time.</param>
/// <param name="Events">The weighted number of events at each time.</param>
/// <param name="CumulativeHazard">Λ(t | x) = exp((x − x̄)β̂)·Λ₀(t), Λ₀ the baseline at the means (Breslow's or, with Efron ties, Efron's increments).</param>
/// <param name="Survival">S(t | x) = exp(−Λ(t | x)), R's default <c>stype = 2</c>.</param>
/// <param name="StandardError">The standard error of Λ(t | x) (so of −log S), with the variance of β̂ included.</param>
/// <param name="Lower">The lower limit on the log scale, S·exp(−z·se); null where undefined.</param>
/// <param name="Upper">The upper limit on the log scale, min(S·exp(z·se), 1); null where undefined.</param>
public sealed record CoxSurvivalCurve(
    string? Stratum,
    ImmutableArray<double> Covariates,
    ImmutableArray<double> Time,
    ImmutableArray<double> AtRisk,
    ImmutableArray<double> Events,
    ImmutableArray<double> CumulativeHazard,
    ImmutableArray<double> Survival,
    ImmutableArray<double?> StandardError,
    ImmutableArray<double?> Lower,
    ImmutableArray<double?> Upper);

public static partial class CoxRegression
{
    /// <summary>
    /// The survival curves a fitted model predicts for a covariate row, one per stratum, as R's
    /// <c>survfit(fit, newdata = row)</c> with its defaults (<c>stype = 2</c>, <c>ctype</c> following the ties, log-scale
    /// limits at the model's confidence level).
    /// </summary>
    /// <remarks>
    /// At a time with d event rows of total weight W, risk-set sum S0 = Σ w·exp((x − x̄)β̂) and the events' part E0, the
    /// baseline increment is dΛ₀ = W/S0 (Breslow) or W·(1/d)Σ_{k&lt;d} 1/(S0 − (k/d)E0) (Efron); the first part of its
    /// variance W/S0² or W·(1/d)Σ 1/(S0 − (k/d)E0)²; and the mean term x̄·dΛ₀ likewise (R's <c>agsurv</c>). For a row x with
    /// r = exp((x − x̄)β̂): Λ(t | x) = r·Λ₀(t), var = r²·(Σ var-increments + q(t)ᵀVq(t)) with q(t) = Σ_{s ≤ t}(x·dΛ₀ − x̄dΛ₀)
    /// and V the model's variance (<c>fit$var</c>). Tsiatis (1981); Therneau &amp; Grambsch (2000), §10.2.
    /// </remarks>
    /// <param name="model">The fitted model.</param>
    /// <param name="frame">The model frame it was fitted to.</param>
    /// <param name="row">The covariate row, one value per term (see <see cref="DesignRow"/>).</param>
    /// <param name="options">The options of the fit (its time handling); default as <see cref="CoxOptions"/>.</param>
    /// <exception cref="ArgumentException">The row does not have one value per term.</exception>
    public static IReadOnlyList<CoxSurvivalCurve> PredictSurvival(CoxModel model, ModelFrame frame, IReadOnlyList<double> row, CoxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return PredictSurvival(model, frame.Data, frame.Covariates, row, options);
    }

    /// <summary>The survival curves a fitted model predicts for a covariate row; see <see cref="PredictSurvival(CoxModel, ModelFrame, IReadOnlyList{double}, CoxOptions?)"/>.</summary>
    /// <exception cref="ArgumentException">The row does not have one value per term.</exception>
    public static IReadOnlyList<CoxSurvivalCurve> PredictSurvival(CoxModel model, SurvivalData data, CovariateMatrix covariates, IReadOnlyList<double> row, CoxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(covariates);
        ArgumentNullException.ThrowIfNull(row);
        var p = model.Terms.Length;
        if (row.Count != p || covariates.TermCount != p)
        {
            throw new ArgumentException(FormattableString.Invariant($"Expected one value for each of the model's {p} terms, found {row.Count}."), nameof(row));
        }

        var prepared = Prepare(data, covariates, options ?? new CoxOptions());
        var likelihood = new CoxLikelihood(prepared.Data, prepared.Covariates, model.Means.AsSpan(), model.Ties, prepared.Offsets);
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
        var sums = likelihood.SumsByTime(beta);
        var stratumIndex = CoxLikelihood.StratumIndex(prepared.Data);
        var times = prepared.Data.TimeArray;
        var curves = new List<CoxSurvivalCurve>();
        var start = 0;
        while (start < sums.Count)
        {
            var end = start + 1;
            while (end < sums.Count && !sums[end].StartsStratum)
            {
                end++;
            }

            var m = end - start;
            var time = new double[m];
            var atRisk = new double[m];
            var events = new double[m];
            var cumulative = new double[m];
            var survival = new double[m];
            var se = new double?[m];
            var lower = new double?[m];
            var upper = new double?[m];
            var hazard = 0.0;
            var hazardVariance = 0.0;
            var q = new double[p];
            var xbar = new double[p];
            for (var i = 0; i < m; i++)
            {
                var s = sums[start + i];
                time[i] = times[s.Row];
                atRisk[i] = s.AtRisk;
                events[i] = s.EventWeight;
                if (s.EventRows > 0 && s.EventWeight > 0)
                {
                    double increment, varianceIncrement;
                    if (model.Ties == TieMethod.Efron && s.EventRows > 1)
                    {
                        var d = s.EventRows;
                        double sum1 = 0, sum2 = 0;
                        Array.Clear(xbar);
                        for (var k = 0; k < d; k++)
                        {
                            var denominator = s.Risk - (s.EventRisk * k / d);
                            sum1 += 1 / denominator / d;
                            sum2 += 1 / (denominator * denominator) / d;
                            for (var a = 0; a < p; a++)
                            {
                                xbar[a] += (s.RiskX[a] - (s.EventRiskX[a] * k / d)) / (denominator * denominator) / d;
                            }
                        }

                        increment = s.EventWeight * sum1;
                        varianceIncrement = s.EventWeight * sum2;
                        for (var a = 0; a < p; a++)
                        {
                            xbar[a] *= s.EventWeight;
                        }
                    }
                    else
                    {
                        increment = s.EventWeight / s.Risk;
                        varianceIncrement = s.EventWeight / (s.Risk * s.Risk);
                        for (var a = 0; a < p; a++)
                        {
                            xbar[a] = s.RiskX[a] / s.Risk * increment;
                        }
                    }

                    hazard += increment;
                    hazardVariance += varianceIncrement;
                    for (var a = 0; a < p; a++)
                    {
                        q[a] += (increment * centred[a]) - xbar[a];
                    }
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

            var stratum = !prepared.Data.HasStrata ? null : prepared.Data.StrataLevels[stratumIndex[sums[start].Row]];
            curves.Add(new CoxSurvivalCurve(stratum, [.. row], [.. time], [.. atRisk], [.. events], [.. cumulative], [.. survival], [.. se], [.. lower], [.. upper]));
            start = end;
        }

        return curves;
    }

    /// <summary>
    /// The baseline curves of a fitted model, one per stratum: at the covariate means when <paramref name="centered"/> (R's
    /// <c>survfit(fit)</c> and <c>basehaz(fit)</c>), at x = 0 otherwise (<c>basehaz(fit, centered = FALSE)</c>).
    /// </summary>
    public static IReadOnlyList<CoxSurvivalCurve> BaselineSurvival(CoxModel model, ModelFrame frame, bool centered = true, CoxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return PredictSurvival(model, frame, centered ? [.. model.Means] : new double[model.Terms.Length], options);
    }

    /// <summary>
    /// The design row of a covariate setting given by name, in the model's term order, as R's <c>model.matrix</c> makes it for
    /// <c>newdata</c>: a number for each numeric covariate, a level for each factor (for example age = 60, celltype = adeno).
    /// </summary>
    /// <exception cref="ArgumentException">A covariate is missing, a level does not occur, or a number does not parse.</exception>
    public static ImmutableArray<double> DesignRow(CoxModel model, ModelFrame frame, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(frame);
        return CovariateValues.Row(model.Terms, frame.Factors, values);
    }
}
