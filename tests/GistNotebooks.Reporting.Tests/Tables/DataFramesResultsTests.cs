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
}
