using System.Collections.Immutable;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Regression;

/// <content>Fitting several distributions to the same data and comparing them by AIC and BIC.</content>
public static partial class ParametricRegression
{
    /// <summary>The distributions compared by default: the four standard for extrapolating survival (exponential, Weibull, log-normal, log-logistic).</summary>
    public static ImmutableArray<ParametricDistribution> ExtrapolationDistributions { get; } =
        [ParametricDistribution.Exponential, ParametricDistribution.Weibull, ParametricDistribution.LogNormal, ParametricDistribution.LogLogistic];

    /// <summary>
    /// Fits each distribution to the same model frame and ranks the fits by AIC. Every log-likelihood is on the time
    /// scale (the Jacobian of log T included), so the criteria are comparable across distributions, as R's
    /// <c>AIC(fit1, fit2, ...)</c> compares survreg fits.
    /// </summary>
    /// <param name="frame">Times, events and covariates.</param>
    /// <param name="distributions">The distributions; default <see cref="ExtrapolationDistributions"/>.</param>
    /// <param name="options">Settings other than the distribution; defaults as R.</param>
    /// <exception cref="DataValidationException">As <see cref="Fit(ModelFrame, ParametricOptions?)"/>.</exception>
    /// <exception cref="ArgumentException">No distributions, or one given twice.</exception>
    public static ParametricComparison Compare(ModelFrame frame, IReadOnlyList<ParametricDistribution>? distributions = null, ParametricOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return Compare(distributions, options, o => Fit(frame, o));
    }

    /// <summary>Fits each distribution to survival data and an optional design (null: intercept only) and ranks the fits by AIC; see <see cref="Compare(ModelFrame, IReadOnlyList{ParametricDistribution}?, ParametricOptions?)"/>.</summary>
    /// <exception cref="DataValidationException">As <see cref="Fit(SurvivalData, CovariateMatrix?, ParametricOptions?)"/>.</exception>
    /// <exception cref="ArgumentException">No distributions, or one given twice.</exception>
    public static ParametricComparison Compare(SurvivalData data, CovariateMatrix? covariates = null, IReadOnlyList<ParametricDistribution>? distributions = null, ParametricOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Compare(distributions, options, o => Fit(data, covariates, o));
    }

    private static ParametricComparison Compare(IReadOnlyList<ParametricDistribution>? distributions, ParametricOptions? options, Func<ParametricOptions, ParametricModel> fit)
    {
        var chosen = distributions ?? ExtrapolationDistributions;
        if (chosen.Count == 0 || chosen.Distinct().Count() != chosen.Count)
        {
            throw new ArgumentException("Give at least one distribution, each once.", nameof(distributions));
        }

        var settings = options ?? new ParametricOptions();
        var models = chosen.Select(d => fit(settings with { Distribution = d, Scale = d == ParametricDistribution.Exponential ? null : settings.Scale })).ToArray();
        var best = models.Min(m => m.Aic);
        var total = models.Sum(m => Math.Exp(-(m.Aic - best) / 2));
        return new ParametricComparison([.. models
            .Select(m => new ParametricComparisonRow(m.Distribution, m, m.Aic, m.Bic, m.Aic - best, Math.Exp(-(m.Aic - best) / 2) / total))
            .OrderBy(r => r.Aic)]);
    }
}

/// <summary>Fits of several distributions to the same data, best (lowest AIC) first.</summary>
/// <param name="Rows">One row per distribution, in increasing order of AIC.</param>
public sealed record ParametricComparison(ImmutableArray<ParametricComparisonRow> Rows)
{
    /// <summary>The fit with the lowest AIC.</summary>
    public ParametricModel Best => Rows[0].Model;

    /// <summary>The fit of one distribution.</summary>
    /// <exception cref="KeyNotFoundException">The distribution was not fitted.</exception>
    public ParametricModel this[ParametricDistribution distribution] =>
        Rows.FirstOrDefault(r => r.Distribution == distribution)?.Model ?? throw new KeyNotFoundException($"The distribution {ParametricRegression.Name(distribution)} was not fitted.");
}

/// <summary>One distribution in a comparison.</summary>
/// <param name="Distribution">The distribution.</param>
/// <param name="Model">Its fit.</param>
/// <param name="Aic">−2ℓ + 2k.</param>
/// <param name="Bic">−2ℓ + k·log n.</param>
/// <param name="DeltaAic">AIC minus the smallest AIC of the comparison (0 for the best).</param>
/// <param name="AkaikeWeight">exp(−ΔAIC/2) normalised over the comparison (Burnham &amp; Anderson 2002): the relative support of the data for each distribution among those fitted, not a probability that it is true.</param>
public sealed record ParametricComparisonRow(ParametricDistribution Distribution, ParametricModel Model, double Aic, double Bic, double DeltaAic, double AkaikeWeight);
