using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Tests.Data;

public class ModelFrameTests
{
    private const string Csv = "time,event,age,site\n5,1,60,stomach\n8,0,,duodenum\n9,1,71,ileum\n12,1,55,NA\n15,0,49,stomach\n";

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
