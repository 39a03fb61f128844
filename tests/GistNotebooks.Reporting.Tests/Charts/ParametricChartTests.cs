using System.Text.Json;
using GistNotebooks.Reporting.Charts;
using GistNotebooks.Reporting.Formatting;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Regression;
using static GistNotebooks.Reporting.Tests.TestData;

namespace GistNotebooks.Reporting.Tests.Charts;

/// <summary>Fitted parametric curves over the Kaplan–Meier curve, tested through the figure JSON.</summary>
public class ParametricChartTests
{
    private static readonly SurvivalData Lung = SurvivalData.FromCsv(Reference("lung.csv"), "time", "event");

    private static readonly ParametricComparison Comparison = ParametricRegression.Compare(Lung);

    [Fact]
    public void Each_distribution_is_solid_to_the_last_follow_up_and_dashed_beyond_it()
    {
        var curve = KaplanMeier.Estimate(Lung);
        var last = curve.Table[^1].Time;
        var chart = Comparison.ToChart(curve, horizon: 2000, timeUnit: "days");

        var fitted = TracesWithMeta(chart, "fitted");
        var extrapolated = TracesWithMeta(chart, "extrapolated");
        Assert.Equal(4, fitted.Length);
        Assert.Equal(4, extrapolated.Length);
        for (var m = 0; m < fitted.Length; m++)
        {
            var model = Comparison.Rows[m].Model;
            var x = Numbers(fitted[m].GetProperty("x"));
            var y = Numbers(fitted[m].GetProperty("y"));
            Assert.Equal(0, x[0]);
            Assert.Equal(last, x[^1], 9);
            Assert.Equal(100, y[0]);
            Assert.Equal(100 * model.SurvivalAt([], [x[100]])[0].Survival, y[100], 12);
            Assert.Equal("solid", fitted[m].GetProperty("line").GetProperty("dash").GetString());
            Assert.True(fitted[m].GetProperty("showlegend").GetBoolean());
            Assert.StartsWith(ResultFormat.DistributionName(model.Distribution) + " (AIC ", fitted[m].GetProperty("name").GetString(), StringComparison.Ordinal);

            var tail = Numbers(extrapolated[m].GetProperty("x"));
            Assert.Equal(last, tail[0], 9);
            Assert.Equal(2000, tail[^1], 9);
            Assert.Equal("dash", extrapolated[m].GetProperty("line").GetProperty("dash").GetString());
            Assert.False(extrapolated[m].GetProperty("showlegend").GetBoolean());
            Assert.Equal(fitted[m].GetProperty("line").GetProperty("color").GetString(), extrapolated[m].GetProperty("line").GetProperty("color").GetString());
            Assert.Equal(y[^1], Numbers(extrapolated[m].GetProperty("y"))[0], 9);
        }

        Assert.Equal([last, last], Numbers(TracesWithMeta(chart, "follow-up-end")[0].GetProperty("x")));
        Assert.Equal("Kaplan–Meier", TracesWithMeta(chart, "survival")[0].GetProperty("name").GetString());
        Assert.True(Figure(chart).GetProperty("layout").GetProperty("showlegend").GetBoolean());
        CumulativeIncidenceChartTests.RenderForInspection(chart, "parametric-fits.html");
    }

    [Fact]
    public void The_at_risk_table_runs_to_the_horizon_with_zero_after_the_last_follow_up()
    {
        var curve = KaplanMeier.Estimate(Lung);
        var chart = SurvivalCharts.ParametricFits(curve, [Comparison.Best], horizon: 2000, timeUnit: "days", tickInterval: 250);

        // summary(survfit(Surv(time, status) ~ 1, lung), times = c(0, 250, 500, 750, 1000))$n.risk: 228 115 41 10 2.
        var atRisk = TracesWithMeta(chart, "at-risk")[0];
        Assert.Equal([0.0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000], Numbers(atRisk.GetProperty("x")));
        Assert.Equal(["228", "115", "41", "10", "2", "0", "0", "0", "0"], Texts(atRisk.GetProperty("text")));
        var range = Numbers(Figure(chart).GetProperty("layout").GetProperty("xaxis").GetProperty("range"));
        Assert.True(range[1] > 2000);
    }

    [Fact]
    public void A_horizon_before_the_end_of_follow_up_and_no_models_are_refused()
    {
        var curve = KaplanMeier.Estimate(Lung);
        Assert.Throws<ArgumentException>(() => SurvivalCharts.ParametricFits(curve, [Comparison.Best], horizon: 500));
        Assert.Throws<ArgumentException>(() => SurvivalCharts.ParametricFits(curve, []));
    }

    [Fact]
    public void The_comparison_table_lists_the_fits_by_AIC_with_extrapolated_survival_and_restricted_means()
    {
        var table = Comparison.ToTable(times: [365, 1500], restrictedMeanHorizons: [1500], timeUnit: "days");

        Assert.Equal(["distribution", "parameters", "log-likelihood", "AIC", "ΔAIC", "Akaike weight", "BIC", "S(365 days) (%)", "S(1500 days) (%)", "RMST to 1500 days"], table.Headers);
        Assert.Equal(Comparison.Rows.Select(r => ResultFormat.DistributionName(r.Distribution)), table.Rows.Select(r => r[0]));
        Assert.Equal("0", table.Rows[0][4]);
        Assert.Equal(ResultFormat.Number(100 * Comparison.Best.SurvivalAt([], [1500.0])[0].Survival), table.Rows[0][8]);
        Assert.Contains(table.Notes, n => n.Contains("extrapolations", StringComparison.Ordinal));
        Assert.Contains("<caption", Comparison.ToHtml(times: [365]), StringComparison.Ordinal);
    }
}
