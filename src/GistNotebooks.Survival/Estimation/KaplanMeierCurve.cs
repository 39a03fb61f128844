using System.Collections.Immutable;

namespace GistNotebooks.Survival.Estimation;

/// <summary>
/// A fitted Kaplan–Meier curve (Kaplan &amp; Meier 1958) with Greenwood (or, under fractional weights, infinitesimal-jackknife) standard errors, pointwise
/// confidence limits, the Nelson–Aalen cumulative hazard, and the summaries R's survival package reports:
/// median, quantiles, survival at chosen times and restricted mean. Immutable; made by <see cref="KaplanMeier"/>.
/// </summary>
/// <remarks>A quantity that does not exist (median not reached, a limit undefined) is <c>null</c>, never NaN.</remarks>
public sealed record KaplanMeierCurve
{
    private readonly double[] time;
    private readonly double[] atRisk;
    private readonly double[] events;
    private readonly double[] censored;
    private readonly double[] survival;
    private readonly double[] standardErrorLog;
    private readonly double[] lower;
    private readonly double[] upper;
    private readonly double[] cumulativeHazard;

    internal KaplanMeierCurve(CurveArrays arrays, string? group, int subjectCount, KaplanMeierOptions options)
    {
        Group = group;
        N = subjectCount;
        ConfidenceType = options.ConfidenceType;
        ConfidenceLevel = options.ConfidenceLevel;
        var z = ConfidenceLimits.CriticalValue(options.ConfidenceLevel);
        var count = arrays.Count;
        time = arrays.Time;
        atRisk = arrays.AtRisk;
        events = arrays.Events;
        censored = arrays.Censored;
        survival = arrays.Survival;
        cumulativeHazard = arrays.CumulativeHazard;
        standardErrorLog = new double[count];
        lower = new double[count];
        upper = new double[count];
        var rows = ImmutableArray.CreateBuilder<KaplanMeierRow>(count);
        var totalEvents = 0.0;
        for (var i = 0; i < count; i++)
        {
            var seLog = Math.Sqrt(arrays.GreenwoodSum[i]);
            standardErrorLog[i] = seLog;
            (lower[i], upper[i]) = ConfidenceLimits.Compute(survival[i], seLog, z, options.ConfidenceType);
            totalEvents += events[i];
            rows.Add(new KaplanMeierRow(
                time[i],
                atRisk[i],
                events[i],
                censored[i],
                survival[i],
                Defined(seLog * survival[i]),
                Defined(lower[i]),
                Defined(upper[i]),
                cumulativeHazard[i],
                Defined(seLog)));
        }

        Events = totalEvents;
        Table = rows.MoveToImmutable();
        Median = new SurvivalQuantile(
            0.5,
            Defined(QuantileRules.FirstBelowHalf(time, survival)),
            Defined(QuantileRules.FirstBelowHalf(time, lower)),
            Defined(QuantileRules.FirstBelowHalf(time, upper)));
    }

    /// <summary>The group level this curve describes, or null for a curve of all subjects.</summary>
    public string? Group { get; }

    /// <summary>The number of subjects (rows) used, unweighted, as R's <c>n</c>.</summary>
    public int N { get; }

    /// <summary>The (weighted) number of events.</summary>
    public double Events { get; }

    /// <summary>The scale of the pointwise confidence limits.</summary>
    public ConfidenceIntervalType ConfidenceType { get; }

    /// <summary>The confidence level of every interval.</summary>
    public double ConfidenceLevel { get; }

    /// <summary>One row per distinct time, censored-only times included, in increasing time (as R's <c>survfit</c> object).</summary>
    public ImmutableArray<KaplanMeierRow> Table { get; }

    /// <summary>
    /// The median survival time with its confidence interval, as printed by R's <c>print.survfit</c> and
    /// <c>summary(fit)$table</c>: the first time S (or the lower / upper limit curve) is below 1/2; when it equals 1/2
    /// within √ε on a flat stretch, the midpoint between that time and the next time the curve drops
    /// (Brookmeyer &amp; Crowley 1982). Null parts were not reached.
    /// </summary>
    /// <remarks>
    /// This can differ from <c>Quantiles(0.5)</c> (R's <c>quantile.survfit</c>) when a limit curve is not monotone
    /// or the curve is flat at exactly 1/2 up to its last time; both follow R.
    /// </remarks>
    public SurvivalQuantile Median { get; }

    /// <summary>
    /// Quantiles of the survival time exactly as R's <c>quantile.survfit</c> (survival 3.5-3): the time where 1 − S
    /// first reaches p, the midpoint of a flat stretch lying on p within √ε, and the limits read the same way off
    /// the lower and upper limit curves. Default probabilities 0.25, 0.5, 0.75.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A probability is outside [0, 1] or NaN.</exception>
    public IReadOnlyList<SurvivalQuantile> Quantiles(params double[] probabilities)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        if (probabilities.Length == 0)
        {
            probabilities = [0.25, 0.5, 0.75];
        }

        foreach (var p in probabilities)
        {
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(probabilities), p, "Probabilities must lie in [0, 1].");
            }
        }

        // R reports p = 0 at the start time, which is 0 for right-censored data.
        const double firstTime = 0.0;
        var estimate = QuantileRules.FindQuantiles(firstTime, time, survival, probabilities);
        var low = QuantileRules.FindQuantiles(firstTime, time, lower, probabilities);
        var high = QuantileRules.FindQuantiles(firstTime, time, upper, probabilities);
        var result = new SurvivalQuantile[probabilities.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new SurvivalQuantile(probabilities[i], Defined(estimate[i]), Defined(low[i]), Defined(high[i]));
        }

        return result;
    }

    /// <summary>
    /// The curve read at the given times, as R's <c>summary(fit, times = , extend = TRUE)</c>: the row in force at
    /// each time (survival 1 with standard error 0 and limits 1 before the first time; the last row beyond the last
    /// time, where the number at risk is 0). When the times are strictly increasing, events and censorings are
    /// summed over the interval since the previous requested time.
    /// </summary>
    /// <exception cref="ArgumentException">A time is NaN.</exception>
    public IReadOnlyList<SurvivalPoint> SurvivalAt(IReadOnlyList<double> times)
    {
        ArgumentNullException.ThrowIfNull(times);
        var increasing = true;
        for (var i = 0; i < times.Count; i++)
        {
            if (double.IsNaN(times[i]))
            {
                throw new ArgumentException("A requested time is NaN.", nameof(times));
            }

            if (i > 0 && !(times[i] > times[i - 1]))
            {
                increasing = false;
            }
        }

        var result = new SurvivalPoint[times.Count];
        var previous = 0;
        for (var q = 0; q < times.Count; q++)
        {
            var t = times[q];
            var upTo = CountAtOrBefore(t);
            var before = CountBefore(t);
            double eventSum = 0, censorSum = 0;
            if (increasing)
            {
                for (var i = previous; i < upTo; i++)
                {
                    eventSum += events[i];
                    censorSum += censored[i];
                }

                previous = upTo;
            }
            else if (upTo > 0)
            {
                eventSum = events[upTo - 1];
                censorSum = censored[upTo - 1];
            }

            var nRisk = before < time.Length ? atRisk[before] : 0.0;
            result[q] = upTo == 0
                ? new SurvivalPoint(t, nRisk, eventSum, censorSum, 1.0, 0.0, 1.0, 1.0, 0.0)
                : new SurvivalPoint(
                    t,
                    nRisk,
                    eventSum,
                    censorSum,
                    survival[upTo - 1],
                    Defined(standardErrorLog[upTo - 1] * survival[upTo - 1]),
                    Defined(lower[upTo - 1]),
                    Defined(upper[upTo - 1]),
                    cumulativeHazard[upTo - 1]);
        }

        return result;
    }

    /// <summary>S(t) as a right-continuous step function: 1 before the first time, the last value beyond the last time.</summary>
    public double SurvivalAtTime(double t)
    {
        var upTo = CountAtOrBefore(t);
        return upTo == 0 ? 1.0 : survival[upTo - 1];
    }

    /// <summary>
    /// The restricted mean survival time ∫₀^τ S(t) dt and its standard error, as R's
    /// <c>summary(fit, rmean = τ)$table</c> (survival 3.5-3): beyond the last time the curve is carried flat to τ,
    /// and the variance is Σ_{tⱼ ≤ τ} A(tⱼ)² dⱼ/(nⱼ(nⱼ − dⱼ)) with A(tⱼ) = ∫_{tⱼ}^τ S (terms with nⱼ = dⱼ are 0).
    /// </summary>
    /// <remarks>R stops when τ is before the first time; here the answer is then τ with standard error 0.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">τ is negative or not finite.</exception>
    public RestrictedMeanSurvival RestrictedMean(double tau)
    {
        if (!double.IsFinite(tau) || tau < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tau), tau, "The truncation time must be finite and not negative.");
        }

        var k = CountAtOrBefore(tau);
        if (k == 0)
        {
            return new RestrictedMeanSurvival(tau, tau, 0.0);
        }

        // Rectangle j covers [t_{j-1}, t_j) at height S(t_{j-1}); the last one runs from t_{k-1} to τ.
        var mean = time[0];
        for (var j = 1; j < k; j++)
        {
            mean += (time[j] - time[j - 1]) * survival[j - 1];
        }

        mean += (tau - time[k - 1]) * survival[k - 1];

        // Areas are summed in units of τ, so that their squares cannot overflow when times are very large.
        var scale = tau > 1 ? tau : 1.0;
        var areaAfter = 0.0;
        var variance = 0.0;
        for (var j = k - 1; j >= 0; j--)
        {
            var right = j == k - 1 ? tau : time[j + 1];
            areaAfter += (right - time[j]) / scale * survival[j];
            var n = atRisk[j];
            var d = events[j];
            var hazardTerm = n - d == 0 ? 0.0 : d / (n * (n - d));
            variance += areaAfter * areaAfter * hazardTerm;
        }

        return new RestrictedMeanSurvival(tau, mean, Math.Sqrt(variance) * scale);
    }

    private static double? Defined(double value) => double.IsFinite(value) ? value : null;

    /// <summary>The number of distinct times ≤ t.</summary>
    private int CountAtOrBefore(double t)
    {
        int low = 0, high = time.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (time[mid] <= t)
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

    /// <summary>The number of distinct times &lt; t.</summary>
    private int CountBefore(double t)
    {
        int low = 0, high = time.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (time[mid] < t)
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
