using GistNotebooks.Reporting.Charts;
using GistNotebooks.Reporting.Tables;
using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Regression;
using Microsoft.Data.Analysis;
using static GistNotebooks.Reporting.Tests.TestData;

namespace GistNotebooks.Reporting.Tests.Tables;

public class DataFramesTests
{
    private static DataFrame Frame(IEnumerable<double?> times, IEnumerable<int?> events, IEnumerable<string>? groups = null)
    {
        var columns = new List<DataFrameColumn> { new DoubleDataFrameColumn("months", times), new Int32DataFrameColumn("dead", events) };
        if (groups is not null)
        {
            columns.Add(new StringDataFrameColumn("arm", groups));
        }

        return new DataFrame(columns);
    }

    [Fact]
    public void A_time_and_event_column_pair_gives_the_same_curve_as_the_arrays()
    {
        var data = Veteran();
        var frame = Frame(data.Times.Select(t => (double?)t), data.Events.Select(e => (int?)(e ? 1 : 0)), data.Groups);

        var fromFrame = frame.ToSurvivalData("months", "dead", "arm");

        Assert.Equal(data.Times.ToArray(), fromFrame.Times.ToArray());
        Assert.Equal(data.Events.ToArray(), fromFrame.Events.ToArray());
        Assert.Equal(data.GroupLevels.ToArray(), fromFrame.GroupLevels.ToArray());
        Assert.Equal(KaplanMeier.Estimate(data).Table.ToArray(), KaplanMeier.Estimate(fromFrame).Table.ToArray());
    }

    [Fact]
    public void Boolean_events_and_numeric_text_times_are_read()
    {
        var frame = new DataFrame(new StringDataFrameColumn("t", ["1.5", "2"]), new BooleanDataFrameColumn("e", [true, false]));
        var data = frame.ToSurvivalData("t", "e");
        Assert.Equal([1.5, 2.0], data.Times.ToArray());
        Assert.Equal([true, false], data.Events.ToArray());
    }

    [Fact]
    public void An_event_other_than_0_or_1_is_refused_naming_the_column_and_row()
    {
        var frame = Frame([1, 2, 3], [1, 2, 0]);
        var error = Assert.Throws<DataValidationException>(() => frame.ToSurvivalData("months", "dead"));
        Assert.Equal("dead", error.Column);
        Assert.Equal(2, error.Row);
    }

    [Fact]
    public void A_missing_or_negative_time_is_refused_naming_the_column_and_row()
    {
        var missing = Assert.Throws<DataValidationException>(() => Frame([1, null, 3], [1, 0, 0]).ToSurvivalData("months", "dead"));
        Assert.Equal(("months", 2), (missing.Column, missing.Row));
        var negative = Assert.Throws<DataValidationException>(() => Frame([1, 2, -3], [1, 0, 0]).ToSurvivalData("months", "dead"));
        Assert.Equal(("months", 3), (negative.Column, negative.Row));
    }

    [Fact]
    public void A_missing_column_is_named_with_the_columns_there_are()
    {
        var error = Assert.Throws<DataValidationException>(() => Frame([1], [1]).ToSurvivalData("time", "dead"));
        Assert.Equal("time", error.Column);
        Assert.Contains("months", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Kaplan_Meier_table_becomes_one_row_per_time_with_missing_cells_for_undefined_limits()
    {
        var curve = KaplanMeier.Estimate(Nunobe());
        var frame = curve.ToDataFrame();

        Assert.Equal(curve.Table.Length, frame.Rows.Count);
        Assert.Equal(curve.Table.Select(r => r.Survival), frame["survival"].Cast<double?>().Select(v => v!.Value));
        Assert.Equal(curve.Table.Select(r => r.Lower), frame["lower"].Cast<double?>());
        Assert.DoesNotContain("group", frame.Columns.Select(c => c.Name));
    }

    [Fact]
    public void The_at_risk_data_frame_equals_the_numbers_under_the_chart()
    {
        var curves = KaplanMeier.EstimateByGroup(Veteran());
        var frame = curves.AtRiskDataFrame(timeUnit: "days");
        var rows = TracesWithMeta(SurvivalCharts.KaplanMeier(curves, timeUnit: "days"), "at-risk");

        Assert.Equal(["1", "2"], frame["group"].Cast<string>());
        for (var g = 0; g < 2; g++)
        {
            var fromChart = Texts(rows[g].GetProperty("text")).Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(fromChart, frame.Columns.Skip(1).Select(c => (double)c[g]!));
        }

        Assert.Equal("0", frame.Columns[1].Name);
    }

    [Fact]
    public void Log_rank_and_Cox_tables_carry_the_results_figures()
    {
        var data = Veteran();
        var logRank = LogRank.Test(data).ToDataFrame();
        Assert.Equal(2, logRank.Rows.Count);
        Assert.Equal(LogRank.Test(data).Groups.Select(g => g.Expected), logRank["expected"].Cast<double?>().Select(v => v!.Value));

        var frame = ModelFrame.FromTable(ColumnTable.ReadCsv(Reference("veteran.csv")), "time", "event", ["trt", "karno"]);
        var model = CoxRegression.Fit(frame);
        var coefficients = model.ToDataFrame();
        Assert.Equal(["term", "coef", "exp(coef)", "se(coef)", "z", "p", "lower .95", "upper .95"], coefficients.Columns.Select(c => c.Name));
        Assert.Equal(model.Coefficients.Select(c => c.HazardRatio), coefficients["exp(coef)"].Cast<double?>().Select(v => v!.Value));
    }

    [Fact]
    public void A_table_becomes_a_data_frame_and_back_without_loss()
    {
        var table = ColumnTable.Create("m", [
            TableColumn.Numbers("time", [1.5, 2, double.NaN, 4]),
            TableColumn.Numbers("age", [61.0, null, 70, null]),
            TableColumn.Labels("site", ["stomach", null, "ileum", "stomach"]),
        ]);

        var frame = table.ToDataFrame();
        Assert.IsType<DoubleDataFrameColumn>(frame["time"]);
        Assert.IsType<StringDataFrameColumn>(frame["site"]);
        Assert.Null(frame["age"][1]);
        Assert.Null(frame["site"][1]);

        var back = frame.ToColumnTable("m");
        Assert.Equal(table.ColumnNames, back.ColumnNames);
        foreach (var name in table.ColumnNames)
        {
            Assert.Equal(table.KindOf(name), back.KindOf(name));
            Assert.Equal(table.GetText(name), back.GetText(name));
            Assert.Equal(Enumerable.Range(0, 4).Select(i => table.IsMissing(name, i)), Enumerable.Range(0, 4).Select(i => back.IsMissing(name, i)));
        }

        Assert.Equal(table.GetNumbersOrMissing("time"), back.GetNumbersOrMissing("time"));
        Assert.False(back.IsMissing("time", 2));
        Assert.Same(back.GetText("site")[0], back.GetText("site")[3]);
    }

    [Fact]
    public void A_data_frame_becomes_a_table_and_back_without_loss()
    {
        var frame = new DataFrame(
            new DoubleDataFrameColumn("t", [1.25, null, 3]),
            new StringDataFrameColumn("arm", ["a", "b", null]),
            new DoubleDataFrameColumn("x", [null, null, 0.5]));

        var back = frame.ToColumnTable().ToDataFrame();
        Assert.Equal(frame.Columns.Select(c => c.Name), back.Columns.Select(c => c.Name));
        foreach (var column in frame.Columns)
        {
            Assert.Equal(column.DataType, back[column.Name].DataType);
            Assert.Equal(Enumerable.Range(0, 3).Select(i => column[i]), Enumerable.Range(0, 3).Select(i => back[column.Name][i]));
        }
    }

    [Fact]
    public void Integer_boolean_and_decimal_columns_become_numbers()
    {
        var frame = new DataFrame(
            new Int32DataFrameColumn("i", [1, null, 3]),
            new Int64DataFrameColumn("l", [10L, 20, 30]),
            new BooleanDataFrameColumn("b", [true, false, null]),
            new DecimalDataFrameColumn("d", [1.5m, 2.25m, 3m]),
            new SingleDataFrameColumn("f", [0.5f, 1f, 2f]));

        var table = frame.ToColumnTable("frame");
        Assert.All(table.ColumnNames, name => Assert.Equal(ColumnKind.Numbers, table.KindOf(name)));
        Assert.Equal([1.0, double.NaN, 3], table.GetNumbersOrMissing("i"));
        Assert.True(table.IsMissing("i", 1));
        Assert.Equal([10.0, 20, 30], table.GetNumbers("l"));
        Assert.Equal([1.0, 0], table.GetNumbersOrMissing("b").Take(2));
        Assert.True(table.IsMissing("b", 2));
        Assert.Equal([1.5, 2.25, 3], table.GetNumbers("d"));
        Assert.Equal([0.5, 1, 2], table.GetNumbers("f"));
        var error = Assert.Throws<DataValidationException>(() => table.GetNumbers("i"));
        Assert.Equal("frame, row 2, column 'i': the value is missing; expected a number", error.Message);
    }

    [Fact]
    public void A_Cox_model_from_a_data_frame_equals_the_one_from_the_file()
    {
        var fromFile = ColumnTable.ReadCsv(Reference("veteran.csv"));
        var frame = fromFile.ToDataFrame();
        Assert.IsType<StringDataFrameColumn>(frame["celltype"]);

        string[] covariates = ["trt", "karno", "celltype"];
        var expected = CoxRegression.Fit(ModelFrame.FromTable(fromFile, "time", "event", covariates));
        var actual = CoxRegression.Fit(frame.ToModelFrame("time", "event", covariates));
        Assert.Equal(expected.Coefficients.ToArray(), actual.Coefficients.ToArray());
        Assert.Equal(expected.LogLikelihood, actual.LogLikelihood);
    }

    [Fact]
    public void Competing_risks_from_a_data_frame_equal_those_from_the_file()
    {
        var fromFile = ColumnTable.ReadCsv(Reference("crsynth.csv"));
        var expected = CumulativeIncidence.Estimate(CompetingRisksData.FromTable(fromFile, "time", "status", "group"));
        var actual = CumulativeIncidence.Estimate(fromFile.ToDataFrame().ToCompetingRisksData("time", "status", "group"));

        Assert.Equal(expected.Curves.Length, actual.Curves.Length);
        for (var k = 0; k < expected.Curves.Length; k++)
        {
            Assert.Equal(expected.Curves[k].Points.ToArray(), actual.Curves[k].Points.ToArray());
        }
    }

    [Fact]
    public void A_missing_cause_in_a_data_frame_names_the_row()
    {
        var frame = new DataFrame(new DoubleDataFrameColumn("t", [1.0, 2]), new Int32DataFrameColumn("cause", [1, null]));

        var error = Assert.Throws<DataValidationException>(() => frame.ToCompetingRisksData("t", "cause"));
        Assert.Equal("DataFrame, row 2, column 'cause': the value is missing; expected 0 (censored) or a cause 1, 2, …", error.Message);
    }
}
