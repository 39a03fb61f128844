using GistNotebooks.Reporting.Charts;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Power;
using GistNotebooks.Survival.Regression;
using static GistNotebooks.Reporting.Tests.TestData;

namespace GistNotebooks.Reporting.Tests.Charts;

public class CumulativeIncidenceChartTests
{
    private static readonly CumulativeIncidenceResult Result =
        CumulativeIncidence.Estimate(CompetingRisksData.FromCsv(Reference("crsynth.csv"), "time", "status", "group"));

    private static readonly Dictionary<int, string> Causes = new() { [1] = "Relapse", [2] = "Death without relapse" };

    [Fact]
    public void Side_by_side_draws_one_step_curve_per_cause_and_group_in_percent()
    {
        var chart = Result.ToChart(causeLabels: Causes);

        var traces = TracesWithMeta(chart, "incidence");
        Assert.Equal(Result.Curves.Length, traces.Length);
        Assert.All(traces, t => Assert.Equal("hv", t.GetProperty("line").GetProperty("shape").GetString()));
        var first = Result.Curves.OrderBy(c => c.Cause).First();
        var y = Numbers(traces[0].GetProperty("y"));
        Assert.Equal(0, y[0]);
        Assert.Equal(first.Points.Select(p => 100 * p.Estimate), y.Skip(1));
        Assert.Equal("x2", traces[^1].GetProperty("xaxis").GetString());
        RenderForInspection(chart, "cumulative-incidence.html");
    }

    [Fact]
    public void Stacked_causes_add_up_so_the_top_edge_is_the_incidence_of_any_event()
    {
        var chart = Result.ToChart(stacked: true, causeLabels: Causes);

        var traces = TracesWithMeta(chart, "incidence-stacked");
        Assert.Equal(Result.Curves.Length, traces.Length);
        var lower = Numbers(traces[0].GetProperty("y"));
        var upper = Numbers(traces[1].GetProperty("y"));
        Assert.All(lower.Zip(upper), p => Assert.True(p.Second >= p.First));
        Assert.Equal("tozeroy", traces[0].GetProperty("fill").GetString());
        Assert.Equal("tonexty", traces[1].GetProperty("fill").GetString());
        RenderForInspection(chart, "cumulative-incidence-stacked.html");
    }

    internal static void RenderForInspection(Plotly.NET.GenericChart chart, string fileName) => chart.SaveStandaloneHtml(OutputPath(fileName));
}

public class ForestChartTests
{
    [Fact]
    public void Cox_hazard_ratios_are_squares_with_interval_lines_on_a_log_axis_and_their_numbers_beside()
    {
        var frame = ModelFrame.FromTable(ColumnTable.ReadCsv(Reference("veteran.csv")), "time", "event", ["trt", "karno", "age", "celltype"],
            new Dictionary<string, string> { ["celltype"] = "squamous" });
        var model = CoxRegression.Fit(frame);

        var chart = model.ToForestChart();

        var figure = Figure(chart);
        Assert.Equal("log", figure.GetProperty("layout").GetProperty("xaxis").GetProperty("type").GetString());
        var estimates = TracesWithMeta(chart, "estimate")[0];
        Assert.Equal(model.Coefficients.Select(c => c.HazardRatio), Numbers(estimates.GetProperty("x")));
        var interval = TracesWithMeta(chart, "interval")[0].GetProperty("x").EnumerateArray().ToArray();
        for (var i = 0; i < model.Coefficients.Length; i++)
        {
            Assert.Equal(model.Coefficients[i].Lower!.Value, interval[3 * i].GetDouble());
            Assert.Equal(model.Coefficients[i].Upper!.Value, interval[(3 * i) + 1].GetDouble());
        }

        var numbers = Texts(TracesWithMeta(chart, "numbers")[0].GetProperty("text"));
        var c0 = model.Coefficients[0];
        Assert.Equal(
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{c0.HazardRatio:0.00} ({c0.Lower:0.00}–{c0.Upper:0.00})"),
            numbers[0]);
        CumulativeIncidenceChartTests.RenderForInspection(chart, "forest.html");
        var labels = Texts(figure.GetProperty("layout").GetProperty("yaxis").GetProperty("ticktext"));
        Assert.Contains("celltype: smallcell", labels);
        Assert.Contains("karno", labels);
    }

    [Fact]
    public void A_limit_below_one_hundredth_keeps_two_significant_digits()
    {
        Assert.Equal("0.53 (0.0042–4.71)", SurvivalCharts.HazardRatioText(new ForestRow("x", 0.53, 0.00421, 4.71)));
    }

    [Theory]
    [InlineData(0.3, 3.0, new[] { 0.3, 0.5, 0.7, 1, 1.5, 2, 3 })]
    [InlineData(0.05, 8.0, new[] { 0.05, 0.1, 0.2, 0.5, 1, 2, 5 })]
    [InlineData(0.004, 20.0, new[] { 0.01, 0.1, 1, 10 })]
    public void Hazard_ratio_ticks_thin_out_as_the_axis_widens_and_always_name_one(double lower, double upper, double[] expected)
    {
        // 0.3–3 spans one decade: the fine series; 0.05–8 spans 2.2 decades: 1–2–5 steps; 0.004–20 spans 3.7: powers of ten.
        var ticks = SurvivalCharts.LogAxisTicks([Math.Log10(lower), Math.Log10(upper)]);

        Assert.Equal(expected.Length, ticks.Length);
        for (var i = 0; i < ticks.Length; i++)
        {
            Assert.Equal(expected[i], ticks[i], 12);
        }
    }

    [Fact]
    public void A_hazard_ratio_that_is_not_positive_is_refused()
    {
        Assert.Throws<ArgumentException>(() => SurvivalCharts.Forest([new ForestRow("x", 0, null, null)]));
    }
}

public class PowerChartTests
{
    [Fact]
    public void One_power_curve_per_number_of_events_and_a_marker_at_its_detectable_hazard_ratio()
    {
        double[] events = [11, 30, 100];
        var chart = SurvivalCharts.Power(events);

        var curves = TracesWithMeta(chart, "power");
        Assert.Equal(3, curves.Length);
        var x = Numbers(curves[0].GetProperty("x"));
        var y = Numbers(curves[0].GetProperty("y"));
        Assert.Equal(100 * LogRankPower.SchoenfeldPower(11, x[50]), y[50], 10);
        // Power falls as the hazard ratio nears 1.
        Assert.True(y[0] > y[^1]);

        var markers = TracesWithMeta(chart, "detectable");
        for (var k = 0; k < events.Length; k++)
        {
            var hr = Numbers(markers[k].GetProperty("x"))[0];
            Assert.Equal(1 / LogRankPower.DetectableHazardRatio(events[k]), hr, 12);
            // At the detectable ratio, Schoenfeld's power is the target 80%.
            Assert.Equal(0.8, LogRankPower.SchoenfeldPower(events[k], hr), 9);
        }

        Assert.Equal("log", Figure(chart).GetProperty("layout").GetProperty("xaxis").GetProperty("type").GetString());
        CumulativeIncidenceChartTests.RenderForInspection(chart, "power.html");
    }
}

public class EnsembleChartTests
{
    [Fact]
    public void Histogram_of_the_finite_values_with_the_reported_value_marked()
    {
        double[] values = [60.1, 62.5, 63.7, 63.7, 64.0, 66.7, double.NaN];

        var chart = SurvivalCharts.EnsembleDistribution(values, "3-year survival (%)", reported: 63.7, reportedLower: 63.65, reportedUpper: 63.75);

        var trace = Traces(chart).Single();
        Assert.Equal("histogram", trace.GetProperty("type").GetString());
        Assert.Equal(values.Take(6), Numbers(trace.GetProperty("x")));
        var shapes = Figure(chart).GetProperty("layout").GetProperty("shapes").EnumerateArray().ToArray();
        var line = shapes.Single(s => s.GetProperty("type").GetString() == "line");
        Assert.Equal(63.7, line.GetProperty("x0").GetDouble());
        Assert.Equal(63.7, line.GetProperty("x1").GetDouble());
        Assert.Contains("1 cohorts", Figure(chart).GetProperty("layout").GetProperty("title").GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Violin_of_a_reconstruction_ensemble_renders()
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 400).Select(_ => 36 + (8 * (random.NextDouble() - 0.5)) + (6 * random.NextDouble())).ToArray();

        var chart = SurvivalCharts.EnsembleDistribution(values, "Kaplan–Meier median survival (months)", reported: 36, violin: true);

        Assert.Equal("violin", Traces(chart).Single().GetProperty("type").GetString());
        CumulativeIncidenceChartTests.RenderForInspection(chart, "ensemble-violin.html");
        CumulativeIncidenceChartTests.RenderForInspection(
            SurvivalCharts.EnsembleDistribution(values, "Kaplan–Meier median survival (months)", reported: 36), "ensemble-histogram.html");
    }
}

public class PublishedSeriesChartTests
{
    [Fact]
    public void One_point_and_interval_per_study_coloured_by_group()
    {
        PublishedStudy[] studies =
        [
            new("Study A (n = 18)", 34.0, 12.0, 56.0, "Before imatinib"),
            new("Study B (n = 35)", 30.0, null, null, "Before imatinib"),
            new("Study C (n = 27)", 68.0, 50.0, 86.0, "Imatinib era"),
        ];

        var chart = SurvivalCharts.PublishedSeries(studies, "5-year overall survival (%)");

        var traces = TracesWithMeta(chart, "studies");
        Assert.Equal(2, traces.Length);
        Assert.Equal([34.0, 30.0], Numbers(traces[0].GetProperty("x")));
        Assert.Equal([22.0, 0.0], Numbers(traces[0].GetProperty("error_x").GetProperty("array")));
        Assert.Equal([22.0, 0.0], Numbers(traces[0].GetProperty("error_x").GetProperty("arrayminus")));
        // The first study is the top row.
        Assert.Equal(2, Numbers(traces[0].GetProperty("y"))[0]);
        CumulativeIncidenceChartTests.RenderForInspection(chart, "published-series.html");
    }

    [Fact]
    public void The_left_margin_grows_with_the_longest_study_label()
    {
        var label = new string('x', 60);

        var shortLabels = Figure(SurvivalCharts.PublishedSeries([new("Study A", 30)], "OS (%)"));
        var longLabels = Figure(SurvivalCharts.PublishedSeries([new(label, 30)], "OS (%)"));

        // 200 px by default; 20 + 7 px a character beyond that: 60 characters need 440 px.
        Assert.Equal(200, shortLabels.GetProperty("layout").GetProperty("margin").GetProperty("l").GetInt32());
        Assert.Equal(440, longLabels.GetProperty("layout").GetProperty("margin").GetProperty("l").GetInt32());
    }
}
