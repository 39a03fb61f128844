using System.Collections.Immutable;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;

namespace GistNotebooks.Survival.Reconstruction;

/// <summary>How one downstream figure varies across an ensemble of cohorts that all agree with the claims.</summary>
/// <param name="Figure">The figure, in words with its unit.</param>
/// <param name="Minimum">The smallest value.</param>
/// <param name="LowerQuartile">The 25th percentile (type 7, as R's default quantile).</param>
/// <param name="Median">The median, as R's <c>median</c>.</param>
/// <param name="UpperQuartile">The 75th percentile.</param>
/// <param name="Maximum">The largest value.</param>
/// <param name="Undefined">How many cohorts had no value (e.g. a median not reached).</param>
public sealed record EnsembleFigure(string Figure, double? Minimum, double? LowerQuartile, double? Median, double? UpperQuartile, double? Maximum, int Undefined);

/// <summary>Downstream figures across an ensemble of reconstructed cohorts.</summary>
public static class EnsembleSummary
{
    /// <summary>
    /// Summarises, over the cohorts: Kaplan–Meier survival and its 95% log limits at each claimed time,
    /// the Kaplan–Meier median with its limits, the median follow-up by reverse Kaplan–Meier, the restricted
    /// mean to the last claimed time, and each tested predictor's log-rank p-value.
    /// </summary>
    public static ImmutableArray<EnsembleFigure> Summarize(ClaimSet claims, IReadOnlyList<Cohort> cohorts)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(cohorts);
        var unit = claims.TimeUnit;
        var figures = new List<(string Name, List<double?> Values)>();
        void Add(string name, double? value)
        {
            var entry = figures.FirstOrDefault(f => f.Name == name);
            if (entry.Values is null)
            {
                entry = (name, []);
                figures.Add(entry);
            }

            entry.Values.Add(value);
        }

        var survivalTimes = claims.Claims.OfType<SurvivalAtClaim>().Select(c => c.Time).Distinct().Order().ToArray();
        var predictors = claims.Claims.OfType<NoSignificantPredictorClaim>().SelectMany(c => c.Predictors).ToArray();
        foreach (var cohort in cohorts)
        {
            var table = cohort.ToTable();
            var data = SurvivalData.FromTable(table, claims.TimeColumn, claims.EventColumn);
            var curve = KaplanMeier.Estimate(data);
            foreach (var point in curve.SurvivalAt(survivalTimes))
            {
                Add(FormattableString.Invariant($"survival at {point.Time} {unit} (%)"), 100 * point.Survival);
                Add(FormattableString.Invariant($"lower 95% limit of survival at {point.Time} {unit} (%)"), 100 * point.Lower);
                Add(FormattableString.Invariant($"upper 95% limit of survival at {point.Time} {unit} (%)"), 100 * point.Upper);
            }

            Add($"Kaplan–Meier median survival ({unit})", curve.Median.Estimate);
            Add($"lower 95% limit of the median ({unit})", curve.Median.Lower);
            Add($"upper 95% limit of the median ({unit})", curve.Median.Upper);
            Add($"median follow-up by reverse Kaplan–Meier ({unit})", KaplanMeier.MedianFollowUp(data).Estimate);
            if (survivalTimes.Length > 0)
            {
                Add(FormattableString.Invariant($"restricted mean survival to {survivalTimes[^1]} {unit}"), curve.RestrictedMean(survivalTimes[^1]).Estimate);
            }

            foreach (var predictor in predictors)
            {
                Add($"log-rank p, {predictor.Label}", predictor.LogRankP(data.Times, data.Events, table.GetText(predictor.Column).Select(v => v ?? string.Empty).ToArray()));
            }
        }

        return [.. figures.Select(f => Describe(f.Name, f.Values))];
    }

    private static EnsembleFigure Describe(string name, List<double?> values)
    {
        var present = values.Where(v => v is double d && double.IsFinite(d)).Select(v => v!.Value).Order().ToArray();
        if (present.Length == 0)
        {
            return new EnsembleFigure(name, null, null, null, null, null, values.Count);
        }

        return new EnsembleFigure(
            name,
            present[0],
            SampleQuantiles.QuantileOfSorted(present, 0.25),
            SampleQuantiles.MedianOfSorted(present),
            SampleQuantiles.QuantileOfSorted(present, 0.75),
            present[^1],
            values.Count - present.Length);
    }
}
