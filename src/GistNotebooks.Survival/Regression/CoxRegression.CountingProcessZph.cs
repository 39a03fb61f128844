using System.Collections.Immutable;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Inference;

namespace GistNotebooks.Survival.Regression;

public static partial class CoxRegression
{
    /// <summary>
    /// Tests proportional hazards for a model fitted to counting-process (start, stop] data, as
    /// <c>cox.zph(coxph(Surv(start, stop, event) ~ ...))</c> in survival 3.5-3: for each term, the score test at γ = 0
    /// of the model with added covariates x·g(t), β held at β̂, with the full 2p × 2p information (R's <c>zph2</c>).
    /// </summary>
    /// <remarks>
    /// g is evaluated at each row's stop time: t itself (identity), or 1 − S(t−) with S the unweighted Kaplan–Meier
    /// estimate of all rows pooled on the (start, stop] data (at risk: start &lt; t ≤ stop), as R's <c>survfitKM</c> call;
    /// it is centred by its unweighted mean over the events. The risk sets, tie terms and weights are those of the fit,
    /// on the data it saw (near-equal times merged under <see cref="CoxOptions.TimeFix"/>, rows of weight zero left out).
    /// </remarks>
    /// <param name="model">The model fitted to <paramref name="data"/>.</param>
    /// <param name="data">The (start, stop] rows the model was fitted to.</param>
    /// <param name="covariates">The covariates the model was fitted to, one row per interval.</param>
    /// <param name="transform">The time transform; default Kaplan–Meier, as R.</param>
    /// <param name="options">The options of the fit (its time handling and offsets); default as <see cref="CoxOptions"/>.</param>
    /// <exception cref="ArgumentException">The data or covariates do not match the model.</exception>
    public static ProportionalHazardsTest TestProportionalHazards(CoxModel model, CountingProcessData data, CovariateMatrix covariates, ZphTransform transform = ZphTransform.KaplanMeier, CoxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(covariates);
        if (!covariates.Terms.SequenceEqual(model.Terms) || covariates.RowCount != data.Count)
        {
            throw new ArgumentException("The data and covariates must be those the model was fitted to (same terms and rows).", nameof(covariates));
        }

        var rows = CountingProcessRows.Prepare(data, covariates, options ?? new CoxOptions());
        (data, covariates) = (rows.Data, rows.Covariates);

        if (data.Count != model.N)
        {
            throw new ArgumentException("The data and covariates must be those the model was fitted to (same terms and rows).", nameof(data));
        }

        var p = model.Terms.Length;
        var beta = model.Coefficients.Select(c => c.Coefficient).ToArray();
        var likelihood = new CountingProcessLikelihood(data, covariates, model.Means.AsSpan(), model.Ties, rows.Offsets);
        var g = transform == ZphTransform.Identity ? null : OneMinusCountingProcessKaplanMeierBefore(data);
        double Raw(double t) => g is null ? t : g[t];

        var status = data.StatusArray;
        var stop = data.StopArray;
        var eventMean = 0.0;
        var events = 0;
        for (var i = 0; i < status.Length; i++)
        {
            if (status[i])
            {
                eventMean += Raw(stop[i]);
                events++;
            }
        }

        eventMean /= events;
        var score = new double[2 * p];
        var information = new double[4 * p * p];
        likelihood.EvaluateTimeInteraction(beta, t => Raw(t) - eventMean, score, information);

        return ZphScoreTests(model, p, score, information, transform);
    }

    /// <summary>1 − S(t−) at each distinct event time t, S the unweighted Kaplan–Meier estimate on (start, stop] rows, all rows pooled.</summary>
    private static Dictionary<double, double> OneMinusCountingProcessKaplanMeierBefore(CountingProcessData data)
    {
        var start = data.StartArray;
        var stop = data.StopArray;
        var status = data.StatusArray;
        var starts = (double[])start.Clone();
        var stops = (double[])stop.Clone();
        Array.Sort(starts);
        Array.Sort(stops);
        var eventTimes = stop.Where((_, i) => status[i]).Order().ToArray();
        var result = new Dictionary<double, double>();
        var survival = 1.0;
        var k = 0;
        while (k < eventTimes.Length)
        {
            var t = eventTimes[k];
            var end = k;
            while (end < eventTimes.Length && eventTimes[end] == t)
            {
                end++;
            }

            // At risk: stop ≥ t and start < t, i.e. (rows with stop ≥ t) − (rows with start ≥ t); starts are below stops.
            var atRisk = (stops.Length - LowerBound(stops, t)) - (starts.Length - LowerBound(starts, t));
            result[t] = 1 - survival;
            survival *= 1 - ((double)(end - k) / atRisk);
            k = end;
        }

        return result;
    }

    /// <summary>The first index whose value is at least <paramref name="value"/> in an ascending array.</summary>
    private static int LowerBound(double[] sorted, double value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (sorted[mid] < value)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
