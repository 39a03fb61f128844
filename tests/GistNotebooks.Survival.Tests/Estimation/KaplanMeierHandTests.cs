using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;

namespace GistNotebooks.Survival.Tests.Estimation;

/// <summary>Tiny data sets whose answers are derived by hand in the comments. Tolerance 1e-14 absolute.</summary>
public sealed class KaplanMeierHandTests
{
    private const double Tolerance = 1e-14;

    // Times 1, 2, 2, 2+, 3+, 4, 5+ (+ = censored).
    //   t=1: n=7 d=1       S = 6/7         Greenwood Σ = 1/(7·6)              = 1/42    NA = 1/7
    //   t=2: n=6 d=2 c=1   S = 6/7·4/6=4/7 Σ = 1/42 + 2/(6·4) = 1/42 + 1/12   = 3/28    NA = 1/7 + 2/6 = 10/21
    //   t=3: n=3 c=1       S = 4/7         Σ = 3/28                                     NA = 10/21
    //   t=4: n=2 d=1       S = 2/7         Σ = 3/28 + 1/(2·1)                 = 17/28   NA = 10/21 + 1/2 = 41/42
    //   t=5: n=1 c=1       S = 2/7         Σ = 17/28                                    NA = 41/42
    private static SurvivalData TiesData() => SurvivalData.Create([1, 2, 2, 2, 3, 4, 5], [1, 1, 1, 0, 0, 1, 0]);

    [Fact]
    public void A_time_with_deaths_and_a_censoring_keeps_the_censored_subject_at_risk()
    {
        var table = KaplanMeier.Estimate(TiesData()).Table;
        Assert.Equal([1.0, 2, 3, 4, 5], table.Select(r => r.Time));
        Assert.Equal([7.0, 6, 3, 2, 1], table.Select(r => r.AtRisk));
        Assert.Equal([1.0, 2, 0, 1, 0], table.Select(r => r.Events));
        Assert.Equal([0.0, 1, 1, 0, 1], table.Select(r => r.Censored));
        double[] survival = [6.0 / 7, 4.0 / 7, 4.0 / 7, 2.0 / 7, 2.0 / 7];
        double[] greenwood = [1.0 / 42, 3.0 / 28, 3.0 / 28, 17.0 / 28, 17.0 / 28];
        double[] hazard = [1.0 / 7, 10.0 / 21, 10.0 / 21, 41.0 / 42, 41.0 / 42];
        for (var i = 0; i < table.Length; i++)
        {
            Assert.Equal(survival[i], table[i].Survival, Tolerance);
            Assert.Equal(Math.Sqrt(greenwood[i]), table[i].StandardErrorCumulativeHazard!.Value, Tolerance);
            Assert.Equal(survival[i] * Math.Sqrt(greenwood[i]), table[i].StandardError!.Value, Tolerance);
            Assert.Equal(hazard[i], table[i].CumulativeHazard, Tolerance);
        }
    }

    [Fact]
    public void Log_limits_follow_the_formula_and_are_capped_at_one()
    {
        // t=1: S = 6/7, se(log S) = √(1/42); log limits exp(log S ± z·se), upper capped at 1.
        var row = KaplanMeier.Estimate(TiesData()).Table[0];
        var z = 1.959963984540054;
        var half = z * Math.Sqrt(1.0 / 42);
        Assert.Equal(6.0 / 7 * Math.Exp(-half), row.Lower!.Value, Tolerance);
        Assert.Equal(Math.Min(6.0 / 7 * Math.Exp(half), 1), row.Upper!.Value, Tolerance);
        Assert.Equal(1.0, row.Upper!.Value);
    }

    [Fact]
    public void Survival_of_one_gives_limits_of_one_on_log_and_plain_and_none_on_log_log()
    {
        // 1+, 2, 3: the first row has S = 1 and se = 0, so log and plain give [1, 1]; log(−log 1) is undefined.
        var data = SurvivalData.Create([1, 2, 3], [0, 1, 1]);
        var log = KaplanMeier.Estimate(data).Table[0];
        var plain = KaplanMeier.Estimate(data, new() { ConfidenceType = ConfidenceIntervalType.Plain }).Table[0];
        var logLog = KaplanMeier.Estimate(data, new() { ConfidenceType = ConfidenceIntervalType.LogLog }).Table[0];
        Assert.Equal((1.0, 1.0), (log.Lower!.Value, log.Upper!.Value));
        Assert.Equal((1.0, 1.0), (plain.Lower!.Value, plain.Upper!.Value));
        Assert.Null(logLog.Lower);
        Assert.Null(logLog.Upper);
        Assert.Equal(0.0, log.StandardError);
    }

    [Fact]
    public void Survival_of_zero_has_no_standard_error_and_no_limits()
    {
        // 1, 2: at t=2, n = d = 1 so S = 0 and Greenwood's d/(n(n − d)) is infinite: R reports NA.
        var data = SurvivalData.Create([1, 2], [1, 1]);
        foreach (var type in Enum.GetValues<ConfidenceIntervalType>())
        {
            var last = KaplanMeier.Estimate(data, new() { ConfidenceType = type }).Table[^1];
            Assert.Equal(0.0, last.Survival);
            Assert.Null(last.StandardError);
            Assert.Null(last.StandardErrorCumulativeHazard);
            Assert.Null(last.Lower);
            Assert.Null(last.Upper);
        }
    }

    [Fact]
    public void Median_is_the_midpoint_when_the_curve_is_flat_at_exactly_one_half()
    {
        // 1, 2, 3, 4 all events: S = 3/4, 1/2, 1/4, 0. S equals 1/2 on [2, 3), so the median is (2 + 3)/2 = 2.5
        // both by print.survfit's rule and by quantile.survfit.
        var curve = KaplanMeier.Estimate(SurvivalData.Create([1, 2, 3, 4], [1, 1, 1, 1]));
        Assert.Equal(2.5, curve.Median.Estimate);
        Assert.Equal(2.5, curve.Quantiles(0.5)[0].Estimate);

        // 1, 2, 3+, 4: S = 3/4, 1/2, 1/2, 0. Flat at 1/2 on [2, 4): the median is (2 + 4)/2 = 3.
        var censored = KaplanMeier.Estimate(SurvivalData.Create([1, 2, 3, 4], [1, 1, 0, 1]));
        Assert.Equal(3.0, censored.Median.Estimate);
        Assert.Equal(3.0, censored.Quantiles(0.5)[0].Estimate);
    }

    [Fact]
    public void A_curve_flat_at_one_half_to_its_end_follows_each_of_Rs_two_rules()
    {
        // 1, 2, 3+, 4+: S = 3/4, 1/2, 1/2, 1/2. print.survfit (minmin) takes the first time at 1/2, 2, because the
        // curve never drops further; quantile.survfit (findq) takes the midpoint of 2 and the last time 4, 3.
        var curve = KaplanMeier.Estimate(SurvivalData.Create([1, 2, 3, 4], [1, 1, 0, 0]));
        Assert.Equal(2.0, curve.Median.Estimate);
        Assert.Equal(3.0, curve.Quantiles(0.5)[0].Estimate);
    }

    [Fact]
    public void Quantiles_not_reached_are_null_and_probability_zero_is_time_zero()
    {
        // S = 6/7, 4/7, 4/7, 2/7, 2/7: 1 − S reaches 0.25 at t=2 (3/7), 0.5 at t=4 (5/7), never 0.75.
        var quantiles = KaplanMeier.Estimate(TiesData()).Quantiles(0, 0.25, 0.5, 0.75);
        Assert.Equal(0.0, quantiles[0].Estimate);
        Assert.Equal(2.0, quantiles[1].Estimate);
        Assert.Equal(4.0, quantiles[2].Estimate);
        Assert.Null(quantiles[3].Estimate);
        Assert.Equal([0.25, 0.5, 0.75], KaplanMeier.Estimate(TiesData()).Quantiles().Select(q => q.Probability));
    }

    [Fact]
    public void Survival_at_requested_times_counts_events_since_the_previous_time()
    {
        // Times 0.5, 2, 2.5, 6 on the tied data:
        //   0.5: before the first time: n = 7, S = 1, se = 0, limits 1.
        //   2:   n = 6 (at risk at 2), events in (0.5, 2] = 1 + 2 = 3, censored 1, S = 4/7.
        //   2.5: n = 3 (at risk at the next time, 3), nothing in (2, 2.5], S = 4/7.
        //   6:   beyond the last time: n = 0, in (2.5, 6]: events 1 (t=4), censored 2 (t=3, 5), S = 2/7.
        var points = KaplanMeier.Estimate(TiesData()).SurvivalAt([0.5, 2, 2.5, 6]);
        Assert.Equal([7.0, 6, 3, 0], points.Select(p => p.AtRisk));
        Assert.Equal([0.0, 3, 0, 1], points.Select(p => p.Events));
        Assert.Equal([0.0, 1, 0, 2], points.Select(p => p.Censored));
        Assert.Equal([1.0, 4.0 / 7, 4.0 / 7, 2.0 / 7], points.Select(p => p.Survival));
        Assert.Equal(0.0, points[0].StandardError);
        Assert.Equal((1.0, 1.0), (points[0].Lower!.Value, points[0].Upper!.Value));
        Assert.Equal(4.0 / 7 * Math.Sqrt(3.0 / 28), points[1].StandardError!.Value, Tolerance);
    }

    [Fact]
    public void Survival_at_a_time_is_a_right_continuous_step_function()
    {
        var curve = KaplanMeier.Estimate(TiesData());
        Assert.Equal(1.0, curve.SurvivalAtTime(0.999));
        Assert.Equal(6.0 / 7, curve.SurvivalAtTime(1));
        Assert.Equal(6.0 / 7, curve.SurvivalAtTime(1.999));
        Assert.Equal(4.0 / 7, curve.SurvivalAtTime(2), Tolerance);
        Assert.Equal(2.0 / 7, curve.SurvivalAtTime(100), Tolerance);
    }

    [Fact]
    public void Restricted_mean_is_the_area_under_the_curve_with_its_delta_method_variance()
    {
        // τ = 4.5: area = 1·1 + 1·6/7 + 1·4/7 + 1·4/7 + 0.5·2/7 = 1 + 15/7 = 22/7.
        // Variance Σ A(tⱼ)² d/(n(n − d)) over event times ≤ τ, A(t) = area from t to τ:
        //   t=1: A = 15/7, 1/42;  t=2: A = 9/7, 2/24;  t=4: A = 1/7, 1/2
        //   = (225/42 + 81/12 + 1/2)/49 = (150 + 189 + 14)/(28·49) = 353/1372.
        var result = KaplanMeier.Estimate(TiesData()).RestrictedMean(4.5);
        Assert.Equal(22.0 / 7, result.Estimate, Tolerance);
        Assert.Equal(Math.Sqrt(353.0 / 1372), result.StandardError, Tolerance);

        // τ before the first time: the area is τ itself.
        Assert.Equal(0.5, KaplanMeier.Estimate(TiesData()).RestrictedMean(0.5).Estimate);
    }

    [Fact]
    public void Median_follow_up_swaps_events_and_censorings()
    {
        // 1, 2+, 3+, 4: reverse curve has events at 2 and 3: t=1 S=1 (the death is a censoring), t=2 n=3 S=2/3,
        // t=3 n=2 S=1/3, t=4 S=1/3. It first falls below 1/2 at t=3.
        var data = SurvivalData.Create([1, 2, 3, 4], [1, 0, 0, 1]);
        var reverse = KaplanMeier.EstimateReverse(data);
        Assert.Equal([1.0, 2.0 / 3, 1.0 / 3, 1.0 / 3], reverse.Table.Select(r => r.Survival));
        Assert.Equal(3.0, KaplanMeier.MedianFollowUp(data).Estimate);
    }

    [Fact]
    public void Weights_count_as_weighted_numbers_at_risk_and_of_events()
    {
        // Weights 2, 1, 3 at times 1, 2, 3 (all events): n = 6, 4, 3; d = 2, 1, 3; S = 4/6, 4/6·3/4 = 1/2, 0.
        var curve = KaplanMeier.Estimate(SurvivalData.Create([1, 2, 3], [1, 1, 1], weights: [2, 1, 3]));
        Assert.Equal([6.0, 4, 3], curve.Table.Select(r => r.AtRisk));
        Assert.Equal([2.0, 1, 3], curve.Table.Select(r => r.Events));
        Assert.Equal(0.5, curve.Table[1].Survival, Tolerance);
        Assert.Equal(6.0, curve.Events);
        Assert.Equal(3, curve.N);
    }

    [Fact]
    public void Nelson_Aalen_standard_error_is_the_root_of_the_sum_of_d_over_n_squared()
    {
        // Tied data: Σ d/n² = 1/49 at t=1, 1/49 + 2/36 at t=2, + 1/4 at t=4.
        var table = NelsonAalen.Estimate(TiesData()).Table;
        Assert.Equal(Math.Sqrt(1.0 / 49), table[0].StandardError, Tolerance);
        Assert.Equal(Math.Sqrt((1.0 / 49) + (2.0 / 36)), table[1].StandardError, Tolerance);
        Assert.Equal(Math.Sqrt((1.0 / 49) + (2.0 / 36) + 0.25), table[3].StandardError, Tolerance);
        Assert.Equal(41.0 / 42, NelsonAalen.Estimate(TiesData()).CumulativeHazardAtTime(10), Tolerance);
    }

    [Fact]
    public void Invalid_settings_are_rejected()
    {
        var data = TiesData();
        Assert.Throws<ArgumentOutOfRangeException>(() => KaplanMeier.Estimate(data, new() { ConfidenceLevel = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => KaplanMeier.Estimate(data).Quantiles(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => KaplanMeier.Estimate(data).RestrictedMean(-1));
    }
}
