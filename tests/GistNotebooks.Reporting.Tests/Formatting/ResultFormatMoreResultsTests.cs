using GistNotebooks.Reporting.Formatting;
using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Inference;
using GistNotebooks.Survival.Regression;
using static GistNotebooks.Reporting.Tests.TestData;

namespace GistNotebooks.Reporting.Tests.Formatting;

public class ResultFormatMoreResultsTests
{
    private static readonly SurvivalData Small = SurvivalData.Create([1.0, 2, 2, 3, 4], [true, true, true, false, true]);

    [Fact]
    public void Nelson_Aalen_table_reads_the_step_function_at_the_times_asked_for()
    {
        // Hand-derived: Λ(2.5) = 1/5 + 2/4 = 0.7 with 2 at risk at 2.5 (times 3 and 4) and 3 events so far.
        var table = NelsonAalen.Estimate(Small).ToTable([0.5, 2.5, 4], "days");

        Assert.Equal(["time (days)", "n.risk", "events so far", "cumulative hazard", "std.chaz"], table.Headers);
        Assert.Equal(["0.5", "5", "0", "0", "0"], table.Rows[0]);
        Assert.Equal(["2.5", "2", "3", "0.7"], table.Rows[1].Take(4));
        Assert.Equal(["4", "1", "4", "1.7"], table.Rows[2].Take(4));
    }

    [Fact]
    public void Fisher_test_prints_the_p_value_and_odds_ratio_as_R()
    {
        var table = FisherExact.Test(new[,] { { 3, 1 }, { 1, 3 } }).ToTable();

        // fisher.test(matrix(c(3, 1, 1, 3), 2)): p-value = 0.4857, odds ratio 6.408309.
        Assert.Equal("0.486", table.Rows[0][1]);
        Assert.Equal("6.408", table.Rows[0][2]);
    }

    [Fact]
    public void Proportional_hazards_trend_conditional_and_restricted_mean_tables_carry_their_numbers()
    {
        var frame = ModelFrame.FromTable(ColumnTable.ReadCsv(Reference("veteran.csv")), "time", "event", ["trt", "karno"]);
        var zph = CoxRegression.TestProportionalHazards(CoxRegression.Fit(frame), frame).ToTable();
        Assert.Equal(["trt", "karno", "GLOBAL"], zph.Rows.Select(r => r[0]));

        var data = Veteran();
        var trend = LogRank.TrendTest(data);
        var trendTable = trend.ToTable();
        Assert.Equal(data.GroupLevels, trendTable.Rows.Select(r => r[0]));
        Assert.StartsWith($"Chisq = {ResultFormat.Number(trend.Statistic)} on 1 degree of freedom, p = {ResultFormat.PValue(trend.P)}", trendTable.Notes[0], StringComparison.Ordinal);

        var curve = KaplanMeier.Estimate(data);
        var conditional = ConditionalSurvival.Estimate(curve, 100, 100);
        Assert.Equal(ResultFormat.Number(conditional.Estimate), conditional.ToTable().Rows[0][3]);
        Assert.Equal("NA", ConditionalSurvival.Estimate(curve, 1000, 10).ToTable().Rows[0][3]);

        var rmst = curve.RestrictedMean(365);
        var rmstTable = rmst.ToTable();
        Assert.Equal(["restricted mean", "365", ResultFormat.Number(rmst.Estimate), ResultFormat.Number(rmst.StandardError), ResultFormat.Number(rmst.ConfidenceInterval().Lower), ResultFormat.Number(rmst.ConfidenceInterval().Upper)], rmstTable.Rows[0]);
        Assert.Equal("lower 95%", rmstTable.Headers[4]);
    }
}
