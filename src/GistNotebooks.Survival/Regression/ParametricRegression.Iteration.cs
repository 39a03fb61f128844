namespace GistNotebooks.Survival.Regression;

/// <content>The Newton–Raphson iteration of survival 3.5-3's <c>survreg6</c>, step for step.</content>
public static partial class ParametricRegression
{
    /// <summary>
    /// Maximises the likelihood from <paramref name="start"/> as survival 3.5-3's <c>survreg6</c>: Newton–Raphson
    /// steps (with JᵀJ in place of the information when the information is not positive semidefinite); a step that
    /// lowers the likelihood is halved back towards the last good estimate up to five times (on the first halving
    /// log σ may fall by at most 1.1), and the next iteration starts from wherever that left it. Converged when
    /// |1 − ℓ_old/ℓ_new| ≤ tolerance after a full step. Out of iterations, the last trial is returned with its ℓ.
    /// </summary>
    private static IterationResult Iterate(ParametricLikelihood likelihood, double[] start, int maxIterations, double tolerance, double choleskyTolerance)
    {
        var np = likelihood.ParameterCount;
        var nvar = likelihood.VariableCount;
        var beta = (double[])start.Clone();
        var newBeta = new double[np];
        var step = new double[np];
        var information = new double[np * np];
        var outer = new double[np * np];

        var logLikelihood = likelihood.Evaluate(beta, step, information, outer);
        NewtonStep(information, outer, step, np, choleskyTolerance);
        for (var i = 0; i < np; i++)
        {
            newBeta[i] = beta[i] + step[i];
        }

        if (maxIterations == 0)
        {
            LdlFactorization.Invert(information, np);
            return new IterationResult(beta, logLikelihood, information, 0, true);
        }

        var halving = 0;
        var newLogLikelihood = likelihood.Evaluate(newBeta, step, information, outer);
        for (var iteration = 1; iteration <= maxIterations; iteration++)
        {
            if (double.IsFinite(newLogLikelihood) && Math.Abs(1 - (logLikelihood / newLogLikelihood)) <= tolerance && halving == 0)
            {
                LdlFactorization.Factor(information, np, choleskyTolerance);
                LdlFactorization.Invert(information, np);
                return new IterationResult(newBeta, newLogLikelihood, information, iteration, true);
            }

            if (!double.IsFinite(newLogLikelihood) || newLogLikelihood < logLikelihood)
            {
                // Comparisons with NaN are false, so an undefined ℓ is not halved here (as in R).
                for (var j = 0; j < 5 && newLogLikelihood < logLikelihood; j++)
                {
                    halving++;
                    for (var i = 0; i < np; i++)
                    {
                        newBeta[i] = (newBeta[i] + beta[i]) / 2;
                    }

                    // A Newton step can shrink σ tenfold; on the first halving keep log σ within 1.1 of the last good value.
                    if (halving == 1 && likelihood.EstimatesScale && beta[nvar] - newBeta[nvar] > 1.1)
                    {
                        newBeta[nvar] = beta[nvar] - 1.1;
                    }

                    newLogLikelihood = likelihood.Evaluate(newBeta, null, null, null);
                }
            }
            else
            {
                halving = 0;
                logLikelihood = newLogLikelihood;
                NewtonStep(information, outer, step, np, choleskyTolerance);
                for (var i = 0; i < np; i++)
                {
                    beta[i] = newBeta[i];
                    newBeta[i] += step[i];
                }
            }

            newLogLikelihood = likelihood.Evaluate(newBeta, step, information, outer);
        }

        // Out of iterations: R returns the last trial, its log-likelihood and its information.
        LdlFactorization.Factor(information, np, choleskyTolerance);
        LdlFactorization.Invert(information, np);
        return new IterationResult(newBeta, newLogLikelihood, information, maxIterations, false);
    }

    /// <summary>Overwrites <paramref name="score"/> with I⁻¹U, or (JᵀJ)⁻¹U when I is not positive semidefinite; factorises I in place.</summary>
    private static void NewtonStep(double[] information, double[] outer, double[] score, int np, double choleskyTolerance)
    {
        if (LdlFactorization.Factor(information, np, choleskyTolerance) < 0)
        {
            LdlFactorization.Factor(outer, np, choleskyTolerance);
            LdlFactorization.Solve(outer, np, score);
        }
        else
        {
            LdlFactorization.Solve(information, np, score);
        }
    }

    /// <summary>The estimate, the log-likelihood reported, the inverse information, the iterations and whether they converged.</summary>
    private sealed record IterationResult(double[] Parameters, double LogLikelihood, double[] Variance, int Iterations, bool Converged);
}
