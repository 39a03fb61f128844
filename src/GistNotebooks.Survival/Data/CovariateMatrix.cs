using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GistNotebooks.Survival.Data;

/// <summary>
/// The design matrix of a regression: one row per subject, one column per model term (a numeric
/// covariate, or one indicator per non-reference level of a factor). Immutable.
/// </summary>
public sealed class CovariateMatrix
{
    private readonly double[] values;

    private CovariateMatrix(double[] values, int rowCount, ImmutableArray<string> terms)
    {
        this.values = values;
        RowCount = rowCount;
        Terms = terms;
    }

    /// <summary>The term names, as R names them (<c>age</c>, <c>celltypesmallcell</c>).</summary>
    public ImmutableArray<string> Terms { get; }

    /// <summary>The number of rows (subjects).</summary>
    public int RowCount { get; }

    /// <summary>The number of terms (columns).</summary>
    public int TermCount => Terms.Length;

    /// <summary>The value of a term for a subject.</summary>
    public double this[int row, int term] => values[(row * Terms.Length) + term];

    // The last weighted means asked for (see WeightedMeans); a reference is written whole, so threads at most compute twice.
    private ColumnMeans? lastMeans;

    /// <summary>Row-major values: row i, term j is at i·p + j.</summary>
    internal double[] Values => values;

    /// <summary>
    /// The weighted mean of each column over the rows of positive weight (every weight 1 when <paramref name="weights"/> is
    /// null), their total weight, and whether each column's values all lie in {−1, 0, 1} (over every row): one pass over
    /// the row-major values, every column at once. The centring, the rank check and the scale warnings of one fit all ask
    /// for them with the same weights, so the last answer is kept (with the weights it was for, compared by reference).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal ColumnMeans WeightedMeans(double[]? weights)
    {
        if (lastMeans is { } kept && ReferenceEquals(kept.Weights, weights))
        {
            return kept;
        }

        var p = Terms.Length;
        var rows = values.AsSpan(0, RowCount * p);
        var sums = new double[p];
        var indicatorLike = new bool[p];
        Array.Fill(indicatorLike, true);
        var totalWeight = 0.0;
        for (var i = 0; i < RowCount; i++)
        {
            var row = rows.Slice(i * p, p);
            for (var j = 0; j < p; j++)
            {
                indicatorLike[j] &= row[j] is -1.0 or 0.0 or 1.0;
            }

            var w = weights is null ? 1.0 : weights[i];
            if (w <= 0)
            {
                continue;
            }

            totalWeight += w;
            for (var j = 0; j < p; j++)
            {
                sums[j] += w * row[j];
            }
        }

        for (var j = 0; j < p; j++)
        {
            sums[j] /= totalWeight;
        }

        var result = new ColumnMeans(weights, ImmutableCollectionsMarshal.AsImmutableArray(sums), totalWeight, ImmutableCollectionsMarshal.AsImmutableArray(indicatorLike));
        lastMeans = result;
        return result;
    }

    /// <summary>Creates a matrix from numeric columns, one per term.</summary>
    /// <exception cref="DataValidationException">Columns differ in length, or a value is not finite.</exception>
    public static CovariateMatrix FromColumns(IReadOnlyList<string> terms, IReadOnlyList<IReadOnlyList<double>> columns)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(columns);
        if (terms.Count != columns.Count)
        {
            throw new ArgumentException("There must be one name per column.", nameof(terms));
        }

        if (terms.Count == 0)
        {
            throw new ArgumentException("A model needs at least one term.", nameof(terms));
        }

        var n = columns[0].Count;
        var p = terms.Count;

        // The fit keeps a sorted copy beside this one.
        LevelLimit.CheckSize("the covariate matrix", n, p, copies: 2);
        var values = new double[n * p];
        for (var j = 0; j < p; j++)
        {
            if (columns[j].Count != n)
            {
                throw new DataValidationException(terms[j], null, null, FormattableString.Invariant($"has {columns[j].Count} values but '{terms[0]}' has {n}; the lengths must be equal"));
            }

            for (var i = 0; i < n; i++)
            {
                var v = columns[j][i];
                if (!double.IsFinite(v))
                {
                    throw new DataValidationException(terms[j], i + 1, null, FormattableString.Invariant($"expected a finite number, found {v}"));
                }

                values[(i * p) + j] = v;
            }
        }

        return new CovariateMatrix(values, n, [.. terms]);
    }

    /// <summary>Creates a one-term matrix.</summary>
    public static CovariateMatrix FromColumn(string term, IReadOnlyList<double> column) => FromColumns([term], [column]);

    /// <summary>The rows at the given 0-based indices, in that order.</summary>
    public CovariateMatrix Subset(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var p = Terms.Length;
        var result = new double[rows.Count * p];
        for (var i = 0; i < rows.Count; i++)
        {
            Array.Copy(values, rows[i] * p, result, i * p, p);
        }

        return new CovariateMatrix(result, rows.Count, Terms);
    }

    /// <summary>One term's values as a new array.</summary>
    public double[] Column(int term)
    {
        var p = Terms.Length;
        var result = new double[RowCount];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = values[(i * p) + term];
        }

        return result;
    }

    internal static CovariateMatrix FromRowMajor(double[] values, int rowCount, ImmutableArray<string> terms) => new(values, rowCount, terms);
}

/// <summary>Weighted column means of a <see cref="CovariateMatrix"/> (see <see cref="CovariateMatrix.WeightedMeans"/>).</summary>
/// <param name="Weights">The case weights they were computed with (null: all 1).</param>
/// <param name="Means">The weighted mean of each column.</param>
/// <param name="TotalWeight">The total weight of the rows of positive weight.</param>
/// <param name="IndicatorLike">Whether each column's values all lie in {−1, 0, 1}.</param>
internal sealed record ColumnMeans(double[]? Weights, ImmutableArray<double> Means, double TotalWeight, ImmutableArray<bool> IndicatorLike);
