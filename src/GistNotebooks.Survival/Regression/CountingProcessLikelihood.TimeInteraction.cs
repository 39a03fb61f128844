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
        Array.Clear(score);
        Array.Clear(information);
        SetRisk(beta);
        var terms = new TimeInteractionTerms(this, timeValue, score, information);
        Sweep(ref terms);
    }

    /// <summary>
    /// Each event time's contributions to U and I, formed as in <see cref="Evaluate"/> and then spread over the β and γ
    /// blocks with weights 1, g(t), g(t)².
    /// </summary>
    private struct TimeInteractionTerms(CountingProcessLikelihood likelihood, Func<double, double> timeValue, double[] score, double[] information) : IRiskSetVisitor
    {
        private readonly double[] mean = new double[likelihood.terms];
        private readonly double[] timeScore = new double[likelihood.terms];
        private readonly double[] timeInformation = new double[likelihood.terms * likelihood.terms];

        public readonly void Death(int row, double weight)
        {
            var p = likelihood.terms;
            for (var j = 0; j < p; j++)
            {
                timeScore[j] += weight * likelihood.covariates[(row * p) + j];
            }
        }

        public readonly void EventTime(double time, double s0, double[] s1, double[] s2, double d0, double[] d1, double[] d2, int deaths, double weightSum)
        {
            var p = likelihood.terms;
            var q = 2 * p;
            var unused = 0.0;
            likelihood.AddEventTime(s0, s1, s2, d0, d1, d2, deaths, weightSum, mean, ref unused, timeScore, timeInformation);
            var g = timeValue(time);
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

            Array.Clear(timeScore);
            Array.Clear(timeInformation);
        }
    }
}
