using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace GistNotebooks.Survival.Data;

/// <summary>
/// Validated counting-process survival data, R's <c>Surv(start, stop, event)</c>: each row is an interval of
/// follow-up (start, stop] with an event indicator at its end, so that a subject may enter late (delayed entry)
/// or contribute several rows whose covariates differ (time-dependent covariates). Built once with
/// <see cref="Create(IReadOnlyList{double}, IReadOnlyList{double}, IReadOnlyList{int}, IReadOnlyList{double}?, IReadOnlyList{string}?)"/>
/// or <see cref="FromTable"/>; immutable afterwards.
/// </summary>
/// <remarks>
/// A row is at risk at time t when start &lt; t ≤ stop. Times are finite, starts may be negative as in R, every
/// start is strictly below its stop; events are 0 or 1; weights are finite and non-negative.
/// </remarks>
public sealed class CountingProcessData
{
    private readonly double[] start;
    private readonly double[] stop;
    private readonly bool[] status;
    private readonly double[]? weight;
    private readonly string[]? stratum;

    private CountingProcessData(double[] start, double[] stop, bool[] status, double[]? weight, string[]? stratum)
    {
        this.start = start;
        this.stop = stop;
        this.status = status;
        this.weight = weight;
        this.stratum = stratum;
        StrataLevels = stratum is null ? [] : SurvivalData.SortLevels(stratum);
    }

    /// <summary>The number of rows (intervals).</summary>
    public int Count => stop.Length;

    /// <summary>The start of each interval (entry time).</summary>
    public ImmutableArray<double> Starts => ImmutableCollectionsMarshal.AsImmutableArray(start);

    /// <summary>The end of each interval (event or censoring time).</summary>
    public ImmutableArray<double> Stops => ImmutableCollectionsMarshal.AsImmutableArray(stop);

    /// <summary>Event indicators at the end of each interval.</summary>
    public ImmutableArray<bool> Events => ImmutableCollectionsMarshal.AsImmutableArray(status);

    /// <summary>Case weights; all 1 when none were given.</summary>
    public ImmutableArray<double> Weights => weight is null ? [.. Enumerable.Repeat(1.0, stop.Length)] : ImmutableCollectionsMarshal.AsImmutableArray(weight);

    /// <summary>Whether case weights were given.</summary>
    public bool HasWeights => weight is not null;

    /// <summary>Strata labels, or an empty array when there are no strata.</summary>
    public ImmutableArray<string> Strata => stratum is null ? [] : ImmutableCollectionsMarshal.AsImmutableArray(stratum);

    /// <summary>The distinct strata labels, sorted as <see cref="SurvivalData.StrataLevels"/>.</summary>
    public ImmutableArray<string> StrataLevels { get; }

    /// <summary>The number of events (unweighted).</summary>
    public int EventCount => status.Count(e => e);

    internal double[] StartArray => start;

    internal double[] StopArray => stop;

    internal bool[] StatusArray => status;

    internal double[]? WeightArray => weight;

    internal string[]? StratumArray => stratum;

    internal double WeightAt(int i) => weight is null ? 1.0 : weight[i];

    /// <summary>Creates validated counting-process data from events coded 0 (censored) and 1 (event).</summary>
    /// <param name="starts">The start of each interval.</param>
    /// <param name="stops">The end of each interval.</param>
    /// <param name="events">0 or 1 per row.</param>
    /// <param name="weights">Optional case weights.</param>
    /// <param name="strata">Optional strata labels.</param>
    /// <exception cref="DataValidationException">Lengths differ, a time is not finite, a start is not below its stop, an event is not 0 or 1, a weight is negative or not finite, or a label is missing (the message names the row).</exception>
    public static CountingProcessData Create(
        IReadOnlyList<double> starts,
        IReadOnlyList<double> stops,
        IReadOnlyList<int> events,
        IReadOnlyList<double>? weights = null,
        IReadOnlyList<string>? strata = null)
    {
        ArgumentNullException.ThrowIfNull(starts);
        ArgumentNullException.ThrowIfNull(stops);
        ArgumentNullException.ThrowIfNull(events);
        var n = stops.Count;
        RequireLength("starts", starts.Count, n);
        RequireLength("events", events.Count, n);
        var status = new bool[n];
        var startValues = new double[n];
        var stopValues = new double[n];
        for (var i = 0; i < n; i++)
        {
            status[i] = events[i] switch
            {
                0 => false,
                1 => true,
                _ => throw new DataValidationException("events", i + 1, null, FormattableString.Invariant($"expected 0 (censored) or 1 (event), found {events[i]}")),
            };
            startValues[i] = starts[i];
            stopValues[i] = stops[i];
            if (!double.IsFinite(startValues[i]))
            {
                throw new DataValidationException("starts", i + 1, null, FormattableString.Invariant($"must be finite, found {startValues[i]}"));
            }

            if (!double.IsFinite(stopValues[i]))
            {
                throw new DataValidationException("stops", i + 1, null, FormattableString.Invariant($"must be finite, found {stopValues[i]}"));
            }

            if (!(startValues[i] < stopValues[i]))
            {
                throw new DataValidationException("starts", i + 1, null, FormattableString.Invariant($"the start {startValues[i]} must be below the stop {stopValues[i]} (an interval (start, stop] of positive length)"));
            }
        }

        double[]? weightValues = null;
        if (weights is not null)
        {
            RequireLength("weights", weights.Count, n);
            weightValues = [.. weights];
            for (var i = 0; i < n; i++)
            {
                if (!(double.IsFinite(weightValues[i]) && weightValues[i] >= 0))
                {
                    throw new DataValidationException("weights", i + 1, null, FormattableString.Invariant($"must be finite and non-negative, found {weightValues[i]}"));
                }
            }
        }

        string[]? strataValues = null;
        if (strata is not null)
        {
            RequireLength("strata", strata.Count, n);
            strataValues = [.. strata];
            for (var i = 0; i < n; i++)
            {
                if (string.IsNullOrEmpty(strataValues[i]))
                {
                    throw new DataValidationException("strata", i + 1, null, "is missing");
                }
            }
        }

        return new CountingProcessData(startValues, stopValues, status, weightValues, strataValues);
    }

    /// <summary>Reads counting-process data from a table by column names.</summary>
    /// <param name="table">The table.</param>
    /// <param name="startColumn">The column of interval starts (entry times).</param>
    /// <param name="stopColumn">The column of interval ends.</param>
    /// <param name="eventColumn">The column of event indicators, 0/1.</param>
    /// <param name="weightColumn">An optional column of case weights.</param>
    /// <param name="strataColumn">An optional column of strata labels.</param>
    /// <exception cref="DataValidationException">A column is missing or holds a value that is not allowed (the message names the row).</exception>
    public static CountingProcessData FromTable(ColumnTable table, string startColumn, string stopColumn, string eventColumn, string? weightColumn = null, string? strataColumn = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var survival = SurvivalData.FromTable(table, stopColumn, eventColumn, strataColumn: strataColumn, weightColumn: weightColumn);
        var starts = table.GetNumbers(startColumn);
        return Create(starts, survival.Times, [.. survival.Events.Select(e => e ? 1 : 0)], survival.HasWeights ? survival.Weights : null, survival.Strata.IsEmpty ? null : survival.Strata);
    }

    /// <summary>Near-equal starts and stops merged together, as R's <c>aeqSurv</c> treats the two columns of a counting-process response.</summary>
    internal CountingProcessData WithTimeFix()
    {
        var n = Count;
        var all = new double[2 * n];
        start.CopyTo(all, 0);
        stop.CopyTo(all, n);
        var merged = TimeFix.Apply(all);
        if (ReferenceEquals(merged, all))
        {
            return this;
        }

        var starts = new double[n];
        var stops = new double[n];
        for (var i = 0; i < n; i++)
        {
            starts[i] = merged[i];
            stops[i] = merged[n + i];
            if (!(starts[i] < stops[i]))
            {
                throw new DataValidationException("starts", i + 1, null, "the start and stop are equal once near-equal times are merged (R's aeqSurv); set TimeFix off or widen the interval");
            }
        }

        return WithTimes(starts, stops);
    }

    /// <summary>The same rows with other start and stop values (near-equal times merged).</summary>
    internal CountingProcessData WithTimes(double[] starts, double[] stops) => new(starts, stops, status, weight, stratum);

    /// <summary>The rows at the given indices, in that order.</summary>
    internal CountingProcessData Subset(IReadOnlyList<int> rows)
        => new(
            [.. rows.Select(i => start[i])],
            [.. rows.Select(i => stop[i])],
            [.. rows.Select(i => status[i])],
            weight is null ? null : [.. rows.Select(i => weight[i])],
            stratum is null ? null : [.. rows.Select(i => stratum[i])]);

    /// <summary>The right-censored view: stops as times, for estimators that need only the end of each interval.</summary>
    internal SurvivalData StopsOnly() => SurvivalData.Create(stop, status, weight, strata: stratum);

    private static void RequireLength(string name, int actual, int expected)
    {
        if (actual != expected)
        {
            throw new DataValidationException(name, null, null, FormattableString.Invariant($"has {actual} values but the stops have {expected}; they must be equal"));
        }
    }
}
