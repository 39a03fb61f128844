using GistNotebooks.Reporting.Charts;
using GistNotebooks.Survival.Estimation;
using static GistNotebooks.Reporting.Tests.TestData;

namespace GistNotebooks.Reporting.Tests.Charts;

public class KaplanMeierChartTests
{
    private static readonly IReadOnlyList<KaplanMeierCurve> VeteranCurves = KaplanMeier.EstimateByGroup(Veteran());

    [Fact]
    public void Two_groups_give_one_step_curve_two_band_edges_censor_marks_and_an_at_risk_row_each()
    {
        var chart = SurvivalCharts.KaplanMeier(VeteranCurves, timeUnit: "days");

        var traces = Traces(chart);
        Assert.Equal(2, TracesWithMeta(chart, "survival").Length);
        Assert.Equal(2, TracesWithMeta(chart, "band-upper").Length);
        Assert.Equal(2, TracesWithMeta(chart, "band-lower").Length);
        Assert.Equal(2, TracesWithMeta(chart, "censored").Length);
        Assert.Equal(2, TracesWithMeta(chart, "at-risk").Length);
        Assert.Equal(10, traces.Length);
        Assert.All(traces, t => Assert.Equal("scatter", t.GetProperty("type").GetString()));
    }

    [Fact]
    public void Curves_and_bands_are_drawn_as_right_continuous_steps()
    {
        var chart = VeteranCurves.ToChart(timeUnit: "days");

        foreach (var meta in new[] { "survival", "band-upper", "band-lower" })
        {
            Assert.All(TracesWithMeta(chart, meta), t => Assert.Equal("hv", t.GetProperty("line").GetProperty("shape").GetString()));
        }

        Assert.All(TracesWithMeta(chart, "band-lower"), t => Assert.Equal("tonexty", t.GetProperty("fill").GetString()));
    }

    [Fact]
    public void Survival_trace_starts_at_100_percent_and_follows_the_table_in_percent()
    {
        var curve = VeteranCurves[0];
        var trace = TracesWithMeta(curve.ToChart(), "survival")[0];

        var x = Numbers(trace.GetProperty("x"));
        var y = Numbers(trace.GetProperty("y"));
        Assert.Equal(0, x[0]);
        Assert.Equal(100, y[0]);
        Assert.Equal(curve.Table.Select(r => r.Time), x.Skip(1));
        Assert.Equal(curve.Table.Select(r => 100 * r.Survival), y.Skip(1));
    }

    [Fact]
    public void At_risk_numbers_at_each_tick_count_subjects_with_time_at_or_after_the_tick()
    {
        // Ticks every 30 days fall on event times of the veteran data (30, 90, ...), where the "time >= t" rule and
        // a "time > t" rule differ; the expected counts are taken from the raw data, independently of the curve.
        var data = Veteran();
        var chart = SurvivalCharts.KaplanMeier(VeteranCurves, timeUnit: "days", tickInterval: 30);
        var rows = TracesWithMeta(chart, "at-risk");

        for (var g = 0; g < VeteranCurves.Count; g++)
        {
            var level = data.GroupLevels[g];
            var ticks = Numbers(rows[g].GetProperty("x"));
            var counts = Texts(rows[g].GetProperty("text")).Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var expected = ticks.Select(t => (double)Enumerable.Range(0, data.Count).Count(i => data.Groups[i] == level && data.Times[i] >= t)).ToArray();
            Assert.Equal(expected, counts);
            // Where a tick is a time of the curve, the count equals the Kaplan–Meier table's n.risk there.
            foreach (var (tick, count) in ticks.Zip(counts))
            {
                var row = VeteranCurves[g].Table.Where(r => r.Time == tick).ToArray();
                if (row.Length == 1)
                {
                    Assert.Equal(row[0].AtRisk, count);
                }
            }
        }

        Assert.Contains(30.0, Numbers(rows[0].GetProperty("x")));
    }

    [Fact]
    public void At_risk_numbers_sit_on_the_time_ticks_of_an_axis_that_matches_the_plot_axis()
    {
        var figure = Figure(SurvivalCharts.KaplanMeier(VeteranCurves, timeUnit: "days"));
        var layout = figure.GetProperty("layout");
        var ticks = Numbers(layout.GetProperty("xaxis").GetProperty("tickvals"));

        Assert.Equal("x", layout.GetProperty("xaxis2").GetProperty("matches").GetString());
        Assert.Equal(Numbers(layout.GetProperty("xaxis").GetProperty("range")), Numbers(layout.GetProperty("xaxis2").GetProperty("range")));
        foreach (var row in figure.GetProperty("data").EnumerateArray().Where(t => t.TryGetProperty("meta", out var m) && m.GetString() == "at-risk"))
        {
            Assert.Equal("x2", row.GetProperty("xaxis").GetString());
            Assert.Equal(ticks, Numbers(row.GetProperty("x")));
        }
    }

    [Fact]
    public void Month_axis_of_a_19_year_follow_up_ticks_every_24_months_and_covers_the_follow_up()
    {
        var curve = KaplanMeier.Estimate(Nunobe());
        var layout = Figure(curve.ToChart()).GetProperty("layout");

        var ticks = Numbers(layout.GetProperty("xaxis").GetProperty("tickvals"));
        var range = Numbers(layout.GetProperty("xaxis").GetProperty("range"));
        var last = curve.Table[^1].Time;
        Assert.Equal(Enumerable.Range(0, (int)(last / 24) + 1).Select(k => 24.0 * k), ticks);
        Assert.True(range[0] < 0 && range[1] > last);
        Assert.Equal([0.0, 102.0], Numbers(layout.GetProperty("yaxis").GetProperty("range")));
        Assert.Equal("%", layout.GetProperty("yaxis").GetProperty("ticksuffix").GetString());
        Assert.Contains("months", layout.GetProperty("xaxis").GetProperty("title").GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Censor_marks_sit_on_the_curve_at_each_censoring_time()
    {
        var curve = VeteranCurves[1];
        var chart = curve.ToChart();
        var marks = TracesWithMeta(chart, "censored")[0];

        var x = Numbers(marks.GetProperty("x"));
        var y = Numbers(marks.GetProperty("y"));
        Assert.Equal(curve.Table.Count(r => r.Censored > 0), x.Length);
        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal(100 * curve.SurvivalAtTime(x[i]), y[i], 12);
        }
    }

    [Fact]
    public void Median_lines_run_to_the_median_when_asked_for()
    {
        var curve = VeteranCurves[0];
        Assert.Empty(TracesWithMeta(curve.ToChart(), "median"));

        var line = TracesWithMeta(curve.ToChart(showMedians: true), "median")[0];
        Assert.Equal([0, curve.Median.Estimate!.Value, curve.Median.Estimate!.Value], Numbers(line.GetProperty("x")));
        Assert.Equal([50.0, 50, 0], Numbers(line.GetProperty("y")));
    }

    [Fact]
    public void Without_the_at_risk_table_the_plot_takes_the_whole_height()
    {
        var chart = VeteranCurves.ToChart(showAtRiskTable: false);
        Assert.Empty(TracesWithMeta(chart, "at-risk"));
        Assert.False(Figure(chart).GetProperty("layout").TryGetProperty("xaxis2", out _));
    }

    [Fact]
    public void Chart_with_at_risk_table_renders_to_a_self_contained_html_page()
    {
        var curves = KaplanMeier.EstimateByGroup(Veteran().WithGroups([.. Veteran().Groups.Select(g => g == "1" ? "Standard" : "Test")]));
        var path = OutputPath("kaplan-meier.html");

        SurvivalCharts.KaplanMeier(curves, title: "Veterans' lung cancer trial: survival by treatment", timeUnit: "days", showMedians: true)
            .SaveStandaloneHtml(path, "Kaplan–Meier");

        KaplanMeier.Estimate(Nunobe()).ToChart(title: "Survival after hepatectomy (reconstructed cohort)", showMedians: true)
            .SaveStandaloneHtml(OutputPath("kaplan-meier-months.html"));

        var html = File.ReadAllText(path);
        Assert.DoesNotContain("<script src=", html, StringComparison.Ordinal);
        Assert.Contains("Plotly.newPlot", html, StringComparison.Ordinal);
        Assert.True(html.Length > 1_000_000, "plotly.js (about 3.5 MB) is written into the page");
    }
}
