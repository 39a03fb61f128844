using GistNotebooks.Reporting.Charts;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Inference;
using GistNotebooks.Survival.Regression;
using static GistNotebooks.Reporting.Tests.TestData;

namespace GistNotebooks.Reporting.Tests.Charts;

public class ForestTableChartTests
{
    private static readonly ModelFrame Frame = ModelFrame.FromTable(
        ColumnTable.ReadCsv(Reference("veteran.csv")), "time", "event", ["karno", "celltype"], new Dictionary<string, string> { ["celltype"] = "squamous" });

    private static readonly CoxModel Model = CoxRegression.Fit(Frame);

    [Fact]
    public void Factor_levels_come_with_their_reference_row_counts_and_p_values()
    {
        var chart = Model.ToForestChart(Frame);

        var labels = Texts(Figure(chart).GetProperty("layout").GetProperty("yaxis").GetProperty("ticktext"));
        Assert.Equal(["Karno", .. Frame.Factors[0].Levels.Select(l => "Celltype: " + l)], labels);
        Assert.Equal("Celltype: squamous", labels[1]);

        var numbers = Texts(TracesWithMeta(chart, "numbers")[0].GetProperty("text"));
        Assert.Equal("reference", numbers[1]);
        // The estimate trace leaves out the reference row: four squares for five rows.
        Assert.Equal(Model.Coefficients.Select(c => c.HazardRatio), Numbers(TracesWithMeta(chart, "estimate")[0].GetProperty("x")));

        // Counts from the raw file: 35 squamous subjects with 31 deaths (table(veteran$celltype, veteran$status)).
        var counts = Texts(TracesWithMeta(chart, "counts")[0].GetProperty("text"));
        Assert.Equal("137 (128)", counts[0]);
        Assert.Equal("35 (31)", counts[1]);
        var table = ColumnTable.ReadCsv(Reference("veteran.csv"));
        var cells = table.GetText("celltype");
        var events = table.GetNumbersOrMissing("event");
        for (var row = 1; row < labels.Length; row++)
        {
            var level = labels[row]["Celltype: ".Length..];
            var members = Enumerable.Range(0, events.Length).Where(i => cells[i] == level).ToArray();
            Assert.Equal($"{members.Length} ({members.Count(i => events[i] == 1)})", counts[row]);
        }

        var p = Texts(TracesWithMeta(chart, "p")[0].GetProperty("text"));
        Assert.Equal(PValueFormat.Format(Model.Coefficients[0].P), p[0]);
        Assert.Equal(string.Empty, p[1]);
        CumulativeIncidenceChartTests.RenderForInspection(chart, "forest-table.html");
    }

    [Fact]
    public void Footer_gives_events_global_p_aic_and_concordance()
    {
        var annotations = Figure(Model.ToForestChart(Frame)).GetProperty("layout").GetProperty("annotations").EnumerateArray();
        var footer = Assert.Single(annotations, a => a.TryGetProperty("name", out var n) && n.GetString() == "footer").GetProperty("text").GetString();

        var aic = (-2 * Model.LogLikelihood) + (2 * 4);
        Assert.Equal(
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Events: 128; global p (log-rank): {PValueFormat.Format(Model.ScoreTest.P)}; AIC: {aic:0.00}; concordance: {Model.Concordance.Estimate:0.00}"),
            footer);
    }

    [Fact]
    public void Axis_is_fitted_to_the_intervals_and_one_with_a_small_margin()
    {
        var layout = Figure(Model.ToForestChart(Frame)).GetProperty("layout");
        var range = Numbers(layout.GetProperty("xaxis").GetProperty("range"));

        var values = Model.Coefficients.SelectMany(c => new[] { c.HazardRatio, c.Lower!.Value, c.Upper!.Value }).Append(1.0).Select(Math.Log10).ToArray();
        var margin = Math.Max(0.05, (values.Max() - values.Min()) / 20);
        Assert.Equal(values.Min() - margin, range[0], 12);
        Assert.Equal(values.Max() + margin, range[1], 12);
    }

    [Theory]
    [InlineData("primarySite", "Primary site")]
    [InlineData("age_at_diagnosis", "Age at diagnosis")]
    [InlineData("karno", "Karno")]
    public void Variable_names_read_as_words(string name, string words) => Assert.Equal(words, SurvivalCharts.Words(name));

    [Fact]
    public void A_frame_that_is_not_the_models_is_refused()
    {
        var other = ModelFrame.FromTable(ColumnTable.ReadCsv(Reference("veteran.csv")), "time", "event", ["age"]);
        Assert.Throws<ArgumentException>(() => Model.ToForestChart(other));
    }

    [Fact]
    public void Three_number_columns_get_more_room_than_one()
    {
        double NumbersWidth(Plotly.NET.GenericChart chart)
        {
            var domain = Figure(chart).GetProperty("layout").GetProperty("xaxis2").GetProperty("domain");
            return domain[1].GetDouble() - domain[0].GetDouble();
        }

        var withColumns = Model.ToForestChart(Frame);
        var hazardRatioOnly = SurvivalCharts.Forest([new ForestRow("a", 1.5, 1.1, 2.0)]);

        // At a 900 px export the plotting area is 900 − 180 − 20 = 700 px: three columns need about 300 of them.
        Assert.True(NumbersWidth(withColumns) * 700 >= 300, $"numbers area {NumbersWidth(withColumns) * 700:0} px");
        Assert.Equal(0.28, NumbersWidth(hazardRatioOnly), 12);
        var x = Figure(withColumns).GetProperty("data").EnumerateArray().ToDictionary(t => t.GetProperty("meta").GetString()!, t => t.GetProperty("x")[0].GetDouble());
        Assert.True(x["counts"] < x["numbers"] && x["numbers"] < x["p"]);
    }
}
