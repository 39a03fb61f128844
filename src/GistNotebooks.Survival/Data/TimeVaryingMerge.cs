using System.Collections.Immutable;

namespace GistNotebooks.Survival.Data;

/// <summary>
/// Builds (start, stop] rows from one row per subject and time-stamped measurements of a covariate, as R's
/// <c>tmerge(data, data, id, death = event(futime, status))</c> followed by <c>tmerge(…, measurements, id, x = tdc(time, value))</c>:
/// each subject's follow-up (0, T] is cut at the times of its measurements that lie strictly inside it, and each
/// piece carries the most recent value measured at or before its start (before the first measurement,
/// the initial value). Only the last piece keeps the subject's event.
/// </summary>
public static class TimeVaryingMerge
{
    /// <summary>Merges measurements of one time-dependent covariate into the follow-up of each subject.</summary>
    /// <param name="data">One row per subject: follow-up time T from 0, event, optional weight and stratum.</param>
    /// <param name="subjects">The identifier of each row of <paramref name="data"/>; distinct.</param>
    /// <param name="measurements">Measurements as (subject, time, value); a subject may have none, times need not be sorted; a measurement at or after T is not used, one at or before 0 applies from the start.</param>
    /// <param name="initialValue">The value before a subject's first measurement (R's NA unless <c>tdc</c> is given an initial value).</param>
    /// <returns>The pieces in subject order and time order, the source row of each, and the covariate value on each.</returns>
    /// <exception cref="ArgumentException">The identifiers differ in number from the rows or repeat, a measurement names an unknown subject, a time is not finite, or two measurements of a subject share a time.</exception>
    public static TimeVaryingMergeResult Merge(SurvivalData data, IReadOnlyList<string> subjects, IReadOnlyList<(string Subject, double Time, double Value)> measurements, double initialValue = double.NaN)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(measurements);
        if (subjects.Count != data.Count)
        {
            throw new ArgumentException(FormattableString.Invariant($"There are {subjects.Count} subject identifiers for {data.Count} rows; there must be one per row."), nameof(subjects));
        }

        var rowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < subjects.Count; i++)
        {
            if (!rowOf.TryAdd(subjects[i], i))
            {
                throw new ArgumentException($"The subject '{subjects[i]}' appears on more than one row; give one row per subject.", nameof(subjects));
            }
        }

        var bySubject = new List<(double Time, double Value)>[data.Count];
        foreach (var (subject, time, value) in measurements)
        {
            if (!rowOf.TryGetValue(subject, out var row))
            {
                throw new ArgumentException($"A measurement names the subject '{subject}', which has no row.", nameof(measurements));
            }

            if (!double.IsFinite(time))
            {
                throw new ArgumentException($"A measurement of subject '{subject}' has a time that is not finite.", nameof(measurements));
            }

            (bySubject[row] ??= []).Add((time, value));
        }

        var starts = new List<double>();
        var stops = new List<double>();
        var events = new List<int>();
        var weights = data.HasWeights ? new List<double>() : null;
        var strata = data.Strata.IsEmpty ? null : new List<string>();
        var source = ImmutableArray.CreateBuilder<int>();
        var values = ImmutableArray.CreateBuilder<double>();
        for (var i = 0; i < data.Count; i++)
        {
            var followUp = data.TimeArray[i];
            var list = bySubject[i] ?? [];
            list.Sort((a, b) => a.Time.CompareTo(b.Time));
            for (var k = 1; k < list.Count; k++)
            {
                if (list[k].Time == list[k - 1].Time)
                {
                    throw new ArgumentException(FormattableString.Invariant($"Subject '{subjects[i]}' has two measurements at time {list[k].Time}."), nameof(measurements));
                }
            }

            var current = initialValue;
            var next = 0;
            for (; next < list.Count && list[next].Time <= 0; next++)
            {
                current = list[next].Value;
            }

            var pieceStart = 0.0;
            while (true)
            {
                var last = next >= list.Count || list[next].Time >= followUp;
                var pieceStop = last ? followUp : list[next].Time;
                starts.Add(pieceStart);
                stops.Add(pieceStop);
                events.Add(last && data.StatusArray[i] ? 1 : 0);
                weights?.Add(data.WeightAt(i));
                strata?.Add(data.StratumArray![i]);
                source.Add(i);
                values.Add(current);
                if (last)
                {
                    break;
                }

                current = list[next].Value;
                pieceStart = pieceStop;
                next++;
            }
        }

        return new TimeVaryingMergeResult(CountingProcessData.Create(starts, stops, events, weights, strata), source.ToImmutable(), values.ToImmutable());
    }
}

/// <summary>Follow-up merged with time-stamped measurements (<see cref="TimeVaryingMerge"/>).</summary>
/// <param name="Data">The pieces as counting-process data.</param>
/// <param name="SourceRows">For each piece, the 0-based subject row it comes from (to carry fixed covariates with <see cref="CovariateMatrix.Subset"/>).</param>
/// <param name="Values">For each piece, the covariate's value on it.</param>
public sealed record TimeVaryingMergeResult(CountingProcessData Data, ImmutableArray<int> SourceRows, ImmutableArray<double> Values);
