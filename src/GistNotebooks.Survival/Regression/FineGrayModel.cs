using System.Collections.Immutable;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Regression;

/// <summary>
/// A fitted Fine–Gray model for the subdistribution hazard of one cause, as <c>cmprsk::crr</c> (cmprsk 2.2-11)
/// reports it: coefficients (log subdistribution hazard ratios) with crr's sandwich standard errors, the pseudo
/// log-likelihoods, and the baseline cumulative subdistribution hazard for predicted cumulative incidence.
/// </summary>
public sealed record FineGrayModel
{
    /// <summary>The cause modelled (crr's <c>failcode</c>).</summary>
    public required int FailureCode { get; init; }

    /// <summary>The coefficient names (R's names: <c>age</c>, <c>x2b</c>).</summary>
    public required ImmutableArray<string> Terms { get; init; }

    /// <summary>One row per coefficient, as <c>summary(crr(...))</c>.</summary>
    public required ImmutableArray<FineGrayCoefficient> Coefficients { get; init; }

    /// <summary>crr's variance matrix <c>fit$var</c>: the sandwich I⁻¹·Σᵢ(ηᵢ + ψᵢ)(ηᵢ + ψᵢ)ᵀ·I⁻¹ that accounts for the estimated censoring weights (Fine &amp; Gray 1999).</summary>
    public required ImmutableArray<ImmutableArray<double>> Variance { get; init; }

    /// <summary>The inverse of the pseudo-likelihood information (crr's <c>fit$invinf</c>), the naive variance that treats the weights as known.</summary>
    public required ImmutableArray<ImmutableArray<double>> NaiveVariance { get; init; }

    /// <summary>The log pseudo-likelihood at the estimate (crr's <c>fit$loglik</c>).</summary>
    public required double LogPseudoLikelihood { get; init; }

    /// <summary>The log pseudo-likelihood at β = 0 (crr's <c>fit$loglik.null</c>).</summary>
    public required double LogPseudoLikelihoodNull { get; init; }

    /// <summary>
    /// 2(ℓ − ℓ₀), printed by <c>summary(crr)</c> as the "pseudo likelihood ratio test" on <see cref="Terms"/>.Length df.
    /// No p-value is given (crr prints none): with estimated weights the statistic is not χ²-distributed; use <see cref="WaldTest"/>.
    /// </summary>
    public double PseudoLikelihoodRatio => 2 * (LogPseudoLikelihood - LogPseudoLikelihoodNull);

    /// <summary>The Wald test that every coefficient is 0, β̂ᵀV⁻¹β̂ with the sandwich variance.</summary>
    public required ChiSquareTest WaldTest { get; init; }

    /// <summary>The distinct times of the cause, ascending (crr's <c>uftime</c>).</summary>
    public required ImmutableArray<double> EventTimes { get; init; }

    /// <summary>The jumps of the baseline cumulative subdistribution hazard (covariates all 0) at <see cref="EventTimes"/> (crr's <c>bfitj</c>).</summary>
    public required ImmutableArray<double> BaselineHazardJumps { get; init; }

    /// <summary>The number of subjects used.</summary>
    public required int N { get; init; }

    /// <summary>The number of events of the cause modelled.</summary>
    public required int Events { get; init; }

    /// <summary>The number of events of other causes.</summary>
    public required int CompetingEvents { get; init; }

    /// <summary>The Newton–Raphson iterations taken.</summary>
    public required int Iterations { get; init; }

    /// <summary>Whether crr's convergence criterion was met; when false the estimate is the last iterate and <see cref="Warnings"/> says so.</summary>
    public required bool Converged { get; init; }

    /// <summary>1-based data rows dropped for a missing covariate (from a <see cref="ModelFrame"/>); empty otherwise.</summary>
    public required ImmutableArray<int> DroppedRows { get; init; }

    /// <summary>The factor covariates with their levels (reference first), for covariate values by name.</summary>
    public required ImmutableArray<FactorCovariate> Factors { get; init; }

    /// <summary>Messages about the fit, in words.</summary>
    public required ImmutableArray<string> Warnings { get; init; }

    /// <summary>The confidence level of the intervals.</summary>
    public required double ConfidenceLevel { get; init; }

    /// <summary>The design row for covariate values given by name (a number, or a factor's level), in the order of <see cref="Terms"/>.</summary>
    /// <exception cref="ArgumentException">A covariate is missing or unknown, a level does not occur, or a number does not parse.</exception>
    public ImmutableArray<double> CovariateRow(IReadOnlyDictionary<string, string> values) => CovariateValues.Row(Terms, Factors, values);

    /// <summary>
    /// The predicted cumulative incidence of the cause for covariate values <paramref name="covariates"/>, as
    /// <c>predict.crr</c>: F(t | x) = 1 − exp(−exp(xᵀβ)·Λ̂₀(t)) at each of <see cref="EventTimes"/>, Λ̂₀ the
    /// cumulative sum of <see cref="BaselineHazardJumps"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The number of values is not the number of terms.</exception>
    public FineGrayPrediction CumulativeIncidence(IReadOnlyList<double> covariates)
    {
        ArgumentNullException.ThrowIfNull(covariates);
        if (covariates.Count != Terms.Length)
        {
            throw new ArgumentException($"Expected {Terms.Length} covariate values ({string.Join(", ", Terms)}), found {covariates.Count}.", nameof(covariates));
        }

        var linear = 0.0;
        for (var j = 0; j < Terms.Length; j++)
        {
            linear += covariates[j] * Coefficients[j].Coefficient;
        }

        var risk = Math.Exp(linear);
        var cumulative = 0.0;
        var estimates = ImmutableArray.CreateBuilder<double>(EventTimes.Length);
        foreach (var jump in BaselineHazardJumps)
        {
            cumulative += risk * jump;
            estimates.Add(1 - Math.Exp(-cumulative));
        }

        return new FineGrayPrediction(EventTimes, estimates.MoveToImmutable());
    }
}

/// <summary>One coefficient of a Fine–Gray model.</summary>
/// <param name="Term">The term name.</param>
/// <param name="Coefficient">The estimate β̂, a log subdistribution hazard ratio.</param>
/// <param name="StandardError">√ of the diagonal of the sandwich variance.</param>
/// <param name="HazardRatio">exp(β̂), the subdistribution hazard ratio.</param>
/// <param name="Lower">The lower limit exp(β̂ − z·se).</param>
/// <param name="Upper">The upper limit exp(β̂ + z·se).</param>
/// <param name="Z">β̂ / se.</param>
/// <param name="P">The two-sided normal p-value, unrounded (<c>summary.crr</c> prints it rounded to two digits).</param>
public sealed record FineGrayCoefficient(string Term, double Coefficient, double StandardError, double HazardRatio, double Lower, double Upper, double Z, double P);

/// <summary>A predicted cumulative incidence curve: a step function that jumps at the event times of the cause.</summary>
/// <param name="Times">The event times.</param>
/// <param name="Estimates">The cumulative incidence at each time.</param>
public sealed record FineGrayPrediction(ImmutableArray<double> Times, ImmutableArray<double> Estimates)
{
    /// <summary>The incidence at chosen times: the value at the last event time ≤ t, 0 before the first.</summary>
    public ImmutableArray<double> At(IReadOnlyList<double> times)
    {
        ArgumentNullException.ThrowIfNull(times);
        var result = ImmutableArray.CreateBuilder<double>(times.Count);
        foreach (var t in times)
        {
            var index = -1;
            for (var k = 0; k < Times.Length && Times[k] <= t; k++)
            {
                index = k;
            }

            result.Add(index < 0 ? 0 : Estimates[index]);
        }

        return result.MoveToImmutable();
    }
}
