namespace GistNotebooks.Survival.Regression;

/// <summary>
/// Cholesky factorisation of small symmetric positive definite matrices (row-major, p × p), used for
/// the Newton steps, the inverse information and log-determinants. Allocation-free after construction.
/// </summary>
internal sealed class SymmetricSolver
{
    private readonly int size;
    private readonly double[] factor;

    public SymmetricSolver(int size)
    {
        this.size = size;
        factor = new double[size * size];
    }

    /// <summary>The log-determinant of the last matrix factorised.</summary>
    public double LogDeterminant { get; private set; }

    /// <summary>Factorises A = L·Lᵀ; false when a pivot is not positive relative to the diagonal (a singular matrix).</summary>
    public bool Factorize(double[] matrix)
    {
        var p = size;
        Array.Copy(matrix, factor, p * p);
        var logDet = 0.0;
        for (var j = 0; j < p; j++)
        {
            var diagonal = factor[(j * p) + j];
            for (var k = 0; k < j; k++)
            {
                diagonal -= factor[(j * p) + k] * factor[(j * p) + k];
            }

            // A pivot that has lost all but a rounding error of the original diagonal means the matrix is singular.
            if (!(diagonal > 1e-12 * Math.Abs(matrix[(j * p) + j])) || !double.IsFinite(diagonal))
            {
                return false;
            }

            var root = Math.Sqrt(diagonal);
            factor[(j * p) + j] = root;
            logDet += 2 * Math.Log(root);
            for (var i = j + 1; i < p; i++)
            {
                var sum = factor[(i * p) + j];
                for (var k = 0; k < j; k++)
                {
                    sum -= factor[(i * p) + k] * factor[(j * p) + k];
                }

                factor[(i * p) + j] = sum / root;
            }
        }

        LogDeterminant = logDet;
        return true;
    }

    /// <summary>Solves A·x = b in place using the last factorisation.</summary>
    public void Solve(double[] vector)
    {
        var p = size;
        for (var i = 0; i < p; i++)
        {
            var sum = vector[i];
            for (var k = 0; k < i; k++)
            {
                sum -= factor[(i * p) + k] * vector[k];
            }

            vector[i] = sum / factor[(i * p) + i];
        }

        for (var i = p - 1; i >= 0; i--)
        {
            var sum = vector[i];
            for (var k = i + 1; k < p; k++)
            {
                sum -= factor[(k * p) + i] * vector[k];
            }

            vector[i] = sum / factor[(i * p) + i];
        }
    }

    /// <summary>The inverse of the last matrix factorised, as a new row-major array.</summary>
    public double[] Inverse()
    {
        var p = size;
        var inverse = new double[p * p];
        var column = new double[p];
        for (var j = 0; j < p; j++)
        {
            Array.Clear(column);
            column[j] = 1;
            Solve(column);
            for (var i = 0; i < p; i++)
            {
                inverse[(i * p) + j] = column[i];
            }
        }

        // Symmetrise to remove rounding asymmetry.
        for (var i = 0; i < p; i++)
        {
            for (var j = 0; j < i; j++)
            {
                var mean = 0.5 * (inverse[(i * p) + j] + inverse[(j * p) + i]);
                inverse[(i * p) + j] = mean;
                inverse[(j * p) + i] = mean;
            }
        }

        return inverse;
    }

    /// <summary>The quadratic form bᵀA⁻¹b with the last factorisation.</summary>
    public double InverseQuadraticForm(ReadOnlySpan<double> vector)
    {
        var copy = vector.ToArray();
        Solve(copy);
        var sum = 0.0;
        for (var i = 0; i < size; i++)
        {
            sum += copy[i] * vector[i];
        }

        return sum;
    }
}
