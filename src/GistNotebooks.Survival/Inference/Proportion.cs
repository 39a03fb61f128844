using MathNet.Numerics;

namespace GistNotebooks.Survival.Inference;

/// <summary>How a confidence interval for a binomial proportion is computed.</summary>
public enum ProportionMethod
{
    /// <summary>Clopper–Pearson (1934) exact interval from beta quantiles, as R's <c>binom.test(x, n)$conf.int</c>.</summary>
    ClopperPearson,

    /// <summary>Wilson (1927) score interval without continuity correction, as R's <c>prop.test(x, n, correct = FALSE)$conf.int</c>.</summary>
    Wilson,

    /// <summary>Wilson score interval with Yates' continuity correction, as R's <c>prop.test(x, n)$conf.int</c> (its default).</summary>
    WilsonContinuityCorrected,
}

/// <summary>Settings of a proportion's confidence interval.</summary>
/// <param name="ConfidenceLevel">The two-sided confidence level; 0.95 by default, as in R.</param>
/// <param name="Method">The interval; Clopper–Pearson by default (exact, never below the nominal coverage).</param>
public sealed record ProportionOptions(double ConfidenceLevel = 0.95, ProportionMethod Method = ProportionMethod.ClopperPearson)
{
    /// <summary>The defaults: 95% Clopper–Pearson.</summary>
    public static ProportionOptions Default { get; } = new();
}

/// <summary>A binomial proportion with its confidence interval.</summary>
/// <param name="Successes">The number of successes x.</param>
/// <param name="Trials">The number of trials n.</param>
/// <param name="Estimate">x / n.</param>
/// <param name="Lower">The lower confidence limit, in [0, 1].</param>
/// <param name="Upper">The upper confidence limit, in [0, 1].</param>
/// <param name="Method">The interval used.</param>
/// <param name="ConfidenceLevel">The two-sided confidence level.</param>
public sealed record ProportionResult(int Successes, int Trials, double Estimate, double Lower, double Upper, ProportionMethod Method, double ConfidenceLevel);

/// <summary>Confidence intervals for a binomial proportion, including the edge cases x = 0 and x = n.</summary>
public static class Proportion
{
    /// <summary>Estimates a proportion and its two-sided confidence interval.</summary>
    /// <remarks>
    /// Clopper–Pearson: lower = B⁻¹(α/2; x, n − x + 1) (0 when x = 0), upper = B⁻¹(1 − α/2; x + 1, n − x) (1 when x = n),
    /// with B⁻¹ the beta quantile; so for x = 0 the upper limit is 1 − (α/2)^(1/n). Wilson: the roots in p of
    /// (p̂ − p)² = z²p(1 − p)/n, written as R's <c>prop.test</c> writes them, clipped to [0, 1]; the corrected form
    /// shifts p̂ by min(0.5, |x − n/2|)/n before solving (R's Yates correction for a null of 0.5).
    /// Clopper CJ, Pearson ES (1934) Biometrika 26:404–413. Wilson EB (1927) JASA 22:209–212.
    /// </remarks>
    /// <param name="successes">x, from 0 to n.</param>
    /// <param name="trials">n, at least 1.</param>
    /// <param name="options">The level (default 0.95) and the method (default Clopper–Pearson).</param>
    /// <exception cref="ArgumentOutOfRangeException">n is below 1, x is outside [0, n], or the level is not in (0, 1).</exception>
    public static ProportionResult Estimate(int successes, int trials, ProportionOptions? options = null)
    {
        options ??= ProportionOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        if (!(options.ConfidenceLevel > 0 && options.ConfidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ConfidenceLevel, "The confidence level must lie strictly between 0 and 1.");
        }

        var estimate = (double)successes / trials;
        var (lower, upper) = options.Method switch
        {
            ProportionMethod.ClopperPearson => ClopperPearson(successes, trials, options.ConfidenceLevel),
            ProportionMethod.Wilson => Wilson(successes, trials, options.ConfidenceLevel, 0),
            ProportionMethod.WilsonContinuityCorrected => Wilson(successes, trials, options.ConfidenceLevel, Math.Min(0.5, Math.Abs(successes - (trials * 0.5)))),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Method, "Unknown method."),
        };
        return new ProportionResult(successes, trials, estimate, lower, upper, options.Method, options.ConfidenceLevel);
    }

    /// <summary>The rule of three: 3/n, an approximate 95% upper limit for a proportion when 0 of n trials succeed.</summary>
    /// <remarks>It approximates the exact one-sided limit 1 − 0.05^(1/n) (−ln 0.05 ≈ 3); Hanley JA, Lippman-Hand A (1983) JAMA 249:1743–1745.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">n is below 1.</exception>
    public static double RuleOfThree(int trials)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        return 3.0 / trials;
    }

    /// <summary>The beta quantile B⁻¹(p; a, b), solved by bisection on the regularised incomplete beta to the last representable digit.</summary>
    /// <remarks>Upper quantiles are found from the lower tail of the mirrored distribution, 1 − B⁻¹(1 − p; b, a), which keeps their digits.</remarks>
    internal static double BetaQuantile(double p, double a, double b)
    {
        if (p <= 0)
        {
            return 0;
        }

        if (p >= 1)
        {
            return 1;
        }

        if (p > 0.5)
        {
            return 1 - LowerBetaQuantile(1 - p, b, a);
        }

        return LowerBetaQuantile(p, a, b);
    }

    private static double LowerBetaQuantile(double p, double a, double b)
    {
        double low = 0, high = 1;
        for (var iteration = 0; iteration < 2000; iteration++)
        {
            var middle = 0.5 * (low + high);
            if (middle <= low || middle >= high)
            {
                break;
            }

            if (SpecialFunctions.BetaRegularized(a, b, middle) < p)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return 0.5 * (low + high);
    }

    private static (double Lower, double Upper) ClopperPearson(int x, int n, double level)
    {
        var alpha = (1 - level) / 2;
        var lower = x == 0 ? 0 : BetaQuantile(alpha, x, n - x + 1);
        var upper = x == n ? 1 : BetaQuantile(1 - alpha, x + 1, n - x);
        return (lower, upper);
    }

    private static (double Lower, double Upper) Wilson(int x, int n, double level, double yates)
    {
        var z = Distributions.NormalQuantile((1 + level) / 2);
        var estimate = (double)x / n;
        var z22n = z * z / (2.0 * n);
        var shiftedUp = estimate + (yates / n);
        var upper = shiftedUp >= 1 ? 1 : (shiftedUp + z22n + (z * Math.Sqrt((shiftedUp * (1 - shiftedUp) / n) + (z22n / (2.0 * n))))) / (1 + (2 * z22n));
        var shiftedDown = estimate - (yates / n);
        var lower = shiftedDown <= 0 ? 0 : (shiftedDown + z22n - (z * Math.Sqrt((shiftedDown * (1 - shiftedDown) / n) + (z22n / (2.0 * n))))) / (1 + (2 * z22n));
        return (Math.Max(lower, 0), Math.Min(upper, 1));
    }
}
