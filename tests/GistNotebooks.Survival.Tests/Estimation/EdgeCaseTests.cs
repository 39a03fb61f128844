using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;

namespace GistNotebooks.Survival.Tests.Estimation;

/// <summary>
/// Kaplan–Meier and cumulative incidence at the edges of what data can be (docs/methods.md, "Edge cases"):
/// each result is defined, finite or explicitly null.
/// </summary>
public sealed class EdgeCaseTests
{
    [Fact]
    public void All_censored_data_have_survival_one_and_no_median_or_limits()
    {
        var curve = KaplanMeier.Estimate(SurvivalData.Create([1.0, 2, 3], [0, 0, 0]));

        Assert.All(curve.Table, r => Assert.Equal(1.0, r.Survival));
        Assert.Equal(new SurvivalQuantile(0.5, null, null, null), curve.Median);
        Assert.All(curve.Quantiles(), q => Assert.Null(q.Estimate));
        Finite.AssertEveryEstimate(curve, "all censored");
    }

    [Fact]
    public void All_events_bring_survival_to_zero_with_an_undefined_error_there()
    {
        // Hand: S = 2/3, 1/3, 0; Greenwood's sum is infinite at the last time, so its error and limits are null.
        var curve = KaplanMeier.Estimate(SurvivalData.Create([1.0, 2, 3], [1, 1, 1]));

        Assert.Equal([2.0 / 3, 1.0 / 3, 0.0], curve.Table.Select(r => r.Survival).ToArray(), (a, b) => Math.Abs(a - b) < 1e-15);
        Assert.Null(curve.Table[^1].StandardError);
        Assert.Null(curve.Table[^1].Lower);
        Assert.Equal(2.0, curve.Median.Estimate);
        Finite.AssertEveryEstimate(curve, "all events");
    }

    [Fact]
    public void One_observation_gives_a_one_step_curve()
    {
        var curve = KaplanMeier.Estimate(SurvivalData.Create([5.0], [1]));

        var row = Assert.Single(curve.Table);
        Assert.Equal(0.0, row.Survival);
        Assert.Equal(5.0, curve.Median.Estimate);
        Finite.AssertEveryEstimate(curve, "one observation");
    }

    [Fact]
    public void Zero_and_identical_times_form_one_row_with_every_tie()
    {
        // Hand: four subjects at time 0, two events: S(0) = 1 − 2/4 = 0.5.
        var curve = KaplanMeier.Estimate(SurvivalData.Create([0.0, 0, 0, 0], [1, 1, 0, 0]));

        var row = Assert.Single(curve.Table);
        Assert.Equal((0.0, 4.0, 2.0, 0.5), (row.Time, row.AtRisk, row.Events, row.Survival));
        Finite.AssertEveryEstimate(curve, "identical zero times");
    }

    [Fact]
    public void A_row_of_weight_zero_counts_for_nothing()
    {
        var weighted = KaplanMeier.Estimate(SurvivalData.Create([1.0, 2, 3, 4], [1, 1, 0, 1], weights: [1.0, 0, 1, 1]));
        var without = KaplanMeier.Estimate(SurvivalData.Create([1.0, 3, 4], [1, 0, 1]));

        Assert.Equal(without.SurvivalAtTime(4), weighted.SurvivalAtTime(4), 15);
        Assert.Equal(without.Median, weighted.Median);
        Finite.AssertEveryEstimate(weighted, "a zero weight");
    }

    [Fact]
    public void Weights_that_are_all_zero_give_a_flat_curve()
    {
        var curve = KaplanMeier.Estimate(SurvivalData.Create([1.0, 2, 3], [1, 0, 1], weights: [0.0, 0, 0]));

        Assert.All(curve.Table, r => Assert.Equal(1.0, r.Survival));
        Assert.Null(curve.Median.Estimate);
        Finite.AssertEveryEstimate(curve, "all weights zero");
    }

    [Fact]
    public void Very_large_times_do_not_overflow()
    {
        var curve = KaplanMeier.Estimate(SurvivalData.Create([1e300, 2e300, 3e300, 1e308], [1, 0, 1, 1]));

        Assert.Equal(0.75, curve.SurvivalAtTime(1.5e300), 15);
        Assert.Equal(3e300, curve.Median.Estimate);
        var rmst = curve.RestrictedMean(1e308);
        Assert.True(double.IsFinite(rmst.Estimate) && double.IsFinite(rmst.StandardError), rmst.ToString());
        Finite.AssertEveryEstimate(curve.SurvivalAt([0.0, 1e300, 1e308]), "survival at large times");
        Finite.AssertEveryEstimate(curve, "large times");
    }

    [Fact]
    public void Competing_risks_with_no_event_are_a_data_error_naming_the_status()
    {
        var data = CompetingRisksData.Create([1.0, 2, 3], [0, 0, 0]);

        var error = Assert.Throws<DataValidationException>(() => CumulativeIncidence.Estimate(data));

        Assert.Equal("status", error.SourceName);
        Assert.Contains("every subject is censored", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cumulative_incidence_with_very_large_times_and_a_group_without_events_is_finite()
    {
        var data = CompetingRisksData.Create([1e300, 2e300, 3e300, 1e308, 5.0, 6.0], [1, 2, 1, 0, 0, 0], ["A", "A", "A", "A", "B", "B"]);

        var result = CumulativeIncidence.Estimate(data);

        Assert.Equal(0.0, result.Curve(1, "B").At([5.5])[0].Estimate);
        Finite.AssertEveryEstimate(result, "cumulative incidence");
    }

    [Fact]
    public void Random_small_datasets_give_finite_or_null_estimates()
    {
        var random = new Random(20260801);
        for (var trial = 0; trial < 400; trial++)
        {
            var data = RandomSmallData.Survival(random);
            var curve = KaplanMeier.Estimate(data);
            Finite.AssertEveryEstimate(curve, $"trial {trial}");
            Finite.AssertEveryEstimate(curve.Quantiles(), $"trial {trial}");
            Finite.AssertEveryEstimate(curve.SurvivalAt([0.0, 1.5, 100]), $"trial {trial}");
            Finite.AssertEveryEstimate(curve.RestrictedMean(4), $"trial {trial}");
            Finite.AssertEveryEstimate(KaplanMeier.EstimateByGroup(data), $"trial {trial}");
            Assert.All(curve.Table, r => Assert.InRange(r.Survival, 0.0, 1.0));

            var competing = RandomSmallData.CompetingRisks(random);
            if (competing.Causes.IsEmpty)
            {
                Assert.Throws<DataValidationException>(() => CumulativeIncidence.Estimate(competing));
                continue;
            }

            var incidence = CumulativeIncidence.Estimate(competing);
            Finite.AssertEveryEstimate(incidence, $"trial {trial}");
            
            // Sums of increments may pass 1 by rounding (1 + 2e-16), as in cmprsk.
            Assert.All(incidence.Curves, c => Assert.All(c.Points, p => Assert.InRange(p.Estimate, 0.0, 1.0 + 1e-12)));
        }
    }
}
