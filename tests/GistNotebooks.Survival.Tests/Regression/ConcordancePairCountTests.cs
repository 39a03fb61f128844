using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Survival.Tests.Regression;

/// <summary>
/// The O(n log n) concordance of right-censored data against the direct pair count that defines it, on random data
/// large enough that the scores span many blocks of the rank structure: ties in time, in the predictor and among the
/// deaths, integer and fractional weights, and strata.
/// </summary>
public sealed class ConcordancePairCountTests
{
    [Theory]
    [InlineData(1, 300, false, 1)]
    [InlineData(2, 500, true, 1)]
    [InlineData(3, 450, true, 3)]
    [InlineData(4, 700, false, 2)]
    [InlineData(5, 64, true, 1)]
    [InlineData(6, 33, false, 1)]
    public void Counts_and_standard_error_match_the_pairs(int seed, int n, bool weighted, int strataCount)
    {
        var random = new Random(seed);
        var times = new double[n];
        var events = new int[n];
        var weights = new double[n];
        var strata = new string[n];
        var predictor = new double[n];
        for (var i = 0; i < n; i++)
        {
            times[i] = random.Next(1, n / 3);
            events[i] = random.Next(3) == 0 ? 0 : 1;
            weights[i] = weighted ? (random.Next(2) == 0 ? random.Next(1, 4) : 0.25 + random.NextDouble()) : 1;
            strata[i] = ((char)('a' + random.Next(strataCount))).ToString();

            // Half the scores continuous (many distinct ranks), half on a coarse grid (ties in the predictor).
            predictor[i] = random.Next(2) == 0 ? random.NextDouble() * 10 : random.Next(0, 5);
        }

        var data = SurvivalData.Create(times, events, weighted ? weights : null, groups: null, strata: strata);
        var result = Concordance.Estimate(data, predictor);
        var expected = Direct(times, events, weights, strata, predictor);

        Close(expected.Concordant, result.Concordant, "Concordant");
        Close(expected.Discordant, result.Discordant, "Discordant");
        Close(expected.TiedRisk, result.TiedRisk, "TiedRisk");
        Close(expected.TiedTime, result.TiedTime, "TiedTime");
        Close(expected.TiedBoth, result.TiedBoth, "TiedBoth");
        Close(expected.Estimate!.Value, result.Estimate!.Value, "Estimate");
        Close(expected.StandardError!.Value, result.StandardError!.Value, "StandardError");

        // The two walks on two threads, whatever the size, give the same numbers to the last bit.
        var twoThreads = ConcordanceCalculator.Compute(data, [.. predictor.Select(x => -x)], CoxLikelihood.SortedOrder(data), parallelFromRows: 1);
        Assert.Equal(result, twoThreads);
    }

    [Fact]
    public void A_small_weighted_stratum_gives_the_same_bits_on_two_threads()
    {
        var data = SurvivalData.Create([1.0, 2, 3, 4], [1, 0, 0, 0], [1, 0.2, 0.3, 0.4]);
        var order = CoxLikelihood.SortedOrder(data);
        var one = ConcordanceCalculator.Compute(data, [10.0, 3, 2, 1], order, parallelFromRows: int.MaxValue);
        var two = ConcordanceCalculator.Compute(data, [10.0, 3, 2, 1], order, parallelFromRows: 1);
        Assert.Equal(one, two);
        Assert.Equal(0, one.Discordant);
    }

    [Fact]
    public void Tied_pairs_keep_a_small_weight_beside_a_large_one()
    {
        // Two deaths at one time with one score: one pair tied on both, of weight 1e9 × 1e-3, and none tied on time alone.
        var data = SurvivalData.Create([1.0, 1, 2], [1, 1, 0], [1e9, 1e-3, 1]);
        var result = ConcordanceCalculator.Compute(data, [0.5, 0.5, 0.1], CoxLikelihood.SortedOrder(data));
        Assert.Equal(1e6, result.TiedBoth, 6);
        Assert.Equal(0, result.TiedTime);
    }

    [Fact]
    public void Minus_zero_and_zero_are_one_score()
    {
        double[] times = [1, 2, 3, 4, 5, 6];
        int[] events = [1, 1, 0, 1, 1, 0];
        double[] predictor = [0.0, -0.0, 1, -0.0, 0.0, -1];
        var data = SurvivalData.Create(times, events);
        var result = Concordance.Estimate(data, predictor);
        var expected = Direct(times, events, [.. times.Select(_ => 1.0)], [.. times.Select(_ => "a")], predictor);

        Assert.Equal(expected.TiedRisk, result.TiedRisk);
        Assert.Equal(expected.Concordant, result.Concordant);
        Assert.Equal(expected.Discordant, result.Discordant);
        Assert.True(result.TiedRisk >= 3);
    }

    [Fact]
    public void Two_threads_and_one_agree_to_the_last_bit_on_a_large_stratum_with_clusters()
    {
        var random = new Random(11);
        const int n = 60_000;
        var times = new double[n];
        var events = new int[n];
        var weights = new double[n];
        var risk = new double[n];
        var clusters = new int[n];
        for (var i = 0; i < n; i++)
        {
            times[i] = random.Next(1, 2_000);
            events[i] = random.Next(3) == 0 ? 0 : 1;
            weights[i] = random.Next(2) == 0 ? random.Next(1, 4) : 0.25 + random.NextDouble();
            risk[i] = random.Next(2) == 0 ? random.NextDouble() : random.Next(0, 50);
            clusters[i] = random.Next(500);
        }

        var data = SurvivalData.Create(times, events, weights);
        var order = CoxLikelihood.SortedOrder(data);
        var one = ConcordanceCalculator.Compute(data, (double[])risk.Clone(), order, clusters, 500, parallelFromRows: int.MaxValue);
        var two = ConcordanceCalculator.Compute(data, (double[])risk.Clone(), order, clusters, 500, parallelFromRows: 1);
        Assert.Equal(one, two);
        Assert.True(one.Concordant > 0 && one.Discordant > 0 && one.TiedRisk > 0 && one.TiedTime > 0 && one.TiedBoth > 0);
    }

    /// <summary>Equal to 1e-12 of the larger of 1 and the expected value: fractional weights make sums in another order round differently.</summary>
    private static void Close(double expected, double actual, string what)
        => Assert.True(Math.Abs(expected - actual) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, found {actual:R}");

    /// <summary>
    /// Every pair within a stratum in which the shorter time is an event and the other row is still at risk then
    /// (a longer time, or the same time censored); a larger predictor should mean a longer survival (R's default).
    /// Pairs of deaths at one time are tied on time (and on both when their predictors are equal). The standard error is
    /// the infinitesimal jackknife's: each row's weighted partners in concordant, discordant and tied pairs.
    /// </summary>
    private static CoxConcordance Direct(double[] time, int[] status, double[] weight, string[] stratum, double[] x)
    {
        var n = time.Length;
        double concordant = 0, discordant = 0, tiedRisk = 0, tiedTime = 0, tiedBoth = 0;
        var c = new double[n];
        var d = new double[n];
        var t = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                if (i == j || stratum[i] != stratum[j] || status[i] == 0)
                {
                    continue;
                }

                var pair = weight[i] * weight[j];
                if (time[j] == time[i] && status[j] == 1)
                {
                    // Each unordered pair of tied deaths once.
                    if (i < j)
                    {
                        if (x[i] == x[j])
                        {
                            tiedBoth += pair;
                        }
                        else
                        {
                            tiedTime += pair;
                        }
                    }

                    continue;
                }

                if (time[j] < time[i])
                {
                    continue;
                }

                if (x[i] < x[j])
                {
                    concordant += pair;
                    c[i] += weight[j];
                    c[j] += weight[i];
                }
                else if (x[i] > x[j])
                {
                    discordant += pair;
                    d[i] += weight[j];
                    d[j] += weight[i];
                }
                else
                {
                    tiedRisk += pair;
                    t[i] += weight[j];
                    t[j] += weight[i];
                }
            }
        }

        var comparable = concordant + discordant + tiedRisk;
        var somers = (concordant - discordant) / comparable;
        var variance = 0.0;
        for (var i = 0; i < n; i++)
        {
            var influence = weight[i] * (((c[i] - d[i]) / comparable) - (somers / comparable * (c[i] + d[i] + t[i])));
            variance += influence * influence;
        }

        return new CoxConcordance((concordant + (tiedRisk / 2)) / comparable, Math.Sqrt(variance / 4), concordant, discordant, tiedRisk, tiedTime, tiedBoth);
    }
}
