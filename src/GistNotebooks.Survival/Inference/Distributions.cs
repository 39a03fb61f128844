using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace GistNotebooks.Survival.Inference;

/// <summary>
/// Tail probabilities and quantiles used throughout the library, computed so that tiny p-values keep
/// their digits (an upper tail is never formed as 1 − CDF).
/// </summary>
public static class Distributions
{
    /// <summary>P(X ≥ x) for X ~ χ²(df): the regularised upper incomplete gamma Q(df/2, x/2), as R's <c>pchisq(x, df, lower.tail = FALSE)</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">df is not positive.</exception>
    public static double ChiSquareUpperTail(double x, double df)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(df);
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        return x <= 0 ? 1.0 : SpecialFunctions.GammaUpperRegularized(df / 2, x / 2);
    }

    /// <summary>Two-sided normal p-value 2·P(Z ≥ |z|) = erfc(|z|/√2), as R's <c>2 * pnorm(-abs(z))</c>.</summary>
    public static double NormalTwoSidedP(double z) => double.IsNaN(z) ? double.NaN : SpecialFunctions.Erfc(Math.Abs(z) / Constants.Sqrt2);

    /// <summary>The standard normal quantile Φ⁻¹(p), as R's <c>qnorm(p)</c>.</summary>
    public static double NormalQuantile(double p) => Normal.InvCDF(0, 1, p);

    /// <summary>The standard normal distribution function Φ(x), as R's <c>pnorm(x)</c>.</summary>
    public static double NormalCdf(double x) => 0.5 * SpecialFunctions.Erfc(-x / Constants.Sqrt2);

    /// <summary>The χ² quantile with df degrees of freedom, as R's <c>qchisq(p, df)</c>.</summary>
    public static double ChiSquareQuantile(double p, double df) => ChiSquared.InvCDF(df, p);
}
