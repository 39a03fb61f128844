using System.Collections.Immutable;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Regression;

/// <summary>The kinds of residual of a Cox model, as R's <c>residuals.coxph(type =)</c>.</summary>
public enum CoxResidualType
{
    /// <summary>δ_i − Λ̂_i: the observed minus the expected number of events of each row (<c>"martingale"</c>).</summary>
    Martingale,

    /// <summary>sign(m)·√(−2(m + δ·log(δ − m))) of the martingale residual m (<c>"deviance"</c>).</summary>
    Deviance,

    /// <summary>Each row's contribution to the score vector at β̂, one value per coefficient (<c>"score"</c>).</summary>
    Score,

    /// <summary>x_i − x̄(t_i) at each event, one value per coefficient (<c>"schoenfeld"</c>).</summary>
    Schoenfeld,

    /// <summary>Schoenfeld residuals scaled as Grambsch &amp; Therneau (1994): d·r·V + β̂, d the number of events (<c>"scaledsch"</c>).</summary>
    ScaledSchoenfeld,

    /// <summary>The approximate change in β̂ when the row is left out, w_i·L_iV (L the score residuals, V the model-based variance) (<c>"dfbeta"</c>).</summary>
    Dfbeta,

    /// <summary>The dfbeta residuals divided by the model-based standard errors (<c>"dfbetas"</c>).</summary>
    Dfbetas,
}

/// <summary>
/// The residuals of a Cox model, as R's <c>residuals.coxph</c> (survival 3.5-3) gives them with its defaults: martingale,
/// deviance, score and Schoenfeld residuals unweighted, dfbeta and dfbetas multiplied by the case weights.
/// </summary>
/// <param name="Type">The kind of residual.</param>
/// <param name="Terms">The coefficient names, in the order of each row of <see cref="Rows"/>.</param>
/// <param name="Values">One value per data row, in input order, for <see cref="CoxResidualType.Martingale"/> and <see cref="CoxResidualType.Deviance"/> (NaN for a row of weight zero, which the fit left out); empty for the other kinds.</param>
/// <param name="Rows">One array of per-coefficient values per data row (score, dfbeta, dfbetas) in input order, or per event (Schoenfeld kinds) in order of time within stratum; empty for the scalar kinds.</param>
/// <param name="EventTimes">The event time of each Schoenfeld row; empty for the other kinds.</param>
public sealed record CoxResiduals(
    CoxResidualType Type,
    ImmutableArray<string> Terms,
    ImmutableArray<double> Values,
    ImmutableArray<ImmutableArray<double>> Rows,
    ImmutableArray<double> EventTimes);

/// <summary>What <see cref="CoxRegression.Predict(CoxModel, ModelFrame, CoxPredictionType, CoxOptions?)"/> returns for each row of the fitted data.</summary>
public enum CoxPredictionType
{
    /// <summary>The centred linear predictor (x − x̄)β̂, R's <c>predict(fit, type = "lp")</c>.</summary>
    LinearPredictor,

    /// <summary>exp of the centred linear predictor, R's <c>type = "risk"</c>.</summary>
    Risk,

    /// <summary>The expected number of events given the covariates and follow-up, δ − martingale residual, R's <c>type = "expected"</c>.</summary>
    Expected,
}

public static partial class CoxRegression
{
    /// <summary>
    /// The residuals of a fitted model on the model frame it was fitted to, as R's <c>residuals(fit, type)</c>.
    /// See <see cref="Residuals(CoxModel, SurvivalData, CovariateMatrix, CoxResidualType, CoxOptions?)"/>.
    /// </summary>
    /// <exception cref="DataValidationException">The frame does not match the model.</exception>
    public static CoxResiduals Residuals(CoxModel model, ModelFrame frame, CoxResidualType type, CoxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return Residuals(model, frame.Data, frame.Covariates, type, options);
    }

    /// <summary>
    /// The residuals of a fitted model on the data it was fitted to, as R's <c>residuals.coxph</c>: computed in one pass
    /// over the sorted data with the fit's ties method (the Efron forms of <c>coxmart</c>, <c>coxscore2</c> and <c>coxscho</c>).
    /// </summary>
    /// <param name="model">The fitted model.</param>
    /// <param name="data">The survival data the model was fitted to.</param>
    /// <param name="covariates">The covariates the model was fitted to.</param>
    /// <param name="type">The kind of residual.</param>
    /// <param name="options">The options of the fit (its time handling); default as <see cref="CoxOptions"/>.</param>
    /// <exception cref="DataValidationException">The data do not match the model (rows or terms).</exception>
    public static CoxResiduals Residuals(CoxModel model, SurvivalData data, CovariateMatrix covariates, CoxResidualType type, CoxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown residual type.");
        }

        var state = ResidualState.Compute(model, data, covariates, options ?? new CoxOptions(), wantScore: type is CoxResidualType.Score or CoxResidualType.Dfbeta or CoxResidualType.Dfbetas, wantSchoenfeld: type is CoxResidualType.Schoenfeld or CoxResidualType.ScaledSchoenfeld);
        var p = model.Terms.Length;
        var naive = model.NaiveVariance ?? model.Variance;
        switch (type)
        {
            case CoxResidualType.Martingale:
                return new CoxResiduals(type, model.Terms, state.InDataOrder(state.Martingale), [], []);
            case CoxResidualType.Deviance:
                var deviance = new double[state.Martingale.Length];
                for (var k = 0; k < deviance.Length; k++)
                {
                    var m = state.Martingale[k];
                    var d = state.Likelihood.IsEvent(k) ? 1.0 : 0.0;
                    deviance[k] = Math.Sign(m) * Math.Sqrt(-2 * (m + (d == 0 ? 0.0 : d * Math.Log(d - m))));
                }

                return new CoxResiduals(type, model.Terms, state.InDataOrder(deviance), [], []);
            case CoxResidualType.Schoenfeld:
            case CoxResidualType.ScaledSchoenfeld:
                return SchoenfeldResiduals(model, type, state, naive);
            default:
                var score = state.Score!;
                var rows = new double[state.Martingale.Length * p];
                for (var k = 0; k < state.Martingale.Length; k++)
                {
                    var w = type == CoxResidualType.Score ? 1.0 : state.Likelihood.Weight(k);
                    for (var a = 0; a < p; a++)
                    {
                        var value = 0.0;
                        if (type == CoxResidualType.Score)
                        {
                            value = score[(k * p) + a];
                        }
                        else
                        {
                            for (var b = 0; b < p; b++)
                            {
                                value += score[(k * p) + b] * naive[b][a];
                            }

                            if (type == CoxResidualType.Dfbetas)
                            {
                                value /= Math.Sqrt(naive[a][a]);
                            }
                        }

                        rows[(k * p) + a] = w * value;
                    }
                }

                return new CoxResiduals(type, model.Terms, [], state.RowsInDataOrder(rows, p), []);
        }
    }

    /// <summary>
    /// Per-row predictions for the data a model was fitted to, as R's <c>predict.coxph(fit, type =)</c> without new data
    /// (its default <c>reference = "strata"</c>): the centred linear predictor, the relative risk, or the expected number of
    /// events. The linear predictor is (x − x̄)β̂ + (o − ō): x̄ the fit's means, or in a stratified fit the case-weighted
    /// means of the row's stratum; o the offset (if any) and ō its unweighted mean over the rows.
    /// </summary>
    /// <exception cref="DataValidationException">The frame does not match the model.</exception>
    public static ImmutableArray<double> Predict(CoxModel model, ModelFrame frame, CoxPredictionType type, CoxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(frame);
        if (!Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown prediction type.");
        }

        if (type != CoxPredictionType.Expected)
        {
            return LinearPredictors(model, frame.Covariates, frame.Data.Strata, frame.Data.WeightArray, options?.Offsets, type == CoxPredictionType.Risk);
        }

        var martingale = Residuals(model, frame, CoxResidualType.Martingale, options).Values;
        var events = frame.Data.StatusArray;
        return [.. martingale.Select((m, i) => (events[i] ? 1.0 : 0.0) - m)];
    }

    /// <summary>
    /// (x − x̄)β̂ + (o − ō) per row, or its exp, as <c>predict.coxph(type = "lp" | "risk")</c> without new data: x̄ the model's
    /// means, or with strata the case-weighted covariate means of each row's stratum (R's <c>reference = "strata"</c>);
    /// ō the unweighted mean of the offsets.
    /// </summary>
    private static ImmutableArray<double> LinearPredictors(CoxModel model, CovariateMatrix covariates, ImmutableArray<string> strata, double[]? weights, IReadOnlyList<double>? offsets, bool risk)
    {
        var p = model.Terms.Length;
        var n = covariates.RowCount;
        if (covariates.TermCount != p || (!strata.IsEmpty && strata.Length != n) || (offsets is not null && offsets.Count != n))
        {
            throw new DataValidationException("covariates", null, null, FormattableString.Invariant($"has {n} rows of {covariates.TermCount} terms; the model has {p} terms, and strata and offsets must have one value per row"));
        }

        Dictionary<string, double[]>? stratumMeans = null;
        if (!strata.IsEmpty)
        {
            var sums = new Dictionary<string, double[]>(StringComparer.Ordinal);
            for (var i = 0; i < n; i++)
            {
                if (!sums.TryGetValue(strata[i], out var sum))
                {
                    sums[strata[i]] = sum = new double[p + 1];
                }

                var w = weights is null ? 1.0 : weights[i];
                for (var j = 0; j < p; j++)
                {
                    sum[j] += w * covariates[i, j];
                }

                sum[p] += w;
            }

            stratumMeans = sums.ToDictionary(pair => pair.Key, pair => pair.Value[..p].Select(v => v / pair.Value[p]).ToArray(), StringComparer.Ordinal);
        }

        var meanOffset = offsets is null || n == 0 ? 0.0 : offsets.Average();
        var result = new double[n];
        for (var i = 0; i < n; i++)
        {
            var means = stratumMeans is null ? null : stratumMeans[strata[i]];
            var eta = offsets is null ? 0.0 : offsets[i] - meanOffset;
            for (var j = 0; j < p; j++)
            {
                eta += model.Coefficients[j].Coefficient * (covariates[i, j] - (means is null ? model.Means[j] : means[j]));
            }

            result[i] = risk ? Math.Exp(eta) : eta;
        }

        return [.. result];
    }

    private static CoxResiduals SchoenfeldResiduals(CoxModel model, CoxResidualType type, ResidualState state, ImmutableArray<ImmutableArray<double>> naive)
    {
        var p = model.Terms.Length;
        var likelihood = state.Likelihood;
        var schoenfeld = state.Schoenfeld!;
        var times = state.Prepared.Data.TimeArray;
        var rows = ImmutableArray.CreateBuilder<ImmutableArray<double>>();
        var eventTimes = ImmutableArray.CreateBuilder<double>();
        var deaths = 0;
        for (var k = 0; k < likelihood.Count; k++)
        {
            deaths += likelihood.IsEvent(k) ? 1 : 0;
        }

        var row = new double[p];
        for (var k = 0; k < likelihood.Count; k++)
        {
            if (!likelihood.IsEvent(k))
            {
                continue;
            }

            for (var a = 0; a < p; a++)
            {
                row[a] = schoenfeld[(k * p) + a];
            }

            if (type == CoxResidualType.ScaledSchoenfeld)
            {
                var scaled = new double[p];
                for (var a = 0; a < p; a++)
                {
                    var value = 0.0;
                    for (var b = 0; b < p; b++)
                    {
                        value += row[b] * naive[b][a];
                    }

                    scaled[a] = (value * deaths) + model.Coefficients[a].Coefficient;
                }

                rows.Add([.. scaled]);
            }
            else
            {
                rows.Add([.. row]);
            }

            eventTimes.Add(times[likelihood.Order[k]]);
        }

        return new CoxResiduals(type, model.Terms, [], rows.ToImmutable(), eventTimes.ToImmutable());
    }

    /// <summary>The likelihood of a fitted model rebuilt on its data, and its residuals in sorted order.</summary>
    private sealed record ResidualState(PreparedData Prepared, int OriginalRows, CoxLikelihood Likelihood, double[] Martingale, double[]? Score, double[]? Schoenfeld)
    {
        public static ResidualState Compute(CoxModel model, SurvivalData data, CovariateMatrix covariates, CoxOptions options, bool wantScore, bool wantSchoenfeld)
        {
            ArgumentNullException.ThrowIfNull(data);
            ArgumentNullException.ThrowIfNull(covariates);
            var p = model.Terms.Length;
            if (covariates.RowCount != data.Count || covariates.TermCount != p)
            {
                throw new DataValidationException("covariates", null, null, FormattableString.Invariant($"has {covariates.RowCount} rows of {covariates.TermCount} terms; the data have {data.Count} rows and the model {p} terms"));
            }

            var prepared = Prepare(data, covariates, options);
            var likelihood = new CoxLikelihood(prepared.Data, prepared.Covariates, model.Means.AsSpan(), model.Ties, prepared.Offsets);
            var beta = model.Coefficients.Select(c => c.Coefficient).ToArray();
            var n = likelihood.Count;
            var martingale = new double[n];
            var score = wantScore ? new double[n * p] : null;
            var schoenfeld = wantSchoenfeld ? new double[n * p] : null;
            likelihood.Residuals(beta, martingale, score, schoenfeld);
            return new ResidualState(prepared, data.Count, likelihood, martingale, score, schoenfeld);
        }

        /// <summary>The rows of the original data that the fit kept, in order (all but the rows of weight zero).</summary>
        private int[] KeptRows()
        {
            var kept = new int[Likelihood.Count];
            var zero = Prepared.ZeroWeightRows;
            int next = 0, z = 0;
            for (var i = 0; i < OriginalRows; i++)
            {
                if (z < zero.Length && zero[z] == i)
                {
                    z++;
                    continue;
                }

                kept[next++] = i;
            }

            return kept;
        }

        public ImmutableArray<double> InDataOrder(double[] sorted)
        {
            var kept = KeptRows();
            var result = new double[OriginalRows];
            Array.Fill(result, double.NaN);
            for (var k = 0; k < sorted.Length; k++)
            {
                result[kept[Likelihood.Order[k]]] = sorted[k];
            }

            return [.. result];
        }

        public ImmutableArray<ImmutableArray<double>> RowsInDataOrder(double[] sorted, int p)
        {
            var kept = KeptRows();
            var result = new ImmutableArray<double>[OriginalRows];
            var missing = ImmutableArray.CreateRange(Enumerable.Repeat(double.NaN, p));
            Array.Fill(result, missing);
            for (var k = 0; k < Likelihood.Count; k++)
            {
                result[kept[Likelihood.Order[k]]] = [.. sorted.AsSpan(k * p, p)];
            }

            return [.. result];
        }
    }
}
