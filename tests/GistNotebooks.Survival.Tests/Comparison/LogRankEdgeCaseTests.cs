using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Tests.Comparison;

/// <summary>The log-rank test at the edges of what data can be (docs/methods.md, "Edge cases").</summary>
public sealed class LogRankEdgeCaseTests
{
    [Fact]
    public void One_group_is_a_data_error()
    {
        var data = SurvivalData.Create([1.0, 2, 3], [1, 0, 1], groups: ["A", "A", "A"]);

        var error = Assert.Throws<DataValidationException>(() => LogRank.Test(data));

        Assert.Contains("needs at least two groups; found one ('A')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_censored_data_are_a_data_error()
    {
        var data = SurvivalData.Create([1.0, 2, 3, 4], [0, 0, 0, 0], groups: ["A", "A", "B", "B"]);

        var error = Assert.Throws<DataValidationException>(() => LogRank.Test(data));

        Assert.Contains("there are no events", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_group_without_events_is_compared_with_expected_events_of_its_own()
    {
        // Hand: times 1, 2 (events, group A) with 4 at risk then 3 (2 of them in B): E_B = 2/4 + 2/3 = 7/6.
        var data = SurvivalData.Create([1.0, 2, 3, 4], [1, 1, 0, 0], groups: ["A", "A", "B", "B"]);

        var result = LogRank.Test(data);

        Assert.Equal(0.0, result.Groups[1].Observed);
        Assert.Equal(7.0 / 6, result.Groups[1].Expected, 14);
        Finite.AssertEveryEstimate(result, "group without events");
    }

    [Fact]
    public void Rows_of_weight_zero_count_for_nothing_and_very_large_times_do_not_overflow()
    {
        var plain = LogRank.Test(SurvivalData.Create([1.0, 2, 3, 4, 5], [1, 1, 0, 1, 1], groups: ["A", "B", "A", "B", "A"]));
        var padded = LogRank.Test(SurvivalData.Create(
            [1.0, 2, 3, 4, 5, 2.5, 4.5], [1, 1, 0, 1, 1, 1, 1], weights: [1.0, 1, 1, 1, 1, 0, 0], groups: ["A", "B", "A", "B", "A", "B", "A"]));
        var large = LogRank.Test(SurvivalData.Create([1e300, 2e300, 3e300, 4e300, 1e308], [1, 1, 0, 1, 1], groups: ["A", "B", "A", "B", "A"]));

        Assert.Equal(plain.Statistic, padded.Statistic, 12);
        Assert.Equal(plain.Statistic, large.Statistic, 12);
        Finite.AssertEveryEstimate(padded, "zero weights");
        Finite.AssertEveryEstimate(large, "large times");
    }

    [Fact]
    public void Random_small_datasets_give_a_finite_test_or_a_documented_data_error()
    {
        var random = new Random(20260802);
        var tested = 0;
        for (var trial = 0; trial < 400; trial++)
        {
            var data = RandomSmallData.Survival(random);
            try
            {
                Finite.AssertEveryEstimate(LogRank.Test(data, new LogRankOptions { Rho = trial % 2 }), $"trial {trial}");
                tested++;
            }
            catch (DataValidationException)
            {
                // Documented: one group, no events, or no information.
            }
        }

        Assert.True(tested > 100, $"only {tested} datasets could be tested");
    }
}
