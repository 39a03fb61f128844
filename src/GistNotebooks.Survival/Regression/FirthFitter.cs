using GistNotebooks.Survival.Inference;
using MathNet.Numerics.RootFinding;

namespace GistNotebooks.Survival.Regression;

/// <summary>
/// Firth's penalised partial likelihood ℓ*(β) = ℓ(β) + ½·log det I(β) (Firth 1993; Heinze &amp; Schemper 2001):
/// the maximiser, and for each coefficient the profile penalised-likelihood interval and test.
/// </summary>
internal sealed class FirthFitter
{
    /// <summary>Newton steps are capped at this size in every coordinate, as coxphf's maxstep, so a flat penalised surface cannot throw the iteration far.</summary>
    private const double MaxStep = 1.0;

    /// <summary>Iteration limit for each penalised maximisation (the penalised Newton step uses I(β), so convergence is linear near the end).</summary>
    private const int MaxIterations = 500;

    /// <summary>Converged when no coordinate moves by more than this.</summary>
    private const double StepTolerance = 1e-10;

    private readonly CoxLikelihood likelihood;
    private readonly int p;
    private readonly double[] score;
    private readonly double[] information;
    private readonly double[] derivative;
    private readonly double[] penalizedScore;
    private readonly SymmetricSolver solver;

    private FirthFitter(CoxLikelihood likelihood)
    {
        this.likelihood = likelihood;
        p = likelihood.TermCount;
        score = new double[p];
        information = new double[p * p];
        derivative = new double[p * p * p];
        penalizedScore = new double[p];
        solver = new SymmetricSolver(p);
    }

    public static CoxRegression.FitState Fit(CoxLikelihood likelihood, CoxOptions options)
    {
        var fitter = new FirthFitter(likelihood);
        var p = fitter.p;
        var zero = new double[p];

        // The ordinary null log-likelihood and score test, as an ordinary fit reports them.
        var nullLogLikelihood = likelihood.Evaluate(zero, fitter.score, fitter.information);
        fitter.solver.Factorize(fitter.information);
        var scoreStatistic = fitter.solver.InverseQuadraticForm(fitter.score);
        var atZero = fitter.Penalized(zero);

        var beta = new double[p];
        var (maximum, iterations, converged) = fitter.Maximize(beta, -1);

        var logLikelihood = likelihood.Evaluate(beta, fitter.score, fitter.information);
        fitter.solver.Factorize(fitter.information);
        var variance = fitter.solver.Inverse();
        var finalScore = (double[])fitter.score.Clone();

        var critical = Distributions.ChiSquareQuantile(options.ConfidenceLevel, 1);
        var lower = new double?[p];
        var upper = new double?[p];
        var pValues = new double[p];
        for (var j = 0; j < p && !options.FirthProfile; j++)
        {
            pValues[j] = double.NaN;
        }

        for (var j = 0; j < p && options.FirthProfile; j++)
        {
            var start = (double[])beta.Clone();
            double Profile(double value)
            {
                var trial = (double[])start.Clone();
                trial[j] = value;
                var result = fitter.Maximize(trial, j).Value;
                return result;
            }

            var target = maximum - (critical / 2);
            var width = Math.Max(Math.Sqrt(variance[(j * p) + j]), 0.1);
            lower[j] = Limit(v => Profile(v) - target, beta[j], -width);
            upper[j] = Limit(v => Profile(v) - target, beta[j], width);
            var statistic = Math.Max(0, 2 * (maximum - Profile(0)));
            pValues[j] = Distributions.ChiSquareUpperTail(statistic, 1);
        }

        return new CoxRegression.FitState(
            beta,
            nullLogLikelihood,
            logLikelihood,
            scoreStatistic,
            variance,
            finalScore,
            iterations,
            converged,
            new CoxRegression.PenalizedSummary(maximum, atZero, lower, upper, pValues));
    }

    /// <summary>Finds where the decreasing function f crosses 0 going from <paramref name="estimate"/> in the direction of <paramref name="step"/>; null if not within 60 log-hazard units.</summary>
    private static double? Limit(Func<double, double> f, double estimate, double step)
    {
        var inner = estimate;
        var outer = estimate + step;
        while (f(outer) > 0)
        {
            inner = outer;
            step *= 2;
            outer = estimate + step;
            if (Math.Abs(step) > 60)
            {
                return null;
            }
        }

        var (a, b) = inner < outer ? (inner, outer) : (outer, inner);
        return Brent.TryFindRoot(f, a, b, 1e-12, 200, out var root) ? root : null;
    }

    /// <summary>Maximises ℓ* over every coordinate except <paramref name="fixedIndex"/> (−1: none), starting from and updating <paramref name="beta"/>.</summary>
    private (double Value, int Iterations, bool Converged) Maximize(double[] beta, int fixedIndex)
    {
        var free = Enumerable.Range(0, p).Where(j => j != fixedIndex).ToArray();
        var current = Penalized(beta);
        if (free.Length == 0)
        {
            return (current, 0, true);
        }

        var q = free.Length;
        var sub = new double[q * q];
        var step = new double[q];
        var subSolver = new SymmetricSolver(q);
        var trial = new double[p];
        for (var iteration = 1; iteration <= MaxIterations; iteration++)
        {
            for (var a = 0; a < q; a++)
            {
                step[a] = penalizedScore[free[a]];
                for (var b = 0; b < q; b++)
                {
                    sub[(a * q) + b] = information[(free[a] * p) + free[b]];
                }
            }

            if (!subSolver.Factorize(sub))
            {
                return (current, iteration, false);
            }

            subSolver.Solve(step);
            var largest = step.Max(Math.Abs);
            if (largest > MaxStep)
            {
                for (var a = 0; a < q; a++)
                {
                    step[a] *= MaxStep / largest;
                }
            }

            double value;
            var halvings = 0;
            while (true)
            {
                Array.Copy(beta, trial, p);
                for (var a = 0; a < q; a++)
                {
                    trial[free[a]] += step[a];
                }

                value = Penalized(trial);
                if (value >= current - (1e-13 * Math.Abs(current)) || halvings == 40)
                {
                    break;
                }

                halvings++;
                for (var a = 0; a < q; a++)
                {
                    step[a] /= 2;
                }
            }

            Array.Copy(trial, beta, p);
            current = value;
            if (step.Max(Math.Abs) <= StepTolerance)
            {
                return (current, iteration, true);
            }
        }

        return (current, MaxIterations, false);
    }

    /// <summary>ℓ*(β); leaves the information I(β) and the penalised score U*(β) = U + ½·tr(I⁻¹ ∂I/∂β_m) in the fields.</summary>
    private double Penalized(double[] beta)
    {
        var logLikelihood = likelihood.Evaluate(beta, score, information, derivative);
        if (!double.IsFinite(logLikelihood) || !solver.Factorize(information))
        {
            return double.NegativeInfinity;
        }

        var inverse = solver.Inverse();
        for (var m = 0; m < p; m++)
        {
            var trace = 0.0;
            for (var a = 0; a < p; a++)
            {
                for (var b = 0; b < p; b++)
                {
                    trace += inverse[(a * p) + b] * derivative[(((a * p) + b) * p) + m];
                }
            }

            penalizedScore[m] = score[m] + (0.5 * trace);
        }

        return logLikelihood + (0.5 * solver.LogDeterminant);
    }
}
