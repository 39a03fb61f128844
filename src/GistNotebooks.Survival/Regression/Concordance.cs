using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Regression;

/// <summary>Settings of <see cref="Concordance.Estimate"/>; defaults as R's <c>concordance()</c> (survival 3.5-3).</summary>
public sealed record ConcordanceOptions
{
    /// <summary>
    /// Whether a larger predictor should mean a shorter survival (a risk score, as a Cox linear predictor), R's
    /// <c>reverse = TRUE</c>. Default false: a larger predictor means a longer survival, as R's default.
    /// </summary>
    public bool Reverse { get; init; }

    /// <summary>Whether near-equal times are merged first (<see cref="Data.TimeFix"/>), as R's <c>timefix = TRUE</c>. Default true.</summary>
    public bool TimeFix { get; init; } = true;
}

/// <summary>
/// Harrell's concordance of any predictor with right-censored survival, as R's <c>concordance(Surv(time, status) ~ x)</c>:
/// over comparable pairs (the shorter time an event; within strata when the data have strata), C = (concordant + tied.x/2) /
/// (concordant + discordant + tied.x), with the infinitesimal-jackknife standard error and case weights. O(n log n).
/// </summary>
public static class Concordance
{
    /// <summary>Estimates the concordance of <paramref name="predictor"/> (one value per row) with the survival data.</summary>
    /// <param name="data">Times, events, optional weights and strata.</param>
    /// <param name="predictor">One finite value per row.</param>
    /// <param name="options">Direction and time handling; default <see cref="ConcordanceOptions"/>.</param>
    /// <returns>The estimate, its standard error and the pair counts (concordant and discordant as the direction defines them).</returns>
    /// <exception cref="DataValidationException">The predictor's length differs from the data's, or a value is not finite.</exception>
    public static CoxConcordance Estimate(SurvivalData data, IReadOnlyList<double> predictor, ConcordanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(predictor);
        options ??= new ConcordanceOptions();
        if (predictor.Count != data.Count)
        {
            throw new DataValidationException("predictor", null, null, FormattableString.Invariant($"has {predictor.Count} values but the survival data have {data.Count} rows; they must be equal"));
        }

        var score = new double[data.Count];
        for (var i = 0; i < score.Length; i++)
        {
            var value = predictor[i];
            if (!double.IsFinite(value))
            {
                throw new DataValidationException("predictor", i + 1, null, FormattableString.Invariant($"expected a finite number, found {value}"));
            }

            // The calculator scores a risk (larger = shorter survival); R's default direction is the opposite.
            score[i] = options.Reverse ? value : -value;
        }

        if (options.TimeFix)
        {
            data = TimeFix.Apply(data);
        }

        return ConcordanceCalculator.Compute(data, score, CoxLikelihood.SortedOrder(data));
    }
}
