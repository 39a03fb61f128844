using System.Globalization;
using GistNotebooks.Reporting.Charts;
using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Estimation;
using static GistNotebooks.Reporting.Tests.TestData;

namespace GistNotebooks.Reporting.Tests.Charts;

public class KaplanMeierChartOptionsTests
{
    private static readonly IReadOnlyList<KaplanMeierCurve> VeteranCurves = KaplanMeier.EstimateByGroup(Veteran());

    private static System.Text.Json.JsonElement[] Annotations(Plotly.NET.GenericChart chart) =>
        [.. Figure(chart).GetProperty("layout").GetProperty("annotations").EnumerateArray()];

    [Fact]
    public void Log_rank_p_value_of_the_data_is_written_on_the_plot()
    {
        var logRank = LogRank.Test(Veteran());
        var chart = SurvivalCharts.KaplanMeier(VeteranCurves, timeUnit: "days", logRank: logRank);

        var note = Assert.Single(Annotations(chart), a => a.TryGetProperty("name", out var n) && n.GetString() == "p-value");
        // survdiff(Surv(time, status) ~ trt, veteran): Chisq = 0 on 1 df, p = 0.9 (0.928 to three digits).
        Assert.Equal("Log-rank p = 0.928", note.GetProperty("text").GetString());
    }

    [Fact]
    public void A_given_p_value_is_written_without_the_test_name_and_none_by_default()
    {
        var chart = VeteranCurves.ToChart(timeUnit: "days", pValue: 0.0000123);

        var note = Assert.Single(Annotations(chart), a => a.TryGetProperty("name", out var n) && n.GetString() == "p-value");
        Assert.Equal("p = 1.23e-05", note.GetProperty("text").GetString());
        Assert.DoesNotContain(Annotations(VeteranCurves.ToChart(timeUnit: "days")), a => a.TryGetProperty("name", out var n) && n.GetString() == "p-value");
    }

    [Fact]
    public void Censored_and_cumulative_event_rows_count_up_to_each_tick_from_the_raw_data()
    {
        var data = Veteran();
        var chart = SurvivalCharts.KaplanMeier(
            VeteranCurves, timeUnit: "days", tickInterval: 100, riskTableRows: RiskTableRows.AtRisk | RiskTableRows.Censored | RiskTableRows.CumulativeEvents);

        var censored = TracesWithMeta(chart, "censored-count");
        var events = TracesWithMeta(chart, "cumulative-events");
        Assert.Equal(2, TracesWithMeta(chart, "at-risk").Length);
        Assert.Equal(2, censored.Length);
        Assert.Equal(2, events.Length);
        for (var g = 0; g < VeteranCurves.Count; g++)
        {
            var level = data.GroupLevels[g];
            var ticks = Numbers(censored[g].GetProperty("x"));
            double Count(double t, bool eventFlag) =>
                Enumerable.Range(0, data.Count).Count(i => data.Groups[i] == level && data.Times[i] <= t && data.Events[i] == eventFlag);
            Assert.Equal(ticks.Select(t => Count(t, false)), Texts(censored[g].GetProperty("text")).Select(s => double.Parse(s, CultureInfo.InvariantCulture)));
            Assert.Equal(ticks.Select(t => Count(t, true)), Texts(events[g].GetProperty("text")).Select(s => double.Parse(s, CultureInfo.InvariantCulture)));
        }

        // Three blocks of two rows with a blank row between blocks: rows 7, 6 | 4, 3 | 1, 0 from the top.
        var rows = TracesWithMeta(chart, "at-risk").Concat(censored).Concat(events).Select(t => t.GetProperty("y")[0].GetDouble());
        Assert.Equal([7.0, 6, 4, 3, 1, 0], rows);
        var headings = Annotations(chart).Select(a => a.GetProperty("text").GetString()).ToArray();
        Assert.Contains("<b>Number at risk</b>", headings);
        Assert.Contains("<b>Number censored</b>", headings);
        Assert.Contains("<b>Cumulative events</b>", headings);
        CumulativeIncidenceChartTests.RenderForInspection(
            SurvivalCharts.KaplanMeier(VeteranCurves, timeUnit: "days", logRank: LogRank.Test(data), censorMark: CensorMark.Plus, landmarks: [180],
                riskTableRows: RiskTableRows.AtRisk | RiskTableRows.Censored | RiskTableRows.CumulativeEvents, height: 800),
            "kaplan-meier-options.html");
    }

    [Fact]
    public void Only_the_rows_asked_for_are_drawn()
    {
        var chart = SurvivalCharts.KaplanMeier(VeteranCurves, timeUnit: "days", riskTableRows: RiskTableRows.CumulativeEvents);

        Assert.Empty(TracesWithMeta(chart, "at-risk"));
        Assert.Equal(2, TracesWithMeta(chart, "cumulative-events").Length);
        Assert.Equal([1.0, 0], TracesWithMeta(chart, "cumulative-events").Select(t => t.GetProperty("y")[0].GetDouble()));
        Assert.Contains(Annotations(chart), a => a.GetProperty("text").GetString() == "<b>Cumulative events</b>");
    }

    [Fact]
    public void Palette_and_legend_labels_colour_and_name_curves_and_table_rows()
    {
        var chart = SurvivalCharts.KaplanMeier(VeteranCurves, timeUnit: "days", palette: ["#111111", "#AA0000"], legendLabels: ["Standard", "Test"]);

        var curves = TracesWithMeta(chart, "survival");
        Assert.Equal(["Standard", "Test"], curves.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(["#111111", "#AA0000"], curves.Select(t => t.GetProperty("line").GetProperty("color").GetString()));
        Assert.Equal("rgba(170,0,0,0.18)", TracesWithMeta(chart, "band-lower")[1].GetProperty("fillcolor").GetString());
        var rowLabels = Texts(Figure(chart).GetProperty("layout").GetProperty("yaxis2").GetProperty("ticktext"));
        Assert.Equal(["<span style=\"color:#111111\">Standard</span>", "<span style=\"color:#AA0000\">Test</span>"], rowLabels);
        Assert.Throws<ArgumentException>(() => SurvivalCharts.KaplanMeier(VeteranCurves, legendLabels: ["only one"]));
        Assert.Throws<ArgumentException>(() => SurvivalCharts.KaplanMeier(VeteranCurves, palette: []));
    }

    [Fact]
    public void Cumulative_events_scale_draws_one_minus_survival_in_percent()
    {
        var curve = VeteranCurves[0];
        var chart = curve.ToChart(scale: SurvivalScale.CumulativeEvents);

        var y = Numbers(TracesWithMeta(chart, "survival")[0].GetProperty("y"));
        Assert.Equal(0, y[0]);
        Assert.Equal(curve.Table.Select(r => 100 * (1 - r.Survival)), y.Skip(1));
        // The band edges swap: the upper edge is 1 − the lower survival limit.
        var upper = Numbers(TracesWithMeta(chart, "band-upper")[0].GetProperty("y"));
        Assert.Equal(curve.Table.Select(r => 100 * (1 - (r.Lower ?? r.Survival))), upper.Skip(1));
        var layout = Figure(chart).GetProperty("layout");
        Assert.Equal("Cumulative events (%)", layout.GetProperty("yaxis").GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void Cumulative_hazard_scale_draws_minus_log_survival_and_stops_where_survival_reaches_zero()
    {
        var curve = VeteranCurves[0];
        Assert.Equal(0, curve.Table[^1].Survival);
        var chart = curve.ToChart(scale: SurvivalScale.CumulativeHazard, showMedians: true);

        var trace = TracesWithMeta(chart, "survival")[0];
        var x = Numbers(trace.GetProperty("x"));
        var y = Numbers(trace.GetProperty("y"));
        var drawn = curve.Table.Where(r => r.Survival > 0).ToArray();
        Assert.Equal(drawn.Select(r => r.Time), x.Skip(1));
        Assert.Equal(0, y[0]);
        Assert.All(drawn.Zip(y.Skip(1)), p => Assert.Equal(-Math.Log(p.First.Survival), p.Second, 12));
        Assert.All(Numbers(TracesWithMeta(chart, "band-upper")[0].GetProperty("y")).Zip(y), p => Assert.True(p.First >= p.Second - 1e-12));
        Assert.Equal(Math.Log(2), Numbers(TracesWithMeta(chart, "median")[0].GetProperty("y"))[0], 12);
        var yaxis = Figure(chart).GetProperty("layout").GetProperty("yaxis");
        Assert.Equal("Cumulative hazard", yaxis.GetProperty("title").GetProperty("text").GetString());
        Assert.False(yaxis.TryGetProperty("ticksuffix", out _));
    }

    [Fact]
    public void Censor_marks_can_be_larger_crosses()
    {
        var chart = VeteranCurves.ToChart(timeUnit: "days", censorMark: CensorMark.Plus, censorMarkSize: 16);

        Assert.All(TracesWithMeta(chart, "censored"), t =>
        {
            Assert.Equal("cross-thin-open", t.GetProperty("marker").GetProperty("symbol").GetString());
            Assert.Equal(16, t.GetProperty("marker").GetProperty("size").GetDouble());
        });
        Assert.All(TracesWithMeta(VeteranCurves.ToChart(timeUnit: "days"), "censored"), t =>
            Assert.Equal("line-ns-open", t.GetProperty("marker").GetProperty("symbol").GetString()));
    }

    [Fact]
    public void Landmarks_are_dashed_vertical_lines_across_the_plot()
    {
        var chart = VeteranCurves.ToChart(timeUnit: "days", landmarks: [90, 180]);

        var shapes = Figure(chart).GetProperty("layout").GetProperty("shapes").EnumerateArray().ToArray();
        Assert.Equal([90.0, 180], shapes.Select(s => s.GetProperty("x0").GetDouble()));
        Assert.All(shapes, s =>
        {
            Assert.Equal(s.GetProperty("x0").GetDouble(), s.GetProperty("x1").GetDouble());
            Assert.Equal("y domain", s.GetProperty("yref").GetString());
            Assert.Equal("landmark", s.GetProperty("name").GetString());
        });
        Assert.Throws<ArgumentException>(() => VeteranCurves.ToChart(landmarks: [double.NaN]));
    }

    [Theory]
    [InlineData(72, 12)]
    [InlineData(144, 12)]
    [InlineData(228, 24)]
    [InlineData(288, 24)]
    [InlineData(480, 60)]
    [InlineData(900, 120)]
    public void Month_axes_tick_at_whole_years_with_at_most_13_ticks(double maximum, double interval)
    {
        Assert.Equal(interval, TimeTicks.Interval(maximum, "months"));
        Assert.InRange(TimeTicks.At(maximum, interval).Count, 2, 13);
    }

    [Fact]
    public void A_19_year_follow_up_in_months_gets_24_month_ticks_on_the_chart()
    {
        var times = new[] { 10.0, 60, 120, 200, 228 };
        var curve = KaplanMeier.Estimate(Survival.Data.SurvivalData.Create(times, [true, false, true, false, false]));

        var ticks = Numbers(Figure(curve.ToChart()).GetProperty("layout").GetProperty("xaxis").GetProperty("tickvals"));
        Assert.Equal(Enumerable.Range(0, 10).Select(k => 24.0 * k), ticks);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(600)]
    [InlineData(900)]
    public void The_plot_keeps_80_pixels_above_the_risk_table_at_any_height(int height)
    {
        var layout = Figure(VeteranCurves.ToChart(timeUnit: "days", height: height)).GetProperty("layout");

        // The plotting area is the height less the 80 px top and 30 px bottom margins.
        var plotBottom = layout.GetProperty("yaxis").GetProperty("domain")[0].GetDouble();
        var tableTop = layout.GetProperty("yaxis2").GetProperty("domain")[1].GetDouble();
        var gap = (plotBottom - tableTop) * (height - 80 - 30);
        Assert.InRange(gap, 80 - 1e-9, Math.Max(80, 0.17 * (height - 110)) + 1e-9);
        Assert.Equal(80, layout.GetProperty("margin").GetProperty("t").GetInt32());
        Assert.Equal(30, layout.GetProperty("margin").GetProperty("b").GetInt32());
    }
}
