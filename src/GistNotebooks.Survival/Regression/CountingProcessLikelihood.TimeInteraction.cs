namespace GistNotebooks.Survival.Regression;

internal sealed partial class CountingProcessLikelihood
{
    /// <summary>
    /// The score and information at (β, γ = 0) of the model with added covariates x·g(t), g a function of the event
    /// time, on (start, stop] data (as R's <c>zph2</c>): U_γ = Σ g(t)·(the event's score contribution), and the
    /// information blocks I_ββ = Σ v, I_βγ = Σ g(t)·v, I_γγ = Σ g(t)²·v over the same risk-set terms as
    /// <see cref="Evaluate"/> (Efron's d terms for tied deaths).
    /// </summary>
    /// <param name="beta">The fitted coefficients.</param>
    /// <param name="timeValue">g at an event time.</param>
    /// <param name="score">Filled with the 2p scores (β first, then γ).</param>
    /// <param name="information">Filled with the 2p × 2p information, row-major.</param>
    public void EvaluateTimeInteraction(ReadOnlySpan<double> beta, Func<double, double> timeValue, double[] score, double[] information)
    {
        var p = terms;
        var q = 2 * p;
        Array.Clear(score);
        Array.Clear(information);
        var eta = LinearPredictor(beta);
        for (var i = 0; i < count; i++)
        {
            risk[i] = Math.Exp(eta[i]);
        }

        var s1 = new double[p];
        var s2 = new double[p * p];
        var d1 = new double[p];
        var d2 = new double[p * p];
        var mean = new double[p];
        var timeScore = new double[p];
        var timeInformation = new double[p * p];
        for (var s = 0; s < byStop.Length; s++)
        {
            var stops = byStop[s];
            var starts = byStart[s];
            var s0 = 0.0;
            Array.Clear(s1);
            Array.Clear(s2);
            var atRisk = 0;
            var next = 0;
            var leaving = 0;
            while (next < stops.Length)
            {
                var t = stop[stops[next]];
                while (leaving < starts.Length && start[starts[leaving]] >= t)
                {
                    var row = starts[leaving++];
                    Accumulate(row, -weights[row] * risk[row], ref s0, s1, s2);
                    atRisk--;
                }

                if (atRisk == 0)
                {
                    s0 = 0;
                    Array.Clear(s1);
                    Array.Clear(s2);
                }

                var d0 = 0.0;
                var deaths = 0;
                var weightSum = 0.0;
                Array.Clear(d1);
                Array.Clear(d2);
                Array.Clear(timeScore);
                Array.Clear(timeInformation);
                while (next < stops.Length && stop[stops[next]] == t)
                {
                    var row = stops[next++];
                    var w = weights[row];
                    var wr = w * risk[row];
                    Accumulate(row, wr, ref s0, s1, s2);
                    atRisk++;
                    if (status[row])
                    {
                        deaths++;
                        weightSum += w;
                        for (var j = 0; j < p; j++)
                        {
                            timeScore[j] += w * covariates[(row * p) + j];
                        }

                        Accumulate(row, wr, ref d0, d1, d2);
                    }
                }

                if (deaths == 0)
                {
                    continue;
                }

                // The time's own contributions to U and I, then spread over the β and γ blocks with weights 1, g, g².
                var unused = 0.0;
                if (ties == TieMethod.Breslow || deaths == 1)
                {
                    AddDeathTerm(s0, s1, s2, 0, 0, d1, d2, weightSum, mean, ref unused, timeScore, timeInformation);
                }
                else
                {
                    var meanWeight = weightSum / deaths;
                    for (var k = 0; k < deaths; k++)
                    {
                        AddDeathTerm(s0, s1, s2, (double)k / deaths, d0, d1, d2, meanWeight, mean, ref unused, timeScore, timeInformation);
                    }
                }

                var g = timeValue(t);
                for (var a = 0; a < p; a++)
                {
                    score[a] += timeScore[a];
                    score[p + a] += g * timeScore[a];
                    for (var b = 0; b < p; b++)
                    {
                        var v = timeInformation[(a * p) + b];
                        information[(a * q) + b] += v;
                        information[(a * q) + p + b] += g * v;
                        information[((p + a) * q) + b] += g * v;
                        information[((p + a) * q) + p + b] += g * g * v;
                    }
                }
            }
        }
    }
}
