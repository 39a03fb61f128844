using System.Collections.Immutable;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Reconstruction;

/// <summary>
/// Individual patient data rebuilt from a digitised Kaplan–Meier curve and its numbers at risk.
/// </summary>
/// <param name="Times">Each reconstructed subject's follow-up time, in ascending order (events before censorings at a tie).</param>
/// <param name="Events">Whether each subject's time is an event (true) or a censoring (false).</param>
public sealed record CurveReconstructionResult(ImmutableArray<double> Times, ImmutableArray<bool> Events)
{
    /// <summary>The number of reconstructed subjects (the number at risk at time 0).</summary>
    public int Count => Times.Length;

    /// <summary>The number of reconstructed events.</summary>
    public int EventCount => Events.Count(e => e);

    /// <summary>The reconstruction as validated survival data, ready for <c>KaplanMeier.Estimate</c> and the other procedures.</summary>
    public SurvivalData ToSurvivalData() => SurvivalData.Create(Times, Events);
}

/// <summary>
/// Curve-based reconstruction of individual patient data: Guyot P, Ades AE, Ouwens MJNM, Welton NJ.
/// Enhanced secondary analysis of survival data: reconstructing the data from published Kaplan–Meier
/// survival curves. BMC Med Res Methodol 2012;12:9.
/// </summary>
public static class CurveReconstruction
{
    // The paper's loops adjust a censoring count until the number at risk matches; a count can
    // oscillate between two values that straddle the target, so the adjustment stops after this many rounds.
    private const int MaxAdjustments = 1000;

    /// <summary>
    /// Rebuilds patient-level times and event indicators from digitised points of a Kaplan–Meier curve,
    /// the published numbers at risk and, when known, the total number of events (Guyot et al. 2012).
    /// </summary>
    /// <remarks>
    /// The at-risk times split the points into intervals. Within interval i, c censorings are spread
    /// uniformly and the events at each point k are d = round(n̂ₖ·(1 − Sₖ/Ŝ(last event))), with n̂ the
    /// estimated number at risk and Ŝ the reconstructed Kaplan–Meier estimate; c starts at
    /// round(nᵢ·S(tᵢ₊₁)/S(tᵢ) − nᵢ₊₁) and is moved by n̂(tᵢ₊₁) − nᵢ₊₁ until the estimated number at
    /// risk at the next at-risk time equals the published one. The last interval takes the average
    /// censoring rate of the earlier ones, then, when <paramref name="totalEvents"/> is given, its
    /// censoring count is adjusted until the total of events agrees. Censorings are dated at the
    /// midpoint between the point they follow and the next point; subjects left at the end are
    /// censored at the last point's time. Points are cleaned of small rises from digitising by the
    /// running minimum; a point (0, 1) is prepended when the first point is not it; an interval with
    /// no point receives one at its at-risk time, on the flat curve.
    /// </remarks>
    /// <param name="points">Digitised (time, survival) points, sorted by time; survival in [0, 1].</param>
    /// <param name="atRisk">The published numbers at risk: strictly ascending times starting at 0, non-increasing counts.</param>
    /// <param name="totalEvents">The reported total number of events, or null when unknown.</param>
    /// <returns>The reconstructed subjects; there are as many as at risk at time 0.</returns>
    /// <exception cref="DataValidationException">A point or at-risk row is out of order or out of range (the message names the row), or <paramref name="totalEvents"/> is negative or exceeds the number at risk at 0.</exception>
    public static CurveReconstructionResult Reconstruct(
        IReadOnlyList<(double Time, double Survival)> points,
        IReadOnlyList<(double Time, int AtRisk)> atRisk,
        int? totalEvents = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(atRisk);
        ValidateAtRisk(atRisk);
        var (time, survival) = CleanPoints(points, atRisk);
        var risk = atRisk.Select(r => r.AtRisk).ToArray();
        if (totalEvents is { } total && (total < 0 || total > risk[0]))
        {
            throw new DataValidationException("totalEvents", null, null,
                FormattableString.Invariant($"expected a number of events between 0 and the {risk[0]} at risk at time 0, found {total}"));
        }

        var state = new State(time, survival, atRisk.Select(r => r.Time).ToArray(), risk);
        state.Run(totalEvents);
        return state.ToResult();
    }

    private static void ValidateAtRisk(IReadOnlyList<(double Time, int AtRisk)> atRisk)
    {
        if (atRisk.Count == 0)
        {
            throw new DataValidationException("atRisk", null, null, "expected at least one row (the number at risk at time 0)");
        }

        for (var i = 0; i < atRisk.Count; i++)
        {
            var (t, n) = atRisk[i];
            if (!double.IsFinite(t))
            {
                throw new DataValidationException("atRisk", i + 1, "time", "expected a finite time");
            }

            if (i == 0 && t != 0)
            {
                throw new DataValidationException("atRisk", 1, "time", FormattableString.Invariant($"expected the first at-risk time to be 0, found {t}"));
            }

            if (i > 0 && t <= atRisk[i - 1].Time)
            {
                throw new DataValidationException("atRisk", i + 1, "time",
                    FormattableString.Invariant($"expected times in strictly ascending order, found {t} after {atRisk[i - 1].Time}"));
            }

            if (n < 0)
            {
                throw new DataValidationException("atRisk", i + 1, "atRisk", FormattableString.Invariant($"expected a number at risk of 0 or more, found {n}"));
            }

            if (i == 0 && n == 0)
            {
                throw new DataValidationException("atRisk", 1, "atRisk", "expected a positive number at risk at time 0");
            }

            if (i > 0 && n > atRisk[i - 1].AtRisk)
            {
                throw new DataValidationException("atRisk", i + 1, "atRisk",
                    FormattableString.Invariant($"the number at risk cannot rise: found {n} after {atRisk[i - 1].AtRisk}"));
            }
        }
    }

    private static (double[] Time, double[] Survival) CleanPoints(
        IReadOnlyList<(double Time, double Survival)> points,
        IReadOnlyList<(double Time, int AtRisk)> atRisk)
    {
        if (points.Count == 0)
        {
            throw new DataValidationException("points", null, null, "expected at least one digitised point");
        }

        var time = new List<double>(points.Count + atRisk.Count + 1);
        var survival = new List<double>(points.Count + atRisk.Count + 1);
        if (!(points[0].Time == 0 && points[0].Survival == 1))
        {
            time.Add(0);
            survival.Add(1);
        }

        var runningMinimum = 1.0;
        var nextAtRisk = 1;
        for (var i = 0; i < points.Count; i++)
        {
            var (t, s) = points[i];
            if (!double.IsFinite(t) || t < 0)
            {
                throw new DataValidationException("points", i + 1, "time", FormattableString.Invariant($"expected a finite time of 0 or more, found {t}"));
            }

            if (i > 0 && t < points[i - 1].Time)
            {
                throw new DataValidationException("points", i + 1, "time",
                    FormattableString.Invariant($"expected points sorted by time, found {t} after {points[i - 1].Time}"));
            }

            if (!double.IsFinite(s) || s < 0 || s > 1)
            {
                throw new DataValidationException("points", i + 1, "survival", FormattableString.Invariant($"expected a survival between 0 and 1, found {s}"));
            }

            // An at-risk interval with no digitised point gets one at its start, on the flat step
            // the curve is drawn with; the paper's intervals assume each holds a point.
            while (nextAtRisk < atRisk.Count && atRisk[nextAtRisk].Time <= t)
            {
                var intervalEmpty = nextAtRisk + 1 < atRisk.Count && atRisk[nextAtRisk + 1].Time <= t;
                if (intervalEmpty)
                {
                    time.Add(atRisk[nextAtRisk].Time);
                    survival.Add(runningMinimum);
                }

                nextAtRisk++;
            }

            // Digitising leaves small rises on a curve that can only fall; the running minimum removes them.
            runningMinimum = Math.Min(runningMinimum, s);
            time.Add(t);
            survival.Add(runningMinimum);
        }

        for (; nextAtRisk < atRisk.Count; nextAtRisk++)
        {
            time.Add(atRisk[nextAtRisk].Time);
            survival.Add(runningMinimum);
        }

        return ([.. time], [.. survival]);
    }

    /// <summary>The paper's working arrays, indexed by point.</summary>
    private sealed class State
    {
        private readonly double[] time;
        private readonly double[] survival;
        private readonly int[] risk;
        private readonly int[] lower;
        private readonly int[] upper;
        private readonly int[] events;
        private readonly int[] censored;
        private readonly int[] numberAtRisk;
        private readonly double[] estimate;

        public State(double[] time, double[] survival, double[] riskTimes, int[] risk)
        {
            this.time = time;
            this.survival = survival;
            this.risk = risk;
            var intervals = risk.Length;
            lower = new int[intervals];
            upper = new int[intervals];
            var k = 0;
            for (var i = 0; i < intervals; i++)
            {
                while (k < time.Length && time[k] < riskTimes[i])
                {
                    k++;
                }

                lower[i] = k;
            }

            for (var i = 0; i < intervals; i++)
            {
                upper[i] = i + 1 < intervals ? lower[i + 1] - 1 : time.Length - 1;
            }

            events = new int[time.Length];
            censored = new int[time.Length];
            numberAtRisk = new int[time.Length + 1];
            estimate = new double[time.Length];
        }

        public void Run(int? totalEvents)
        {
            var intervals = risk.Length;
            var last = 0;
            var censoredBefore = 0;
            for (var i = 0; i + 1 < intervals; i++)
            {
                var next = lower[i + 1];
                var censorCount = survival[lower[i]] > 0
                    ? (int)Math.Round(risk[i] * survival[next] / survival[lower[i]] - risk[i + 1])
                    : 0;
                var lastAtEnd = last;
                for (var round = 0; round < MaxAdjustments; round++)
                {
                    censorCount = Math.Max(censorCount, 0);
                    lastAtEnd = Fill(i, censorCount, time[next], last);
                    var gap = numberAtRisk[next] - risk[i + 1];
                    if (gap == 0 || (gap < 0 && censorCount == 0))
                    {
                        break;
                    }

                    censorCount += gap;
                }

                censoredBefore += Sum(censored, lower[i], upper[i]);
                if (numberAtRisk[next] < risk[i + 1])
                {
                    numberAtRisk[next] = risk[i + 1];
                }

                last = lastAtEnd;
            }

            var final = intervals - 1;
            var lo = lower[final];
            var up = upper[final];
            var finalCensored = 0;
            if (intervals > 1)
            {
                // The average censoring rate of the earlier intervals, carried over the last one.
                var span = time[upper[final - 1]] - time[lower[0]];
                finalCensored = span > 0 ? (int)Math.Min(Math.Round(censoredBefore * (time[up] - time[lo]) / span), risk[final]) : 0;
            }

            Fill(final, finalCensored, time[up], last);
            if (totalEvents is not { } total)
            {
                return;
            }

            var eventsBefore = intervals > 1 ? Sum(events, 0, upper[final - 1]) : 0;
            if (intervals > 1 && eventsBefore >= total)
            {
                Array.Clear(events, lo, up - lo + 1);
                Array.Clear(censored, lo, up - lo + 1);
                return;
            }

            var eventSum = Sum(events, 0, up);
            for (var round = 0; round < MaxAdjustments && (eventSum > total || (eventSum < total && finalCensored > 0)); round++)
            {
                finalCensored = Math.Clamp(finalCensored + eventSum - total, 0, numberAtRisk[lo]);
                Fill(final, finalCensored, time[up], last);
                var previous = eventSum;
                eventSum = Sum(events, 0, up);
                if (finalCensored == 0 && eventSum == previous)
                {
                    break;
                }
            }
        }

        /// <summary>Spreads <paramref name="censorCount"/> censorings uniformly over (t_lower, end), then walks the points of interval i; returns the index of its last event.</summary>
        private int Fill(int i, int censorCount, double end, int last)
        {
            var lo = lower[i];
            var up = upper[i];
            Array.Clear(censored, lo, up - lo + 1);
            var k = lo;
            for (var j = 1; j <= censorCount; j++)
            {
                var at = time[lo] + j * (end - time[lo]) / (censorCount + 1);
                while (k < up && time[k + 1] <= at)
                {
                    k++;
                }

                censored[k]++;
            }

            numberAtRisk[lo] = risk[i];

            for (k = lo; k <= up; k++)
            {
                var atRiskHere = numberAtRisk[k];
                if (k == 0)
                {
                    events[k] = 0;
                    estimate[k] = 1;
                }
                else
                {
                    var reference = estimate[last];
                    var deaths = reference > 0 && atRiskHere > 0
                        ? (int)Math.Round(atRiskHere * (1 - survival[k] / reference))
                        : 0;
                    events[k] = Math.Clamp(deaths, 0, atRiskHere);
                    estimate[k] = atRiskHere > 0 ? reference * (1 - (double)events[k] / atRiskHere) : reference;
                }

                censored[k] = Math.Min(censored[k], atRiskHere - events[k]);
                numberAtRisk[k + 1] = atRiskHere - events[k] - censored[k];
                if (events[k] != 0)
                {
                    last = k;
                }
            }

            return last;
        }

        private static int Sum(int[] values, int from, int to)
        {
            var sum = 0;
            for (var k = from; k <= to; k++)
            {
                sum += values[k];
            }

            return sum;
        }

        public CurveReconstructionResult ToResult()
        {
            var n = risk[0];
            var times = new List<double>(n);
            var status = new List<bool>(n);
            for (var k = 0; k < time.Length && times.Count < n; k++)
            {
                for (var e = 0; e < events[k] && times.Count < n; e++)
                {
                    times.Add(time[k]);
                    status.Add(true);
                }

                // Censorings between two points are dated at their midpoint, as in the paper.
                var censorTime = k + 1 < time.Length ? (time[k] + time[k + 1]) / 2 : time[k];
                for (var c = 0; c < censored[k] && times.Count < n; c++)
                {
                    times.Add(censorTime);
                    status.Add(false);
                }
            }

            // Those still at risk after the last point are censored there.
            while (times.Count < n)
            {
                times.Add(time[^1]);
                status.Add(false);
            }

            var order = Enumerable.Range(0, n).OrderBy(j => times[j]).ThenBy(j => status[j] ? 0 : 1).ToArray();
            return new CurveReconstructionResult([.. order.Select(j => times[j])], [.. order.Select(j => status[j])]);
        }
    }
}
