namespace GistNotebooks.Survival.Regression;

/// <summary>
/// The log-likelihood of a location–scale model for right-censored y (y = log T or T), its score and
/// information in (β, log σ), and the outer-product matrix JᵀJ, as survival's <c>survregc1</c> computes them.
/// An exact observation contributes log f(z) − log σ, a censored one log(1 − F(z)), z = (y − xᵀβ)/σ. The
/// Jacobian of the time transformation is not included here (see <see cref="ParametricRegression"/>).
/// </summary>
internal sealed class ParametricLikelihood
{
    private readonly double[] y;
    private readonly bool[] exact;
    private readonly double[] weights;
    private readonly double[] design;
    private readonly StandardFamily family;
    private readonly double fixedLogScale;

    /// <param name="y">The response on the model's scale.</param>
    /// <param name="exact">True for an observed event, false for a right-censored time.</param>
    /// <param name="weights">Case weights.</param>
    /// <param name="design">Row-major design, n × <paramref name="variableCount"/>, intercept included.</param>
    /// <param name="variableCount">The number of columns of the design.</param>
    /// <param name="family">The standard distribution.</param>
    /// <param name="fixedLogScale">log σ when the scale is fixed; null when it is estimated (the last parameter).</param>
    public ParametricLikelihood(double[] y, bool[] exact, double[] weights, double[] design, int variableCount, StandardFamily family, double? fixedLogScale)
    {
        this.y = y;
        this.exact = exact;
        this.weights = weights;
        this.design = design;
        VariableCount = variableCount;
        this.family = family;
        EstimatesScale = fixedLogScale is null;
        this.fixedLogScale = fixedLogScale ?? 0;
    }

    /// <summary>The number of regression coefficients (intercept included).</summary>
    public int VariableCount { get; }

    /// <summary>Whether log σ is a parameter (the last one).</summary>
    public bool EstimatesScale { get; }

    /// <summary>The number of parameters: the coefficients, plus log σ when it is estimated.</summary>
    public int ParameterCount => VariableCount + (EstimatesScale ? 1 : 0);

    /// <summary>
    /// The log-likelihood at <paramref name="parameters"/>; when <paramref name="score"/> is given, also the score,
    /// the information (minus the second derivatives) and JᵀJ, each filled in the lower triangle.
    /// </summary>
    public double Evaluate(ReadOnlySpan<double> parameters, double[]? score, double[]? information, double[]? outerProduct)
    {
        var nvar = VariableCount;
        var np = ParameterCount;
        if (score is not null)
        {
            Array.Clear(score);
            Array.Clear(information!);
            Array.Clear(outerProduct!);
        }

        var sigma = Math.Exp(EstimatesScale ? parameters[nvar] : fixedLogScale);
        var inverseSigmaSquared = 1 / (sigma * sigma);
        var logLikelihood = 0.0;
        for (var person = 0; person < y.Length; person++)
        {
            var row = design.AsSpan(person * nvar, nvar);
            var eta = 0.0;
            for (var i = 0; i < nvar; i++)
            {
                eta += parameters[i] * row[i];
            }

            var sz = y[person] - eta;
            var z = sz / sigma;
            double g, dg, ddg, dsig, ddsig, dsg;
            if (exact[person])
            {
                var (density, slope, curvature) = StandardDistributions.Exact(family, z);
                if (density <= 0)
                {
                    // Off the probability scale: any derivatives will do, the value triggers step halving.
                    (g, dg, ddg, dsig, ddsig, dsg) = (StandardDistributions.Small, -z / sigma, -1 / sigma, 0, 0, 0);
                }
                else
                {
                    g = Math.Log(density) - Math.Log(sigma);
                    var temp = slope / sigma;
                    var temp2 = curvature * inverseSigmaSquared;
                    dg = -temp;
                    dsig = -temp * sz;
                    ddg = temp2 - (dg * dg);
                    dsg = (sz * temp2) - (dg * (dsig + 1));
                    ddsig = (sz * sz * temp2) - (dsig * (1 + dsig));
                    dsig -= 1;
                }
            }
            else
            {
                var (_, survival, density, slope) = StandardDistributions.Tails(family, z);
                if (survival <= 0)
                {
                    (g, dg, ddg, dsig, ddsig, dsg) = (StandardDistributions.Small, z / sigma, 0, 0, 0, 0);
                }
                else
                {
                    g = Math.Log(survival);
                    var temp = -density / (survival * sigma);
                    var temp2 = -slope * inverseSigmaSquared / survival;
                    dg = -temp;
                    dsig = -temp * sz;
                    ddg = temp2 - (dg * dg);
                    dsg = (sz * temp2) - (dg * (dsig + 1));
                    ddsig = (sz * sz * temp2) - (dsig * (1 + dsig));
                }
            }

            var w = weights[person];
            logLikelihood += g * w;
            if (score is null)
            {
                continue;
            }

            for (var i = 0; i < nvar; i++)
            {
                var temp = dg * row[i] * w;
                score[i] += temp;
                for (var j = 0; j <= i; j++)
                {
                    information![(i * np) + j] -= row[i] * row[j] * ddg * w;
                    outerProduct![(i * np) + j] += temp * row[j] * dg;
                }
            }

            if (EstimatesScale)
            {
                var k = nvar;
                score[k] += w * dsig;
                for (var i = 0; i < nvar; i++)
                {
                    information![(k * np) + i] -= dsg * row[i] * w;
                    outerProduct![(k * np) + i] += dsig * row[i] * dg * w;
                }

                information![(k * np) + k] -= ddsig * w;
                outerProduct![(k * np) + k] += dsig * dsig * w;
            }
        }

        return logLikelihood;
    }
}
