using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Estimation;

public static partial class KaplanMeier
{
    /// <summary>
    /// The Kaplan–Meier curve from counting-process (start, stop] data, R's <c>survfit(Surv(start, stop, event) ~ 1)</c>:
    /// delayed entry (left truncation) and subjects split over several rows. The number at risk at t is the weighted
    /// count of rows with start &lt; t ≤ stop; the curve has a row at every distinct stop time. Strata are ignored.
    /// The variance is Greenwood's, or, when a weight is not a whole number (or when asked), R's infinitesimal jackknife
    /// with each row its own cluster (as survfit without <c>id</c>; a subject's rows are not summed).
    /// </summary>
    /// <param name="data">Starts, stops, events and optional weights.</param>
    /// <param name="options">Interval settings and variance.</param>
    /// <returns>The curve; <see cref="KaplanMeierCurve.N"/> counts rows, as R's <c>n</c>.</returns>
    public static KaplanMeierCurve Estimate(CountingProcessData data, KaplanMeierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= KaplanMeierOptions.Default;
        options.Validate();
        return new KaplanMeierCurve(CountingProcessArrays(data, options), null, data.Count, options);
    }

    /// <summary>One curve from (start, stop] data per group level, levels sorted as <see cref="SurvivalData.GroupLevels"/>; see <see cref="Estimate(CountingProcessData, KaplanMeierOptions?)"/>.</summary>
    /// <param name="data">Starts, stops, events and optional weights.</param>
    /// <param name="groups">A group label per row.</param>
    /// <param name="options">Interval settings and variance, as <see cref="Estimate(CountingProcessData, KaplanMeierOptions?)"/>.</param>
    /// <exception cref="DataValidationException">The labels differ in number from the rows or one is missing.</exception>
    public static IReadOnlyList<KaplanMeierCurve> EstimateByGroup(CountingProcessData data, IReadOnlyList<string> groups, KaplanMeierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(groups);
        options ??= KaplanMeierOptions.Default;
        options.Validate();
        if (groups.Count != data.Count)
        {
            throw new DataValidationException("groups", null, null, FormattableString.Invariant($"has {groups.Count} labels but the data have {data.Count} rows; they must be equal"));
        }

        var missing = Enumerable.Range(0, groups.Count).FirstOrDefault(i => string.IsNullOrEmpty(groups[i]), -1);
        if (missing >= 0)
        {
            throw new DataValidationException("groups", missing + 1, null, "is missing");
        }

        // Near-equal times are merged over all the rows before they are divided, as survfit does.
        if (options.TimeFix)
        {
            data = data.WithTimeFix();
            options = options with { TimeFix = false };
        }

        var curves = new List<KaplanMeierCurve>();
        foreach (var level in SurvivalData.SortLevels(groups))
        {
            var subset = data.Subset([.. Enumerable.Range(0, data.Count).Where(i => groups[i] == level)]);
            curves.Add(new KaplanMeierCurve(CountingProcessArrays(subset, options), level, subset.Count, options with { TimeFix = true }));
        }

        return curves;
    }

    /// <summary>The per-time counts of (start, stop] data, formed by one sweep from the last stop back: a row joins the risk set at its stop and leaves at its start.</summary>
    internal static CurveArrays CountingProcessArrays(CountingProcessData data, KaplanMeierOptions options)
    {
        if (options.TimeFix)
        {
            data = data.WithTimeFix();
        }

        var start = data.StartArray;
        var stop = data.StopArray;
        var status = data.StatusArray;
        var n = data.Count;
        int[] byStop = [.. Enumerable.Range(0, n).OrderByDescending(i => stop[i])];
        int[] byStart = [.. Enumerable.Range(0, n).OrderByDescending(i => start[i])];
        var times = new List<double>();
        var atRisk = new List<double>();
        var events = new List<double>();
        var censored = new List<double>();
        var eventCounts = new List<int>();
        var risk = 0.0;
        var inRiskSet = 0;
        var leaving = 0;
        for (var next = 0; next < n;)
        {
            var t = stop[byStop[next]];
            while (leaving < n && start[byStart[leaving]] >= t)
            {
                risk -= data.WeightAt(byStart[leaving++]);
                inRiskSet--;
            }

            if (inRiskSet == 0)
            {
                risk = 0;
            }

            double d = 0, c = 0;
            var count = 0;
            for (; next < n && stop[byStop[next]] == t; next++)
            {
                var row = byStop[next];
                var weight = data.WeightAt(row);
                risk += weight;
                inRiskSet++;
                if (status[row])
                {
                    d += weight;
                    count++;
                }
                else
                {
                    c += weight;
                }
            }

            times.Add(t);
            atRisk.Add(risk);
            events.Add(d);
            censored.Add(c);
            eventCounts.Add(count);
        }

        static T[] Ascending<T>(List<T> values)
        {
            values.Reverse();
            return [.. values];
        }

        var arrays = CurveArrays.FromCounts(Ascending(times), Ascending(atRisk), Ascending(events), Ascending(censored), Ascending(eventCounts));
        var fractional = data.WeightArray is { } w && Array.Exists(w, v => v != Math.Floor(v));
        if (options.Variance == KaplanMeierVariance.InfinitesimalJackknife || (options.Variance == KaplanMeierVariance.Automatic && fractional))
        {
            arrays.UseInfinitesimalJackknife(start, stop, status, data.WeightArray);
        }

        return arrays;
    }
}
