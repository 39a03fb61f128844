using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Tests.Comparison;

/// <summary>Tiny data sets whose log-rank quantities are worked out by hand in each test's comment.</summary>
public sealed class LogRankHandDerivedTests
{
    private const double Tolerance = 1e-13;

    /// <summary>
    /// Five rows: A = 1 (event), 2 (event), 3 (censored); B = 2 (event), 4 (event). At t = 2 one death in each group (a tie).
    /// <code>
    /// t  n_A n_B  n  d_A d_B  d   E_A = d·n_A/n   V_AA = d(n−d)/(n−1)·(n_A/n)(1 − n_A/n)
    /// 1   3   2   5   1   0   1   3/5            1·4/4·(3/5)(2/5) = 6/25
    /// 2   2   2   4   1   1   2   2·2/4 = 1      2·2/3·(1/2)(1/2) = 1/3
    /// 4   0   1   1   0   1   1   0              one subject at risk: no variance
    /// </code>
    /// O_A = 2, E_A = 8/5, O_B = 2, E_B = 2/5 + 1 + 1 = 12/5; O_A − E_A = 2/5; V_AA = 6/25 + 1/3 = 43/75.
    /// χ² = (2/5)² / (43/75) = (4/25)(75/43) = 12/43 (R's survdiff gives 0.27906976744186).
    /// </summary>
    [Fact]
    public void Two_groups_with_a_tied_death_in_each_group_give_twelve_over_forty_three()
    {
        var result = LogRank.Test(TwoGroupData());

        Assert.Equal(12.0 / 43, result.Statistic, Tolerance);
        Assert.Equal(1, result.DegreesOfFreedom);
        Assert.Equal(["A", "B"], result.Groups.Select(g => g.Group));
        Assert.Equal([3, 2], result.Groups.Select(g => g.N));
        Assert.Equal(2, result.Groups[0].Observed, Tolerance);
        Assert.Equal(8.0 / 5, result.Groups[0].Expected, Tolerance);
        Assert.Equal(2, result.Groups[1].Observed, Tolerance);
        Assert.Equal(12.0 / 5, result.Groups[1].Expected, Tolerance);
        Assert.Equal(2.0 / 5, result.ObservedMinusExpected[0], Tolerance);
        Assert.Equal(43.0 / 75, result.Variance[0][0], Tolerance);
        Assert.Equal(-43.0 / 75, result.Variance[0][1], Tolerance);
        Assert.Equal(-43.0 / 75, result.Variance[1][0], Tolerance);
        Assert.Equal(43.0 / 75, result.Variance[1][1], Tolerance);
    }

    /// <summary>
    /// The same five rows with ρ = 1: the weight is the pooled Kaplan–Meier just before t,
    /// S(1−) = 1, S(2−) = 4/5, S(4−) = 4/5 · 2/4 = 2/5 (the censoring at 3 does not change S).
    /// O_A = 1 + 4/5 = 9/5, E_A = 3/5 + (4/5)·1 = 7/5; O_B = 4/5 + 2/5 = 6/5, E_B = 2/5 + 4/5 + 2/5 = 8/5.
    /// V_AA = 1²·6/25 + (4/5)²·1/3 = 18/75 + 16/75 = 34/75 (the variance is weighted by the square of the weight).
    /// χ² = (2/5)² / (34/75) = 12/34 = 6/17 (R's survdiff(rho = 1) gives 0.352941176470588).
    /// </summary>
    [Fact]
    public void Peto_Peto_weights_on_the_tiny_case_give_six_over_seventeen()
    {
        var result = LogRank.Test(TwoGroupData(), new LogRankOptions { Rho = 1 });

        Assert.Equal(6.0 / 17, result.Statistic, Tolerance);
        Assert.Equal(9.0 / 5, result.Groups[0].Observed, Tolerance);
        Assert.Equal(7.0 / 5, result.Groups[0].Expected, Tolerance);
        Assert.Equal(6.0 / 5, result.Groups[1].Observed, Tolerance);
        Assert.Equal(8.0 / 5, result.Groups[1].Expected, Tolerance);
        Assert.Equal(34.0 / 75, result.Variance[0][0], Tolerance);
    }

    /// <summary>
    /// Three groups, four rows: A = 1 (event), 4 (censored); B = 2 (event); C = 3 (event). One death at each time,
    /// so the factor d(n−d)/(n−1) is 1 and V_gh = p_g(δ_gh − p_h) with p = n_g/n:
    /// <code>
    /// t=1: n = (2,1,1)/4, E += (1/2, 1/4, 1/4), V += [[1/4,−1/8,−1/8],[−1/8,3/16,−1/16],[−1/8,−1/16,3/16]]
    /// t=2: n = (1,1,1)/3, E += (1/3, 1/3, 1/3), V += (1/3)(I − J/3): diagonal 2/9, off-diagonal −1/9
    /// t=3: n = (1,0,1)/2, E += (1/2, 0, 1/2),   V_AA += 1/4, V_CC += 1/4, V_AC += −1/4
    /// </code>
    /// O = (1, 1, 1), E = (4/3, 7/12, 13/12), O − E = (−1/3, 5/12, −1/12).
    /// V_AA = 13/18, V_BB = 59/144, V_CC = 95/144, V_AB = −17/72, V_AC = −35/72, V_BC = −25/144 (each row sums to 0).
    /// Dropping A (as survdiff): u = (5/12, −1/12), M = [[59, −25], [−25, 95]]/144, det M = 4980/144²,
    /// uᵀM⁻¹u = (95·25 − 2·25·5 + 59)/4980 = 2184/4980 = 182/415 on 2 df (R: 0.43855421686747).
    /// </summary>
    [Fact]
    public void Three_groups_give_one_hundred_eighty_two_over_four_hundred_fifteen_on_two_degrees_of_freedom()
    {
        var result = LogRank.Test(ThreeGroupData());

        Assert.Equal(182.0 / 415, result.Statistic, Tolerance);
        Assert.Equal(2, result.DegreesOfFreedom);
        Assert.Equal(Math.Exp(-182.0 / 415 / 2), result.P, Tolerance);
        Assert.Equal([4.0 / 3, 7.0 / 12, 13.0 / 12], result.Groups.Select(g => g.Expected), new ToleranceComparer(Tolerance));
        Assert.Equal([13.0 / 18, -17.0 / 72, -35.0 / 72], result.Variance[0], new ToleranceComparer(Tolerance));
        Assert.Equal([-17.0 / 72, 59.0 / 144, -25.0 / 144], result.Variance[1], new ToleranceComparer(Tolerance));
        Assert.Equal([-35.0 / 72, -25.0 / 144, 95.0 / 144], result.Variance[2], new ToleranceComparer(Tolerance));
    }

    /// <summary>
    /// Trend over the three-group case with scores 1, 2, 3. Only score differences matter (O − E and the rows of V sum to 0),
    /// so use s = (−1, 0, 1): U = −(O_A − E_A) + (O_C − E_C) = 1/3 − 1/12 = 1/4;
    /// sᵀVs = V_AA + V_CC − 2V_AC = 104/144 + 95/144 + 140/144 = 339/144; χ² = (1/16)/(339/144) = 9/339 = 3/113 on 1 df.
    /// </summary>
    [Fact]
    public void Trend_over_three_groups_gives_three_over_one_hundred_thirteen()
    {
        var result = LogRank.TrendTest(ThreeGroupData());

        Assert.Equal(3.0 / 113, result.Statistic, Tolerance);
        Assert.Equal(1, result.DegreesOfFreedom);
        Assert.Equal(0.25, result.Score, Tolerance);
        Assert.Equal(339.0 / 144, result.ScoreVariance, Tolerance);
        Assert.Equal([1.0, 2, 3], result.Scores.ToArray());

        var shifted = LogRank.TrendTest(ThreeGroupData(), [11.0, 12, 13]);
        Assert.Equal(3.0 / 113, shifted.Statistic, Tolerance);
    }

    /// <summary>
    /// Two strata, each a copy of the five-row case (so every per-stratum quantity is as in the first test):
    /// O − E = 2·(2/5) = 4/5, V_AA = 2·43/75 = 86/75, χ² = (16/25)/(86/75) = 48/86 = 24/43 — twice the unstratified statistic.
    /// Pooling the two copies without strata would instead double every at-risk count and change the variance factors.
    /// </summary>
    [Fact]
    public void Two_identical_strata_double_the_statistic()
    {
        var single = TwoGroupData();
        var times = single.Times.AddRange(single.Times);
        var events = single.Events.AddRange(single.Events);
        var groups = single.Groups.AddRange(single.Groups);
        string[] strata = ["s1", "s1", "s1", "s1", "s1", "s2", "s2", "s2", "s2", "s2"];

        var result = LogRank.Test(SurvivalData.Create(times, events, groups: groups, strata: strata));

        Assert.Equal(24.0 / 43, result.Statistic, Tolerance);
        Assert.Equal(86.0 / 75, result.Variance[0][0], Tolerance);
        Assert.Equal(2, result.StrataCount);
    }

    /// <summary>
    /// Weights are frequency weights: giving B's death at 4 weight 2 is the same as a second B row (4, event).
    /// By hand: t=1 n=(3,3): E_A = 1/2, V = 1·5/5·(1/2)(1/2) = 1/4; t=2 n=(2,3), d=2: E_A = 4/5, V = 2·3/4·(2/5)(3/5) = 9/25;
    /// t=4 n=(0,2): E_A = 0, V = 0. O_A − E_A = 2 − 13/10 = 7/10, V = 1/4 + 9/25 = 61/100, χ² = (49/100)/(61/100) = 49/61.
    /// </summary>
    [Fact]
    public void A_weight_of_two_counts_a_row_twice()
    {
        var data = SurvivalData.Create([1.0, 2, 3, 2, 4], [1, 1, 0, 1, 1], weights: [1.0, 1, 1, 1, 2], groups: ["A", "A", "A", "B", "B"]);

        var result = LogRank.Test(data);

        Assert.Equal(49.0 / 61, result.Statistic, Tolerance);
        Assert.Equal(13.0 / 10, result.Groups[0].Expected, Tolerance);
        Assert.Equal(3, result.Groups[1].Observed, Tolerance);
        Assert.Equal(2, result.Groups[1].N);
    }

    private static SurvivalData TwoGroupData()
        => SurvivalData.Create([1.0, 2, 3, 2, 4], [1, 1, 0, 1, 1], groups: ["A", "A", "A", "B", "B"]);

    private static SurvivalData ThreeGroupData()
        => SurvivalData.Create([1.0, 4, 2, 3], [1, 0, 1, 1], groups: ["A", "A", "B", "C"]);

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
