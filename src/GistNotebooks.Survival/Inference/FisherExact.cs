using MathNet.Numerics;

namespace GistNotebooks.Survival.Inference;

/// <summary>Settings of Fisher's exact test.</summary>
/// <param name="ConfidenceLevel">The level of the odds-ratio interval (2 × 2 only); 0.95 by default, as in R.</param>
/// <param name="MaxTables">The most tables with the observed margins that an r × c test will enumerate before it gives up; 10 million by default.</param>
public sealed record FisherExactOptions(double ConfidenceLevel = 0.95, long MaxTables = 10_000_000)
{
    /// <summary>The defaults.</summary>
    public static FisherExactOptions Default { get; } = new();
}

/// <summary>The result of Fisher's exact test.</summary>
/// <param name="PValue">The two-sided p-value: the total probability of the tables, with the observed margins, that are no more likely than the observed one.</param>
/// <param name="OddsRatio">For a 2 × 2 table, the conditional maximum-likelihood odds ratio (0 or +∞ at the edges of the support); null for larger tables.</param>
/// <param name="OddsRatioLower">The lower exact conditional confidence limit of the odds ratio (2 × 2 only, else null); 0 when the top-left cell is at its smallest possible value.</param>
/// <param name="OddsRatioUpper">The upper limit (2 × 2 only, else null); +∞ when the top-left cell is at its largest possible value, as R reports Inf.</param>
/// <param name="TablesEnumerated">How many tables with the observed margins were summed over.</param>
public sealed record FisherExactResult(double PValue, double? OddsRatio, double? OddsRatioLower, double? OddsRatioUpper, long TablesEnumerated);

/// <summary>Fisher's (1935) exact test of independence in a contingency table, conditional on both margins, as R's <c>fisher.test</c>.</summary>
public static class FisherExact
{
    /// <summary>R's relative tolerance when comparing table probabilities with the observed one (1 + 10⁻⁷).</summary>
    private const double RelativeError = 1 + 1e-7;

    /// <summary>Tests independence of rows and columns of a table of counts.</summary>
    /// <remarks>
    /// Under independence and fixed margins a table has probability Π rᵢ! Π cⱼ! / (N! Π nᵢⱼ!). The two-sided p-value sums
    /// that probability over all tables with P ≤ P_observed·(1 + 10⁻⁷), R's rule. A 2 × 2 table is handled through the
    /// hypergeometric distribution of its top-left cell; its odds ratio is the conditional MLE (the root of E[X; ψ] = x
    /// under Fisher's noncentral hypergeometric distribution) and its interval inverts the two one-sided exact tests at
    /// α/2 each, as <c>fisher.test</c> does (R solves these with <c>uniroot</c> at its default tolerance of about 1.2e-4 on ψ or 1/ψ, so
    /// its printed odds ratio and limits can be off by up to about 1%, most for large upper limits; these are solved on log ψ to
    /// about 1e-13 and agree with R's equations solved tightly). Larger tables are enumerated exhaustively
    /// (column by column, the last row and column forced), which suits the small tables of this kit; the test fails when
    /// more than <see cref="FisherExactOptions.MaxTables"/> tables share the margins. Fisher RA (1935) The Design of Experiments.
    /// </remarks>
    /// <param name="table">Counts, at least 2 × 2, none negative.</param>
    /// <param name="options">The odds-ratio confidence level and the enumeration limit.</param>
    /// <exception cref="ArgumentException">The table is smaller than 2 × 2, has a negative count, or has an empty row or column.</exception>
    /// <exception cref="InvalidOperationException">More tables share the margins than the enumeration limit allows.</exception>
    public static FisherExactResult Test(int[,] table, FisherExactOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        options ??= FisherExactOptions.Default;
        var rows = table.GetLength(0);
        var columns = table.GetLength(1);
        if (rows < 2 || columns < 2)
        {
            throw new ArgumentException("The table needs at least two rows and two columns.", nameof(table));
        }

        var rowTotals = new int[rows];
        var columnTotals = new int[columns];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                if (table[i, j] < 0)
                {
                    throw new ArgumentException(FormattableString.Invariant($"The count in row {i + 1}, column {j + 1} is negative."), nameof(table));
                }

                rowTotals[i] += table[i, j];
                columnTotals[j] += table[i, j];
            }
        }

        if (rowTotals.Any(t => t == 0) || columnTotals.Any(t => t == 0))
        {
            throw new ArgumentException("Every row and column needs at least one count (R drops empty ones; remove them first).", nameof(table));
        }

        return rows == 2 && columns == 2
            ? TwoByTwo(table[0, 0], columnTotals[0], columnTotals[1], rowTotals[0], options.ConfidenceLevel)
            : Enumerate(table, rowTotals, columnTotals, options.MaxTables);
    }

    private static FisherExactResult TwoByTwo(int x, int m, int n, int k, double level)
    {
        // The top-left cell is hypergeometric: m "white" (column 1), n "black" (column 2), k drawn (row 1).
        var lo = Math.Max(0, k - n);
        var hi = Math.Min(k, m);
        var size = hi - lo + 1;
        var logBase = new double[size];
        for (var i = 0; i < size; i++)
        {
            var s = lo + i;
            logBase[i] = -SpecialFunctions.GammaLn(s + 1) - SpecialFunctions.GammaLn(m - s + 1)
                - SpecialFunctions.GammaLn(k - s + 1) - SpecialFunctions.GammaLn(n - k + s + 1);
        }

        var density = Noncentral(logBase, lo, 0);
        var observed = density[x - lo] * RelativeError;
        double p = 0;
        foreach (var d in density)
        {
            if (d <= observed)
            {
                p += d;
            }
        }

        var alpha = (1 - level) / 2;
        var estimate = x == lo ? 0 : x == hi ? double.PositiveInfinity : SolveLogOddsRatio(logOdds => Mean(Noncentral(logBase, lo, logOdds), lo) - x);
        var lower = x == lo ? 0 : SolveLogOddsRatio(logOdds => Tail(Noncentral(logBase, lo, logOdds), x - lo, upper: true) - alpha);
        var upper = x == hi ? double.PositiveInfinity : SolveLogOddsRatio(logOdds => alpha - Tail(Noncentral(logBase, lo, logOdds), x - lo, upper: false));
        return new FisherExactResult(Math.Min(1, p), estimate, lower, upper, size);
    }

    /// <summary>Fisher's noncentral hypergeometric probabilities for odds ratio e^logOdds, scaled by the largest term to avoid overflow.</summary>
    private static double[] Noncentral(double[] logBase, int lo, double logOdds)
    {
        var size = logBase.Length;
        var density = new double[size];
        var max = double.NegativeInfinity;
        for (var i = 0; i < size; i++)
        {
            density[i] = logBase[i] + ((lo + i) * logOdds);
            max = Math.Max(max, density[i]);
        }

        double sum = 0;
        for (var i = 0; i < size; i++)
        {
            density[i] = Math.Exp(density[i] - max);
            sum += density[i];
        }

        for (var i = 0; i < size; i++)
        {
            density[i] /= sum;
        }

        return density;
    }

    private static double Mean(double[] density, int lo)
    {
        double mean = 0;
        for (var i = 0; i < density.Length; i++)
        {
            mean += (lo + i) * density[i];
        }

        return mean;
    }

    private static double Tail(double[] density, int index, bool upper)
    {
        double sum = 0;
        for (var i = upper ? index : 0; i < (upper ? density.Length : index + 1); i++)
        {
            sum += density[i];
        }

        return sum;
    }

    /// <summary>The odds ratio e^θ at which an increasing function of θ crosses zero, by bracketing and bisection.</summary>
    private static double SolveLogOddsRatio(Func<double, double> increasing)
    {
        double low = -1, high = 1;
        while (increasing(low) > 0 && low > -700)
        {
            low *= 2;
        }

        while (increasing(high) < 0 && high < 700)
        {
            high *= 2;
        }

        for (var iteration = 0; iteration < 200 && high - low > 1e-14 * Math.Max(1, Math.Abs(low)); iteration++)
        {
            var middle = 0.5 * (low + high);
            if (increasing(middle) < 0)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return Math.Exp(0.5 * (low + high));
    }

    private static FisherExactResult Enumerate(int[,] table, int[] rowTotals, int[] columnTotals, long maxTables)
    {
        var rows = rowTotals.Length;
        var columns = columnTotals.Length;
        var total = rowTotals.Sum();
        // log of Π rᵢ! Π cⱼ! / N!, shared by every table with these margins.
        var logConstant = -SpecialFunctions.GammaLn(total + 1);
        foreach (var r in rowTotals)
        {
            logConstant += SpecialFunctions.GammaLn(r + 1);
        }

        foreach (var c in columnTotals)
        {
            logConstant += SpecialFunctions.GammaLn(c + 1);
        }

        var logFactorial = new double[total + 1];
        for (var v = 0; v <= total; v++)
        {
            logFactorial[v] = SpecialFunctions.GammaLn(v + 1);
        }

        double observedLog = logConstant;
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                observedLog -= logFactorial[table[i, j]];
            }
        }

        var threshold = observedLog + Math.Log(RelativeError);
        var remaining = (int[])rowTotals.Clone();
        long count = 0;
        double p = 0;

        // Fills column j from row i down; the last column takes what each row has left.
        void Fill(int j, int i, int columnLeft, double logP)
        {
            if (j == columns - 1)
            {
                var last = logP;
                for (var r = 0; r < rows; r++)
                {
                    last -= logFactorial[remaining[r]];
                }

                if (++count > maxTables)
                {
                    throw new InvalidOperationException(FormattableString.Invariant(
                        $"More than {maxTables} tables share these margins; the table is too large to enumerate exactly (raise FisherExactOptions.MaxTables or use a chi-square test)."));
                }

                if (last <= threshold)
                {
                    p += Math.Exp(last);
                }

                return;
            }

            if (i == rows - 1)
            {
                if (columnLeft > remaining[i])
                {
                    return;
                }

                remaining[i] -= columnLeft;
                Fill(j + 1, 0, j + 1 < columns ? columnTotals[j + 1] : 0, logP - logFactorial[columnLeft]);
                remaining[i] += columnLeft;
                return;
            }

            // Rows below must be able to absorb what this row leaves.
            var capacityBelow = 0;
            for (var r = i + 1; r < rows; r++)
            {
                capacityBelow += remaining[r];
            }

            var from = Math.Max(0, columnLeft - capacityBelow);
            var to = Math.Min(remaining[i], columnLeft);
            for (var value = from; value <= to; value++)
            {
                remaining[i] -= value;
                Fill(j, i + 1, columnLeft - value, logP - logFactorial[value]);
                remaining[i] += value;
            }
        }

        Fill(0, 0, columnTotals[0], logConstant);
        return new FisherExactResult(Math.Min(1, p), null, null, null, count);
    }
}
