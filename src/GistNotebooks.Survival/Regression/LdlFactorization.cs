namespace GistNotebooks.Survival.Regression;

/// <summary>
/// The C = F·D·Fᵀ factorisation (F unit lower triangular, D diagonal) with survival's conventions for a
/// matrix that may be singular or indefinite (<c>cholesky3</c>, <c>chsolve2</c>, <c>chinv2</c>): a pivot below
/// the tolerance is set to zero, the solve gives 0 for that coordinate and the inverse a zero row and column.
/// Used by the parametric regression, whose Newton steps switch to the outer-product matrix when the
/// information is not positive semidefinite, exactly as <c>survreg</c> does. Matrices are row-major, p × p; only
/// the lower triangle is read.
/// </summary>
internal static class LdlFactorization
{
    /// <summary>
    /// Factorises in place (F below the diagonal, D on it). Returns the rank, negated when a pivot is clearly
    /// negative (the matrix is not positive semidefinite).
    /// </summary>
    public static int Factor(double[] matrix, int p, double tolerance)
    {
        // As cholesky3: the threshold is the tolerance times the most negative diagonal, or the tolerance itself.
        var eps = 0.0;
        for (var i = 0; i < p; i++)
        {
            if (matrix[(i * p) + i] < eps)
            {
                eps = matrix[(i * p) + i];
            }
        }

        eps = eps == 0 ? tolerance : eps * tolerance;
        var rank = 0;
        var nonNegative = 1;
        for (var i = 0; i < p; i++)
        {
            var pivot = matrix[(i * p) + i];
            if (!double.IsFinite(pivot) || pivot < eps)
            {
                for (var j = i; j < p; j++)
                {
                    matrix[(j * p) + i] = 0;
                }

                if (pivot < -8 * eps)
                {
                    nonNegative = -1;
                }

                continue;
            }

            rank++;
            for (var j = i + 1; j < p; j++)
            {
                var temp = matrix[(j * p) + i] / pivot;
                matrix[(j * p) + i] = temp;
                matrix[(j * p) + j] -= temp * temp * pivot;
                for (var k = j + 1; k < p; k++)
                {
                    matrix[(k * p) + j] -= temp * matrix[(k * p) + i];
                }
            }
        }

        return rank * nonNegative;
    }

    /// <summary>Solves C·b = y in place from a factorisation; a zero pivot gives b = 0 in its coordinate.</summary>
    public static void Solve(double[] factor, int p, double[] y)
    {
        for (var i = 0; i < p; i++)
        {
            var temp = y[i];
            for (var j = 0; j < i; j++)
            {
                temp -= y[j] * factor[(i * p) + j];
            }

            y[i] = temp;
        }

        for (var i = p - 1; i >= 0; i--)
        {
            if (factor[(i * p) + i] == 0)
            {
                y[i] = 0;
                continue;
            }

            var temp = y[i] / factor[(i * p) + i];
            for (var j = i + 1; j < p; j++)
            {
                temp -= y[j] * factor[(j * p) + i];
            }

            y[i] = temp;
        }
    }

    /// <summary>The (generalised) inverse of the factorised matrix, full and symmetric, written over the factor.</summary>
    public static void Invert(double[] matrix, int p)
    {
        for (var i = 0; i < p; i++)
        {
            if (matrix[(i * p) + i] > 0)
            {
                matrix[(i * p) + i] = 1 / matrix[(i * p) + i];
                for (var j = i + 1; j < p; j++)
                {
                    matrix[(j * p) + i] = -matrix[(j * p) + i];
                    for (var k = 0; k < i; k++)
                    {
                        matrix[(j * p) + k] += matrix[(j * p) + i] * matrix[(i * p) + k];
                    }
                }
            }
        }

        for (var i = 0; i < p; i++)
        {
            if (matrix[(i * p) + i] == 0)
            {
                for (var j = 0; j < i; j++)
                {
                    matrix[(j * p) + i] = 0;
                }

                for (var j = i; j < p; j++)
                {
                    matrix[(i * p) + j] = 0;
                }

                continue;
            }

            for (var j = i + 1; j < p; j++)
            {
                var temp = matrix[(j * p) + i] * matrix[(j * p) + j];
                matrix[(i * p) + j] = temp;
                for (var k = i; k < j; k++)
                {
                    matrix[(i * p) + k] += temp * matrix[(j * p) + k];
                }
            }
        }

        // The inverse is now in the upper triangle; mirror it.
        for (var i = 1; i < p; i++)
        {
            for (var j = 0; j < i; j++)
            {
                matrix[(i * p) + j] = matrix[(j * p) + i];
            }
        }
    }
}
