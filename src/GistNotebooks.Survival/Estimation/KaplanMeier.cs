using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Estimation;

/// <summary>
/// The Kaplan–Meier (product-limit) estimator of the survival function (Kaplan &amp; Meier 1958), matching R's
/// <c>survfit(Surv(time, event) ~ 1)</c> in survival 3.5-3: weighted counts when the data carry case weights,
/// Greenwood variances (Greenwood 1926), and the confidence-interval conventions of <c>survfit</c>.
/// </summary>
/// <remarks>
/// As R, near-equal times are merged first (<see cref="KaplanMeierOptions.TimeFix"/>), and the variance is the
/// infinitesimal jackknife when any case weight is not a whole number (<see cref="KaplanMeierOptions.Variance"/>),
/// Greenwood's otherwise. A row of weight zero counts in <see cref="KaplanMeierCurve"/>'s n but moves nothing.
/// </remarks>
public static partial class KaplanMeier
{
    /// <summary>One curve for all subjects (group labels are ignored).</summary>
    /// <param name="data">The survival data.</param>
    /// <param name="options">Interval settings; default <see cref="KaplanMeierOptions.Default"/> (log scale, 95%).</param>
    /// <exception cref="ArgumentOutOfRangeException">The confidence level is not strictly between 0 and 1.</exception>
    public static KaplanMeierCurve Estimate(SurvivalData data, KaplanMeierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= KaplanMeierOptions.Default;
        options.Validate();
        data = Prepare(data, options);
        var arrays = Arrays(data, data.TimeOrder, options, data.SortedTimes);
        return new KaplanMeierCurve(arrays, null, data.Count, options);
    }

    /// <summary>
    /// One curve per group level, in the order of <see cref="SurvivalData.GroupLevels"/> (as the strata of
    /// <c>survfit(Surv(time, event) ~ group)</c>); a single curve with a null group when the data have no groups.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The confidence level is not strictly between 0 and 1.</exception>
    public static IReadOnlyList<KaplanMeierCurve> EstimateByGroup(SurvivalData data, KaplanMeierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= KaplanMeierOptions.Default;
        options.Validate();
        if (!data.HasGroups)
        {
            return [Estimate(data, options)];
        }

        data = Prepare(data, options);
        var partition = PartitionByGroup(data);
        var curves = new KaplanMeierCurve[partition.Length];
        for (var g = 0; g < partition.Length; g++)
        {
            var arrays = Arrays(data, partition[g], options);
            curves[g] = new KaplanMeierCurve(arrays, data.GroupLevels[g], partition[g].Length, options);
        }

        return curves;
    }

    /// <summary>
    /// The reverse Kaplan–Meier curve: censorings are the events and events are censorings, so it estimates the
    /// distribution of potential follow-up (Schemper &amp; Smith 1996). Group labels are ignored.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The confidence level is not strictly between 0 and 1.</exception>
    public static KaplanMeierCurve EstimateReverse(SurvivalData data, KaplanMeierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= KaplanMeierOptions.Default;
        options.Validate();
        data = Prepare(data, options);
        var arrays = CurveArrays.Compute(data.TimeArray, data.StatusArray, data.WeightArray, data.TimeOrder, reverse: true, data.SortedTimes);
        return new KaplanMeierCurve(arrays, null, data.Count, options);
    }

    /// <summary>
    /// The median follow-up by the reverse Kaplan–Meier method: the median of <see cref="EstimateReverse"/>, with its
    /// confidence interval, as R prints for <c>survfit(Surv(time, 1 - event) ~ 1)</c>. Null parts were not reached.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The confidence level is not strictly between 0 and 1.</exception>
    public static SurvivalQuantile MedianFollowUp(SurvivalData data, KaplanMeierOptions? options = null)
        => EstimateReverse(data, options).Median;

    /// <summary>The data with near-equal times merged when <see cref="KaplanMeierOptions.TimeFix"/> asks for it.</summary>
    internal static SurvivalData Prepare(SurvivalData data, KaplanMeierOptions options)
        => options.TimeFix ? TimeFix.Apply(data) : data;

    /// <summary>Whether the options, for these data, call for the infinitesimal-jackknife variance (R: any weight not a whole number).</summary>
    internal static bool UsesJackknife(SurvivalData data, KaplanMeierOptions options) => options.Variance switch
    {
        KaplanMeierVariance.InfinitesimalJackknife => true,
        KaplanMeierVariance.Greenwood => false,
        _ => HasFractionalWeights(data),
    };

    /// <summary>Whether any case weight is not a whole number (R's <c>any(weights != floor(weights))</c>).</summary>
    internal static bool HasFractionalWeights(SurvivalData data)
        => data.WeightArray is { } weights && Array.Exists(weights, w => w != Math.Floor(w));

    /// <summary>The curve of the rows <paramref name="sorted"/> (in time order; their times in <paramref name="sortedTime"/> when at hand).</summary>
    internal static CurveArrays Arrays(SurvivalData data, int[] sorted, KaplanMeierOptions options, double[]? sortedTime = null)
    {
        var arrays = CurveArrays.Compute(data.TimeArray, data.StatusArray, data.WeightArray, sorted, reverse: false, sortedTime);
        if (UsesJackknife(data, options))
        {
            arrays.UseInfinitesimalJackknife(data.TimeArray, data.StatusArray, data.WeightArray, sorted);
        }

        return arrays;
    }

    /// <summary>The row indices of each group level, each in increasing time (one pass over the cached sort order).</summary>
    internal static int[][] PartitionByGroup(SurvivalData data)
    {
        var levels = data.GroupLevels;
        var groupOf = data.GroupCodes!;
        var sizes = new int[levels.Length];
        foreach (var g in groupOf)
        {
            sizes[g]++;
        }

        var partition = new int[levels.Length][];
        for (var g = 0; g < partition.Length; g++)
        {
            partition[g] = new int[sizes[g]];
        }

        var filled = new int[levels.Length];
        foreach (var row in data.TimeOrder)
        {
            var g = groupOf[row];
            partition[g][filled[g]++] = row;
        }

        return partition;
    }
}
