using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Tests.Estimation;

namespace GistNotebooks.Survival.Tests.Comparison;

public sealed class GrayTestTests
{
    // R: cuminc(cr$time, cr$status, cr$group, cencode = 0)$Tests on crsynth.csv. Tolerance 1e-12 relative (statistic and p).
    [Fact]
    public void Gray_statistics_per_cause_MatchesRSurvival()
    {
        var data = CompetingRisksData.FromCsv(CumulativeIncidenceTests.ReferencePath("crsynth.csv"), "time", "status", "group");
        var result = GrayTest.Test(data);
        var expected = CumulativeIncidenceTests.CompetingRisksReference().GetProperty("cuminc_by_group").GetProperty("gray_test");
        var causes = expected.GetProperty("cause").EnumerateArray().Select(e => int.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var statistics = expected.GetProperty("statistic").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var p = expected.GetProperty("p").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var df = expected.GetProperty("df").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(causes, result.Tests.Select(t => t.Cause).ToArray());
        for (var k = 0; k < causes.Length; k++)
        {
            var test = result.Tests[k];
            Assert.Equal(df[k], test.DegreesOfFreedom);
            Assert.True(CumulativeIncidenceTests.RelativeDifference(test.Statistic!.Value, statistics[k]) < 1e-12, $"cause {causes[k]}: {test.Statistic} vs {statistics[k]}");
            Assert.True(CumulativeIncidenceTests.RelativeDifference(test.PValue!.Value, p[k]) < 1e-12, $"cause {causes[k]}: p {test.PValue} vs {p[k]}");
        }
    }

    [Fact]
    public void Swapping_group_labels_leaves_the_statistic_unchanged()
    {
        var data = CompetingRisksData.FromCsv(CumulativeIncidenceTests.ReferencePath("crsynth.csv"), "time", "status", "group");
        var swapped = CompetingRisksData.Create(data.Times, data.CauseCodes, data.Groups.Select(g => g == "1" ? "2" : "1").ToArray());
        var first = GrayTest.Test(data);
        var second = GrayTest.Test(swapped);
        for (var k = 0; k < first.Tests.Length; k++)
        {
            Assert.Equal(first.Tests[k].Statistic!.Value, second.Tests[k].Statistic!.Value, 10);
            Assert.Equal(first.Tests[k].Scores[0], -second.Tests[k].Scores[0], 10);
        }
    }

    // Identical groups (each subject duplicated into both groups): the observed cause-1 count in group 1 equals its
    // expected share at every time, so the score and the statistic are 0.
    [Fact]
    public void Identical_groups_give_a_zero_statistic()
    {
        double[] times = [1, 2, 3, 4, 5, 6];
        int[] causes = [1, 2, 0, 1, 2, 1];
        var data = CompetingRisksData.Create([.. times, .. times], [.. causes, .. causes], [.. times.Select(_ => "a"), .. times.Select(_ => "b")]);
        var result = GrayTest.Test(data);
        foreach (var test in result.Tests)
        {
            Assert.Equal(0, test.Scores[0], 12);
            Assert.Equal(0, test.Statistic!.Value, 12);
        }
    }

    [Fact]
    public void Three_groups_give_two_degrees_of_freedom_and_a_symmetric_variance()
    {
        var random = new Random(11);
        var n = 90;
        var times = Enumerable.Range(0, n).Select(_ => Math.Round(random.NextDouble() * 20, 1)).ToArray();
        var causes = Enumerable.Range(0, n).Select(_ => random.Next(0, 3)).ToArray();
        var groups = Enumerable.Range(0, n).Select(i => ((i % 3) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var result = GrayTest.Test(CompetingRisksData.Create(times, causes, groups));
        foreach (var test in result.Tests)
        {
            Assert.Equal(2, test.DegreesOfFreedom);
            Assert.Equal(test.Variance[0][1], test.Variance[1][0]);
            Assert.True(test.Statistic >= 0);
            Assert.InRange(test.PValue!.Value, 0, 1);
        }
    }

    [Fact]
    public void Data_without_two_groups_is_rejected()
    {
        var data = CompetingRisksData.Create([1, 2, 3], [1, 2, 0]);
        Assert.Throws<ArgumentException>(() => GrayTest.Test(data));
    }
}
