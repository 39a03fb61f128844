using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GistNotebooks.Survival.Data;

/// <summary>
/// Validated right-censored survival data: one time and one event indicator per subject, with optional
/// case weights, group labels and strata labels. Built once with <see cref="Create(IReadOnlyList{double}, IReadOnlyList{int}, IReadOnlyList{double}?, IReadOnlyList{string}?, IReadOnlyList{string}?)"/>
/// <see cref="FromTable"/> or <c>FromCsv</c>; immutable afterwards.
/// </summary>
/// <remarks>
/// Times are finite and non-negative; events are 0 (censored) or 1 (event); weights are finite and
/// non-negative (a weight of zero keeps the row but gives it no influence, as in R).
/// </remarks>
public sealed class SurvivalData
{
    private readonly double[] time;
    private readonly bool[] status;
    private int eventCount = -1;
    private readonly double[]? weight;
    private readonly Factor? group;
    private readonly Factor? stratum;
    private SortedRows? sorted;

    private SurvivalData(double[] time, bool[] status, double[]? weight, Factor? group, Factor? stratum)
    {
        this.time = time;
        this.status = status;
        this.weight = weight;
        this.group = group;
        this.stratum = stratum;
    }

    /// <summary>The number of subjects.</summary>
    public int Count => time.Length;

    /// <summary>Follow-up times.</summary>
    public ImmutableArray<double> Times => ImmutableCollectionsMarshal.AsImmutableArray(time);

    /// <summary>Event indicators: true for an event, false for a censored time.</summary>
    public ImmutableArray<bool> Events => ImmutableCollectionsMarshal.AsImmutableArray(status);

    /// <summary>Case weights; all 1 when none were given.</summary>
    public ImmutableArray<double> Weights => weight is null ? [.. Enumerable.Repeat(1.0, time.Length)] : ImmutableCollectionsMarshal.AsImmutableArray(weight);

    /// <summary>Whether case weights were given.</summary>
    public bool HasWeights => weight is not null;

    /// <summary>Group labels, or an empty array when there are no groups.</summary>
    public ImmutableArray<string> Groups => group is null ? [] : ImmutableCollectionsMarshal.AsImmutableArray(group.Labels);

    /// <summary>Strata labels, or an empty array when there are no strata.</summary>
    public ImmutableArray<string> Strata => stratum is null ? [] : ImmutableCollectionsMarshal.AsImmutableArray(stratum.Labels);

    /// <summary>The distinct group labels in sorted order: numerically when every label is a number, otherwise ordinally (as R orders factor levels).</summary>
    public ImmutableArray<string> GroupLevels => group?.Levels ?? [];

    /// <summary>The distinct strata labels, sorted as <see cref="GroupLevels"/>.</summary>
    public ImmutableArray<string> StrataLevels => stratum?.Levels ?? [];

    /// <summary>The number of events (unweighted); counted once.</summary>
    public int EventCount
    {
        get
        {
            // An int is written whole, so a race can only count twice; −1 means not counted yet.
            var events = eventCount;
            if (events < 0)
            {
                events = status.Length - MemoryMarshal.Cast<bool, byte>(status.AsSpan()).Count((byte)0);
                eventCount = events;
            }

            return events;
        }
    }

    internal double[] TimeArray => time;

    internal bool[] StatusArray => status;

    internal double[]? WeightArray => weight;

    internal string[]? GroupArray => group?.Labels;

    internal string[]? StratumArray => stratum?.Labels;

    /// <summary>Whether the data have group labels.</summary>
    internal bool HasGroups => group is not null;

    /// <summary>Whether the data have strata labels.</summary>
    internal bool HasStrata => stratum is not null;

    /// <summary>Each row's 0-based index among <see cref="GroupLevels"/>, or null without groups.</summary>
    internal int[]? GroupCodes => group?.Codes;

    /// <summary>Each row's 0-based index among <see cref="StrataLevels"/>, or null without strata.</summary>
    internal int[]? StratumCodes => stratum?.Codes;

    internal double WeightAt(int i) => weight is null ? 1.0 : weight[i];

    /// <summary>
    /// Row indices sorted by time ascending; at equal times events come before censorings (the risk-set
    /// convention: a subject censored at t is still at risk for an event at t). Stable, computed once.
    /// </summary>
    internal int[] TimeOrder => Sorted.Order;

    /// <summary>The times in <see cref="TimeOrder"/>, so that a pass in time order reads them in sequence (a time of −0 reads as 0).</summary>
    internal double[] SortedTimes => Sorted.Times;

    private SortedRows Sorted
    {
        get
        {
            if (sorted is null)
            {
                var order = TimeSort.Order(time, status, out var times);
                sorted = new SortedRows(order, times);
            }

            return sorted;
        }
    }

    /// <summary>The time order and the times in it, cached together (one reference, so a reader on another thread sees both or neither).</summary>
    private sealed record SortedRows(int[] Order, double[] Times);

    /// <summary>Creates validated data from event indicators coded 0 (censored) and 1 (event).</summary>
    /// <exception cref="DataValidationException">Lengths differ, a time is negative or not finite, an event is not 0 or 1, a weight is negative or not finite, or a label is missing.</exception>
    public static SurvivalData Create(
        IReadOnlyList<double> times,
        IReadOnlyList<int> events,
        IReadOnlyList<double>? weights = null,
        IReadOnlyList<string>? groups = null,
        IReadOnlyList<string>? strata = null)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(events);
        RequireLength("events", events.Count, times.Count);
        var status = new bool[events.Count];
        for (var i = 0; i < status.Length; i++)
        {
            status[i] = events[i] switch
            {
                0 => false,
                1 => true,
                _ => throw new DataValidationException("events", i + 1, null, FormattableString.Invariant($"expected 0 (censored) or 1 (event), found {events[i]}")),
            };
        }

        return Validate(times, status, weights, "times", "weights", null)
            .WithFactors(LabelFactor(groups, "groups", times.Count), LabelFactor(strata, "strata", times.Count));
    }

    /// <summary>Creates validated data from boolean event indicators (true = event).</summary>
    /// <exception cref="DataValidationException">As <see cref="Create(IReadOnlyList{double}, IReadOnlyList{int}, IReadOnlyList{double}?, IReadOnlyList{string}?, IReadOnlyList{string}?)"/>.</exception>
    public static SurvivalData Create(
        IReadOnlyList<double> times,
        IReadOnlyList<bool> events,
        IReadOnlyList<double>? weights = null,
        IReadOnlyList<string>? groups = null,
        IReadOnlyList<string>? strata = null)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(events);
        RequireLength("events", events.Count, times.Count);
        return Validate(times, [.. events], weights, "times", "weights", null)
            .WithFactors(LabelFactor(groups, "groups", times.Count), LabelFactor(strata, "strata", times.Count));
    }

    /// <summary>Reads survival data from a delimited file by column names.</summary>
    /// <param name="path">The file.</param>
    /// <param name="timeColumn">The column of follow-up times.</param>
    /// <param name="eventColumn">The column of event indicators, 0/1 (or labels mapped by <paramref name="eventCoding"/>).</param>
    /// <param name="groupColumn">An optional column of group labels.</param>
    /// <param name="strataColumn">An optional column of strata labels.</param>
    /// <param name="weightColumn">An optional column of case weights.</param>
    /// <param name="options">How the file is read.</param>
    /// <param name="eventCoding">An optional mapping of event labels (such as dead/alive) to 1/0.</param>
    /// <exception cref="DataValidationException">The file or a column is missing, or a value is invalid; the message names the row and column.</exception>
    public static SurvivalData FromCsv(
        string path,
        string timeColumn,
        string eventColumn,
        string? groupColumn = null,
        string? strataColumn = null,
        string? weightColumn = null,
        CsvReadOptions? options = null,
        EventCoding? eventCoding = null)
        => FromTable(
            ColumnTable.ReadCsv(path, (options ?? CsvReadOptions.Default) with { Columns = Needed(timeColumn, eventColumn, groupColumn, strataColumn, weightColumn) }),
            timeColumn, eventColumn, groupColumn, strataColumn, weightColumn, eventCoding);

    /// <summary>Builds survival data from columns of a table (read from a file, built in memory, or made from a DataFrame).</summary>
    /// <exception cref="DataValidationException">A column is missing, or a value is invalid; the message names the source, the row and the column.</exception>
    public static SurvivalData FromTable(
        ColumnTable table,
        string timeColumn,
        string eventColumn,
        string? groupColumn = null,
        string? strataColumn = null,
        string? weightColumn = null,
        EventCoding? eventCoding = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        (Factor? Groups, Factor? Strata) Factors() => (
            groupColumn is null ? null : RequireLabels(table, groupColumn),
            strataColumn is null ? null : RequireLabels(table, strataColumn));

        // A large table's labels are indexed on the other core while this one reads and checks the rest. A fault is
        // still reported in the columns' order: times, events, weights, groups, strata, then the values of the times.
        var indexing = table.RowCount >= TimeSort.TwoCoresFromRows && (groupColumn ?? strataColumn) is not null ? Task.Run(Factors) : null;
        (Factor? Groups, Factor? Strata) Indexed() => indexing is null ? Factors() : indexing.GetAwaiter().GetResult();
        var times = table.NumbersWithoutMissing(timeColumn);
        var status = ReadEvents(table, eventColumn, eventCoding ?? EventCoding.ZeroOne);
        var weights = weightColumn is null ? null : table.NumbersWithoutMissing(weightColumn);
        SurvivalData data;
        try
        {
            data = Validate(times, status, weights, timeColumn, weightColumn ?? "weights", table);
        }
        catch (DataValidationException)
        {
            // A fault of the group or strata column comes first.
            _ = Indexed();
            throw;
        }

        var (groups, strata) = Indexed();
        return data.WithFactors(groups, strata);
    }

    /// <summary>The same subjects with other (already validated) follow-up times.</summary>
    internal SurvivalData WithTimeValues(double[] times) => new(times, status, weight, group, stratum);

    private SurvivalData WithFactors(Factor? groups, Factor? strata) => new(time, status, weight, groups, strata);

    /// <summary>The subjects at the given 0-based row indices, in that order.</summary>
    public SurvivalData Subset(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        T[] Pick<T>(T[] source)
        {
            var result = new T[rows.Count];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = source[rows[i]];
            }

            return result;
        }

        return new SurvivalData(
            Pick(time),
            Pick(status),
            weight is null ? null : Pick(weight),
            group?.Subset(rows),
            stratum?.Subset(rows));
    }

    /// <summary>The subjects of one group level.</summary>
    /// <exception cref="InvalidOperationException">The data have no groups.</exception>
    public SurvivalData ForGroup(string level)
    {
        if (group is null)
        {
            throw new InvalidOperationException("The data have no group labels.");
        }

        var rows = new List<int>();
        var code = group.Levels.IndexOf(level, StringComparer.Ordinal);
        var codes = group.Codes;
        for (var i = 0; i < codes.Length && code >= 0; i++)
        {
            if (codes[i] == code)
            {
                rows.Add(i);
            }
        }

        return Subset(rows);
    }

    /// <summary>The same subjects with new group labels.</summary>
    /// <exception cref="DataValidationException">The labels' length differs or a label is missing.</exception>
    public SurvivalData WithGroups(IReadOnlyList<string> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        return new(time, status, weight, LabelFactor(groups, "groups", Count), stratum);
    }

    /// <summary>The same subjects with new strata labels.</summary>
    /// <exception cref="DataValidationException">The labels' length differs or a label is missing.</exception>
    public SurvivalData WithStrata(IReadOnlyList<string> strata)
    {
        ArgumentNullException.ThrowIfNull(strata);
        return new(time, status, weight, group, LabelFactor(strata, "strata", Count));
    }

    /// <summary>Sorts labels as R orders the levels of a factor made from them: numerically when all are numbers, otherwise ordinally.</summary>
    public static ImmutableArray<string> SortLevels(IEnumerable<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var distinct = DistinctLabels(labels);
        return [.. LevelOrder(distinct).Select(i => distinct[i])];
    }

    /// <summary>The order of distinct labels as levels: the i-th level is <c>distinct[order[i]]</c> (see <see cref="SortLevels"/>).</summary>
    internal static int[] LevelOrder(IReadOnlyList<string> distinct)
    {
        var order = Enumerable.Range(0, distinct.Count).ToArray();
        var numbers = new double[distinct.Count];
        var allNumeric = true;
        for (var i = 0; i < numbers.Length && allNumeric; i++)
        {
            allNumeric = double.TryParse(distinct[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]);
        }

        if (allNumeric)
        {
            Array.Sort(numbers, order);
        }
        else
        {
            Array.Sort([.. distinct], order, StringComparer.Ordinal);
        }

        return order;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static SurvivalData Validate(
        IReadOnlyList<double> times,
        bool[] status,
        IReadOnlyList<double>? weights,
        string timeName,
        string weightName,
        ColumnTable? table)
    {
        var n = times.Count;
        var file = table?.SourceName;
        if (n == 0)
        {
            throw new DataValidationException(file ?? timeName, null, file is null ? null : timeName, "there are no observations");
        }

        DataValidationException Error(int row, string column, string problem)
            => table is null ? new DataValidationException(column, row, null, problem) : new DataValidationException(table.SourceName, table.SourceRow(row - 1), column, problem);

        // Copied whole (a table's column in blocks), then checked in one pass over the copy.
        var t = times switch
        {
            Chunked<double> chunked => chunked.ToArray(),
            double[] array => (double[])array.Clone(),
            _ => [.. times],
        };
        for (var i = 0; i < n; i++)
        {
            if (TimeProblem(t[i]) is string problem)
            {
                throw Error(i + 1, timeName, problem);
            }
        }

        double[]? w = null;
        if (weights is not null)
        {
            RequireLength(weightName, weights.Count, n);
            w = new double[n];
            for (var i = 0; i < n; i++)
            {
                var value = weights[i];
                if (!double.IsFinite(value) || value < 0)
                {
                    throw Error(i + 1, weightName, FormattableString.Invariant($"expected a finite weight of zero or more, found {value}"));
                }

                w[i] = value;
            }
        }

        return new SurvivalData(t, status, w, null, null);
    }

    /// <summary>Labels given one per row, none missing, as a factor; null when none are given.</summary>
    private static Factor? LabelFactor(IReadOnlyList<string>? labels, string name, int count)
    {
        if (labels is null)
        {
            return null;
        }

        RequireLength(name, labels.Count, count);
        var result = new string[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = labels[i] ?? throw new DataValidationException(name, i + 1, null, "the label is missing");
        }

        return Factor.OfLabels(result);
    }

    /// <summary>
    /// The distinct labels in order of first appearance. Labels read from a table share one instance per value, so a
    /// label that is the same instance as one of the last two different ones is passed without hashing.
    /// </summary>
    private static string[] DistinctLabels(IEnumerable<string> labels)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var distinct = new List<string>();
        // The cache starts with a string instance that no caller holds, so the first label is always hashed.
        var previous = new string('\0', 1);
        var beforeThat = previous;
        foreach (var label in labels)
        {
            if (ReferenceEquals(label, previous) || ReferenceEquals(label, beforeThat))
            {
                continue;
            }

            (previous, beforeThat) = (label, previous);
            if (seen.Add(label))
            {
                distinct.Add(label);
            }
        }

        return [.. distinct];
    }

    /// <summary>Why a follow-up time is invalid (not finite, or negative), or null when it is valid.</summary>
    internal static string? TimeProblem(double value) =>
        !double.IsFinite(value) ? FormattableString.Invariant($"expected a finite time, found {value}")
        : value < 0 ? FormattableString.Invariant($"expected a time of zero or more, found {value}")
        : null;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool[] ReadEvents(ColumnTable table, string column, EventCoding coding)
    {
        var data = table.GetColumn(column);
        var result = new bool[table.RowCount];
        if (data.NumberValues is Chunked<double> numbers)
        {
            // A numbers column (the usual 0/1): map each distinct number once; a number written unusually maps by its text.
            // The two numbers met last are remembered apart, since an event column rarely holds more.
            var mapped = new Dictionary<double, bool?>();
            var hasMissing = data.HasMissing;
            var hasTexts = data.HasSourceTexts;
            var (lastNumber, lastValue, otherNumber, otherValue) = (double.NaN, (bool?)null, double.NaN, (bool?)null);
            for (var k = 0; k < numbers.ChunkCount; k++)
            {
                // By chunk, each number read in sequence; a row missing or written unusually is looked at only when some are.
                var chunk = numbers.Chunk(k);
                var start = k * Chunked<double>.Length;
                var target = result.AsSpan(start, chunk.Length);
                for (var i = 0; i < chunk.Length; i++)
                {
                    var number = chunk[i];
                    if (number == lastNumber && !hasMissing && !hasTexts)
                    {
                        target[i] = lastValue!.Value;
                        continue;
                    }

                    var row = start + i;
                    if (hasMissing && data.IsMissing(row))
                    {
                        throw MissingEvent(table, column, row);
                    }

                    bool? value;
                    if (hasTexts && data.SourceTextAt(row) is string text)
                    {
                        value = coding.Map(text);
                    }
                    else if (number == lastNumber)
                    {
                        value = lastValue;
                    }
                    else if (number == otherNumber)
                    {
                        value = otherValue;
                        (lastNumber, lastValue, otherNumber, otherValue) = (otherNumber, otherValue, lastNumber, lastValue);
                    }
                    else
                    {
                        if (!mapped.TryGetValue(number, out value))
                        {
                            value = coding.Map(table.TextAt(column, row)!);
                            mapped[number] = value;
                        }

                        (lastNumber, lastValue, otherNumber, otherValue) = (number, value, lastNumber, lastValue);
                    }

                    target[i] = value ?? throw UnknownEvent(table, column, row, table.TextAt(column, row)!, coding);
                }
            }

            return result;
        }

        var labels = data.LabelValues!;
        for (var i = 0; i < result.Length; i++)
        {
            var value = labels[i] ?? throw MissingEvent(table, column, i);
            result[i] = coding.Map(value) ?? throw UnknownEvent(table, column, i, value, coding);
        }

        return result;
    }

    private static DataValidationException MissingEvent(ColumnTable table, string column, int i)
        => new(table.SourceName, table.SourceRow(i), column, "the value is missing; expected 0 (censored) or 1 (event)");

    private static DataValidationException UnknownEvent(ColumnTable table, string column, int i, string value, EventCoding coding)
        => new(table.SourceName, table.SourceRow(i), column,
            $"expected {coding.Describe()}, found '{value}'{(ReferenceEquals(coding, EventCoding.ZeroOne) && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? "; labels such as dead/alive must first be mapped to event and censored (an event coding, on the command line --event-labels dead=alive)" : string.Empty)}");

    private static Factor RequireLabels(ColumnTable table, string column)
    {
        var (factor, missingRow) = Factor.OfColumn(table.GetColumn(column));
        return factor ?? throw new DataValidationException(table.SourceName, table.SourceRow(missingRow), column, "the label is missing");
    }

    /// <summary>The columns an analysis reads, for <see cref="CsvReadOptions.Columns"/>.</summary>
    internal static string[] Needed(params string?[] columns) => [.. columns.OfType<string>().Distinct(StringComparer.Ordinal)];

    private static void RequireLength(string name, int actual, int expected)
    {
        if (actual != expected)
        {
            throw new DataValidationException(name, null, null, FormattableString.Invariant($"has {actual} values but there are {expected} times; the lengths must be equal"));
        }
    }
}
