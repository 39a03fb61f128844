using GistNotebooks.Survival.Claims;

namespace GistNotebooks.Survival.Tests.Claims;

/// <summary>GRIM, GRIMMER, medians on a grid and Wald hazard ratios, on cases worked out by hand.</summary>
public sealed class SummaryConsistencyTests
{
    private static ReportedValue V(double value, int decimals) => new(value, decimals);

    [Fact]
    public void Grim_refuses_a_mean_no_sum_of_whole_values_gives()
    {
        // 28 whole values: 145/28 = 5.1786 and 146/28 = 5.2143, so no sum gives 5.19 (Brown and Heathers' example kind).
        Assert.Empty(SummaryConsistency.MeanSums(V(5.19, 2), 28, 0));
        Assert.False(SummaryConsistency.MeanAndStandardDeviation(V(5.19, 2), null, 28, 0).Consistent);
        Assert.Equal([146L], SummaryConsistency.MeanSums(V(5.21, 2), 28, 0).ToArray());
    }

    [Theory]
    // n = 2, mean 1.5 (sum 3): values 1 and 2 give SD 0.707, values 0 and 3 give 2.121; no pair gives 1.0.
    [InlineData(1.5, 0.7, 2, true)]
    [InlineData(1.5, 1.0, 2, false)]
    // n = 3, mean 2.0 (sum 6): SD 1.2 needs a sum of squares of 15, odd while the sum is even, so no whole values give
    // it (1, 2, 3 give 14, SD 1.0).
    [InlineData(2.0, 1.2, 3, false)]
    [InlineData(2.0, 1.0, 3, true)]
    public void Grimmer_checks_the_standard_deviation_by_the_whole_sum_of_squares_and_its_parity(double mean, double sd, int count, bool consistent)
        => Assert.Equal(consistent, SummaryConsistency.MeanAndStandardDeviation(V(mean, 1), V(sd, 1), count, 0).Consistent);

    [Theory]
    [InlineData(62, 0, 12, true)]
    [InlineData(62.5, 1, 12, true)]
    [InlineData(62.5, 1, 5, false)] // an odd count's median is one of its whole values
    [InlineData(80, 0, 12, false)] // above the maximum
    public void A_median_lies_on_the_grid_or_half_grid_between_its_minimum_and_maximum(double median, int decimals, int count, bool consistent)
        => Assert.Equal(consistent, SummaryConsistency.MedianAndRange(V(median, decimals), V(32, 0), V(78, 0), count, 0).Consistent);

    [Theory]
    // HR 2.0 (1.0–4.0): β = ln 2, se = ln 4 / (2·1.96) = 0.3537, z = 1.96, p = 0.050.
    [InlineData(2.0, "value", 0.05, true)]
    [InlineData(2.0, "value", 0.01, false)]
    [InlineData(2.0, "below", 0.10, true)]
    [InlineData(3.0, "none", 0, false)] // not the geometric centre of 1.0–4.0
    public void A_hazard_ratio_agrees_with_its_Wald_interval_and_p(double ratio, string form, double p, bool consistent)
    {
        var interval = new ReportedInterval(V(1.0, 1), V(4.0, 1));
        var printed = form switch
        {
            "value" => new ReportedP(PValueForm.Exact, V(p, 2), 0),
            "below" => new ReportedP(PValueForm.Below, null, p),
            _ => null,
        };

        Assert.Equal(consistent, SummaryConsistency.HazardRatio(V(ratio, 1), interval, printed)!.Consistent);
    }

    [Fact]
    public void Every_count_whose_percentage_rounds_to_the_printed_one_is_listed()
    {
        // 94% of 18: 17/18 = 94.4%; 16/18 = 88.9%. 50% of 7: 3.5 is no count. 10% of 41 with no decimals: 4/41 = 9.76%; 10% of 200: 19 or 20.
        Assert.Equal([17], PercentCounts.Matching(V(94, 0), 18).ToArray());
        Assert.Empty(PercentCounts.Matching(V(50, 0), 7));
        Assert.Equal([4], PercentCounts.Matching(V(10, 0), 41).ToArray());
        Assert.Equal([19, 20], PercentCounts.Matching(V(10, 0), 200).ToArray()); // 9.5% rounds up to 10%, 10.5% does not
    }
}
