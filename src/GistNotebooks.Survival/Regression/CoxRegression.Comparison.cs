using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Inference;

namespace GistNotebooks.Survival.Regression;

/// <summary>The likelihood-ratio test of two nested Cox models, as R's <c>anova(smaller, larger)</c>.</summary>
/// <param name="SmallerLogLikelihood">ℓ of the smaller model at its estimate.</param>
/// <param name="LargerLogLikelihood">ℓ of the larger model at its estimate.</param>
/// <param name="ChiSquare">2(ℓ_larger − ℓ_smaller).</param>
/// <param name="DegreesOfFreedom">The number of coefficients the larger model adds.</param>
/// <param name="P">P(χ²_df ≥ ChiSquare).</param>
public sealed record CoxModelComparison(double SmallerLogLikelihood, double LargerLogLikelihood, double ChiSquare, int DegreesOfFreedom, double P);

public static partial class CoxRegression
{
    /// <summary>
    /// Compares two nested Cox models fitted to the same rows by the likelihood-ratio test, as R's <c>anova(smaller, larger)</c>:
    /// χ² = 2(ℓ_larger − ℓ_smaller) on the difference in the number of coefficients.
    /// </summary>
    /// <exception cref="DataValidationException">The models were fitted to different numbers of rows or events, are penalised, or the smaller one's terms are not all in the larger one.</exception>
    public static CoxModelComparison Compare(CoxModel smaller, CoxModel larger)
    {
        ArgumentNullException.ThrowIfNull(smaller);
        ArgumentNullException.ThrowIfNull(larger);
        if (smaller.N != larger.N || smaller.Events != larger.Events)
        {
            throw new DataValidationException("models", null, null, FormattableString.Invariant($"were fitted to different data ({smaller.N} rows with {smaller.Events} events against {larger.N} with {larger.Events}); a likelihood-ratio test needs the same rows"));
        }

        if (smaller.IsPenalized || larger.IsPenalized)
        {
            throw new DataValidationException("models", null, null, "a penalised (Firth) fit has no ordinary likelihood-ratio comparison");
        }

        var missing = smaller.Terms.Where(t => !larger.Terms.Contains(t)).ToList();
        if (missing.Count > 0 || larger.Terms.Length <= smaller.Terms.Length)
        {
            throw new DataValidationException("models", null, null, $"are not nested: the larger model must contain every term of the smaller one and more{(missing.Count > 0 ? " (missing: " + string.Join(", ", missing) + ")" : string.Empty)}");
        }

        var df = larger.Terms.Length - smaller.Terms.Length;
        var chiSquare = 2 * (larger.LogLikelihood - smaller.LogLikelihood);
        return new CoxModelComparison(smaller.LogLikelihood, larger.LogLikelihood, chiSquare, df, Distributions.ChiSquareUpperTail(Math.Max(chiSquare, 0), df));
    }
}
