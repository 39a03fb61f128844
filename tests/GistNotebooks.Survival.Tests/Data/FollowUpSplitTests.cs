using CsCheck;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Regression;
using GistNotebooks.Testing;

namespace GistNotebooks.Survival.Tests.Data;

/// <summary>Splitting follow-up at cut points (R's survSplit): the pieces, and fits that do not change.</summary>
public sealed class FollowUpSplitTests
{
    /// <summary>Hand case: (0, 5] with an event, cut at 2 and 4 (and 7, outside) gives (0,2], (2,4], (4,5] with the event last.</summary>
    [Fact]
    public void A_row_is_cut_at_the_cuts_inside_it_and_keeps_its_event_on_the_last_piece()
    {
        var data = CountingProcessData.Create([0.0, 3.0], [5.0, 4.0], [1, 0], weights: [2.0, 1.0]);
        var split = FollowUpSplit.AtCuts(data, [7.0, 4.0, 2.0, 2.0]);
        Assert.Equal([0.0, 2.0, 4.0, 3.0], split.Data.Starts.ToArray());
        Assert.Equal([2.0, 4.0, 5.0, 4.0], split.Data.Stops.ToArray());
        Assert.Equal([false, false, true, false], split.Data.Events.ToArray());
        Assert.Equal([2.0, 2.0, 2.0, 1.0], split.Data.Weights.ToArray());
        Assert.Equal([0, 0, 0, 1], split.SourceRows.ToArray());
        Assert.Equal([0, 1, 2, 1], split.Periods.ToArray());
    }

    private static readonly Gen<(int Time, int Event, int X, int Entry)> Row =
        Gen.Select(Gen.Int[1, 20], Gen.Int[0, 1], Gen.Int[-3, 3], Gen.Int[0, 3], (t, e, x, a) => (t, e, x, a));

    /// <summary>
    /// Splitting at arbitrary cuts leaves the Cox fit (coefficient, variance, log-likelihoods; both ties methods) and the
    /// Kaplan–Meier curve unchanged, with and without delayed entry: the risk sets are the same. Times and cuts are
    /// quarters so that no near-equal times arise.
    /// </summary>
    [Theory]
    [InlineData(TieMethod.Efron)]
    [InlineData(TieMethod.Breslow)]
    public void Splitting_at_arbitrary_cuts_leaves_the_Cox_fit_unchanged(TieMethod ties)
    {
        Gen.Select(Row.List[5, 30], Gen.Int[0, 84].Array[0, 8])
            .Where(t => t.Item1.Any(r => r.Event == 1) && t.Item1.Select(r => r.X).Distinct().Count() > 1)
            .SampleFixed(t =>
            {
                var (rows, cutQuarters) = t;
                double[] stops = [.. rows.Select(r => r.Time + (r.Entry / 4.0))];
                double[] starts = [.. rows.Select(r => r.Entry / 4.0)];
                var data = CountingProcessData.Create(starts, stops, [.. rows.Select(r => r.Event)]);
                var covariates = CovariateMatrix.FromColumn("x", [.. rows.Select(r => (double)r.X)]);
                var split = FollowUpSplit.AtCuts(data, [.. cutQuarters.Select(q => q / 4.0)]);
                var options = new CoxOptions { Ties = ties };
                CoxModel whole;
                try
                {
                    whole = CoxRegression.Fit(data, covariates, options);
                }
                catch (DataValidationException)
                {
                    return;
                }

                CoxModel pieces;
                try
                {
                    pieces = CoxRegression.Fit(split.Data, covariates.Subset(split.SourceRows), options);
                }
                catch (DataValidationException) when (whole.Variance[0][0] > 1e6)
                {
                    // x never varies among those at risk at an event time: the information is zero, and whether its
                    // rounding error comes out positive (a fit with an enormous variance) or not (refused) depends on
                    // the order of the sums.
                    return;
                }

                Assert.Equal(whole.Converged, pieces.Converged);
                if (!whole.Converged)
                {
                    return;
                }

                Assert.Equal(whole.Coefficients[0].Coefficient, pieces.Coefficients[0].Coefficient, 9);
                Assert.Equal(whole.Coefficients[0].StandardError, pieces.Coefficients[0].StandardError, 9);
                Assert.Equal(whole.LogLikelihood, pieces.LogLikelihood, 9);
                Assert.Equal(whole.LogLikelihoodNull, pieces.LogLikelihoodNull, 9);

                var before = KaplanMeier.Estimate(data).Table;
                var after = KaplanMeier.Estimate(split.Data).Table.Where(r => r.Events > 0).ToArray();
                var stepsBefore = before.Where(r => r.Events > 0).ToArray();
                Assert.Equal(stepsBefore.Length, after.Length);
                for (var i = 0; i < after.Length; i++)
                {
                    Assert.Equal(stepsBefore[i].AtRisk, after[i].AtRisk);
                    Assert.Equal(stepsBefore[i].Survival, after[i].Survival, 12);
                }
            }, seed: "0N0XTA3DBWSs", iter: 200);
    }

    /// <summary>Right-censored data split at cuts fit as the unsplit right-censored data do (the ordinary path against the counting-process one).</summary>
    [Fact]
    public void Split_right_censored_data_fit_as_the_ordinary_path()
    {
        double[] times = [2, 3, 3, 5, 6, 8, 9, 11, 12, 14];
        int[] events = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1];
        double[] x = [1, 0, 2, 1, 3, 0, 2, 1, 0, 2];
        var data = SurvivalData.Create(times, events);
        var covariates = CovariateMatrix.FromColumn("x", x);
        var ordinary = CoxRegression.Fit(data, covariates);
        var split = FollowUpSplit.AtCuts(data, [2.5, 3, 6, 10]);
        var pieces = CoxRegression.Fit(split.Data, covariates.Subset(split.SourceRows));
        Assert.Equal(ordinary.Coefficients[0].Coefficient, pieces.Coefficients[0].Coefficient, 10);
        Assert.Equal(ordinary.Variance[0][0], pieces.Variance[0][0], 10);
        Assert.Equal(ordinary.LogLikelihood, pieces.LogLikelihood, 10);
        Assert.Equal(ordinary.Iterations, pieces.Iterations);
        Assert.Equal(ordinary.Concordance.Estimate!.Value, pieces.Concordance.Estimate!.Value, 12);
    }
}
