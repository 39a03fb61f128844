using GistNotebooks.Survival.Power;

namespace GistNotebooks.Survival.Tests.Power;

public sealed class LogRankPowerTests
{
    // z_{0.975} = 1.959963984540054 and z_{0.8} = 0.8416212335729143 (standard normal quantiles, 16 digits).
    private const double ZAlpha = 1.959963984540054;
    private const double ZPower = 0.8416212335729143;

    // Schoenfeld, HR 0.5, 1:1: D = 4(z_a + z_b)²/ln(0.5)² = 4 · 7.848879734349 / 0.480453013918 = 65.3451 ≈ 65.4, so 66 events.
    [Fact]
    public void Schoenfeld_events_for_hazard_ratio_one_half_are_about_sixty_five()
    {
        var result = LogRankPower.SchoenfeldEvents(0.5);
        var expected = 4 * Math.Pow(ZAlpha + ZPower, 2) / Math.Pow(Math.Log(0.5), 2);
        Assert.Equal(expected, result.Events, 10);
        Assert.Equal(65.3, result.Events, 1);
        Assert.Equal(66, result.EventsRoundedUp);
        Assert.Equal("Schoenfeld", result.Method);
    }

    // Freedman, HR 0.5, 1:1: D = ((1 + 0.5)/(1 − 0.5))² (z_a + z_b)² = 9 · 7.848879734349 = 70.64, so 71 events.
    [Fact]
    public void Freedman_events_for_hazard_ratio_one_half_are_about_seventy_one()
    {
        var result = LogRankPower.FreedmanEvents(0.5);
        Assert.Equal(9 * Math.Pow(ZAlpha + ZPower, 2), result.Events, 10);
        Assert.Equal(70.6, result.Events, 1);
        Assert.Equal(71, result.EventsRoundedUp);
    }

    // Unequal allocation, Schoenfeld: with p = 1/3, p(1 − p) = 2/9 instead of 1/4, so 9/8 times the 1:1 events.
    // Freedman with 2:1 (p = 2/3, k = 2) and HR 0.5: (1 + 2·0.5)²/(2·0.25) = 4/0.5 = 8 times (z_a + z_b)².
    [Fact]
    public void Unequal_allocation_scales_the_events_as_the_closed_forms_say()
    {
        Assert.Equal(LogRankPower.SchoenfeldEvents(0.5).Events * 9 / 8, LogRankPower.SchoenfeldEvents(0.5, allocation: 1.0 / 3).Events, 9);
        Assert.Equal(8 * Math.Pow(ZAlpha + ZPower, 2), LogRankPower.FreedmanEvents(0.5, allocation: 2.0 / 3).Events, 9);
    }

    [Theory]
    [InlineData(0.5, 0.05, 0.8, 0.5)]
    [InlineData(0.7, 0.01, 0.9, 0.5)]
    [InlineData(1.6, 0.05, 0.85, 0.4)]
    [InlineData(0.8, 0.1, 0.8, 0.7)]
    public void Power_at_the_required_events_is_the_power_asked_for(double hazardRatio, double alpha, double power, double allocation)
    {
        var schoenfeld = LogRankPower.SchoenfeldEvents(hazardRatio, alpha, power, allocation);
        Assert.Equal(power, LogRankPower.SchoenfeldPower(schoenfeld.Events, hazardRatio, alpha, allocation), 12);
        var freedman = LogRankPower.FreedmanEvents(hazardRatio, alpha, power, allocation);
        Assert.Equal(power, LogRankPower.FreedmanPower(freedman.Events, hazardRatio, alpha, allocation), 12);
        var detectable = LogRankPower.DetectableHazardRatio(schoenfeld.Events, alpha, power, allocation);
        Assert.True(detectable > 1);
        // The detectable ratio above 1 is the reciprocal of HR (or HR itself) for the events HR needs.
        Assert.Equal(Math.Abs(Math.Log(hazardRatio)), Math.Log(detectable), 12);
    }

    [Fact]
    public void More_events_never_lower_the_power()
    {
        var previous = 0.0;
        for (var events = 5; events <= 400; events += 5)
        {
            var power = LogRankPower.SchoenfeldPower(events, 0.6);
            Assert.True(power > previous);
            previous = power;
        }
    }

    [Fact]
    public void A_hazard_ratio_of_one_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LogRankPower.SchoenfeldEvents(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LogRankPower.FreedmanEvents(0.5, alpha: 1.2));
    }

    // Under HR = 1 the log-rank test should reject in about alpha of replicates; 4000 replicates give a Monte Carlo
    // standard error of √(0.05 · 0.95 / 4000) ≈ 0.0034, and the check allows 3 of them.
    [Fact]
    public void Simulation_under_no_effect_rejects_at_about_alpha()
    {
        var result = LogRankPower.Simulate(25, 25, 0.1, 1.0, CensoringModel.Administrative(10), replicates: 4000, seed: 42);
        var standardError = Math.Sqrt(0.05 * 0.95 / 4000);
        Assert.InRange(result.Power, 0.05 - (3 * standardError), 0.05 + (3 * standardError));
        Assert.Equal(Math.Sqrt(result.Power * (1 - result.Power) / 4000), result.MonteCarloStandardError, 15);
    }

    [Fact]
    public void The_same_seed_gives_the_same_answer_and_another_seed_differs()
    {
        var censoring = new CensoringModel(12, 0.02);
        var first = LogRankPower.Simulate(15, 20, 0.1, 0.5, censoring, replicates: 300, seed: 7);
        var second = LogRankPower.Simulate(15, 20, 0.1, 0.5, censoring, replicates: 300, seed: 7);
        var other = LogRankPower.Simulate(15, 20, 0.1, 0.5, censoring, replicates: 300, seed: 8);
        Assert.Equal(first, second);
        Assert.NotEqual(first.MeanEvents, other.MeanEvents);
    }

    // Without censoring every subject has an event: 33 per group give 66 events, Schoenfeld's number for HR 0.5 at 80%
    // power. The simulated power should be near 0.8; the check allows 4 Monte Carlo SE plus 0.03 for the approximation.
    [Fact]
    public void Simulated_power_without_censoring_is_close_to_Schoenfeld()
    {
        var result = LogRankPower.Simulate(33, 33, 0.1, 0.5, CensoringModel.None, replicates: 2000, seed: 1981);
        Assert.Equal(66, result.MeanEvents);
        Assert.InRange(result.Power, 0.8 - 0.03 - (4 * result.MonteCarloStandardError), 0.8 + 0.03 + (4 * result.MonteCarloStandardError));
    }

    // Hand-computed log-rank on four subjects: control times 1 (event), 3 (event); treated 2 (event), 4 (censored).
    // t=1: n=4, n1=2, d=1, d1=0: O−E = −0.5, V = 1·0.5·0.5·3/3 = 0.25.
    // t=2: n=3, n1=2, d=1, d1=1: O−E += 1 − 2/3 = 1/3, V += (2/3)(1/3) = 2/9.
    // t=3: n=2, n1=1, d=1, d1=0: O−E += −0.5, V += 0.25. Total O−E = −2/3, V = 13/18, χ² = (4/9)/(13/18) = 8/13.
    [Fact]
    public void Internal_log_rank_matches_a_hand_computation()
    {
        double[] times = [1, 2, 3, 4];
        int[] codes = [1, 3, 1, 2];
        var (statistic, events) = LogRankPower.TwoGroupLogRank(times, codes, 2);
        Assert.Equal(8.0 / 13, statistic, 14);
        Assert.Equal(3, events);
    }
}
