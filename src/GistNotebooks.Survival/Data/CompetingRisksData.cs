using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;

namespace GistNotebooks.Survival.Data;

/// <summary>
/// Validated competing-risks data: one follow-up time and one cause code per subject (0 = censored,
/// 1, 2, … = the cause of the event), with optional group labels. Built once with
/// <see cref="Create(IReadOnlyList{double}, IReadOnlyList{int}, IReadOnlyList{string}?)"/> or
/// <see cref="FromCsv(string, string, string, string?, CsvReadOptions?)"/>; immutable afterwards.
/// </summary>
/// <remarks>
/// Times are finite and non-negative; causes are whole numbers of zero or more. Group levels are ordered
/// as R orders the levels of a factor (numerically when every label is a number), which is the order in
/// which <c>cmprsk::cuminc</c> reports curves and builds Gray's test.
/// </remarks>
public sealed class CompetingRisksData
{
    private readonly double[] time;
    private readonly int[] cause;
    private readonly string[]? group;
    private int[]? timeOrder;

    private CompetingRisksData(double[] time, int[] cause, string[]? group)
    {
        this.time = time;
        this.cause = cause;
        this.group = group;
        GroupLevels = group is null ? [] : SurvivalData.SortLevels(group);
        var causes = new SortedSet<int>();
        foreach (var c in cause)
        {
            if (c != 0)
            {
                causes.Add(c);
            }
        }

        Causes = [.. causes];
    }

    /// <summary>The number of subjects.</summary>
    public int Count => time.Length;

    /// <summary>Follow-up times.</summary>
    public ImmutableArray<double> Times => ImmutableCollectionsMarshal.AsImmutableArray(time);

    /// <summary>Cause codes: 0 for a censored time, otherwise the cause of the event.</summary>
    public ImmutableArray<int> CauseCodes => ImmutableCollectionsMarshal.AsImmutableArray(cause);

    /// <summary>Group labels, or an empty array when there are no groups.</summary>
    public ImmutableArray<string> Groups => group is null ? [] : ImmutableCollectionsMarshal.AsImmutableArray(group);

    /// <summary>Whether group labels were given.</summary>
    public bool HasGroups => group is not null;

    /// <summary>The distinct group labels in R's factor-level order; empty when there are no groups.</summary>
    public ImmutableArray<string> GroupLevels { get; }

    /// <summary>The distinct causes that occur (codes other than 0), ascending.</summary>
    public ImmutableArray<int> Causes { get; }

    internal double[] TimeArray => time;

    internal int[] CauseArray => cause;

    internal string[]? GroupArray => group;

    /// <summary>Row indices sorted by time ascending (stable: ties keep row order). Computed once.</summary>
    internal int[] TimeOrder
    {
        get
        {
            timeOrder ??= TimeSort.Order(time, first: null);
            return timeOrder;
        }
    }

    /// <summary>Creates validated competing-risks data.</summary>
    /// <param name="times">Follow-up times, finite and zero or more.</param>
    /// <param name="causes">0 for censored, 1, 2, … for the cause of the event.</param>
    /// <param name="groups">Optional group labels, one per subject.</param>
    /// <exception cref="DataValidationException">There are no subjects, lengths differ, a time is negative or not finite, a cause is negative, or a label is missing.</exception>
    public static CompetingRisksData Create(IReadOnlyList<double> times, IReadOnlyList<int> causes, IReadOnlyList<string>? groups = null)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(causes);
        return Validate(times, causes, groups, null, "times", "causes", "groups");
    }

    /// <summary>Reads competing-risks data from a delimited file by column names.</summary>
    /// <param name="path">The file.</param>
    /// <param name="timeColumn">The column of follow-up times.</param>
    /// <param name="statusColumn">The column of cause codes: 0 censored, 1, 2, … causes.</param>
    /// <param name="groupColumn">An optional column of group labels.</param>
    /// <param name="options">How the file is read.</param>
    /// <exception cref="DataValidationException">The file or a column is missing, or a value is invalid; the message names the file, row and column.</exception>
    public static CompetingRisksData FromCsv(string path, string timeColumn, string statusColumn, string? groupColumn = null, CsvReadOptions? options = null)
        => FromTable(ColumnTable.ReadCsv(path, (options ?? CsvReadOptions.Default) with { Columns = SurvivalData.Needed(timeColumn, statusColumn, groupColumn) }), timeColumn, statusColumn, groupColumn);

    /// <summary>Builds competing-risks data from columns of a table (read from a file, built in memory, or made from a DataFrame).</summary>
    /// <exception cref="DataValidationException">A column is missing, or a value is invalid; the message names the source, row and column.</exception>
    public static CompetingRisksData FromTable(ColumnTable table, string timeColumn, string statusColumn, string? groupColumn = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(statusColumn);
        var times = table.NumbersWithoutMissing(timeColumn);
        var status = table.GetColumn(statusColumn);
        var causes = new int[table.RowCount];
        for (var i = 0; i < causes.Length; i++)
        {
            double number;
            if (status.NumberValues is Chunked<double> numbers && status.SourceTextAt(i) is null && !status.IsMissing(i))
            {
                // Written in its round-trip form, the text reads back as this very number.
                number = numbers[i];
            }
            else
            {
                var value = table.TextAt(statusColumn, i) ?? throw new DataValidationException(table.SourceName, table.SourceRow(i), statusColumn, "the value is missing; expected 0 (censored) or a cause 1, 2, …");
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out number))
                {
                    number = double.NaN;
                }
            }

            if (number != Math.Floor(number) || number < 0 || number > int.MaxValue)
            {
                throw new DataValidationException(table.SourceName, table.SourceRow(i), statusColumn, $"expected 0 (censored) or a cause 1, 2, …, found '{table.TextAt(statusColumn, i)}'");
            }

            causes[i] = (int)number;
        }

        string[]? groups = null;
        if (groupColumn is not null)
        {
            var labels = table.Labels(groupColumn);
            groups = new string[labels.Count];
            for (var i = 0; i < groups.Length; i++)
            {
                groups[i] = labels[i] ?? throw new DataValidationException(table.SourceName, table.SourceRow(i), groupColumn, "the group label is missing");
            }
        }

        return Validate(times, causes, groups, table, timeColumn, statusColumn, groupColumn ?? "groups");
    }

    /// <summary>The subjects of one group level, without group labels.</summary>
    /// <exception cref="InvalidOperationException">The data have no groups.</exception>
    public CompetingRisksData ForGroup(string level)
    {
        if (group is null)
        {
            throw new InvalidOperationException("The data have no group labels.");
        }

        var times = new List<double>();
        var causes = new List<int>();
        for (var i = 0; i < group.Length; i++)
        {
            if (group[i] == level)
            {
                times.Add(time[i]);
                causes.Add(cause[i]);
            }
        }

        return new CompetingRisksData([.. times], [.. causes], null);
    }

    private static CompetingRisksData Validate(
        IReadOnlyList<double> times,
        IReadOnlyList<int> causes,
        IReadOnlyList<string>? groups,
        ColumnTable? table,
        string timeName,
        string causeName,
        string groupName)
    {
        DataValidationException Error(int? row, string column, string problem)
            => table is null ? new DataValidationException(column, row, null, problem)
                : new DataValidationException(table.SourceName, row is int r ? table.SourceRow(r - 1) : null, column, problem);

        var n = times.Count;
        if (n == 0)
        {
            throw Error(null, timeName, "there are no observations");
        }

        if (causes.Count != n)
        {
            throw Error(null, causeName, FormattableString.Invariant($"expected {n} values as there are times, found {causes.Count}"));
        }

        var t = new double[n];
        var c = new int[n];
        for (var i = 0; i < n; i++)
        {
            var value = times[i];
            if (SurvivalData.TimeProblem(value) is string problem)
            {
                throw Error(i + 1, timeName, problem);
            }

            if (causes[i] < 0)
            {
                throw Error(i + 1, causeName, FormattableString.Invariant($"expected 0 (censored) or a cause 1, 2, …, found {causes[i]}"));
            }

            t[i] = value;
            c[i] = causes[i];
        }

        string[]? g = null;
        if (groups is not null)
        {
            if (groups.Count != n)
            {
                throw Error(null, groupName, FormattableString.Invariant($"expected {n} labels as there are times, found {groups.Count}"));
            }

            g = new string[n];
            for (var i = 0; i < n; i++)
            {
                g[i] = groups[i] ?? throw Error(i + 1, groupName, "the group label is missing");
            }
        }

        return new CompetingRisksData(t, c, g);
    }
}
