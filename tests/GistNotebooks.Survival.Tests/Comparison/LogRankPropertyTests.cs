using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Data;
using MathNet.Numerics.LinearAlgebra;

namespace GistNotebooks.Survival.Tests.Comparison;

/// <summary>Properties of the log-rank test on random data with fixed seeds, and its errors.</summary>
public sealed class LogRankPropertyTests
{
    private const int Trials = 40;

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void Relabelling_the_groups_leaves_the_statistic_unchanged(double rho)
    {
        var random = new Random(20261127);
        var options = new LogRankOptions { Rho = rho };
        for (var trial = 0; trial < Trials; trial++)
        {
            var data = RandomData(random, ["1", "2"]);
            var renamed = data.WithGroups([.. data.Groups.Select(g => g == "1" ? "b" : "a")]);

            var original = LogRank.Test(data, options);
            var relabelled = LogRank.Test(renamed, options);

            // "a" (old "2") now sorts first, so the table is reversed.
            Assert.Equal(["a", "b"], relabelled.Groups.Select(g => g.Group));
            AssertRelative(original.Statistic, relabelled.Statistic, 1e-12);
            AssertRelative(original.P, relabelled.P, 1e-12);
            AssertRelative(original.Groups[0].ObservedMinusExpected, relabelled.Groups[1].ObservedMinusExpected, 1e-12);
            AssertRelative(original.Variance[0][0], relabelled.Variance[1][1], 1e-12);
        }
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(1.0, false)]
    [InlineData(0.0, true)]
    [InlineData(0.5, true)]
    public void Row_order_does_not_matter(double rho, bool stratified)
    {
        var random = new Random(7301);
        var options = new LogRankOptions { Rho = rho };
        for (var trial = 0; trial < Trials; trial++)
        {
            var data = RandomData(random, ["x", "y", "z"], stratified ? 3 : 0);
            var permutation = Enumerable.Range(0, data.Count).ToArray();
            random.Shuffle(permutation);

            var original = LogRank.Test(data, options);
            var shuffled = LogRank.Test(data.Subset(permutation), options);

            Assert.Equal(original.DegreesOfFreedom, shuffled.DegreesOfFreedom);
            AssertRelative(original.Statistic, shuffled.Statistic, 1e-12);
            for (var g = 0; g < 3; g++)
            {
                AssertRelative(original.Groups[g].Expected, shuffled.Groups[g].Expected, 1e-12);
                AssertRelative(original.Groups[g].Observed, shuffled.Groups[g].Observed, 1e-12);
            }
        }
    }

    /// <summary>
    /// Three groups against a direct transcription of the survdiff formulas: for every distinct event time, count the
    /// at-risk and the deaths of each group by scanning all rows, weight by the pooled Kaplan–Meier S(t−)^ρ, and
    /// invert the variance with the LAST group dropped (the library drops the first; both give the same quadratic form).
    /// </summary>
    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(2.5)]
    public void Three_groups_match_an_independent_survdiff_style_computation(double rho)
    {
        var random = new Random(4242);
        for (var trial = 0; trial < Trials; trial++)
        {
            var data = RandomData(random, ["p", "q", "r"]);

            var result = LogRank.Test(data, new LogRankOptions { Rho = rho });
            var (observed, expected, variance, statistic) = Naive(data, rho);

            Assert.Equal(2, result.DegreesOfFreedom);
            AssertRelative(statistic, result.Statistic, 1e-9);
            for (var g = 0; g < 3; g++)
            {
                AssertRelative(observed[g], result.Groups[g].Observed, 1e-12);
                AssertRelative(expected[g], result.Groups[g].Expected, 1e-12);
                for (var h = 0; h < 3; h++)
                {
                    Assert.Equal(variance[g, h], result.Variance[g][h], 1e-12);
                }
            }
        }
    }

    /// <summary>
    /// The stratified statistic equals (Σ_s U_s)² / Σ_s V_s with U_s = O_1 − E_1 and V_s = V_11 from separate
    /// unstratified tests of each stratum (so each stratum has its own at-risk sets and its own Kaplan–Meier weights).
    /// Checked on veteran (trt within celltype, both groups in every cell type) and on random data.
    /// </summary>
    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void Stratified_statistic_equals_pooled_per_stratum_score_over_pooled_variance(double rho)
    {
        var options = new LogRankOptions { Rho = rho };
        var veteran = SurvivalData.FromCsv(LogRankReferenceTests.ReferencePath("veteran.csv"), "time", "event", groupColumn: "trt", strataColumn: "celltype");
        AssertStratifiedEquivalence(veteran, options);

        var random = new Random(99);
        for (var trial = 0; trial < Trials; trial++)
        {
            var data = RandomData(random, ["1", "2"], strataCount: 3, perStratumBothGroups: true);
            AssertStratifiedEquivalence(data, options);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void Integer_weights_equal_replicated_rows(double rho)
    {
        var random = new Random(555);
        var options = new LogRankOptions { Rho = rho };
        for (var trial = 0; trial < Trials; trial++)
        {
            var data = RandomData(random, ["1", "2", "3"]);
            var weights = Enumerable.Range(0, data.Count).Select(_ => (double)random.Next(1, 4)).ToArray();
            var weighted = SurvivalData.Create(data.Times, data.Events, weights, data.Groups);
            var replicated = data.Subset([.. Enumerable.Range(0, data.Count).SelectMany(i => Enumerable.Repeat(i, (int)weights[i]))]);

            var a = LogRank.Test(weighted, options);
            var b = LogRank.Test(replicated, options);

            AssertRelative(b.Statistic, a.Statistic, 1e-10);
            for (var g = 0; g < 3; g++)
            {
                AssertRelative(b.Groups[g].Expected, a.Groups[g].Expected, 1e-10);
                AssertRelative(b.Groups[g].Observed, a.Groups[g].Observed, 1e-10);
            }
        }
    }

    [Fact]
    public void Trend_test_with_two_groups_equals_the_log_rank_statistic()
    {
        var aml = SurvivalData.FromCsv(LogRankReferenceTests.ReferencePath("aml.csv"), "time", "event", groupColumn: "x");

        var trend = LogRank.TrendTest(aml);

        AssertRelative(trend.Comparison.Statistic, trend.Statistic, 1e-12);
        AssertRelative(trend.Comparison.P, trend.P, 1e-12);
    }

    /// <summary>
    /// Group C is one subject alone in its own stratum who dies at once: C has expected events (1) but no variance,
    /// so the reduced variance matrix is singular (R's solve() would stop). The generalised inverse drops C's row,
    /// giving the A-versus-B test on 1 degree of freedom, exactly as if that row were absent.
    /// </summary>
    [Fact]
    public void A_group_without_information_is_dropped_by_the_generalised_inverse()
    {
        var random = new Random(31);
        var baseData = RandomData(random, ["A", "B"]);
        var withLoneGroup = SurvivalData.Create(
            [.. baseData.Times, 5.0],
            [.. baseData.Events, true],
            groups: [.. baseData.Groups, "C"],
            strata: [.. Enumerable.Repeat("main", baseData.Count), "alone"]);

        var result = LogRank.Test(withLoneGroup);
        var reference = LogRank.Test(baseData);

        Assert.Equal(1, result.DegreesOfFreedom);
        Assert.Equal(1, result.Groups[2].Expected);
        AssertRelative(reference.Statistic, result.Statistic, 1e-12);
    }

    [Fact]
    public void A_group_with_no_one_at_risk_at_any_event_time_is_left_out_of_the_degrees_of_freedom()
    {
        var data = SurvivalData.Create([1.0, 2, 3, 4, 5, 6, 0.5], [1, 0, 1, 1, 1, 0, 0], groups: ["a", "a", "a", "b", "b", "b", "c"]);

        var result = LogRank.Test(data);

        Assert.Equal(0, result.Groups[2].Expected);
        Assert.Equal(1, result.DegreesOfFreedom);
        AssertRelative(LogRank.Test(data.Subset([0, 1, 2, 3, 4, 5])).Statistic, result.Statistic, 1e-12);
    }

    [Fact]
    public void One_group_is_a_clear_error()
    {
        var data = SurvivalData.Create([1.0, 2, 3], [1, 0, 1], groups: ["only", "only", "only"]);

        var error = Assert.Throws<DataValidationException>(() => LogRank.Test(data));

        Assert.Contains("needs at least two groups; found one ('only')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_without_groups_is_a_clear_error()
    {
        var data = SurvivalData.Create([1.0, 2, 3], [1, 0, 1]);

        var error = Assert.Throws<DataValidationException>(() => LogRank.Test(data));

        Assert.Contains("no group labels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_without_events_is_a_clear_error()
    {
        var data = SurvivalData.Create([1.0, 2, 3, 4], [0, 0, 0, 0], groups: ["a", "b", "a", "b"]);

        var error = Assert.Throws<DataValidationException>(() => LogRank.Test(data));

        Assert.Contains("no events", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trend_scores_must_match_the_groups()
    {
        var data = SurvivalData.Create([1.0, 2, 3, 4], [1, 1, 1, 0], groups: ["a", "b", "a", "b"]);

        Assert.Throws<ArgumentException>(() => LogRank.TrendTest(data, [1.0, 2, 3]));
        Assert.Throws<DataValidationException>(() => LogRank.TrendTest(data, [2.0, 2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => LogRank.Test(data, new LogRankOptions { Rho = double.NaN }));
    }

    private static void AssertStratifiedEquivalence(SurvivalData data, LogRankOptions options)
    {
        var score = 0.0;
        var variance = 0.0;
        foreach (var level in data.StrataLevels)
        {
            var rows = Enumerable.Range(0, data.Count).Where(i => data.Strata[i] == level).ToArray();
            var subset = data.Subset(rows);
            var alone = LogRank.Test(SurvivalData.Create(subset.Times, subset.Events, groups: subset.Groups), options);
            score += alone.Groups[0].ObservedMinusExpected;
            variance += alone.Variance[0][0];
        }

        var stratified = LogRank.Test(data, options);

        AssertRelative(score * score / variance, stratified.Statistic, 1e-10);
    }

    private static (double[] Observed, double[] Expected, double[,] Variance, double Statistic) Naive(SurvivalData data, double rho)
    {
        var levels = data.GroupLevels;
        var k = levels.Length;
        var observed = new double[k];
        var expected = new double[k];
        var variance = new double[k, k];
        var survival = 1.0;
        foreach (var t in data.Times.Where((_, i) => data.Events[i]).Distinct().Order())
        {
            var atRisk = new double[k];
            var deaths = new double[k];
            for (var i = 0; i < data.Count; i++)
            {
                var g = levels.IndexOf(data.Groups[i]);
                if (data.Times[i] >= t)
                {
                    atRisk[g]++;
                }

                if (data.Times[i] == t && data.Events[i])
                {
                    deaths[g]++;
                }
            }

            var n = atRisk.Sum();
            var d = deaths.Sum();
            var w = Math.Pow(survival, rho);
            for (var g = 0; g < k; g++)
            {
                observed[g] += w * deaths[g];
                expected[g] += w * d * atRisk[g] / n;
                for (var h = 0; h < k; h++)
                {
                    var delta = g == h ? 1.0 : 0.0;
                    variance[g, h] += n > 1 ? w * w * d * (n - d) / (n - 1) * (atRisk[g] / n) * (delta - (atRisk[h] / n)) : 0;
                }
            }

            survival *= (n - d) / n;
        }

        var u = Vector<double>.Build.Dense(k - 1, g => observed[g] - expected[g]);
        var v = Matrix<double>.Build.Dense(k - 1, k - 1, (g, h) => variance[g, h]);
        return (observed, expected, variance, u.DotProduct(v.Inverse() * u));
    }

    /// <summary>Random data with integer times 1..12 (many ties), about 70% events, every group present (and, when asked, every group in every stratum).</summary>
    private static SurvivalData RandomData(Random random, string[] groups, int strataCount = 0, bool perStratumBothGroups = false)
    {
        while (true)
        {
            var n = random.Next(15, 60);
            var times = new double[n];
            var events = new int[n];
            var labels = new string[n];
            var strata = new string[n];
            for (var i = 0; i < n; i++)
            {
                times[i] = random.Next(1, 13);
                events[i] = random.NextDouble() < 0.7 ? 1 : 0;
                labels[i] = groups[random.Next(groups.Length)];
                strata[i] = "s" + random.Next(Math.Max(strataCount, 1)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            var everyGroup = groups.All(g => Enumerable.Range(0, n).Any(i => labels[i] == g && events[i] == 1));
            var everyCell = !perStratumBothGroups || strata.Distinct().All(s => groups.All(g => Enumerable.Range(0, n).Any(i => strata[i] == s && labels[i] == g && events[i] == 1)));
            if (everyGroup && everyCell)
            {
                return SurvivalData.Create(times, events, groups: labels, strata: strataCount > 0 ? strata : null);
            }
        }
    }

    private static void AssertRelative(double expected, double actual, double tolerance)
        => Assert.True(
            Math.Abs(actual - expected) <= tolerance * Math.Max(Math.Abs(expected), 1e-300),
            FormattableString.Invariant($"expected {expected:R}, actual {actual:R}"));
}
