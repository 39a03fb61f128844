namespace GistNotebooks.Survival.Estimation;

/// <summary>Pointwise confidence limits for S from se(log S), following survival's <c>survfit_confint</c>.</summary>
internal static class ConfidenceLimits
{
    /// <summary>
    /// The limits for survival <paramref name="s"/> with standard error <paramref name="seLog"/> of log S;
    /// NaN where R gives NA (S = 0 for every type, S = 1 for log-log).
    /// </summary>
    public static (double Lower, double Upper) Compute(double s, double seLog, double z, ConfidenceIntervalType type)
    {
        switch (type)
        {
            case ConfidenceIntervalType.Log:
                {
                    if (s == 0)
                    {
                        return (double.NaN, double.NaN);
                    }

                    var half = z * seLog;
                    var logS = Math.Log(s);
                    return (Math.Exp(logS - half), Math.Min(Math.Exp(logS + half), 1.0));
                }

            case ConfidenceIntervalType.LogLog:
                {
                    if (s == 0 || s == 1)
                    {
                        return (double.NaN, double.NaN);
                    }

                    var logS = Math.Log(s);
                    var half = z * seLog / logS;
                    var center = Math.Log(-logS);
                    return (Math.Exp(-Math.Exp(center - half)), Math.Exp(-Math.Exp(center + half)));
                }

            default:
                {
                    // se(S) = S·se(log S); at S = 0 the product is ∞·0 = NaN, which R reports as NA.
                    var half = seLog * s * z;
                    if (double.IsNaN(half))
                    {
                        return (double.NaN, double.NaN);
                    }

                    return (Math.Max(s - half, 0.0), Math.Min(s + half, 1.0));
                }
        }
    }

    /// <summary>The two-sided normal critical value z = Φ⁻¹(1 − (1 − level)/2).</summary>
    public static double CriticalValue(double level) => Inference.Distributions.NormalQuantile(1 - ((1 - level) / 2));
}
