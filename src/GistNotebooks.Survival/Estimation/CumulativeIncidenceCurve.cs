using System.Collections.Immutable;

namespace GistNotebooks.Survival.Estimation;

/// <summary>The cumulative incidence of one cause at one distinct follow-up time.</summary>
/// <param name="Time">A distinct follow-up time of the group (event or censoring).</param>
/// <param name="Estimate">The cumulative incidence F(t), right-continuous.</param>
/// <param name="Variance">cmprsk's delta-method variance of F(t); it changes only at times with an event of this cause.</param>
public sealed record CumulativeIncidencePoint(double Time, double Estimate, double Variance);

/// <summary>The cumulative incidence read off a curve at a chosen time; null beyond the group's largest follow-up time.</summary>
/// <param name="Time">The time asked for.</param>
/// <param name="Estimate">F(t), or null when t is negative or beyond the largest follow-up time (R gives NA).</param>
/// <param name="Variance">The variance of F(t), or null where the estimate is null.</param>
public sealed record CumulativeIncidenceValue(double Time, double? Estimate, double? Variance)
{
    /// <summary>
    /// The pointwise confidence interval on the log(−log) scale: F^exp(±z·SE/(F·log F)), which stays inside (0, 1).
    /// </summary>
    /// <remarks>
    /// <c>cmprsk::cuminc</c> gives the estimate and variance only; this is the transformed interval of Choudhury
    /// (Stat Med 2002;21:1129–44) that Stata's <c>stcompet</c> reports. Both limits are null where the estimate or
    /// variance is null, and where F is 0 or 1 (the scale is undefined there).
    /// </remarks>
    /// <param name="confidenceLevel">The two-sided level; 0.95 by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">The level is not strictly between 0 and 1.</exception>
    public (double? Lower, double? Upper) ConfidenceInterval(double confidenceLevel = 0.95)
    {
        if (!(confidenceLevel is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidenceLevel), confidenceLevel, "The confidence level must be strictly between 0 and 1.");
        }

        if (Estimate is not (> 0 and < 1) || Variance is not { } variance)
        {
            return (null, null);
        }

        var f = Estimate.Value;
        var z = Inference.Distributions.NormalQuantile(0.5 + (confidenceLevel / 2));
        var spread = z * Math.Sqrt(variance) / (f * Math.Log(f));
        return (Math.Pow(f, Math.Exp(-spread)), Math.Pow(f, Math.Exp(spread)));
    }
}

/// <summary>The estimated cumulative incidence function of one cause in one group.</summary>
/// <param name="Group">The group label, or null for data without groups (cmprsk then calls the group "1").</param>
/// <param name="Cause">The cause code.</param>
/// <param name="Points">One point per distinct follow-up time of the group, ascending.</param>
/// <param name="MaxFollowUpTime">The group's largest follow-up time; the curve is not defined beyond it.</param>
public sealed record CumulativeIncidenceCurve(string? Group, int Cause, ImmutableArray<CumulativeIncidencePoint> Points, double MaxFollowUpTime)
{
    /// <summary>The curve's name as <c>cmprsk::cuminc</c> gives it: "group cause", with group "1" when there are no groups.</summary>
    public string Name => (Group ?? "1") + " " + Cause.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The step value and variance at each time asked for, as <c>cmprsk::timepoints</c>: the value at the last
    /// distinct time at or before t; 0 (variance 0) before the first time; null beyond <see cref="MaxFollowUpTime"/>.
    /// </summary>
    /// <remarks>Unlike <c>timepoints</c>, which sorts and removes duplicate times, the answer keeps the order given.</remarks>
    /// <exception cref="ArgumentException">A time is not a number.</exception>
    public ImmutableArray<CumulativeIncidenceValue> At(IReadOnlyList<double> times)
    {
        ArgumentNullException.ThrowIfNull(times);
        var result = ImmutableArray.CreateBuilder<CumulativeIncidenceValue>(times.Count);
        foreach (var t in times)
        {
            if (double.IsNaN(t))
            {
                throw new ArgumentException("A time asked for is not a number.", nameof(times));
            }

            if (t < 0 || t > MaxFollowUpTime)
            {
                result.Add(new CumulativeIncidenceValue(t, null, null));
                continue;
            }

            var index = LastAtOrBefore(t);
            result.Add(index < 0
                ? new CumulativeIncidenceValue(t, 0, 0)
                : new CumulativeIncidenceValue(t, Points[index].Estimate, Points[index].Variance));
        }

        return result.MoveToImmutable();
    }

    private int LastAtOrBefore(double t)
    {
        int low = 0, high = Points.Length - 1, found = -1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            if (Points[middle].Time <= t)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }
}

/// <summary>The cumulative incidence curves of every cause in every group.</summary>
/// <param name="Curves">Ordered as <c>cmprsk::cuminc</c> lists them: by cause, then by group level.</param>
public sealed record CumulativeIncidenceResult(ImmutableArray<CumulativeIncidenceCurve> Curves)
{
    /// <summary>The curve of one cause in one group (group null for data without groups).</summary>
    /// <exception cref="KeyNotFoundException">There is no such curve.</exception>
    public CumulativeIncidenceCurve Curve(int cause, string? group = null)
    {
        foreach (var curve in Curves)
        {
            if (curve.Cause == cause && curve.Group == group)
            {
                return curve;
            }
        }

        throw new KeyNotFoundException(FormattableString.Invariant($"There is no curve for cause {cause} in group '{group ?? "(none)"}'."));
    }
}
