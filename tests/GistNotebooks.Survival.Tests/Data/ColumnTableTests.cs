using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Survival.Tests.Data;

/// <summary>Tables built in memory: the same typed columns, missing values and messages as a table read from a file.</summary>
public class ColumnTableTests
{
    private static ColumnTable Cohort(IReadOnlyList<int>? sourceRows = null) => ColumnTable.Create(
        "registry",
        [
            TableColumn.Numbers("time", [5.0, 8, 9, 12, 15]),
            TableColumn.Numbers("event", [1.0, 0, 1, 1, 0]),
            TableColumn.Numbers("age", [60.0, null, 71, 55, 49]),
            TableColumn.Labels("site", ["stomach", "duodenum", "ileum", null, "stomach"]),
        ],
        sourceRows);

    [Fact]
    public void Columns_keep_their_kind_values_and_missing_cells()
    {
        var table = Cohort();

        Assert.Equal(["time", "event", "age", "site"], table.ColumnNames);
        Assert.Equal(5, table.RowCount);
        Assert.Equal(ColumnKind.Numbers, table.KindOf("age"));
        Assert.Equal(ColumnKind.Labels, table.KindOf("site"));
        Assert.True(table.IsMissing("age", 1));
        Assert.True(table.IsMissing("site", 3));
        Assert.False(table.IsMissing("site", 0));
        Assert.True(table.IsNumeric("age"));
        Assert.False(table.IsNumeric("site"));
        Assert.Equal(new string?[] { "60", null, "71", "55", "49" }, table.GetText("age"));
        Assert.Same(table.GetText("site")[0], table.GetText("site")[4]);
    }

    [Fact]
    public void A_table_built_in_memory_reads_as_the_same_table_read_from_text()
    {
        var memory = Cohort();
        var text = ColumnTable.ParseCsv("time,event,age,site\n5,1,60,stomach\n8,0,,duodenum\n9,1,71,ileum\n12,1,55,NA\n15,0,49,stomach\n", "registry");

        foreach (var name in text.ColumnNames)
        {
            Assert.Equal(text.KindOf(name), memory.KindOf(name));
            Assert.Equal(text.GetText(name), memory.GetText(name));
        }

        var a = ModelFrame.FromTable(memory, "time", "event", ["age", "site"]);
        var b = ModelFrame.FromTable(text, "time", "event", ["age", "site"]);
        Assert.Equal(b.DroppedRows.ToArray(), a.DroppedRows.ToArray());
        Assert.Equal(b.Covariates.Terms.ToArray(), a.Covariates.Terms.ToArray());
        Assert.Equal(CoxRegression.Fit(b).Coefficients.ToArray(), CoxRegression.Fit(a).Coefficients.ToArray());
    }

    [Fact]
    public void Labels_asked_for_as_numbers_fail_as_a_file_would()
    {
        var table = ColumnTable.Create("memory", [TableColumn.Labels("t", ["1.5", "2 months", null])]);

        var error = Assert.Throws<DataValidationException>(() => table.GetNumbers("t"));
        Assert.Equal("memory, row 2, column 't': expected a number, found '2 months'", error.Message);
        Assert.Equal([1.5], ColumnTable.Create("m", [TableColumn.Labels("t", ["1.5"])]).GetNumbers("t"));
    }

    [Fact]
    public void Errors_name_the_rows_as_the_source_numbers_them()
    {
        var table = ColumnTable.Create(
            "trial.csv",
            [TableColumn.Numbers("time", [1.0, -2]), TableColumn.Numbers("event", [1.0, 1])],
            sourceRows: [10, 14]);

        var error = Assert.Throws<DataValidationException>(() => SurvivalData.FromTable(table, "time", "event"));
        Assert.Equal("trial.csv, row 14, column 'time': expected a time of zero or more, found -2", error.Message);
        Assert.Equal([14], ModelFrame.FromTable(Cohort([1, 14, 3, 4, 5]), "time", "event", ["age"]).DroppedRows.ToArray());
    }

    [Fact]
    public void A_missing_number_is_not_NaN_and_NaN_is_not_missing()
    {
        var table = ColumnTable.Create("m", [TableColumn.Numbers("x", [double.NaN, 1.0]), TableColumn.Numbers("y", [null, 1.0])]);

        Assert.False(table.IsMissing("x", 0));
        Assert.True(table.IsMissing("y", 0));
        Assert.True(double.IsNaN(table.GetNumbers("x")[0]));
        Assert.Equal("m, row 1, column 'y': the value is missing; expected a number", Assert.Throws<DataValidationException>(() => table.GetNumbers("y")).Message);
    }

    [Fact]
    public void The_table_is_immutable()
    {
        var table = Cohort();

        table.GetNumbers("time")[0] = 99;
        table.GetNumbersOrMissing("time")[0] = 99;
        table.GetText("site")[0] = "colon";
        Assert.Equal(5.0, table.GetNumbers("time")[0]);
        Assert.Equal("stomach", table.GetText("site")[0]);
    }

    [Fact]
    public void Reading_from_several_threads_at_once_gives_the_same_columns()
    {
        var table = ColumnTable.Create("m", [TableColumn.Numbers("x", Enumerable.Range(0, 200_000).Select(i => (i % 1000) / 8.0))]);
        var expected = table.GetText("x");

        var results = new string?[8][];
        Parallel.For(0, results.Length, k => results[k] = table.GetText("x"));
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Theory]
    [InlineData(true, "m, column 'b': has 1 values but column 'a' has 2; the lengths must be equal")]
    [InlineData(false, "m, column 'a': the column name appears more than once in the header")]
    public void Columns_must_have_equal_lengths_and_distinct_names(bool lengths, string message)
    {
        TableColumn[] columns = lengths
            ? [TableColumn.Numbers("a", [1.0, 2]), TableColumn.Numbers("b", [1.0])]
            : [TableColumn.Numbers("a", [1.0]), TableColumn.Labels("a", ["x"])];

        Assert.Equal(message, Assert.Throws<DataValidationException>(() => ColumnTable.Create("m", columns)).Message);
    }

    [Fact]
    public void Every_entry_point_takes_the_table()
    {
        var table = ColumnTable.Create("m", [
            TableColumn.Numbers("time", [1.0, 2, 3, 4, 5, 6]),
            TableColumn.Numbers("status", [1.0, 2, 0, 1, 2, 1]),
            TableColumn.Labels("arm", ["a", "b", "a", "b", "a", "b"]),
        ]);

        var competing = CompetingRisksData.FromTable(table, "time", "status", "arm");
        Assert.Equal([1, 2, 0, 1, 2, 1], competing.CauseCodes.ToArray());
        Assert.Equal(["a", "b"], competing.GroupLevels.ToArray());
        var error = Assert.Throws<DataValidationException>(() => SurvivalData.FromTable(table, "time", "status"));
        Assert.Equal("m, row 2, column 'status': expected 1 (event) or 0 (censored), found '2'", error.Message);
        var survival = SurvivalData.FromTable(table, "time", "status", eventCoding: EventCoding.FromLabels(["1", "2"], ["0"]));
        Assert.Equal(5, KaplanMeier.Estimate(survival).Events);
    }
}
