using System.Collections.Immutable;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Regression;

public static partial class CoxRegression
{
    /// <summary>
    /// The residuals of a model fitted to counting-process (start, stop] data, as R's <c>residuals.coxph</c> gives them for
    /// <c>coxph(Surv(start, stop, event) ~ ...)</c>: one value (or one array per coefficient) per row of the (start, stop]
    /// data, not per subject; the Schoenfeld kinds one array per event, in order of stratum, then time, then row.
    /// Computed as <c>agmart3</c>, <c>agscore3</c> and <c>coxscho</c> with the fit's ties method; see
    /// <see cref="Residuals(CoxModel, SurvivalData, CovariateMatrix, CoxResidualType, CoxOptions?)"/> for the kinds.
    /// </summary>
    /// <param name="model">The model fitted to <paramref name="data"/>.</param>
    /// <param name="data">The (start, stop] rows the model was fitted to.</param>
    /// <param name="covariates">The covariates the model was fitted to, one row per interval.</param>
    /// <param name="type">The kind of residual.</param>
    /// <param name="options">The options of the fit (its time handling and offsets); default as <see cref="CoxOptions"/>.</param>
    /// <returns>The residuals; rows of weight zero, which the fit left out, get NaN.</returns>
    /// <exception cref="DataValidationException">The data do not match the model (rows or terms).</exception>
    public static CoxResiduals Residuals(CoxModel model, CountingProcessData data, CovariateMatrix covariates, CoxResidualType type, CoxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(covariates);
        if (!Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown residual type.");
        }

        var p = model.Terms.Length;
        if (covariates.RowCount != data.Count || covariates.TermCount != p)
        {
            throw new DataValidationException("covariates", null, null, FormattableString.Invariant($"has {covariates.RowCount} rows of {covariates.TermCount} terms; the data have {data.Count} rows and the model {p} terms"));
        }

        var original = data.Count;
        var prepared = CountingProcessRows.Prepare(data, covariates, options ?? new CoxOptions());
        (data, covariates) = (prepared.Data, prepared.Covariates);
        var likelihood = new CountingProcessLikelihood(data, covariates, model.Means.AsSpan(), model.Ties, prepared.Offsets);
        var n = data.Count;
        var martingale = new double[n];
        var wantScore = type is CoxResidualType.Score or CoxResidualType.Dfbeta or CoxResidualType.Dfbetas;
        var wantSchoenfeld = type is CoxResidualType.Schoenfeld or CoxResidualType.ScaledSchoenfeld;
        var score = wantScore ? new double[n * p] : null;
        var schoenfeld = wantSchoenfeld ? new double[n * p] : null;
        likelihood.Residuals([.. model.Coefficients.Select(c => c.Coefficient)], martingale, score, schoenfeld);
        var naive = model.NaiveVariance ?? model.Variance;
        var status = data.StatusArray;

        ImmutableArray<double> Scalars(Func<int, double> value)
        {
            var result = new double[original];
            Array.Fill(result, double.NaN);
            for (var k = 0; k < n; k++)
            {
                result[prepared.InputRow(k)] = value(k);
            }

            return [.. result];
        }

        switch (type)
        {
            case CoxResidualType.Martingale:
                return new CoxResiduals(type, model.Terms, Scalars(k => martingale[k]), [], []);
            case CoxResidualType.Deviance:
                return new CoxResiduals(type, model.Terms, Scalars(k =>
                {
                    var m = martingale[k];
                    var d = status[k] ? 1.0 : 0.0;
                    return Math.Sign(m) * Math.Sqrt(-2 * (m + (d == 0 ? 0.0 : d * Math.Log(d - m))));
                }), [], []);
            case CoxResidualType.Schoenfeld:
            case CoxResidualType.ScaledSchoenfeld:
                return CountingProcessSchoenfeld(model, type, data, schoenfeld!, naive);
            default:
                var rows = new ImmutableArray<double>[original];
                Array.Fill(rows, [.. Enumerable.Repeat(double.NaN, p)]);
                for (var k = 0; k < n; k++)
                {
                    var w = type == CoxResidualType.Score ? 1.0 : data.WeightAt(k);
                    var row = new double[p];
                    for (var a = 0; a < p; a++)
                    {
                        var value = 0.0;
                        if (type == CoxResidualType.Score)
                        {
                            value = score![(k * p) + a];
                        }
                        else
                        {
                            for (var b = 0; b < p; b++)
                            {
                                value += score![(k * p) + b] * naive[b][a];
                            }

                            if (type == CoxResidualType.Dfbetas)
                            {
                                value /= Math.Sqrt(naive[a][a]);
                            }
                        }

                        row[a] = w * value;
                    }

                    rows[prepared.InputRow(k)] = [.. row];
                }

                return new CoxResiduals(type, model.Terms, [], [.. rows], []);
        }
    }

    /// <summary>
    /// Per-row predictions for the (start, stop] data a model was fitted to, as R's <c>predict.coxph(fit, type =)</c>
    /// without new data: the centred linear predictor (x − x̄)β̂ + (o − ō), the relative risk, or the expected number of
    /// events of each row, r·(Λ̂₀(stop) − Λ̂₀(start)) = δ − martingale residual (the row's own interval only). Centring as
    /// <see cref="Predict(CoxModel, ModelFrame, CoxPredictionType, CoxOptions?)"/>: by the fit's means, or by the
    /// case-weighted means of the row's stratum in a stratified fit (R's <c>reference = "strata"</c>).
    /// </summary>
    /// <param name="model">The model fitted to <paramref name="data"/>.</param>
    /// <param name="data">The (start, stop] rows the model was fitted to.</param>
    /// <param name="covariates">The covariates the model was fitted to, one row per interval.</param>
    /// <param name="type">What to predict.</param>
    /// <param name="options">The options of the fit (its time handling and offsets); default as <see cref="CoxOptions"/>.</param>
    /// <returns>One value per row in input order; for <see cref="CoxPredictionType.Expected"/> NaN for a row of weight zero, which the fit left out.</returns>
    /// <exception cref="DataValidationException">The data do not match the model (rows or terms).</exception>
    public static ImmutableArray<double> Predict(CoxModel model, CountingProcessData data, CovariateMatrix covariates, CoxPredictionType type, CoxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(covariates);
        if (!Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown prediction type.");
        }

        if (type == CoxPredictionType.Expected)
        {
            var martingale = Residuals(model, data, covariates, CoxResidualType.Martingale, options).Values;
            var events = data.StatusArray;
            return [.. martingale.Select((m, i) => (events[i] ? 1.0 : 0.0) - m)];
        }

        if (covariates.RowCount != data.Count)
        {
            throw new DataValidationException("covariates", null, null, FormattableString.Invariant($"has {covariates.RowCount} rows; the data have {data.Count}"));
        }

        return LinearPredictors(model, covariates, data.Strata, data.WeightArray, options?.Offsets, type == CoxPredictionType.Risk);
    }

    /// <summary>The Schoenfeld rows of the events, ordered by stratum level, then time, then row; scaled as <see cref="CoxResidualType.ScaledSchoenfeld"/> when asked.</summary>
    private static CoxResiduals CountingProcessSchoenfeld(CoxModel model, CoxResidualType type, CountingProcessData data, double[] schoenfeld, ImmutableArray<ImmutableArray<double>> naive)
    {
        var p = model.Terms.Length;
        var stop = data.StopArray;
        var events = CountingProcessLikelihood.StratumRows(data)
            .SelectMany(rows => rows.Where(i => data.StatusArray[i]).OrderBy(i => stop[i]))
            .ToArray();
        var rows = ImmutableArray.CreateBuilder<ImmutableArray<double>>(events.Length);
        foreach (var i in events)
        {
            var row = schoenfeld.AsSpan(i * p, p).ToArray();
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

                    scaled[a] = (value * events.Length) + model.Coefficients[a].Coefficient;
                }

                row = scaled;
            }

            rows.Add([.. row]);
        }

        return new CoxResiduals(type, model.Terms, [], rows.MoveToImmutable(), [.. events.Select(i => stop[i])]);
    }
}
