using GistNotebooks.Survival.Inference;
using MathNet.Numerics;

namespace GistNotebooks.Survival.Regression;

/// <summary>
/// The distribution of a parametric (accelerated failure time) survival model, named as R's <c>survreg</c> names
/// them. Each is a location–scale family for y = log T (or y = T for <see cref="Gaussian"/> and
/// <see cref="Logistic"/>): y = xᵀβ + σ·W with W standard extreme-value (minimum), logistic or normal.
/// </summary>
public enum ParametricDistribution
{
    /// <summary>Weibull: log T has an extreme-value distribution; R's default <c>dist = "weibull"</c>.</summary>
    Weibull,

    /// <summary>Exponential: the Weibull with the scale fixed at 1 (<c>dist = "exponential"</c>).</summary>
    Exponential,

    /// <summary>Log-normal: log T is normal (<c>dist = "lognormal"</c>).</summary>
    LogNormal,

    /// <summary>Log-logistic: log T is logistic (<c>dist = "loglogistic"</c>).</summary>
    LogLogistic,

    /// <summary>Normal on the time scale itself, T = xᵀβ + σ·Z (<c>dist = "gaussian"</c>); times may be zero or negative.</summary>
    Gaussian,

    /// <summary>Logistic on the time scale itself (<c>dist = "logistic"</c>).</summary>
    Logistic,
}

/// <summary>The standardised error distribution W of a location–scale model: extreme value, logistic or normal.</summary>
internal enum StandardFamily
{
    ExtremeValue,
    Logistic,
    Normal,
}

/// <summary>
/// The functions of the standard distributions that the likelihood needs, written as survival's C code
/// (<c>survregc1.c</c>) evaluates them so that iterations follow R's path: for an exact observation f, f′/f and
/// f″/f; for a censored one F, 1 − F, f and f′ (both tails kept so that 1 − F keeps its digits near F = 1).
/// </summary>
internal static class StandardDistributions
{
    /// <summary>log f for an argument so far out that f underflows (survival's <c>SMALL</c>).</summary>
    internal const double Small = -200;

    private const double SqrtTwoPi = 2.506628274631001;

    public static StandardFamily Family(ParametricDistribution distribution) => distribution switch
    {
        ParametricDistribution.Weibull or ParametricDistribution.Exponential => StandardFamily.ExtremeValue,
        ParametricDistribution.LogNormal or ParametricDistribution.Gaussian => StandardFamily.Normal,
        ParametricDistribution.LogLogistic or ParametricDistribution.Logistic => StandardFamily.Logistic,
        _ => throw new ArgumentOutOfRangeException(nameof(distribution)),
    };

    /// <summary>Whether the model is fitted to log T (true for every distribution but Gaussian and Logistic).</summary>
    public static bool UsesLogTime(ParametricDistribution distribution) =>
        distribution is not (ParametricDistribution.Gaussian or ParametricDistribution.Logistic);

    /// <summary>For an exact observation: (f, f′/f, f″/f) at z.</summary>
    public static (double Density, double Slope, double Curvature) Exact(StandardFamily family, double z)
    {
        switch (family)
        {
            case StandardFamily.ExtremeValue:
            {
                var w = ExtremeW(z);
                return (w * Math.Exp(-w), 1 - w, (w * (w - 3)) + 1);
            }

            case StandardFamily.Logistic:
            {
                // By symmetry only exp of a non-positive number is ever taken.
                var w = Math.Exp(-Math.Abs(z));
                var sign = z > 0 ? -1.0 : 1.0;
                var t = 1 + w;
                return (w / (t * t), sign * (1 - w) / t, ((w * w) - (4 * w) + 1) / (t * t));
            }

            default:
                return (Math.Exp(-z * z / 2) / SqrtTwoPi, -z, (z * z) - 1);
        }
    }

    /// <summary>For a censored observation: (F, 1 − F, f, f′) at z.</summary>
    public static (double Cdf, double Survival, double Density, double Slope) Tails(StandardFamily family, double z)
    {
        switch (family)
        {
            case StandardFamily.ExtremeValue:
            {
                var w = ExtremeW(z);
                var survival = Math.Exp(-w);
                return (1 - survival, survival, w * survival, w * survival * (1 - w));
            }

            case StandardFamily.Logistic:
            {
                var w = Math.Exp(-Math.Abs(z));
                var t = 1 + w;
                var density = w / (t * t);
                return z > 0
                    ? (1 / t, w / t, density, -density * (1 - w) / t)
                    : (w / t, 1 / t, density, density * (1 - w) / t);
            }

            default:
            {
                var f = Math.Exp(-z * z / 2) / SqrtTwoPi;
                var upper = SpecialFunctions.Erfc(z / Constants.Sqrt2) / 2;
                var lower = SpecialFunctions.Erfc(-z / Constants.Sqrt2) / 2;
                return (lower, upper, f, -z * f);
            }
        }
    }

    /// <summary>
    /// The five-number summary (F, 1 − F, f, f′/f, f″/f) as R's <c>survreg.distributions[[d]]$density</c> gives it,
    /// used for the starting values only.
    /// </summary>
    public static (double Cdf, double Survival, double Density, double Slope, double Curvature) Summary(StandardFamily family, double z)
    {
        switch (family)
        {
            case StandardFamily.ExtremeValue:
            {
                var w = Math.Exp(z);
                var ww = Math.Exp(-w);
                return (1 - ww, ww, w * ww, 1 - w, (w * (w - 3)) + 1);
            }

            case StandardFamily.Logistic:
            {
                var w = Math.Exp(z);
                return (w / (1 + w), 1 / (1 + w), w / ((1 + w) * (1 + w)), (1 - w) / (1 + w), ((w * (w - 4)) + 1) / ((1 + w) * (1 + w)));
            }

            default:
                return (Distributions.NormalCdf(z), Distributions.NormalCdf(-z), Math.Exp(-z * z / 2) / SqrtTwoPi, -z, (z * z) - 1);
        }
    }

    /// <summary>R's starting mean and variance of y for the family (<c>survreg.distributions[[d]]$init</c>).</summary>
    public static (double Mean, double Variance) Start(StandardFamily family, double mean, double variance) => family switch
    {
        StandardFamily.ExtremeValue => (mean + 0.572, variance / 1.64),
        StandardFamily.Logistic => (mean, variance / 3.2),
        _ => (mean, variance),
    };

    /// <summary>The p-quantile of W: log(−log(1 − p)), log(p/(1 − p)) or Φ⁻¹(p).</summary>
    public static double Quantile(StandardFamily family, double p) => family switch
    {
        StandardFamily.ExtremeValue => Math.Log(-Math.Log(1 - p)),
        StandardFamily.Logistic => Math.Log(p / (1 - p)),
        _ => Distributions.NormalQuantile(p),
    };

    /// <summary>P(W &gt; z) and the density of W at z, each computed from its own tail.</summary>
    public static (double Survival, double Density) SurvivalAndDensity(StandardFamily family, double z)
    {
        switch (family)
        {
            case StandardFamily.ExtremeValue:
            {
                if (z > 709)
                {
                    return (0, 0);
                }

                var w = Math.Exp(z);
                var survival = Math.Exp(-w);
                return (survival, w * survival);
            }

            case StandardFamily.Logistic:
            {
                var w = Math.Exp(-Math.Abs(z));
                var t = 1 + w;
                return (z > 0 ? w / t : 1 / t, w / (t * t));
            }

            default:
                return (Distributions.NormalCdf(-z), Math.Exp(-z * z / 2) / SqrtTwoPi);
        }
    }

    /// <summary>exp(z) clamped to [e^−200, e^200], as survival's <c>exvalue_d</c>, so no answer is infinite.</summary>
    private static double ExtremeW(double z) => z < Small ? Math.Exp(Small) : (-z < Small ? Math.Exp(-Small) : Math.Exp(z));
}
