using System.Runtime.CompilerServices;

namespace GistNotebooks.Survival.Regression;

/// <summary>The per-row quantities of a fitted Cox model: martingale, score and Schoenfeld residuals.</summary>
internal sealed partial class CoxLikelihood
{
    /// <summary>Whether the sorted row <paramref name="sortedRow"/> is an event.</summary>
    public bool IsEvent(int sortedRow) => events[sortedRow];

    /// <summary>The case weight of the sorted row <paramref name="sortedRow"/>.</summary>
    public double Weight(int sortedRow) => weights[sortedRow];

    /// <summary>The number of rows.</summary>
    public int Count => count;

    /// <summary>
    /// Computes the residuals of the model at <paramref name="beta"/>, in sorted order, in one backward pass over the
    /// distinct times of each stratum, as survival's <c>coxmart</c>, <c>coxscore2</c> and <c>coxscho</c> do.
    /// </summary>
    /// <remarks>
    /// With r_i = exp(x_iβ) (centred x), S0 = Σ w·r and S1 = Σ w·r·x over the risk set, and at a time with d deaths of total
    /// weight W the hazard pieces dΛ_k = (W/d)/(S0 − (k/d)·D0) and means x̄_k = (S1 − (k/d)·D1)/(S0 − (k/d)·D0),
    /// k = 0 … d − 1 (Efron; Breslow is the one piece k = 0 with weight W): the martingale residual is
    /// δ_i − r_i·Σ_{t ≤ T_i} dΛ, a tied death taking only (1 − k/d) of each piece at its own time; the score residual is
    /// δ_i·(x_i − x̄(T_i)) − r_i·Σ_{t ≤ T_i} (x_i − x̄)·dΛ, with the same (1 − k/d) for the tied deaths and x̄(T_i) the mean of
    /// the d pieces' means; the Schoenfeld residual of a death is x_i − x̄(T_i). Costs O(n·p).
    /// </remarks>
    /// <param name="beta">The coefficients.</param>
    /// <param name="martingale">Receives the martingale residual of each sorted row (length n).</param>
    /// <param name="score">Receives the score residuals, row-major n × p in sorted order, or null when not wanted.</param>
    /// <param name="schoenfeld">Receives x − x̄ of each event row (row-major n × p, sorted order; other rows untouched), or null.</param>
    /// <param name="withOffsets">Whether the offsets enter the linear predictor; false only for R's null score residuals of the robust score test.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Residuals(ReadOnlySpan<double> beta, double[] martingale, double[]? score, double[]? schoenfeld, bool withOffsets = true)
    {
        var p = terms;
        ComputeRisk(beta, withOffsets);
        var x = covariates;
        var risk1 = new double[p];
        var death1 = new double[p];
        var hazardMean = new double[p];
        var meanSum = new double[p];
        var xbar = new double[p];
        var cumulativeHazard = 0.0;
        var riskSum0 = 0.0;
        var stratumEnd = count;
        for (var g = groupStart.Length - 2; g >= 0; g--)
        {
            var first = groupStart[g];
            var last = groupStart[g + 1];
            if (g == groupStart.Length - 2 || groupStartsStratum[g + 1])
            {
                riskSum0 = 0;
                cumulativeHazard = 0;
                Array.Clear(risk1);
                Array.Clear(hazardMean);
                stratumEnd = last;
            }

            // Each row is charged only for the hazard from its own time on: pre-credit what has accumulated after it.
            var deathSum0 = 0.0;
            var deathWeight = 0.0;
            var deaths = 0;
            Array.Clear(death1);
            for (var k = first; k < last; k++)
            {
                var r = Math.Exp(etaValue[k]);
                var wr = riskValue[k];
                martingale[k] = r * cumulativeHazard;
                riskSum0 += wr;
                for (var a = 0; a < p; a++)
                {
                    var xa = x[(k * p) + a];
                    if (score is not null)
                    {
                        score[(k * p) + a] = r * ((xa * cumulativeHazard) - hazardMean[a]);
                    }

                    risk1[a] += wr * xa;
                }

                if (events[k])
                {
                    deaths++;
                    deathWeight += weights[k];
                    deathSum0 += wr;
                    for (var a = 0; a < p; a++)
                    {
                        death1[a] += wr * x[(k * p) + a];
                    }
                }
            }

            if (deaths > 0)
            {
                var efron = ties == TieMethod.Efron && deaths > 1;
                var pieces = efron ? deaths : 1;
                var pieceWeight = efron ? deathWeight / deaths : deathWeight;
                Array.Clear(meanSum);
                var deathCredit = 0.0;
                for (var piece = 0; piece < pieces; piece++)
                {
                    var fraction = efron ? (double)piece / deaths : 0.0;
                    var d0 = riskSum0 - (fraction * deathSum0);
                    var hazard = pieceWeight / d0;
                    cumulativeHazard += hazard;
                    deathCredit += fraction * hazard;
                    for (var a = 0; a < p; a++)
                    {
                        xbar[a] = (risk1[a] - (fraction * death1[a])) / d0;
                        hazardMean[a] += xbar[a] * hazard;
                        meanSum[a] += xbar[a];
                    }

                    if (score is not null && fraction > 0)
                    {
                        for (var k = first; k < first + deaths; k++)
                        {
                            var r = Math.Exp(etaValue[k]);
                            for (var a = 0; a < p; a++)
                            {
                                score[(k * p) + a] += (x[(k * p) + a] - xbar[a]) * r * hazard * fraction;
                            }
                        }
                    }
                }

                for (var k = first; k < first + deaths; k++)
                {
                    martingale[k] += Math.Exp(etaValue[k]) * deathCredit;
                    for (var a = 0; a < p; a++)
                    {
                        var residual = x[(k * p) + a] - (meanSum[a] / pieces);
                        if (score is not null)
                        {
                            score[(k * p) + a] += residual;
                        }

                        if (schoenfeld is not null)
                        {
                            schoenfeld[(k * p) + a] = residual;
                        }
                    }
                }
            }

            if (g == 0 || groupStartsStratum[g])
            {
                // The stratum is complete: charge every row the hazard of the whole stratum, less the pre-credit.
                for (var k = first; k < stratumEnd; k++)
                {
                    var r = Math.Exp(etaValue[k]);
                    martingale[k] = (events[k] ? 1.0 : 0.0) - ((r * cumulativeHazard) - martingale[k]);
                    if (score is not null)
                    {
                        for (var a = 0; a < p; a++)
                        {
                            score[(k * p) + a] += r * (hazardMean[a] - (x[(k * p) + a] * cumulativeHazard));
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The risk-set sums of each distinct time of each stratum at <paramref name="beta"/>, for the survival curves of
    /// <c>survfit.coxph</c>: the weighted risk Σ w·r and count Σ w at risk, the weighted events and censorings, the
    /// number of event rows, the events' risk Σ w·r·δ, and the sums Σ w·r·x (at risk) and Σ w·r·δ·x (events), with x centred.
    /// </summary>
    public IReadOnlyList<TimeSums> SumsByTime(ReadOnlySpan<double> beta)
    {
        var p = terms;
        ComputeRisk(beta);
        var result = new TimeSums[groupStart.Length - 1];
        var riskSum = 0.0;
        var weightSum = 0.0;
        var risk1 = new double[p];
        for (var g = groupStart.Length - 2; g >= 0; g--)
        {
            var first = groupStart[g];
            var last = groupStart[g + 1];
            if (g == groupStart.Length - 2 || groupStartsStratum[g + 1])
            {
                riskSum = 0;
                weightSum = 0;
                Array.Clear(risk1);
            }

            var eventWeight = 0.0;
            var censoredWeight = 0.0;
            var eventRows = 0;
            var eventRisk = 0.0;
            var event1 = new double[p];
            for (var k = first; k < last; k++)
            {
                var wr = riskValue[k];
                riskSum += wr;
                weightSum += weights[k];
                for (var a = 0; a < p; a++)
                {
                    risk1[a] += wr * covariates[(k * p) + a];
                }

                if (events[k])
                {
                    eventWeight += weights[k];
                    eventRows++;
                    eventRisk += wr;
                    for (var a = 0; a < p; a++)
                    {
                        event1[a] += wr * covariates[(k * p) + a];
                    }
                }
                else
                {
                    censoredWeight += weights[k];
                }
            }

            result[g] = new TimeSums(Order[first], groupStartsStratum[g], riskSum, weightSum, eventWeight, censoredWeight, eventRows, eventRisk, (double[])risk1.Clone(), event1);
        }

        return result;
    }

    /// <summary>The sums at one distinct time of a stratum (see <see cref="SumsByTime"/>); <see cref="Row"/> is a data row at that time.</summary>
    internal sealed record TimeSums(int Row, bool StartsStratum, double Risk, double AtRisk, double EventWeight, double CensoredWeight, int EventRows, double EventRisk, double[] RiskX, double[] EventRiskX);
}
