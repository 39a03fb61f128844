using System.Runtime.CompilerServices;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Regression;

/// <summary>
/// Refuses a design matrix that R would answer with NA coefficients: a covariate with no variance, or a
/// covariate that is a linear combination of earlier ones.
/// </summary>
internal static class DesignCheck
{
    /// <summary>Relative residual variance below which a column counts as a combination of the earlier ones.</summary>
    private const double CollinearityTolerance = 1e-10;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RequireFullRank(SurvivalData data, CovariateMatrix covariates)
    {
        var n = data.Count;
        var p = covariates.TermCount;
        var terms = covariates.Terms;
        var values = covariates.Values.AsSpan(0, n * p);
        var weights = data.WeightArray;

        // A constant column: a row that differs from the first in that column ends its search.
        var constant = new bool[p];
        Array.Fill(constant, true);
        var constantLeft = p;
        for (var i = 1; i < n && constantLeft > 0; i++)
        {
            for (var j = 0; j < p; j++)
            {
                if (constant[j] && values[(i * p) + j] != values[j])
                {
                    constant[j] = false;
                    constantLeft--;
                }
            }
        }

        for (var j = 0; j < p; j++)
        {
            if (constant[j])
            {
                throw new DataValidationException("covariates", null, terms[j],
                    $"the covariate has no variance (every value is {CoxRegression.Describe(values[j])}); its coefficient cannot be estimated. Remove it from the model");
            }
        }

        // Weighted cross-products about the weighted means (whatever centring the fit uses, collinearity
        // with the intercept-free partial likelihood is collinearity after removing the means).
        var centers = covariates.WeightedMeans(weights).Means;
        var cross = new double[p * p];
        var centred = new double[p];
        for (var i = 0; i < n; i++)
        {
            var w = weights is null ? 1.0 : weights[i];
            var row = values.Slice(i * p, p);
            for (var a = 0; a < p; a++)
            {
                centred[a] = row[a] - centers[a];
            }

            for (var a = 0; a < p; a++)
            {
                var wa = w * centred[a];
                for (var b = 0; b <= a; b++)
                {
                    cross[(a * p) + b] += wa * centred[b];
                }
            }
        }

        for (var a = 0; a < p; a++)
        {
            for (var b = 0; b < a; b++)
            {
                cross[(b * p) + a] = cross[(a * p) + b];
            }
        }

        for (var j = 1; j < p; j++)
        {
            var size = j;
            var sub = new double[size * size];
            var rhs = new double[size];
            for (var a = 0; a < size; a++)
            {
                rhs[a] = cross[(a * p) + j];
                for (var b = 0; b < size; b++)
                {
                    sub[(a * size) + b] = cross[(a * p) + b];
                }
            }

            var solver = new SymmetricSolver(size);
            if (!solver.Factorize(sub))
            {
                // An earlier column was already dependent; it was reported when it was reached.
                continue;
            }

            var coefficients = (double[])rhs.Clone();
            solver.Solve(coefficients);
            var explained = 0.0;
            for (var a = 0; a < size; a++)
            {
                explained += coefficients[a] * rhs[a];
            }

            var total = cross[(j * p) + j];
            if (total - explained <= CollinearityTolerance * total)
            {
                var partners = Enumerable.Range(0, size)
                    .Where(a => Math.Abs(coefficients[a]) * Math.Sqrt(cross[(a * p) + a]) > 1e-6 * Math.Sqrt(total))
                    .Select(a => $"'{terms[a]}'");
                throw new DataValidationException("covariates", null, terms[j],
                    $"the covariate is collinear with {string.Join(", ", partners)} (it is a linear combination of them), so the coefficients cannot all be estimated (R would report NA). Remove one of these columns");
            }
        }
    }
}
