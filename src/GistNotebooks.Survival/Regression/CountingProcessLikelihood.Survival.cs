namespace GistNotebooks.Survival.Regression;

internal sealed partial class CountingProcessLikelihood
{
    /// <summary>
    /// The steps of the baseline hazard at <paramref name="beta"/> for each stratum, one per distinct stop time in
    /// ascending order, as R's <c>agsurv</c> forms them for <c>survfit.coxph</c>: the weighted number at risk
    /// (start &lt; t ≤ stop), the weight of the deaths, the hazard increment (Efron's Σ_k w̄/D_k or Breslow's W/S₀), its
    /// variance increment (Σ_k w̄/D_k² or W/S₀²) and the increment's x̄-weighted sum (Σ_k w̄·x̄_k/D_k or W·S₁/S₀²), with the
    /// covariates centred as in the fit.
    /// </summary>
    public List<List<HazardStep>> HazardSteps(ReadOnlySpan<double> beta)
    {
        var p = terms;
        var eta = LinearPredictor(beta);
        for (var i = 0; i < count; i++)
        {
            risk[i] = Math.Exp(eta[i]);
        }

        var result = new List<List<HazardStep>>();
        var s1 = new double[p];
        var d1 = new double[p];
        foreach (var (stops, starts) in byStop.Zip(byStart))
        {
            var steps = new List<HazardStep>();
            var s0 = 0.0;
            var weightAtRisk = 0.0;
            Array.Clear(s1);
            var atRisk = 0;
            var next = 0;
            var leaving = 0;
            while (next < stops.Length)
            {
                var t = stop[stops[next]];
                while (leaving < starts.Length && start[starts[leaving]] >= t)
                {
                    var row = starts[leaving++];
                    AccumulateFirst(row, -weights[row] * risk[row], ref s0, s1);
                    weightAtRisk -= weights[row];
                    atRisk--;
                }

                if (atRisk == 0)
                {
                    s0 = 0;
                    weightAtRisk = 0;
                    Array.Clear(s1);
                }

                var d0 = 0.0;
                var deaths = 0;
                var weightSum = 0.0;
                Array.Clear(d1);
                while (next < stops.Length && stop[stops[next]] == t)
                {
                    var row = stops[next++];
                    var wr = weights[row] * risk[row];
                    AccumulateFirst(row, wr, ref s0, s1);
                    weightAtRisk += weights[row];
                    atRisk++;
                    if (status[row])
                    {
                        deaths++;
                        weightSum += weights[row];
                        AccumulateFirst(row, wr, ref d0, d1);
                    }
                }

                var step = new HazardStep(t, weightAtRisk, weightSum, 0, 0, new double[p]);
                if (deaths > 0)
                {
                    var efron = ties == TieMethod.Efron && deaths > 1;
                    var termCount = efron ? deaths : 1;
                    var multiplier = efron ? weightSum / deaths : weightSum;
                    double increment = 0, varianceIncrement = 0;
                    for (var k = 0; k < termCount; k++)
                    {
                        var fraction = efron ? (double)k / deaths : 0.0;
                        var denominator = s0 - (fraction * d0);
                        increment += multiplier / denominator;
                        varianceIncrement += multiplier / (denominator * denominator);
                        for (var a = 0; a < p; a++)
                        {
                            step.WeightedMean[a] += multiplier * (s1[a] - (fraction * d1[a])) / (denominator * denominator);
                        }
                    }

                    step = step with { Increment = increment, VarianceIncrement = varianceIncrement };
                }

                steps.Add(step);
            }

            steps.Reverse();
            result.Add(steps);
        }

        return result;
    }

    /// <summary>One distinct stop time of a stratum: see <see cref="HazardSteps"/>.</summary>
    internal sealed record HazardStep(double Time, double AtRisk, double EventWeight, double Increment, double VarianceIncrement, double[] WeightedMean);
}
