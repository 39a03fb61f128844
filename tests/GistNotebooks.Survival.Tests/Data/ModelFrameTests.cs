using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Tests.Data;

public class ModelFrameTests
{
    private const string Csv = "time,event,age,site\n5,1,60,stomach\n8,0,,duodenum\n9,1,71,ileum\n12,1,55,NA\n15,0,49,stomach\n";

    /// <summary>
    /// A large table's survival columns are read on another core while the covariates are built; its faults are still
    /// reported in the same order as a small table's: the survival columns' before the covariates'.
    /// </summary>
    [Theory]
    [InlineData(10)]
    [InlineData(TimeSort.TwoCoresFromRows)]
    public void Faults_are_reported_in_the_same_order_at_any_size(int rows)
    {
        ColumnTable Table(int badEventRow, int infiniteCovariateRow) => ColumnTable.Create("big.csv",
        [
            TableColumn.Numbers("time", Enumerable.Range(0, rows).Select(i => i + 1.0)),
            TableColumn.Numbers("status", Enumerable.Range(0, rows).Select(i => i == badEventRow ? 2.0 : i % 2)),
            TableColumn.Numbers("x", Enumerable.Range(0, rows).Select(i => i == infiniteCovariateRow ? double.PositiveInfinity : i % 7)),
            TableColumn.Labels("site", Enumerable.Range(0, rows).Select(i => i % 3 == 0 ? "stomach" : i == 4 ? null : "bowel")),
        ]);
        string Fault(int badEventRow, int infiniteCovariateRow) => Assert.Throws<DataValidationException>(
            () => ModelFrame.FromTable(Table(badEventRow, infiniteCovariateRow), "time", "status", ["x", "site"])).Message;

        Assert.Contains($"row {rows}, column 'status'", Fault(rows - 1, 2), StringComparison.Ordinal);
        Assert.Contains("row 3, column 'x'", Fault(-1, 2), StringComparison.Ordinal);

        var frame = ModelFrame.FromTable(Table(-1, -1), "time", "status", ["x", "site"]);
        Assert.Equal([5], frame.DroppedRows.ToArray());
        Assert.Equal(rows - 1, frame.Data.Count);
        Assert.Equal(rows - 1, frame.Covariates.RowCount);
        Assert.Equal(6.0, frame.Data.Times[4]);
    }

    [Fact]
    public void Rows_with_a_missing_covariate_are_dropped_and_reported()
    {
        var frame = ModelFrame.FromTable(ColumnTable.ParseCsv(Csv, "c.csv"), "time", "event", ["age", "site"]);

        Assert.Equal([2, 4], frame.DroppedRows.ToArray());
        Assert.Equal(3, frame.Data.Count);
        Assert.Equal([5.0, 9.0, 15.0], frame.Data.Times.ToArray());
    }

    [Fact]
    public void Factors_get_one_indicator_per_level_named_as_R_names_them()
    {
        var frame = ModelFrame.FromTable(ColumnTable.ParseCsv(Csv, "c.csv"), "time", "event", ["site", "age"]);

        // Kept rows: stomach, ileum, stomach. Levels sort ordinally: ileum, stomach; ileum is the reference.
        Assert.Equal(["sitestomach", "age"], frame.Covariates.Terms.ToArray());
        Assert.Equal([1.0, 0.0, 1.0], frame.Covariates.Column(0));
        Assert.Equal("ileum", frame.Factors.Single().Reference);
    }

    [Fact]
    public void A_reference_level_can_be_chosen()
    {
        var frame = ModelFrame.FromTable(ColumnTable.ParseCsv(Csv, "c.csv"), "time", "event", ["site"], new Dictionary<string, string> { ["site"] = "stomach" });

        Assert.Equal(["siteduodenum", "siteileum"], frame.Covariates.Terms.ToArray());
    }

    [Fact]
    public void An_unknown_reference_level_is_refused()
    {
        var error = Assert.Throws<DataValidationException>(() =>
            ModelFrame.FromTable(ColumnTable.ParseCsv(Csv, "c.csv"), "time", "event", ["site"], new Dictionary<string, string> { ["site"] = "colon" }));

        Assert.Equal("c.csv, column 'site': the reference level 'colon' does not occur; the levels are duodenum, ileum, stomach", error.Message);
    }
}
