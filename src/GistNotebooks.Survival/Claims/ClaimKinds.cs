using System.Collections.Immutable;
using System.Globalization;

namespace GistNotebooks.Survival.Claims;

/// <summary>A printed confidence interval: both ends as printed, and its level (0.95 unless the paper says otherwise).</summary>
/// <param name="Lower">The printed lower end.</param>
/// <param name="Upper">The printed upper end.</param>
public sealed record ReportedInterval(ReportedValue Lower, ReportedValue Upper)
{
    /// <summary>The confidence level. Default 0.95.</summary>
    public double Level { get; init; } = 0.95;

    /// <summary>Whether computed ends round to the printed ones.</summary>
    public bool Admits(double lower, double upper) => Lower.Admits(lower) && Upper.Admits(upper);

    /// <summary>The interval as printed, with a unit after each end (e.g. "52.1%–80.3%").</summary>
    public string Text(string unit) => $"{Lower}{unit}–{Upper}{unit}";
}

/// <summary>How a paper printed a p-value: an exact value at its precision, a threshold, or "not significant".</summary>
public enum PValueForm
{
    /// <summary>A value such as p = 0.032, standing for every p that rounds to it.</summary>
    Exact,

    /// <summary>p &lt; threshold.</summary>
    Below,

    /// <summary>p &gt; threshold.</summary>
    Above,

    /// <summary>"Not significant": p ≥ alpha.</summary>
    NotSignificant,
}

/// <summary>A p-value as printed.</summary>
/// <param name="Form">Exact, a threshold, or not significant.</param>
/// <param name="Value">The printed value (exact form).</param>
/// <param name="Threshold">The threshold (below and above forms) or the significance level (not significant).</param>
public sealed record ReportedP(PValueForm Form, ReportedValue? Value, double Threshold)
{
    /// <summary>Whether a computed p agrees with the printed one.</summary>
    public bool Admits(double p) => Form switch
    {
        PValueForm.Exact => Value is { } v && v.Admits(p),
        PValueForm.Below => p < Threshold,
        PValueForm.Above => p > Threshold,
        _ => p >= Threshold,
    };

    /// <summary>The interval of p-values the printed form stands for, [low, high).</summary>
    public (double Low, double High) Range => Form switch
    {
        PValueForm.Exact => (Math.Max(0, Value!.Value.Lower), Math.Min(1, Value.Value.Upper)),
        PValueForm.Below => (0, Threshold),
        _ => (Threshold, 1.0000001),
    };

    /// <inheritdoc/>
    public override string ToString() => Form switch
    {
        PValueForm.Exact => $"p = {Value}",
        PValueForm.Below => string.Create(CultureInfo.InvariantCulture, $"p < {Threshold}"),
        PValueForm.Above => string.Create(CultureInfo.InvariantCulture, $"p > {Threshold}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"not significant (p ≥ {Threshold})"),
    };
}

/// <summary>
/// An endpoint other than the study's main one (e.g. recurrence-free or progression-free survival): its own time and
/// event columns, and optionally the subgroup it is measured in (e.g. the 11 patients resected with curative intent).
/// </summary>
/// <param name="Name">The name claims use in their <c>endpoint</c> field.</param>
/// <param name="Label">The endpoint in words (e.g. "disease-free survival").</param>
/// <param name="TimeColumn">The cohort column of its times.</param>
/// <param name="EventColumn">The cohort column of its event indicators (1 = event).</param>
public sealed record Endpoint(string Name, string Label, string TimeColumn, string EventColumn)
{
    /// <summary>The column that restricts the endpoint to a subgroup, or null for the whole cohort.</summary>
    public string? AmongColumn { get; init; }

    /// <summary>The level of <see cref="AmongColumn"/> that defines the subgroup.</summary>
    public string? AmongLevel { get; init; }

    /// <summary>The number of subjects the endpoint is measured in, when not the whole cohort.</summary>
    public int? Subjects { get; init; }
}

/// <summary>
/// A summary of a numeric characteristic: the median with the minimum and maximum (e.g. "median age 62 (32–78)
/// years") or the mean ± standard deviation (e.g. "age 52.8 ± 14.4"). Values are recorded to
/// <see cref="ValueDecimals"/> decimals, which is what makes a mean or a median checkable from the abstract alone
/// (GRIM for the mean, GRIMMER for the standard deviation).
/// </summary>
public sealed record CovariateSummaryClaim : Claim
{
    /// <summary>The cohort column.</summary>
    public required string Column { get; init; }

    /// <summary>How many decimals each value is recorded to (0 for ages in whole years). Default 0.</summary>
    public int ValueDecimals { get; init; }

    /// <summary>The number of values summarised, when not every subject of the cohort.</summary>
    public int? Subjects { get; init; }

    /// <summary>The printed median, for a median (range) summary.</summary>
    public ReportedValue? Median { get; init; }

    /// <summary>The printed minimum.</summary>
    public ReportedValue? Minimum { get; init; }

    /// <summary>The printed maximum.</summary>
    public ReportedValue? Maximum { get; init; }

    /// <summary>The printed mean, for a mean ± SD summary.</summary>
    public ReportedValue? Mean { get; init; }

    /// <summary>The printed sample standard deviation (n − 1 in the denominator).</summary>
    public ReportedValue? StandardDeviation { get; init; }

    /// <inheritdoc/>
    public override string Reported => Mean is { } mean
        ? (StandardDeviation is { } sd ? $"{mean} ± {sd}" : mean.ToString())
        : $"{Median}" + (Minimum is { } low && Maximum is { } high ? $" ({low}–{high})" : string.Empty);
}

/// <summary>One group of a comparison: its level, its size and its figure (survival at a time, or a median), as printed.</summary>
/// <param name="Level">The level of the comparison's column that defines the group.</param>
public sealed record ComparedGroup(string Level)
{
    /// <summary>The printed size of the group, when given.</summary>
    public int? Count { get; init; }

    /// <summary>The time of the group's printed survival, when given.</summary>
    public double? Time { get; init; }

    /// <summary>The group's printed survival at <see cref="Time"/>, in percent.</summary>
    public ReportedValue? Percent { get; init; }

    /// <summary>The group's printed Kaplan–Meier median.</summary>
    public ReportedValue? Median { get; init; }

    /// <summary>The group as printed.</summary>
    public string Reported
    {
        get
        {
            var parts = new List<string>();
            if (Count is int n)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"n = {n}"));
            }

            if (Percent is { } p)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"S({Time}) = {p}%"));
            }

            if (Median is { } m)
            {
                parts.Add($"median {m}");
            }

            return parts.Count == 0 ? Level : $"{Level}: {string.Join(", ", parts)}";
        }
    }
}

/// <summary>
/// A comparison of survival between groups (e.g. "5-year survival 80% after R0 resection (n = 8) and 25% after R1
/// (n = 4), log-rank p = 0.03"): each group's size and figure, and the test's p as an exact value, a threshold or
/// "not significant".
/// </summary>
public sealed record GroupComparisonClaim : Claim
{
    /// <summary>The cohort column that defines the groups.</summary>
    public required string Column { get; init; }

    /// <summary>The groups, in the paper's order.</summary>
    public required ImmutableArray<ComparedGroup> Groups { get; init; }

    /// <summary>The test: <c>logRank</c> (the only one the kit checks). Default logRank.</summary>
    public string Test { get; init; } = "logRank";

    /// <summary>The printed p-value, when given.</summary>
    public ReportedP? P { get; init; }

    /// <inheritdoc/>
    public override string Reported => string.Join("; ", Groups.Select(g => g.Reported)) + (P is { } p ? $"; {p}" : string.Empty);
}

/// <summary>
/// A hazard ratio of one level of a column against the others (a Cox model with that one indicator), with its printed
/// interval and p when given (e.g. "HR 2.4 (95% CI 1.1–5.3), p = 0.03").
/// </summary>
public sealed record HazardRatioClaim : Claim
{
    /// <summary>The cohort column.</summary>
    public required string Column { get; init; }

    /// <summary>The level whose hazard is compared with every other level's.</summary>
    public required string Level { get; init; }

    /// <summary>The printed hazard ratio.</summary>
    public required ReportedValue Value { get; init; }

    /// <summary>The printed confidence interval, when given.</summary>
    public ReportedInterval? Interval { get; init; }

    /// <summary>The printed p-value, when given.</summary>
    public ReportedP? P { get; init; }

    /// <inheritdoc/>
    public override string Reported => $"HR {Value}"
        + (Interval is { } i ? $" ({i.Level * 100:0}% CI {i.Text(string.Empty)})" : string.Empty)
        + (P is { } p ? $", {p}" : string.Empty);
}

/// <summary>
/// A figure about a population other than the cohort (e.g. "3 of 75 patients explored were resected"): a count out of
/// its own denominator, optionally with a printed percentage. It cannot be checked against the cohort; the audit checks
/// that the count and the percentage agree.
/// </summary>
public sealed record OtherDenominatorClaim : Claim
{
    /// <summary>The population, in words (e.g. "patients explored").</summary>
    public required string Population { get; init; }

    /// <summary>The size of that population.</summary>
    public required int Denominator { get; init; }

    /// <summary>The printed count, or null when only a percentage was printed.</summary>
    public int? Count { get; init; }

    /// <summary>The printed percentage, when given.</summary>
    public ReportedValue? Percent { get; init; }

    /// <inheritdoc/>
    public override string Reported => (Count is int c ? string.Create(CultureInfo.InvariantCulture, $"{c} of {Denominator}") : string.Create(CultureInfo.InvariantCulture, $"{Percent}% of {Denominator}"))
        + (Count is not null && Percent is { } p ? $" ({p}%)" : string.Empty);
}

/// <summary>A sentence of the paper kept in the claims file although nothing in it can be checked, with the reason.</summary>
public sealed record RecordedClaim : Claim
{
    /// <summary>Why the sentence cannot be checked (e.g. "no test, groups or p-values are given").</summary>
    public required string Reason { get; init; }

    /// <inheritdoc/>
    public override string Reported => "recorded, not checkable";
}
