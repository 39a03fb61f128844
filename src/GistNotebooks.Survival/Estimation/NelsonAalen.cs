using System.Collections.Immutable;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Estimation;

/// <summary>
/// One distinct time of a Nelson–Aalen cumulative hazard estimate.
/// </summary>
/// <param name="Time">The distinct follow-up time t (censored-only times included).</param>
/// <param name="AtRisk">The (weighted) number at risk just before t.</param>
/// <param name="Events">The (weighted) number of events at t.</param>
/// <param name="CumulativeHazard">Λ(t) = Σ_{s ≤ t} d(s)/n(s).</param>
/// <param name="StandardError">√Σ_{s ≤ t} d(s)/n(s)², R's <c>std.chaz</c>.</param>
public readonly record struct NelsonAalenRow(double Time, double AtRisk, double Events, double CumulativeHazard, double StandardError);

/// <summary>A fitted Nelson–Aalen cumulative hazard curve; immutable, made by <see cref="NelsonAalen"/>.</summary>
/// <param name="Group">The group level, or null for all subjects.</param>
/// <param name="Table">One row per distinct time, in increasing time.</param>
public sealed record NelsonAalenCurve(string? Group, ImmutableArray<NelsonAalenRow> Table)
{
    /// <summary>Λ(t) as a right-continuous step function: 0 before the first time.</summary>
    public double CumulativeHazardAtTime(double t)
    {
        int low = 0, high = Table.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (Table[mid].Time <= t)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low == 0 ? 0.0 : Table[low - 1].CumulativeHazard;
    }
}

/// <summary>
/// The Nelson–Aalen estimator of the cumulative hazard (Nelson 1972; Aalen 1978), as the <c>cumhaz</c> and
/// <c>std.chaz</c> of R's <c>survfit</c> (survival 3.5-3), with weighted counts under case weights.
/// </summary>
public static class NelsonAalen
{
    /// <summary>One curve for all subjects (group labels are ignored); near-equal times merged and the variance chosen as <see cref="KaplanMeierOptions"/>' defaults.</summary>
    public static NelsonAalenCurve Estimate(SurvivalData data) => Estimate(data, KaplanMeierOptions.Default);

    /// <summary>One curve for all subjects, with survfit's time handling and variance set by <paramref name="options"/> (<see cref="KaplanMeierOptions.TimeFix"/>, <see cref="KaplanMeierOptions.Variance"/>).</summary>
    public static NelsonAalenCurve Estimate(SurvivalData data, KaplanMeierOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        data = KaplanMeier.Prepare(data, options);
        return Build(KaplanMeier.Arrays(data, data.TimeOrder, options, data.SortedTimes), null);
    }

    /// <summary>
    /// The Nelson–Aalen estimate from counting-process (start, stop] data, R's <c>survfit(Surv(start, stop, event) ~ 1)$cumhaz</c>:
    /// the number at risk at t counts the rows with start &lt; t ≤ stop. Strata are ignored. The variance is R's
    /// <c>std.chaz</c> squared: Σ d/n², or the infinitesimal jackknife (each row its own cluster) when a weight is not a
    /// whole number or when asked.
    /// </summary>
    public static NelsonAalenCurve Estimate(CountingProcessData data, KaplanMeierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= KaplanMeierOptions.Default;
        options.Validate();
        return Build(KaplanMeier.CountingProcessArrays(data, options), null);
    }

    /// <summary>One curve per group level, in the order of <see cref="SurvivalData.GroupLevels"/>; one curve with a null group when there are no groups.</summary>
    public static IReadOnlyList<NelsonAalenCurve> EstimateByGroup(SurvivalData data) => EstimateByGroup(data, KaplanMeierOptions.Default);

    /// <summary>One curve per group level, with survfit's time handling and variance set by <paramref name="options"/>.</summary>
    public static IReadOnlyList<NelsonAalenCurve> EstimateByGroup(SurvivalData data, KaplanMeierOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!data.HasGroups)
        {
            return [Estimate(data, options)];
        }

        data = KaplanMeier.Prepare(data, options);
        var partition = KaplanMeier.PartitionByGroup(data);
        var curves = new NelsonAalenCurve[partition.Length];
        for (var g = 0; g < partition.Length; g++)
        {
            curves[g] = Build(KaplanMeier.Arrays(data, partition[g], options), data.GroupLevels[g]);
        }

        return curves;
    }

    private static NelsonAalenCurve Build(CurveArrays arrays, string? group)
    {
        var rows = ImmutableArray.CreateBuilder<NelsonAalenRow>(arrays.Count);
        for (var i = 0; i < arrays.Count; i++)
        {
            rows.Add(new NelsonAalenRow(arrays.Time[i], arrays.AtRisk[i], arrays.Events[i], arrays.CumulativeHazard[i], Math.Sqrt(arrays.HazardVarianceSum[i])));
        }

        return new NelsonAalenCurve(group, rows.MoveToImmutable());
    }
}
