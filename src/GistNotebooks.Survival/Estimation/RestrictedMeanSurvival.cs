namespace GistNotebooks.Survival.Estimation;

/// <summary>
/// The restricted mean survival time ∫₀^τ S(t) dt with its standard error, as R's
/// <c>summary(fit, rmean = τ)$table</c> columns <c>rmean</c> and <c>se(rmean)</c>.
/// </summary>
/// <param name="Tau">The truncation time τ.</param>
/// <param name="Estimate">The area under the Kaplan–Meier curve from 0 to τ.</param>
/// <param name="StandardError">√Σ_{tⱼ ≤ τ} A(tⱼ)² dⱼ/(nⱼ(nⱼ − dⱼ)), where A(tⱼ) = ∫_{tⱼ}^τ S(t) dt and terms with nⱼ = dⱼ are 0.</param>
public sealed record RestrictedMeanSurvival(double Tau, double Estimate, double StandardError);
