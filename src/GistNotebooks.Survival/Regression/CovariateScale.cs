using System.Globalization;
using System.Runtime.CompilerServices;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Regression;

/// <summary>
/// Warns about a covariate whose unit is far from its spread: a column scaled by 10⁻¹² (or 10¹²) fits to the same
/// tests, but its coefficient is per unit, so the ratio per unit is infinite or indistinguishable from 1, and the
/// information matrix holds entries twenty-four orders of magnitude apart. R fits such a column without a word; the
/// warning states the column's standard deviation and the factor that brings it to about 1.
/// </summary>
/// <remarks>
/// A covariate is flagged when its (weighted) standard deviation lies outside [10⁻⁶, 10⁶], or when the ratio per unit
/// or a limit of its interval is not a finite number. Indicator columns (every value −1, 0 or 1) are never flagged.
/// </remarks>
internal static class CovariateScale
{
    /// <summary>The smallest standard deviation that is not flagged.</summary>
    public const double SmallestStandardDeviation = 1e-6;

    /// <summary>The largest standard deviation that is not flagged.</summary>
    public const double LargestStandardDeviation = 1e6;

    /// <summary>The weighted standard deviation of each column (case weights summed, less one, in the denominator: R's <c>sd</c> when unweighted); NaN for an indicator column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double[] StandardDeviations(CovariateMatrix covariates, double[]? weights)
    {
        // Two passes: the weighted means, then the squares about them (no cancellation between a large mean and a
        // small spread, and no division per value).
        var p = covariates.TermCount;
        var n = covariates.RowCount;
        var (_, means, total, indicator) = covariates.WeightedMeans(weights);
        var values = covariates.Values.AsSpan(0, n * p);
        var squares = new double[p];
        for (var i = 0; i < n; i++)
        {
            var w = weights is null ? 1.0 : weights[i];
            if (w <= 0)
            {
                continue;
            }

            var row = values.Slice(i * p, p);
            for (var j = 0; j < p; j++)
            {
                var delta = row[j] - means[j];
                squares[j] += w * delta * delta;
            }
        }

        var result = new double[p];
        for (var j = 0; j < p; j++)
        {
            result[j] = indicator[j] || total <= 1 ? double.NaN : Math.Sqrt(squares[j] / (total - 1));
        }

        return result;
    }

    /// <summary>One warning per covariate whose scale makes its ratio per unit meaningless.</summary>
    /// <param name="terms">The term names.</param>
    /// <param name="standardDeviations">From <see cref="StandardDeviations"/>, one per term.</param>
    /// <param name="coefficients">The coefficient of each term (log ratio per unit).</param>
    /// <param name="lower">The lower limit of each ratio (exp of the lower limit of the coefficient), or null when none.</param>
    /// <param name="upper">The upper limit of each ratio, or null when none.</param>
    /// <param name="ratio">What exp(coef) is called: "hazard ratio", "subdistribution hazard ratio", "time ratio".</param>
    public static IEnumerable<string> Warnings(
        IReadOnlyList<string> terms,
        IReadOnlyList<double> standardDeviations,
        IReadOnlyList<double> coefficients,
        IReadOnlyList<double?> lower,
        IReadOnlyList<double?> upper,
        string ratio)
    {
        for (var j = 0; j < terms.Count; j++)
        {
            var sd = standardDeviations[j];
            if (double.IsNaN(sd) || sd == 0)
            {
                continue;
            }

            var perUnit = Math.Exp(coefficients[j]);
            var limitsFinite = lower[j] is not double lo || (double.IsFinite(lo) && lo > 0);
            limitsFinite &= upper[j] is not double hi || double.IsFinite(hi);
            var badScale = sd is < SmallestStandardDeviation or > LargestStandardDeviation;
            if (!badScale && double.IsFinite(perUnit) && perUnit > 0 && limitsFinite)
            {
                continue;
            }

            var power = (int)Math.Round(Math.Log10(sd));
            var factor = Math.Pow(10, -power);
            var what = !double.IsFinite(perUnit) || perUnit == 0 || !limitsFinite
                ? "is not a finite number (exp(coef) overflows)"
                : "describes a change no data holds (one unit is " + Format(1 / sd) + " standard deviations)";
            yield return string.Create(CultureInfo.InvariantCulture,
                $"The covariate {terms[j]} has standard deviation {Format(sd)}, so its {ratio} per unit {what}, and the fit works with numbers many orders of magnitude apart. Rescale it (multiply it by {Format(factor)}, or express it in other units) and refit: the tests and p-values stay the same, the coefficient is divided by the factor.");
        }
    }

    private static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
