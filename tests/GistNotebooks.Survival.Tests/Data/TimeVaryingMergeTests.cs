using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Survival.Tests.Data;

/// <summary>Merging time-stamped measurements into follow-up (R's tmerge with tdc).</summary>
public sealed class TimeVaryingMergeTests
{
    /// <summary>
    /// Hand case: subject a followed to 10 with an event, measured 1.0 at time 0, 2.0 at 4 and 3.0 at 12 (after the end);
    /// subject b censored at 5, measured 7.0 at 2. Pieces: a (0,4] 1.0, a (4,10] 2.0 with the event; b (0,2] initial, b (2,5] 7.0.
    /// </summary>
    [Fact]
    public void Measurements_cut_follow_up_and_carry_their_value_forward()
    {
        var data = SurvivalData.Create([10.0, 5.0], [1, 0]);
        var merged = TimeVaryingMerge.Merge(data, ["a", "b"], [("a", 4, 2.0), ("b", 2, 7.0), ("a", 0, 1.0), ("a", 12, 3.0)], initialValue: -1);
        Assert.Equal([0.0, 4.0, 0.0, 2.0], merged.Data.Starts.ToArray());
        Assert.Equal([4.0, 10.0, 2.0, 5.0], merged.Data.Stops.ToArray());
        Assert.Equal([false, true, false, false], merged.Data.Events.ToArray());
        Assert.Equal([1.0, 2.0, -1.0, 7.0], merged.Values.ToArray());
        Assert.Equal([0, 0, 1, 1], merged.SourceRows.ToArray());
    }

    [Fact]
    public void A_measurement_of_an_unknown_subject_is_refused()
    {
        var data = SurvivalData.Create([10.0], [1]);
        var e = Assert.Throws<ArgumentException>(() => TimeVaryingMerge.Merge(data, ["a"], [("z", 1, 1.0)]));
        Assert.Contains("'z'", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Measurements that repeat a subject's baseline value change nothing: the Cox fit equals the fit on one row per subject.</summary>
    [Fact]
    public void Constant_measurements_leave_the_Cox_fit_unchanged()
    {
        double[] times = [2, 3, 3, 5, 6, 8, 9, 11, 12, 14];
        int[] events = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1];
        double[] x = [1, 0, 2, 1, 3, 0, 2, 1, 0, 2];
        string[] ids = [.. Enumerable.Range(0, times.Length).Select(i => "s" + i)];
        var data = SurvivalData.Create(times, events);
        var measurements = ids.SelectMany((id, i) => new[] { (id, 0.0, x[i]), (id, 1.5 + i, x[i]), (id, 4.0, x[i]) }).ToList();
        var merged = TimeVaryingMerge.Merge(data, ids, measurements);
        Assert.True(merged.Data.Count > times.Length);
        var whole = CoxRegression.Fit(data, CovariateMatrix.FromColumn("x", x));
        var pieces = CoxRegression.Fit(merged.Data, CovariateMatrix.FromColumn("x", merged.Values));
        Assert.Equal(whole.Coefficients[0].Coefficient, pieces.Coefficients[0].Coefficient, 10);
        Assert.Equal(whole.LogLikelihood, pieces.LogLikelihood, 10);
    }
}
