using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;

namespace GistNotebooks.Survival.Tests.Estimation;

/// <summary>Properties of the Kaplan–Meier estimate on random data (fixed seeds). Tolerance 1e-12.</summary>
public sealed class KaplanMeierPropertyTests
{
    private static SurvivalData RandomData(Random random, int n, bool withGroups = false)
    {
        var times = new double[n];
        var events = new int[n];
        var groups = new string[n];
        for (var i = 0; i < n; i++)
        {
            // Few distinct times so that ties of deaths and censorings are common.
            times[i] = random.Next(0, 15) + (random.Next(0, 3) == 0 ? 0.5 : 0);
            events[i] = random.Next(0, 3) == 0 ? 0 : 1;
            groups[i] = random.Next(0, 2) == 0 ? "a" : "b";
        }

        return SurvivalData.Create(times, events, groups: withGroups ? groups : null);
    }

    [Fact]
    public void Survival_never_rises_and_stays_within_zero_and_one_with_limits_around_it()
    {
        var random = new Random(20261127);
        for (var trial = 0; trial < 200; trial++)
        {
            var data = RandomData(random, random.Next(1, 60));
            foreach (var type in Enum.GetValues<ConfidenceIntervalType>())
            {
                var table = KaplanMeier.Estimate(data, new() { ConfidenceType = type }).Table;
                var previous = 1.0;
                foreach (var row in table)
                {
                    Assert.InRange(row.Survival, 0, previous);
                    previous = row.Survival;
                    if (row.Lower is { } lower && row.Upper is { } upper)
                    {
                        Assert.InRange(row.Survival, lower - 1e-12, upper + 1e-12);
                        Assert.InRange(lower, 0, 1);
                        Assert.InRange(upper, 0, 1);
                    }
                }
            }
        }
    }

    [Fact]
    public void Row_order_does_not_matter()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 100; trial++)
        {
            var data = RandomData(random, random.Next(2, 50));
            var permutation = Enumerable.Range(0, data.Count).OrderBy(_ => random.Next()).ToArray();
            var original = KaplanMeier.Estimate(data);
            var shuffled = KaplanMeier.Estimate(data.Subset(permutation));
            AssertSameTable(original, shuffled);
            AssertSameSummaries(original, shuffled);
        }
    }

    [Fact]
    public void A_weight_of_two_equals_a_duplicated_row()
    {
        var random = new Random(11);
        for (var trial = 0; trial < 100; trial++)
        {
            var data = RandomData(random, random.Next(1, 40));
            var doubled = new bool[data.Count];
            var weights = new double[data.Count];
            var rows = new List<int>();
            for (var i = 0; i < data.Count; i++)
            {
                doubled[i] = random.Next(0, 2) == 0;
                weights[i] = doubled[i] ? 2 : 1;
                rows.Add(i);
                if (doubled[i])
                {
                    rows.Add(i);
                }
            }

            var weighted = KaplanMeier.Estimate(SurvivalData.Create([.. data.Times], [.. data.Events], weights));
            var duplicated = KaplanMeier.Estimate(data.Subset(rows));
            AssertSameTable(duplicated, weighted);
            AssertSameSummaries(duplicated, weighted);
            Assert.Equal(duplicated.Events, weighted.Events);
        }
    }

    [Fact]
    public void A_curve_by_group_equals_the_curve_of_that_groups_subjects()
    {
        var random = new Random(3);
        for (var trial = 0; trial < 50; trial++)
        {
            var data = RandomData(random, random.Next(2, 60), withGroups: true);
            var curves = KaplanMeier.EstimateByGroup(data);
            Assert.Equal(data.GroupLevels.Length, curves.Count);
            for (var g = 0; g < curves.Count; g++)
            {
                Assert.Equal(data.GroupLevels[g], curves[g].Group);
                var alone = KaplanMeier.Estimate(data.ForGroup(data.GroupLevels[g]));
                Assert.Equal(alone.N, curves[g].N);
                AssertSameTable(alone, curves[g]);
            }
        }
    }

    private static void AssertSameTable(KaplanMeierCurve expected, KaplanMeierCurve actual)
    {
        Assert.Equal(expected.Table.Length, actual.Table.Length);
        for (var i = 0; i < expected.Table.Length; i++)
        {
            var e = expected.Table[i];
            var a = actual.Table[i];
            Assert.Equal(e.Time, a.Time);
            Assert.Equal(e.AtRisk, a.AtRisk, 1e-12);
            Assert.Equal(e.Events, a.Events, 1e-12);
            Assert.Equal(e.Censored, a.Censored, 1e-12);
            Assert.Equal(e.Survival, a.Survival, 1e-12);
            Close(e.StandardError, a.StandardError);
            Close(e.Lower, a.Lower);
            Close(e.Upper, a.Upper);
            Assert.Equal(e.CumulativeHazard, a.CumulativeHazard, 1e-12);
        }
    }

    private static void AssertSameSummaries(KaplanMeierCurve expected, KaplanMeierCurve actual)
    {
        Assert.Equal(expected.Median, actual.Median);
        Assert.Equal(expected.Quantiles(), actual.Quantiles());
        var tau = expected.Table[^1].Time + 1;
        Assert.Equal(expected.RestrictedMean(tau).Estimate, actual.RestrictedMean(tau).Estimate, 1e-10);
        Assert.Equal(expected.RestrictedMean(tau).StandardError, actual.RestrictedMean(tau).StandardError, 1e-10);
    }

    private static void Close(double? expected, double? actual)
    {
        Assert.Equal(expected is null, actual is null);
        if (expected is not null)
        {
            Assert.Equal(expected.Value, actual!.Value, 1e-12);
        }
    }
}
