using System.Collections.Immutable;
using System.Globalization;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Inference;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Survival.Claims;

/// <summary>One claim checked against a cohort: what was reported, what the cohort gives, and whether they agree at the reported precision.</summary>
/// <param name="Id">The claim's id.</param>
/// <param name="Description">The claim in words.</param>
/// <param name="Reported">The figure as reported.</param>
/// <param name="Reproduced">The figure the cohort gives, computed by the library.</param>
/// <param name="Passed">Whether the cohort's figure rounds to the reported one (or meets the claim); false for a claim that could not be checked.</param>
public sealed record ClaimCheck(string Id, string Description, string Reported, string Reproduced, bool Passed)
{
    /// <summary>Why the claim cannot be checked against this cohort (a recorded sentence, another population, a column the cohort lacks); null when it was checked.</summary>
    public string? NotCheckableReason { get; init; }

    /// <summary>Whether the claim was checked (passed or failed).</summary>
    public bool IsCheckable => NotCheckableReason is null;

    /// <summary>Whether the claim was checked and does not agree with the paper.</summary>
    public bool Failed => IsCheckable && !Passed;

    /// <summary>"pass", "fail" or "not checkable".</summary>
    public string Status => !IsCheckable ? "not checkable" : Passed ? "pass" : "fail";

    /// <summary>The check of a claim that cannot be checked, with the reason shown where the figure would be.</summary>
    public static ClaimCheck NotCheckable(Claim claim, string reason)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(reason);
        return new ClaimCheck(claim.Id, claim.Description, claim.Reported, "not checkable: " + reason, Passed: false) { NotCheckableReason = reason };
    }

    /// <summary>How the claim came to hold in the cohort (built to meet it, or not), when known; null when no one said how the cohort was made.</summary>
    public ClaimBasis? Basis { get; init; }
}

/// <summary>A cohort checked against every claim of a claims file.</summary>
/// <param name="Checks">One check per claim, in the claims file's order.</param>
public sealed record ConsistencyReport(ImmutableArray<ClaimCheck> Checks)
{
    /// <summary>Whether every claim that could be checked passes (claims that cannot be checked, with their reasons, do not count against it).</summary>
    public bool AllPassed => Checks.All(c => !c.Failed);

    /// <summary>The same checks, each with its basis from <paramref name="basis"/> (null leaves a check without one).</summary>
    public ConsistencyReport WithBases(Func<string, ClaimBasis?> basis)
    {
        ArgumentNullException.ThrowIfNull(basis);
        return new ConsistencyReport([.. Checks.Select(c => c with { Basis = basis(c.Id) })]);
    }
}

/// <summary>
/// Compares any cohort with a paper's claims: per claim, the reported value, the value the cohort gives,
/// and pass or fail at the precision the paper printed (63.7% passes for any value in [63.65, 63.75)).
/// The same comparison serves the reconstruction, the notebooks and <c>gistnb check</c>.
/// </summary>
public static class ConsistencyCheck
{
    /// <summary>Checks a cohort table against a claims file.</summary>
    /// <exception cref="DataValidationException">The cohort lacks a column a claim needs, or a value is invalid.</exception>
    public static ConsistencyReport Check(ClaimSet claims, ColumnTable cohort)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(cohort);
        var data = SurvivalData.FromTable(cohort, claims.TimeColumn, claims.EventColumn);
        var curve = KaplanMeier.Estimate(data);
        return new ConsistencyReport([.. claims.Claims.Select(c => Check(c, claims, cohort, data, curve))]);
    }

    /// <summary>Checks one claim, by id, against a cohort table, through the same rules as <see cref="Check(ClaimSet, ColumnTable)"/>.</summary>
    /// <exception cref="KeyNotFoundException">No claim has that id.</exception>
    /// <exception cref="DataValidationException">The cohort lacks a column the claim needs, or a value is invalid.</exception>
    public static ClaimCheck Check(ClaimSet claims, ColumnTable cohort, string id)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(cohort);
        ArgumentNullException.ThrowIfNull(id);
        var claim = claims[id];
        var data = SurvivalData.FromTable(cohort, claims.TimeColumn, claims.EventColumn);
        return Check(claim, claims, cohort, data, KaplanMeier.Estimate(data));
    }

    /// <summary>Compares one computed figure with a claim of a single printed value, through the same rule as <see cref="Check(ClaimSet, ColumnTable)"/>.</summary>
    /// <param name="claim">The claim.</param>
    /// <param name="value">The computed figure, in the claim's unit (percent for survival).</param>
    /// <exception cref="ArgumentException">The claim is not one of a single printed value.</exception>
    public static ClaimCheck CheckValue(Claim claim, double value)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var reported = claim switch
        {
            SurvivalAtClaim s => s.Percent,
            MedianSurvivalClaim m => m.Median,
            CohortSizeClaim c => new ReportedValue(c.Count, 0),
            CountClaim { Percent: null, Count: int count } => new ReportedValue(count, 0),
            SurvivorsBeyondClaim c => new ReportedValue(c.Count, 0),
            _ => throw new ArgumentException($"Claim {claim.Id} ({claim.GetType().Name}) is not a single printed value; check it against a cohort.", nameof(claim)),
        };
        var unit = claim is SurvivalAtClaim ? "%" : string.Empty;
        return new ClaimCheck(claim.Id, claim.Description, claim.Reported, Text(value, reported.Decimals + 1) + unit, reported.Admits(value));
    }

    private static ClaimCheck Check(Claim claim, ClaimSet claims, ColumnTable cohort, SurvivalData main, KaplanMeierCurve mainCurve)
    {
        ClaimCheck Result(string reproduced, bool passed) => new(claim.Id, claim.Description, claim.Reported, reproduced, passed);
        var missing = MissingColumn(claim, claims, cohort);
        if (missing is not null)
        {
            return ClaimCheck.NotCheckable(claim, missing);
        }

        SurvivalData data;
        KaplanMeierCurve curve;
        int[] rows;
        if (claim.Endpoint is null)
        {
            (data, curve, rows) = (main, mainCurve, [.. Enumerable.Range(0, cohort.RowCount)]);
        }
        else if (EndpointData(claims.EndpointOf(claim), cohort) is { } endpoint)
        {
            (data, rows) = endpoint;
            curve = KaplanMeier.Estimate(data);
        }
        else
        {
            var e = claims.EndpointOf(claim);
            return ClaimCheck.NotCheckable(claim, $"the cohort has missing values of {e.TimeColumn} or {e.EventColumn} where {e.Label} is measured");
        }

        switch (claim)
        {
            case CohortSizeClaim c:
                return Result(Text(cohort.RowCount), cohort.RowCount == c.Count);
            case CategoryCountsClaim c:
            {
                var values = cohort.GetText(c.Column);
                var counts = c.Counts.Select(p => (p.Key, Count: values.Count(v => v == p.Key))).ToList();
                var others = values.Count(v => c.Counts.All(p => p.Key != v));
                var text = string.Join(", ", counts.Select(p => FormattableString.Invariant($"{p.Key} {p.Count}"))) + (others > 0 ? FormattableString.Invariant($", other {others}") : string.Empty);
                return Result(text, others == 0 && counts.Zip(c.Counts).All(p => p.First.Count == p.Second.Value));
            }

            case CountClaim c:
            {
                var values = cohort.GetText(c.Column);
                var among = c.AmongColumn is null ? null : cohort.GetText(c.AmongColumn);
                var selected = Enumerable.Range(0, values.Length).Where(i => among is null || among[i] == c.AmongLevel).ToList();
                var count = selected.Count(i => values[i] == c.Level);
                var denominator = selected.Count;
                var percent = denominator == 0 ? double.NaN : 100.0 * count / denominator;
                var passed = (c.Count is null || count == c.Count) && (c.Denominator is null || c.Denominator == denominator) && (c.Percent is not ReportedValue p || p.Admits(percent));
                var text = c.Denominator is null ? Text(count) : FormattableString.Invariant($"{count} of {denominator}");
                return Result(c.Percent is ReportedValue pr ? $"{text} ({Text(percent, pr.Decimals + 1)}%)" : text, passed);
            }

            case SurvivalAtClaim c:
            {
                var value = 100 * curve.SurvivalAtTime(c.Time);
                var passed = c.Percent.Admits(value);
                var text = Text(value, c.Percent.Decimals + 1) + "%";
                if (c.Interval is { } interval)
                {
                    var point = KaplanMeier.Estimate(data, new KaplanMeierOptions { ConfidenceLevel = interval.Level }).SurvivalAt([c.Time])[0];
                    var (lower, upper) = (100 * (point.Lower ?? double.NaN), 100 * (point.Upper ?? double.NaN));
                    passed &= interval.Admits(lower, upper);
                    text += $" ({Text(lower, interval.Lower.Decimals + 1)}%–{Text(upper, interval.Upper.Decimals + 1)}%)";
                }

                if (c.AtRisk is int atRisk)
                {
                    var risk = data.Times.Count(t => t >= c.Time);
                    passed &= risk == atRisk;
                    text += FormattableString.Invariant($", {risk} at risk");
                }

                return Result(text, passed);
            }

            case MedianSurvivalClaim c:
            {
                var median = curve.Median.Estimate;
                var passed = median is double m && c.Median.Admits(m);
                var text = median is double value ? Text(value, c.Median.Decimals + 1) : "not reached";
                if (c.Minimum is { } low && c.Maximum is { } high)
                {
                    var (first, last) = (data.Times.Min(), data.Times.Max());
                    passed &= low.Admits(first) && high.Admits(last);
                    text += FormattableString.Invariant($" ({Text(first, low.Decimals + 1)}–{Text(last, high.Decimals + 1)})");
                }

                if (c.Interval is { } interval)
                {
                    var q = KaplanMeier.Estimate(data, new KaplanMeierOptions { ConfidenceLevel = interval.Level }).Median;
                    passed &= q.Lower is double l && q.Upper is double u && interval.Admits(l, u);
                    text += $", CI {(q.Lower is double ql ? Text(ql, interval.Lower.Decimals + 1) : "NA")}–{(q.Upper is double qu ? Text(qu, interval.Upper.Decimals + 1) : "NA")}";
                }

                return Result(text, passed);
            }

            case FollowUpClaim { Method: FollowUpMethod.ReverseKaplanMeier } c:
            {
                var median = KaplanMeier.MedianFollowUp(data).Estimate;
                var passed = median is double m && c.Median.Admits(m) && RangeAdmits(c.Minimum, c.Maximum, data);
                return Result((median is double value ? Text(value, c.Median.Decimals + 1) : "not reached") + " (reverse Kaplan–Meier)", passed);
            }

            case FollowUpClaim c:
            {
                var times = data.Times.Order().ToArray();
                var median = SampleQuantiles.MedianOfSorted(times);
                var passed = c.Median.Admits(median) && RangeAdmits(c.Minimum, c.Maximum, data);
                return Result(c.Minimum is null ? Text(median, 2) : FormattableString.Invariant($"{Text(median, 2)} ({Text(times[0], 1)}–{Text(times[^1], 1)})"), passed);
            }

            case SurvivorsBeyondClaim c:
            {
                var beyond = Enumerable.Range(0, data.Count).Where(i => c.IsBeyond(data.Times[i])).ToList();
                var condition = c.ConditionColumn is null ? null : cohort.GetNumbersOrMissing(c.ConditionColumn);
                var meets = condition is null || beyond.All(i => condition[i] >= (c.ConditionAtLeast ?? double.NegativeInfinity));
                var text = condition is null
                    ? Text(beyond.Count)
                    : FormattableString.Invariant($"{beyond.Count}, {c.ConditionColumn} {string.Join("/", beyond.Select(i => Text(condition[i])))}");
                return Result(text, beyond.Count == c.Count && meets);
            }

            case NoSignificantPredictorClaim c:
            {
                var parts = new List<string>();
                var passed = true;
                foreach (var predictor in c.Predictors)
                {
                    var p = predictor.LogRankP(data.Times, data.Events, cohort.GetText(predictor.Column).Select(v => v ?? string.Empty).ToArray());
                    parts.Add($"{predictor.Label}: p = {PValueFormat.Format(p)}");
                    passed &= p is not double q || q >= c.Alpha;
                }

                return Result(string.Join("; ", parts), passed);
            }

            case CovariateSummaryClaim c:
                return CheckCovariate(c, cohort, Result);
            case GroupComparisonClaim c:
                return CheckGroups(c, cohort, data, rows, Result);
            case HazardRatioClaim c:
                return CheckHazardRatio(c, cohort, data, rows, Result);
            case OtherDenominatorClaim c:
                return ClaimCheck.NotCheckable(claim, FormattableString.Invariant($"about {c.Denominator} {c.Population}, not the cohort"));
            case RecordedClaim c:
                return ClaimCheck.NotCheckable(claim, c.Reason);
            default:
                return ClaimCheck.NotCheckable(claim, "a kind of claim the check does not know");
        }
    }

    /// <summary>The first column a claim needs that the cohort lacks, in words; null when it has them all.</summary>
    private static string? MissingColumn(Claim claim, ClaimSet claims, ColumnTable cohort)
    {
        var needed = new List<string>();
        if (claim.Endpoint is not null)
        {
            var e = claims.EndpointOf(claim);
            needed.AddRange([e.TimeColumn, e.EventColumn]);
            if (e.AmongColumn is not null)
            {
                needed.Add(e.AmongColumn);
            }
        }

        needed.AddRange(claim switch
        {
            CategoryCountsClaim c => [c.Column],
            CountClaim c => c.AmongColumn is null ? [c.Column] : [c.Column, c.AmongColumn],
            SurvivorsBeyondClaim { ConditionColumn: string column } => [column],
            NoSignificantPredictorClaim c => c.Predictors.Select(p => p.Column),
            CovariateSummaryClaim c => [c.Column],
            GroupComparisonClaim c => [c.Column],
            HazardRatioClaim c => [c.Column],
            _ => [],
        });
        return needed.FirstOrDefault(column => !cohort.HasColumn(column)) is string absent ? $"the cohort has no column {absent}" : null;
    }

    /// <summary>An endpoint's times and events, over the subgroup it is measured in; null when a value there is missing.</summary>
    private static (SurvivalData Data, int[] Rows)? EndpointData(Endpoint endpoint, ColumnTable cohort)
    {
        var among = endpoint.AmongColumn is null ? null : cohort.GetText(endpoint.AmongColumn);
        var rows = Enumerable.Range(0, cohort.RowCount).Where(i => among is null || among[i] == endpoint.AmongLevel).ToArray();
        var times = cohort.GetNumbersOrMissing(endpoint.TimeColumn);
        var events = cohort.GetNumbersOrMissing(endpoint.EventColumn);
        if (rows.Length == 0 || rows.Any(i => double.IsNaN(times[i]) || double.IsNaN(events[i])))
        {
            return null;
        }

        return (SurvivalData.Create([.. rows.Select(i => times[i])], [.. rows.Select(i => (int)events[i])]), rows);
    }

    private static bool RangeAdmits(ReportedValue? minimum, ReportedValue? maximum, SurvivalData data)
        => minimum is not { } low || maximum is not { } high || (low.Admits(data.Times.Min()) && high.Admits(data.Times.Max()));

    private static ClaimCheck CheckCovariate(CovariateSummaryClaim c, ColumnTable cohort, Func<string, bool, ClaimCheck> result)
    {
        if (!cohort.IsNumeric(c.Column))
        {
            return ClaimCheck.NotCheckable(c, $"the cohort's column {c.Column} is not numeric");
        }

        var values = cohort.GetNumbers(c.Column).Order().ToArray();
        if (values.Length == 0)
        {
            return result("no values", false);
        }

        var passed = c.Subjects is not int n || n == values.Length;
        string text;
        if (c.Mean is { } mean)
        {
            var average = values.Average();
            var sd = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - average) * (v - average)) / (values.Length - 1)) : double.NaN;
            passed &= mean.Admits(average) && (c.StandardDeviation is not { } printed || printed.Admits(sd));
            text = Text(average, mean.Decimals + 1) + (c.StandardDeviation is { } s ? " ± " + Text(sd, s.Decimals + 1) : string.Empty);
        }
        else
        {
            var median = SampleQuantiles.MedianOfSorted(values);
            passed &= c.Median!.Value.Admits(median) && (c.Minimum is not { } low || (low.Admits(values[0]) && c.Maximum!.Value.Admits(values[^1])));
            text = Text(median, c.Median.Value.Decimals + 1) + (c.Minimum is { } l ? FormattableString.Invariant($" ({Text(values[0], l.Decimals)}–{Text(values[^1], l.Decimals)})") : string.Empty);
        }

        return result(text + (c.Subjects is null ? string.Empty : FormattableString.Invariant($", n = {values.Length}")), passed);
    }

    private static ClaimCheck CheckGroups(GroupComparisonClaim c, ColumnTable cohort, SurvivalData data, int[] rows, Func<string, bool, ClaimCheck> result)
    {
        var labels = cohort.GetText(c.Column);
        var parts = new List<string>();
        var passed = true;
        var inGroups = new List<int>();
        foreach (var group in c.Groups)
        {
            var members = Enumerable.Range(0, rows.Length).Where(k => labels[rows[k]] == group.Level).ToArray();
            inGroups.AddRange(members);
            var part = new List<string> { FormattableString.Invariant($"n = {members.Length}") };
            passed &= group.Count is not int n || n == members.Length;
            if (members.Length > 0 && (group.Percent is not null || group.Median is not null))
            {
                var curve = KaplanMeier.Estimate(SurvivalData.Create([.. members.Select(k => data.Times[k])], [.. members.Select(k => data.Events[k])]));
                if (group.Percent is { } percent)
                {
                    var value = 100 * curve.SurvivalAtTime(group.Time!.Value);
                    passed &= percent.Admits(value);
                    part.Add(string.Create(CultureInfo.InvariantCulture, $"S({group.Time}) = {Text(value, percent.Decimals + 1)}%"));
                }

                if (group.Median is { } median)
                {
                    passed &= curve.Median.Estimate is double m && median.Admits(m);
                    part.Add("median " + (curve.Median.Estimate is double v ? Text(v, median.Decimals + 1) : "not reached"));
                }
            }
            else if (members.Length == 0)
            {
                passed &= group.Count is 0 && group.Percent is null && group.Median is null;
            }

            parts.Add($"{group.Level}: {string.Join(", ", part)}");
        }

        if (c.P is { } printed)
        {
            var chosen = inGroups.Order().ToArray();
            var p = chosen.Select(k => labels[rows[k]]).Distinct().Count() < 2
                ? (double?)null
                : LogRank.Test(SurvivalData.Create([.. chosen.Select(k => data.Times[k])], [.. chosen.Select(k => data.Events[k])], groups: [.. chosen.Select(k => labels[rows[k]]!)])).P;
            passed &= p is double q && printed.Admits(q);
            parts.Add($"log-rank p = {PValueFormat.Format(p)}");
        }

        return result(string.Join("; ", parts), passed);
    }

    private static ClaimCheck CheckHazardRatio(HazardRatioClaim c, ColumnTable cohort, SurvivalData data, int[] rows, Func<string, bool, ClaimCheck> result)
    {
        var labels = cohort.GetText(c.Column);
        var indicator = rows.Select(i => labels[i] == c.Level ? 1.0 : 0.0).ToArray();
        if (indicator.Distinct().Count() < 2)
        {
            return result(FormattableString.Invariant($"no hazard ratio: every subject is {(indicator[0] == 1 ? "in" : "outside")} {c.Column} = {c.Level}"), false);
        }

        var model = CoxRegression.Fit(data, CovariateMatrix.FromColumn($"{c.Column}={c.Level}", indicator), new CoxOptions { ConfidenceLevel = c.Interval?.Level ?? 0.95 });
        var coefficient = model.Coefficients[0];
        if (coefficient.IsInfinite)
        {
            return result("infinite (monotone likelihood)", false);
        }

        var passed = c.Value.Admits(coefficient.HazardRatio);
        var text = "HR " + Text(coefficient.HazardRatio, c.Value.Decimals + 1);
        if (c.Interval is { } interval)
        {
            passed &= coefficient.Lower is double l && coefficient.Upper is double u && interval.Admits(l, u);
            text += $" ({(coefficient.Lower is double lo ? Text(lo, interval.Lower.Decimals + 1) : "NA")}–{(coefficient.Upper is double hi ? Text(hi, interval.Upper.Decimals + 1) : "NA")})";
        }

        if (c.P is { } p)
        {
            passed &= p.Admits(coefficient.P);
            text += ", Wald p = " + PValueFormat.Format(coefficient.P);
        }

        return result(text, passed);
    }

    private static string Text(double value, int decimals = 0) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
