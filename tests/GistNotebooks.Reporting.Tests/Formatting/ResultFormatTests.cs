using System.Globalization;
using System.Text.RegularExpressions;
using GistNotebooks.Reporting.Formatting;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Inference;
using GistNotebooks.Survival.Power;
using GistNotebooks.Survival.Regression;
using static GistNotebooks.Reporting.Tests.TestData;

namespace GistNotebooks.Reporting.Tests.Formatting;

public partial class ResultFormatTests
{
    [GeneratedRegex("<t[hd][^>]*>([^<]*)</t[hd]>")]
    private static partial Regex Cell();

    private static string[] Cells(string html) => [.. Cell().Matches(html).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value))];

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static void AssertAccessible(string html)
    {
        Assert.Contains("<caption", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\"", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Kaplan_Meier_html_shows_n_events_median_and_survival_at_the_times_asked_for()
    {
        var curve = KaplanMeier.Estimate(Nunobe());
        var html = curve.ToHtml(times: [36, 60]);

        AssertAccessible(html);
        var cells = Cells(html);
        // Summary row: label, n, events, median, lower, upper.
        var summary = cells.SkipWhile(c => c != "all").Take(6).ToArray();
        Assert.Equal(curve.N, int.Parse(summary[1], CultureInfo.InvariantCulture));
        Assert.Equal(curve.Events, Parse(summary[2]));
        Assert.Equal(curve.Median.Estimate!.Value, Parse(summary[3]), 3);
        // Survival rows: time, at risk, events, survival %, ...; four significant digits.
        var at36 = cells.SkipWhile(c => c != "36").Take(4).ToArray();
        Assert.Equal(100 * curve.SurvivalAtTime(36), Parse(at36[3]), 2);
        Assert.Equal(curve.SurvivalAt([36])[0].AtRisk, Parse(at36[1]));
        Assert.Contains("36", curve.ToText(times: [36, 60]), StringComparison.Ordinal);
    }

    [Fact]
    public void Log_rank_html_shows_each_groups_observed_and_expected_and_the_p_value()
    {
        var result = LogRank.Test(Veteran());
        var html = result.ToHtml();

        AssertAccessible(html);
        var cells = Cells(html);
        var first = cells.SkipWhile(c => c != result.Groups[0].Group).Take(4).ToArray();
        Assert.Equal(result.Groups[0].N, int.Parse(first[1], CultureInfo.InvariantCulture));
        Assert.Equal(result.Groups[0].Observed, Parse(first[2]), 2);
        Assert.Equal(result.Groups[0].Expected, Parse(first[3]), 1);
        Assert.Contains("p = " + ResultFormat.PValue(result.P), html, StringComparison.Ordinal);
    }

    [Fact]
    public void Cox_html_is_the_R_coefficient_table()
    {
        var frame = ModelFrame.FromTable(ColumnTable.ReadCsv(Reference("veteran.csv")), "time", "event", ["trt", "karno"]);
        var model = CoxRegression.Fit(frame);
        var html = model.ToHtml();

        AssertAccessible(html);
        var cells = Cells(html);
        Assert.Equal(["term", "coef", "exp(coef)", "se(coef)", "z", "p", "lower .95", "upper .95"], cells.Take(8));
        var karno = cells.SkipWhile(c => c != "karno").Take(8).ToArray();
        var c1 = model.Coefficients[1];
        Assert.Equal(c1.Coefficient, Parse(karno[1]), 5);
        Assert.Equal(c1.HazardRatio, Parse(karno[2]), 4);
        Assert.Equal(c1.Lower!.Value, Parse(karno[6]), 4);
    }

    [Fact]
    public void A_proportion_shows_its_exact_interval_in_percent()
    {
        // 17 of 18 recurrences (C09).
        var result = Proportion.Estimate(17, 18);
        var cells = Cells(result.ToHtml());
        var row = cells.SkipWhile(c => c != "proportion").Take(6).ToArray();
        Assert.Equal(["proportion", "17", "18"], row.Take(3));
        Assert.Equal(100 * 17 / 18.0, Parse(row[3]), 2);
        Assert.Equal(100 * result.Lower, Parse(row[4]), 2);
        Assert.Contains("Clopper–Pearson", result.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Power_results_show_events_and_power()
    {
        var required = LogRankPower.SchoenfeldEvents(0.5);
        Assert.Contains(required.EventsRoundedUp.ToString(CultureInfo.InvariantCulture), Cells(required.ToHtml()));
        var simulated = LogRankPower.Simulate(9, 9, 0.05, 0.5, CensoringModel.None, replicates: 50);
        Assert.Contains(ResultFormat.Number(100 * simulated.Power), Cells(simulated.ToHtml()));
    }

    [Fact]
    public void Claim_checks_carry_a_mark_and_the_word()
    {
        var pass = new ClaimCheck("C06", "3-year survival", "63.7%", "63.68%", Passed: true);
        var fail = pass with { Reproduced = "61.00%", Passed = false };
        Assert.Contains("✓ pass", pass.ToHtml(), StringComparison.Ordinal);
        Assert.Contains("✗ fail", fail.ToText(), StringComparison.Ordinal);

        var report = new ConsistencyReport([pass, fail]);
        Assert.Contains("1 of 2 claims pass", report.ToHtml(), StringComparison.Ordinal);
        AssertAccessible(report.ToHtml());

        // A page of tables, to look at in a browser.
        var curve = KaplanMeier.Estimate(Nunobe());
        File.WriteAllText(OutputPath("tables.html"), "<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\"><title>Tables</title><body>"
            + curve.ToHtml(times: [36, 60]) + LogRank.Test(Veteran()).ToHtml() + Proportion.Estimate(17, 18).ToHtml() + report.ToHtml() + "</body></html>");
    }

    [Theory]
    [InlineData(63.66666, "63.67")]
    [InlineData(0.0123456, "0.01235")]
    [InlineData(1234.5, "1234")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(null, "NA")]
    public void Numbers_have_four_significant_digits(double? value, string expected) => Assert.Equal(expected, ResultFormat.Number(value));

    [Fact]
    public void Every_p_value_of_a_table_is_written_by_the_kits_one_rule()
    {
        var frame = ModelFrame.FromTable(ColumnTable.ReadCsv(Reference("veteran.csv")), "time", "event", ["trt", "karno"]);
        var model = CoxRegression.Fit(frame);
        var cells = Cells(model.ToHtml());
        Assert.Equal(PValueFormat.Format(model.Coefficients[1].P), cells.SkipWhile(c => c != "karno").ElementAt(5));
        Assert.Contains($"Wald test = {ResultFormat.Number(model.WaldTest.Statistic)} on 2 df, p = {PValueFormat.Format(model.WaldTest.P)}", model.ToText(), StringComparison.Ordinal);

        var gray = GrayTest.Test(CompetingRisksData.FromCsv(Reference("crsynth.csv"), "time", "status", "group"));
        var rows = gray.ToText().Split('\n').Skip(3).ToArray();
        Assert.Equal(gray.Tests.Length, rows.Length);
        Assert.All(gray.Tests.Zip(rows), x => Assert.EndsWith("  " + PValueFormat.Format(x.First.PValue), x.Second, StringComparison.Ordinal));
        Assert.Equal("<2e-16", ResultFormat.PValue(1e-300));
    }

    [Fact]
    public void Text_tables_put_a_rule_under_the_headers_and_right_align_numbers()
    {
        var table = new ResultTable("Caption", ["time", "group", "p"], [["5", "a", "0.5"], ["12", "bb", "<2e-16"]], ["a note"]);

        // The first column is right-aligned because every cell in it is a number; the others because the table is numeric.
        Assert.Equal("Caption\ntime  group       p\n----  -----  ------\n   5      a     0.5\n  12     bb  <2e-16\na note\n", table.ToText());
        Assert.Equal(
            "Words\nclaim  text\n-----  ----\nC01    ab\nC02    abc…\n",
            new ResultTable("Words", ["claim", "text"], [["C01", "ab"], ["C02", "abcdefg"]], []) { Numeric = false }.ToText(maximumCellWidth: 4));
        Assert.Contains("text-align:right", table.ToHtml(), StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => table.ToText(maximumCellWidth: 1));
    }

    [Fact]
    public void The_life_table_has_one_row_per_distinct_time_and_the_quartiles_restate_the_median()
    {
        var curve = KaplanMeier.Estimate(Nunobe());

        var life = curve.ToLifeTable();
        Assert.Equal(curve.Table.Length, life.Rows.Count);
        Assert.Equal(ResultFormat.Number(curve.Table[3].Survival), life.Rows[3][4]);
        var quartiles = curve.ToQuantileTable("months");
        Assert.Equal(["quantile", "time (months)", "lower 95%", "upper 95%"], quartiles.Headers);
        Assert.Equal($"Median survival: {ResultFormat.Number(curve.Median.Estimate)} ({ResultFormat.Number(curve.Median.Lower)} to {ResultFormat.Number(curve.Median.Upper)}); NA = not reached", Assert.Single(quartiles.Notes));
        var at = curve.ToSurvivalAtTable([36], timeUnit: string.Empty, percent: false);
        Assert.Equal(["36", ResultFormat.Number(curve.SurvivalAt([36])[0].AtRisk), ResultFormat.Number(curve.SurvivalAt([36])[0].Events), ResultFormat.Number(curve.SurvivalAtTime(36))], at.Rows[0].Take(4));
        Assert.Equal(ResultFormat.Number(curve.RestrictedMean(60).Estimate), curve.ToRestrictedMeanTable(60).Rows[0][1]);
    }

    [Fact]
    public void Cumulative_incidence_reads_at_the_times_asked_for_as_cuminc_timepoints()
    {
        var data = CompetingRisksData.FromCsv(Reference("crsynth.csv"), "time", "status", "group");
        var result = CumulativeIncidence.Estimate(data);

        var tables = result.ToTables([2, 5, 1e9]);
        Assert.Equal(result.Curves.Length, tables.Count);
        var first = result.Curves[0].At([2, 5]);
        Assert.Equal([["2", ResultFormat.Number(first[0].Estimate), ResultFormat.Number(first[0].Variance)], ["5", ResultFormat.Number(first[1].Estimate), ResultFormat.Number(first[1].Variance)], ["1e+9", "NA", "NA"]], tables[0].Rows);
        Assert.Equal(result.Curves[0].Points.Length, result.ToTables()[0].Rows.Count);
        Assert.StartsWith("Cumulative incidence of cause 1, group ", result.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_claims_table_names_the_notebook_only_when_a_record_has_one_and_counts_what_passes()
    {
        var pass = new ClaimRecord("C01", "18 patients", "18", "18", ClaimRecord.Pass);
        var missing = new ClaimRecord("C02", "primary site", "10", string.Empty, ClaimRecord.NotReproduced);

        var plain = new[] { pass, missing }.ToTable("Claims", descriptions: false);
        Assert.Equal(["claim", "reported", "reproduced", "status"], plain.Headers);
        Assert.Equal(["C02", "10", string.Empty, "– not reproduced"], plain.Rows[1]);
        Assert.Equal(["1 of 2 claims pass ✗"], plain.Notes);

        var placed = new[] { pass with { Notebook = "01-cohort.ipynb", CellId = "cohort-4" }, missing }.ToTable("Claims");
        Assert.Equal(["claim", "description", "reported", "reproduced", "status", "notebook"], placed.Headers);
        Assert.Equal(["C01", "18 patients", "18", "18", "✓ pass", "01-cohort.ipynb"], placed.Rows[0]);
        Assert.Equal(string.Empty, placed.Rows[1][5]);
    }
}
