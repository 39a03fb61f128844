using GistNotebooks.Reporting.Tables;
using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Inference;
using GistNotebooks.Survival.Regression;
using Microsoft.Data.Analysis;
using static GistNotebooks.Reporting.Tests.TestData;

namespace GistNotebooks.Reporting.Tests.Tables;

/// <summary>Every result to a DataFrame and, through <see cref="DataFrames.ToColumnTable"/>, back to the result's numbers.</summary>
public class DataFramesResultsTests
{
    private static double?[] Column(DataFrame frame, string name)
    {
        var table = frame.ToColumnTable();
        var column = table.GetColumn(name);
        var numbers = table.GetNumbersOrMissing(name);
        return [.. numbers.Select((v, i) => column.IsMissing(i) ? (double?)null : v)];
    }

    [Fact]
    public void Nelson_Aalen_of_a_hand_derived_case_round_trips()
    {
        // Times 1, 2, 2, 3+, 4 with events at 1, 2, 2 and 4: Λ = 1/5, 1/5 + 2/4, same at 3, + 1/1 at 4.
        var curve = NelsonAalen.Estimate(SurvivalData.Create([1.0, 2, 2, 3, 4], [true, true, true, false, true]));
        var frame = curve.ToDataFrame();

        Assert.Equal(["time", "atRisk", "events", "cumulativeHazard", "standardError"], frame.Columns.Select(c => c.Name));
        Assert.Equal([1.0, 2, 3, 4], Column(frame, "time"));
        Assert.Equal([5.0, 4, 2, 1], Column(frame, "atRisk"));
        var hazard = Column(frame, "cumulativeHazard");
        Assert.Equal(0.2, hazard[0]!.Value, 12);
        Assert.Equal(0.7, hazard[1]!.Value, 12);
        Assert.Equal(0.7, hazard[2]!.Value, 12);
        Assert.Equal(1.7, hazard[3]!.Value, 12);
        Assert.Equal(curve.Table.Select(r => (double?)r.StandardError), Column(frame, "standardError"));
    }

    [Fact]
    public void Nelson_Aalen_curves_by_group_stack_with_a_group_column()
    {
        var curves = NelsonAalen.EstimateByGroup(Veteran());
        var frame = curves.ToDataFrame();

        Assert.Equal("group", frame.Columns[0].Name);
        Assert.Equal(curves.Sum(c => c.Table.Length), frame.Rows.Count);
        Assert.Equal(curves.SelectMany(c => c.Table.Select(r => (double?)r.CumulativeHazard)), Column(frame, "cumulativeHazard"));
        Assert.Equal(curves.SelectMany(c => c.Table.Select(_ => c.Group!)), frame.ToColumnTable().GetText("group").Select(s => s!));
    }

    [Fact]
    public void Nelson_Aalen_curves_without_groups_are_labelled_as_Kaplan_Meier_curves_are()
    {
        var first = NelsonAalen.Estimate(SurvivalData.Create([1.0, 2, 3], [true, false, true]));
        var second = NelsonAalen.Estimate(SurvivalData.Create([2.0, 4], [true, true]));
        var frame = new[] { first, second }.ToDataFrame();

        Assert.Equal(
            [.. Enumerable.Repeat("All subjects", first.Table.Length), .. Enumerable.Repeat("Group 2", second.Table.Length)],
            frame.ToColumnTable().GetText("group").Select(g => g ?? "(missing)"));
    }

    [Fact]
    public void Fisher_test_round_trips_with_missing_odds_ratio_beyond_two_by_two()
    {
        var twoByTwo = FisherExact.Test(new[,] { { 3, 1 }, { 1, 3 } });
        var frame = twoByTwo.ToDataFrame();
        Assert.Equal([twoByTwo.PValue], Column(frame, "p"));
        Assert.Equal([twoByTwo.OddsRatio], Column(frame, "oddsRatio"));
        Assert.Equal([twoByTwo.OddsRatioLower], Column(frame, "lower"));
        // fisher.test(matrix(c(3, 1, 1, 3), 2))$p.value = 0.4857 (17/35).
        Assert.Equal(17.0 / 35, Column(frame, "p")[0]!.Value, 10);

        var larger = FisherExact.Test(new[,] { { 3, 1, 2 }, { 1, 3, 2 } }).ToDataFrame();
        Assert.Equal([null], Column(larger, "oddsRatio"));
        Assert.Equal([null], Column(larger, "upper"));
    }

    [Fact]
    public void Proportional_hazards_test_round_trips_terms_then_global()
    {
        var frame = ModelFrame.FromTable(ColumnTable.ReadCsv(Reference("veteran.csv")), "time", "event", ["trt", "karno"]);
        var test = CoxRegression.TestProportionalHazards(CoxRegression.Fit(frame), frame);
        var table = test.ToDataFrame();

        Assert.Equal([.. test.Terms.Select(t => t.Term), test.Global.Term], table.ToColumnTable().GetText("term").Select(s => s!));
        Assert.Equal([.. test.Terms.Select(t => (double?)t.ChiSquare), test.Global.ChiSquare], Column(table, "chisq"));
        Assert.Equal([.. test.Terms.Select(t => (double?)t.P), test.Global.P], Column(table, "p"));
        Assert.Equal([.. test.Terms.Select(t => (double?)t.DegreesOfFreedom), test.Global.DegreesOfFreedom], Column(table, "df"));
    }

    [Fact]
    public void Trend_test_conditional_survival_and_restricted_mean_round_trip()
    {
        var data = Veteran();
        var trend = LogRank.TrendTest(data);
        var trendFrame = trend.ToDataFrame();
        Assert.Equal([trend.Statistic], Column(trendFrame, "chisq"));
        Assert.Equal([trend.P], Column(trendFrame, "p"));
        Assert.Equal([1.0], Column(trendFrame, "df"));
        Assert.Equal([trend.Score], Column(trendFrame, "score"));
        Assert.Equal([trend.ScoreVariance], Column(trendFrame, "scoreVariance"));

        var curve = KaplanMeier.Estimate(data);
        var conditional = ConditionalSurvival.Estimate(curve, 100, 100);
        var conditionalFrame = conditional.ToDataFrame();
        Assert.Equal(["given", "additional", "estimate", "standardError", "lower", "upper"], conditionalFrame.Columns.Select(c => c.Name));
        Assert.Equal([conditional.Estimate], Column(conditionalFrame, "estimate"));
        Assert.Equal([conditional.Upper], Column(conditionalFrame, "upper"));
        var beyond = ConditionalSurvival.Estimate(curve, 1000, 10).ToDataFrame();
        Assert.Equal([null], Column(beyond, "estimate"));

        var rmst = curve.RestrictedMean(365);
        var rmstFrame = rmst.ToDataFrame(0.9);
        var (lower, upper) = rmst.ConfidenceInterval(0.9);
        Assert.Equal(["tau", "estimate", "standardError", "lower .9", "upper .9"], rmstFrame.Columns.Select(c => c.Name));
        Assert.Equal([rmst.Estimate], Column(rmstFrame, "estimate"));
        Assert.Equal([lower], Column(rmstFrame, "lower .9"));
        Assert.Equal([upper], Column(rmstFrame, "upper .9"));
    }

    [Fact]
    public void Cumulative_incidence_and_Grays_test_round_trip()
    {
        var data = CompetingRisksData.Create([1.0, 2, 3, 4, 5, 6, 7, 8], [1, 2, 1, 0, 1, 2, 0, 1], ["a", "a", "a", "a", "b", "b", "b", "b"]);
        var result = CumulativeIncidence.Estimate(data);
        var frame = result.ToDataFrame();

        Assert.Equal(result.Curves.Sum(c => c.Points.Length), frame.Rows.Count);
        Assert.Equal(result.Curves.SelectMany(c => c.Points.Select(p => (double?)p.Estimate)), Column(frame, "estimate"));
        Assert.Equal(result.Curves.SelectMany(c => c.Points.Select(_ => (double?)c.Cause)), Column(frame, "cause"));

        var gray = GrayTest.Test(data);
        var grayFrame = gray.ToDataFrame();
        Assert.Equal(gray.Tests.Select(t => t.Statistic), Column(grayFrame, "statistic"));
        Assert.Equal(gray.Tests.Select(t => t.PValue), Column(grayFrame, "p"));
    }

    [Fact]
    public void A_proportion_and_the_power_results_round_trip_as_one_row()
    {
        // 17 of 18 (C09): the estimate is 17/18, the exact limits the result's own.
        var proportion = Proportion.Estimate(17, 18);
        var frame = proportion.ToDataFrame();
        Assert.Equal(1, frame.Rows.Count);
        Assert.Equal([17.0], Column(frame, "successes"));
        Assert.Equal([17 / 18.0], Column(frame, "estimate"));
        Assert.Equal([proportion.Lower], Column(frame, "lower .95"));
        Assert.Equal([proportion.Upper], Column(frame, "upper .95"));
        Assert.Equal(proportion.Method.ToString(), frame["method"][0]);

        var required = GistNotebooks.Survival.Power.LogRankPower.SchoenfeldEvents(0.5);
        var requiredFrame = required.ToDataFrame();
        Assert.Equal([required.Events], Column(requiredFrame, "events"));
        Assert.Equal([(double)required.EventsRoundedUp], Column(requiredFrame, "eventsRoundedUp"));
        Assert.Equal([0.5], Column(requiredFrame, "hazardRatio"));

        var simulated = GistNotebooks.Survival.Power.LogRankPower.Simulate(9, 9, 0.05, 0.5, GistNotebooks.Survival.Power.CensoringModel.None, replicates: 50);
        var simulatedFrame = simulated.ToDataFrame();
        Assert.Equal([simulated.Power], Column(simulatedFrame, "power"));
        Assert.Equal([(double)simulated.Rejections / simulated.Replicates], Column(simulatedFrame, "power"));
        Assert.Equal([50.0], Column(simulatedFrame, "replicates"));
        Assert.Equal([(double)simulated.Seed], Column(simulatedFrame, "seed"));
    }

    [Fact]
    public void A_parametric_comparison_round_trips_best_first_with_weights_summing_to_one()
    {
        var frame = ModelFrame.FromTable(ColumnTable.ReadCsv(Reference("veteran.csv")), "time", "event", ["karno"]);
        var comparison = ParametricRegression.Compare(frame);

        var table = comparison.ToDataFrame();

        Assert.Equal(comparison.Rows.Length, table.Rows.Count);
        Assert.Equal(comparison.Rows.Select(r => (double?)r.Aic), Column(table, "aic"));
        Assert.Equal(comparison.Rows.Select(r => (double?)r.Model.LogLikelihood), Column(table, "logLikelihood"));
        Assert.Equal(0, Column(table, "deltaAic")[0]);
        Assert.Equal(1, Column(table, "akaikeWeight").Sum()!.Value, 12);
        Assert.Equal(comparison.Best.Distribution.ToString().ToLowerInvariant(), table["distribution"][0]);
        // AIC = −2 log L + 2k, row by row.
        for (var i = 0; i < table.Rows.Count; i++)
        {
            Assert.Equal((-2 * (double)table["logLikelihood"][i]) + (2 * (int)table["parameters"][i]), (double)table["aic"][i], 9);
        }
    }

    [Fact]
    public void Claim_checks_round_trip_with_their_status_and_reason()
    {
        var pass = new GistNotebooks.Survival.Claims.ClaimCheck("C06", "3-year survival", "63.7%", "63.68%", Passed: true);
        var fail = pass with { Id = "C07", Reproduced = "31.00%", Passed = false };
        var notCheckable = pass with { Id = "C10", NotCheckableReason = "the cohort has no recurrence site" };

        var frame = new GistNotebooks.Survival.Claims.ConsistencyReport([pass, fail, notCheckable]).ToDataFrame();

        Assert.Equal(["id", "description", "reported", "reproduced", "status", "notCheckableReason"], frame.Columns.Select(c => c.Name));
        Assert.Equal(["C06", "C07", "C10"], frame["id"].Cast<string>());
        Assert.Equal(["pass", "fail", "not checkable"], frame["status"].Cast<string>());
        Assert.Equal([null, null, "the cohort has no recurrence site"], frame["notCheckableReason"].Cast<string?>());
        Assert.Equal("31.00%", frame["reproduced"][1]);
        Assert.Equal(1, fail.ToDataFrame().Rows.Count);
    }
}
