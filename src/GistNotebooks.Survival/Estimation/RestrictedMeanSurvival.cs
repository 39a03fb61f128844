namespace GistNotebooks.Survival.Estimation;

/// <summary>
/// The restricted mean survival time ∫₀^τ S(t) dt with its standard error, as R's
/// <c>summary(fit, rmean = τ)$table</c> columns <c>rmean</c> and <c>se(rmean)</c>.
/// </summary>
/// <param name="Tau">The truncation time τ.</param>
/// <param name="Estimate">The area under the Kaplan–Meier curve from 0 to τ.</param>
/// <param name="StandardError">√Σ_{tⱼ ≤ τ} A(tⱼ)² dⱼ/(nⱼ(nⱼ − dⱼ)), where A(tⱼ) = ∫_{tⱼ}^τ S(t) dt and terms with nⱼ = dⱼ are 0.</param>
public sealed record RestrictedMeanSurvival(double Tau, double Estimate, double StandardError)
{
    /// <summary>The normal-theory confidence interval: estimate ± z₁₋α/₂ · standard error.</summary>
    /// <remarks>
    /// R's <c>print.survfit</c> shows no interval for the restricted mean; this is the Wald interval that
    /// <c>survRM2::rmst2</c> reports. The lower limit is not clipped at 0 (it is positive whenever the estimate is
    /// more than about two standard errors).
    /// </remarks>
    /// <param name="confidenceLevel">The two-sided level; 0.95 by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">The level is not strictly between 0 and 1.</exception>
    public (double Lower, double Upper) ConfidenceInterval(double confidenceLevel = 0.95)
    {
        if (!(confidenceLevel is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidenceLevel), confidenceLevel, "The confidence level must be strictly between 0 and 1.");
        }

        var halfWidth = Inference.Distributions.NormalQuantile(0.5 + (confidenceLevel / 2)) * StandardError;
        return (Estimate - halfWidth, Estimate + halfWidth);
    }
}
