using System.Collections.Immutable;

namespace GistNotebooks.Survival.Claims;

/// <summary>One figure or statement of a paper, as data: its id, the sentence it comes from, and what it asserts.</summary>
/// <remarks>Each kind of claim is a subtype; a claims file names the kind in its <c>kind</c> field.</remarks>
public abstract record Claim
{
    /// <summary>The claim's id, e.g. C06.</summary>
    public required string Id { get; init; }

    /// <summary>A short description in words.</summary>
    public required string Description { get; init; }

    /// <summary>The sentence of the paper the claim comes from.</summary>
    public required string Sentence { get; init; }

    /// <summary>
    /// The endpoint the claim is about, by the name the claims file gives it under <c>study.endpoints</c>; null for the
    /// study's main endpoint (the time and event columns of the study). Only kinds about survival times carry one.
    /// </summary>
    public string? Endpoint { get; init; }

    /// <summary>The claim as reported, in words and figures (e.g. "63.7%").</summary>
    public abstract string Reported { get; }
}

/// <summary>The number of subjects in the cohort (e.g. 18 patients).</summary>
public sealed record CohortSizeClaim : Claim
{
    /// <summary>The reported number of subjects.</summary>
    public required int Count { get; init; }

    /// <inheritdoc/>
    public override string Reported => Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>How many subjects have each level of a categorical column (e.g. primary site: stomach 10, duodenum 5, ...).</summary>
public sealed record CategoryCountsClaim : Claim
{
    /// <summary>The cohort column.</summary>
    public required string Column { get; init; }

    /// <summary>The count of each level, in the paper's order.</summary>
    public required ImmutableArray<KeyValuePair<string, int>> Counts { get; init; }

    /// <inheritdoc/>
    public override string Reported => string.Join(", ", Counts.Select(c => FormattableString.Invariant($"{c.Key} {c.Value}")));
}

/// <summary>
/// How many subjects have one level of a column, optionally among those with a level of another column,
/// optionally with the percentage the paper printed (e.g. recurrence in 17 (94%); remnant liver in 15 of these 17 (88%)),
/// or a printed percentage alone (e.g. morbidity 50%): then every count whose percentage rounds to it is consistent.
/// </summary>
public sealed record CountClaim : Claim
{
    /// <summary>The cohort column.</summary>
    public required string Column { get; init; }

    /// <summary>The level counted (e.g. "1" or "yes").</summary>
    public required string Level { get; init; }

    /// <summary>The reported count, or null when the paper printed only a percentage.</summary>
    public int? Count { get; init; }

    /// <summary>The column that restricts the denominator, or null for the whole cohort.</summary>
    public string? AmongColumn { get; init; }

    /// <summary>The level of <see cref="AmongColumn"/> that defines the denominator.</summary>
    public string? AmongLevel { get; init; }

    /// <summary>The reported size of the denominator, when the paper gives it.</summary>
    public int? Denominator { get; init; }

    /// <summary>The percentage printed beside the count, when there is one.</summary>
    public ReportedValue? Percent { get; init; }

    /// <inheritdoc/>
    public override string Reported
    {
        get
        {
            if (Count is not int count)
            {
                return Denominator is int of ? FormattableString.Invariant($"{Percent}% of {of}") : $"{Percent}%";
            }

            var text = Denominator is int d ? FormattableString.Invariant($"{count} of {d}") : count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Percent is ReportedValue p ? $"{text} ({p}%)" : text;
        }
    }
}

/// <summary>Kaplan–Meier survival at a time, in percent (e.g. 3-year survival 63.7%).</summary>
public sealed record SurvivalAtClaim : Claim
{
    /// <summary>The time, in the study's unit.</summary>
    public required double Time { get; init; }

    /// <summary>The printed percentage.</summary>
    public required ReportedValue Percent { get; init; }

    /// <summary>The number at risk at the time (subjects whose time is at or after it), when the paper prints it.</summary>
    public int? AtRisk { get; init; }

    /// <summary>The printed confidence interval of the survival, in percent, when the paper prints one.</summary>
    public ReportedInterval? Interval { get; init; }

    /// <inheritdoc/>
    public override string Reported => $"{Percent}%"
        + (Interval is { } i ? $" ({i.Text("%")})" : string.Empty)
        + (AtRisk is int r ? FormattableString.Invariant($", {r} at risk") : string.Empty);
}

/// <summary>How a paper summarised follow-up.</summary>
public enum FollowUpMethod
{
    /// <summary>The median (and range) of every subject's observed follow-up time, deaths and censorings alike.</summary>
    Observed,

    /// <summary>The reverse Kaplan–Meier median: the Kaplan–Meier median with censoring as the event and deaths censored (Schemper and Smith 1996).</summary>
    ReverseKaplanMeier,
}

/// <summary>
/// Follow-up as a paper summarised it: the median of the observed follow-up times, alone or with the minimum and
/// maximum (e.g. "a median of 36 (17–227) months"), or the reverse Kaplan–Meier median.
/// </summary>
public sealed record FollowUpClaim : Claim
{
    /// <summary>The printed median.</summary>
    public required ReportedValue Median { get; init; }

    /// <summary>The printed minimum, or null when the paper gives the median alone.</summary>
    public ReportedValue? Minimum { get; init; }

    /// <summary>The printed maximum, or null when the paper gives the median alone.</summary>
    public ReportedValue? Maximum { get; init; }

    /// <summary>How the median was taken. Default <see cref="FollowUpMethod.Observed"/>.</summary>
    public FollowUpMethod Method { get; init; } = FollowUpMethod.Observed;

    /// <summary>
    /// How many decimals of the time unit the follow-up times were recorded to (0 for whole months), which sets
    /// the grid a reconstruction places times on; null for the kit's default of one decimal.
    /// </summary>
    public int? TimeDecimals { get; init; }

    /// <inheritdoc/>
    public override string Reported => (Minimum is { } low && Maximum is { } high ? $"{Median} ({low}–{high})" : Median.ToString())
        + (Method == FollowUpMethod.ReverseKaplanMeier ? ", reverse Kaplan–Meier" : string.Empty);
}

/// <summary>
/// The Kaplan–Meier median survival time, optionally with its printed confidence interval and the range (minimum and
/// maximum) of the endpoint's times (e.g. "median disease-free period 17 (3–72) months").
/// </summary>
public sealed record MedianSurvivalClaim : Claim
{
    /// <summary>The printed median.</summary>
    public required ReportedValue Median { get; init; }

    /// <summary>The printed confidence interval of the median, when given.</summary>
    public ReportedInterval? Interval { get; init; }

    /// <summary>The printed shortest time of the endpoint (events and censorings alike), when a range is given.</summary>
    public ReportedValue? Minimum { get; init; }

    /// <summary>The printed longest time of the endpoint, when a range is given.</summary>
    public ReportedValue? Maximum { get; init; }

    /// <inheritdoc/>
    public override string Reported => Median.ToString()
        + (Minimum is { } low && Maximum is { } high ? $" ({low}–{high})" : string.Empty)
        + (Interval is { } i ? $", {i.Level * 100:0}% CI {i.Text(string.Empty)}" : string.Empty);
}

/// <summary>
/// How many subjects were followed beyond a time (e.g. 3 patients survived more than 5 years), and
/// optionally a condition each of them meets (e.g. two or more resections).
/// </summary>
public sealed record SurvivorsBeyondClaim : Claim
{
    /// <summary>The time, in the study's unit; a subject counts when its follow-up time exceeds it (or reaches it, with <see cref="Inclusive"/>).</summary>
    public required double Time { get; init; }

    /// <summary>Whether a follow-up time equal to <see cref="Time"/> counts ("5 years or more" rather than "more than 5 years"). Default false.</summary>
    public bool Inclusive { get; init; }

    /// <summary>The reported number of subjects.</summary>
    public required int Count { get; init; }

    /// <summary>Whether a follow-up time counts as beyond <see cref="Time"/>.</summary>
    public bool IsBeyond(double followUp) => Inclusive ? followUp >= Time : followUp > Time;

    /// <summary>A numeric column each of them must reach, or null.</summary>
    public string? ConditionColumn { get; init; }

    /// <summary>The smallest value of <see cref="ConditionColumn"/> each must have.</summary>
    public double? ConditionAtLeast { get; init; }

    /// <inheritdoc/>
    public override string Reported => ConditionColumn is null
        ? Count.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : FormattableString.Invariant($"{Count}, each with {ConditionColumn} ≥ {ConditionAtLeast}");
}

/// <summary>A characteristic compared by the log-rank test: one level of a column against all others.</summary>
/// <param name="Column">The cohort column.</param>
/// <param name="Level">The level set against the rest.</param>
/// <param name="Label">How the paper or the kit names the comparison.</param>
public sealed record Predictor(string Column, string Level, string Label)
{
    /// <summary>
    /// The log-rank p-value of <see cref="Level"/> against every other value, or null when the test compares nothing:
    /// only one side is present, or no death happens while both sides are at risk.
    /// </summary>
    public double? LogRankP(IReadOnlyList<double> times, IReadOnlyList<bool> events, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(values);
        var groups = values.Select(v => v == Level ? Level : "other").ToArray();
        if (groups.Distinct().Count() < 2)
        {
            return null;
        }

        // Risk sets only shrink, so both sides are at risk at some death exactly when they are at the first one.
        var first = Enumerable.Range(0, times.Count).Where(i => events[i]).Select(i => times[i]).DefaultIfEmpty(double.NaN).Min();
        if (double.IsNaN(first) || Enumerable.Range(0, times.Count).Where(i => times[i] >= first).Select(i => groups[i]).Distinct().Count() < 2)
        {
            return null;
        }

        return Comparison.LogRank.Test(Data.SurvivalData.Create(times, events, groups: groups)).P;
    }
}

/// <summary>No characteristic predicted survival: every named log-rank p-value is at least alpha.</summary>
public sealed record NoSignificantPredictorClaim : Claim
{
    /// <summary>The characteristics tested.</summary>
    public required ImmutableArray<Predictor> Predictors { get; init; }

    /// <summary>The significance level (0.05).</summary>
    public required double Alpha { get; init; }

    /// <inheritdoc/>
    public override string Reported => FormattableString.Invariant($"every log-rank p ≥ {Alpha}");
}
