using CsCheck;
using GistNotebooks.Survival.Data;
using GistNotebooks.Testing;

namespace GistNotebooks.Survival.Tests.Data;

/// <summary>R's <c>aeqSurv</c> rule: hand-derived merges and properties.</summary>
public sealed class TimeFixTests
{
    /// <summary>
    /// 0.3 and 3·0.1 = 0.30000000000000004 differ by 5.6e-17, far below √ε; 0.7 and 0.7 + 1e-7 differ by 1e-7, above √ε
    /// and above √ε·mean|y| (mean of the distinct values ≈ 0.5), so they stay apart. The merged value is the smaller.
    /// </summary>
    [Fact]
    public void Merges_values_closer_than_the_tolerance_to_the_smallest_of_the_run()
    {
        double[] times = [3 * 0.1, 0.3, 0.7, 0.7 + 1e-7, 0.5];
        var merged = TimeFix.Apply(times);
        Assert.Equal([0.3, 0.3, 0.7, 0.7 + 1e-7, 0.5], merged);
        double[] apart = [1, 2, 3];
        Assert.Same(apart, TimeFix.Apply(apart));
    }

    /// <summary>
    /// The relative test uses the mean of the distinct values: with times near 1e9 a gap of 1 is 1e-9 of the mean, so
    /// 1e9 and 1e9 + 1 are one time, though 1 is far above the absolute tolerance √ε.
    /// </summary>
    [Fact]
    public void The_relative_test_scales_with_the_mean_time()
    {
        Assert.Equal([1e9, 1e9, 2e9], TimeFix.Apply([1e9 + 1, 1e9, 2e9]));
    }

    [Fact]
    public void Data_without_near_ties_come_back_unchanged()
    {
        var data = SurvivalData.Create([1.0, 2, 2, 5], [1, 0, 1, 1]);
        Assert.Same(data, TimeFix.Apply(data));
    }

    [Fact]
    public void Merging_never_reorders_times_and_is_idempotent()
    {
        Gen.Int[1, 40].Select(k => k / 10.0).Select(t => Gen.Bool.Select(b => b ? t : t * 1.0000000001)).SelectMany(g => g)
            .Array[1, 60]
            .SampleFixed(times =>
            {
                var once = TimeFix.Apply(times);
                var twice = TimeFix.Apply(once);
                Assert.Equal(once, twice);
                for (var i = 0; i < times.Length; i++)
                {
                    for (var j = 0; j < times.Length; j++)
                    {
                        Assert.True(times[i] > times[j] ? once[i] >= once[j] : true);
                    }
                }
            }, seed: "0N0XIzNsQ0O2");
    }
}
