using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Tests.Data;

public sealed class CompetingRisksDataTests
{
    [Fact]
    public void Reads_the_reference_file_with_its_causes_and_groups()
    {
        var data = CompetingRisksData.FromCsv(Path.Combine(AppContext.BaseDirectory, "Reference", "crsynth.csv"), "time", "status", "group");
        Assert.Equal(200, data.Count);
        Assert.Equal(new[] { 1, 2 }, data.Causes.ToArray());
        Assert.Equal(new[] { "1", "2" }, data.GroupLevels.ToArray());
    }

    [Fact]
    public void A_negative_cause_names_its_row()
    {
        var error = Assert.Throws<DataValidationException>(() => CompetingRisksData.Create([1, 2, 3], [0, -1, 2]));
        Assert.Equal(2, error.Row);
        Assert.Equal("causes", error.SourceName);
    }

    [Fact]
    public void A_bad_status_in_a_file_names_file_row_and_column()
    {
        var path = Path.Combine(Path.GetTempPath(), "crinf-bad-status-" + Environment.ProcessId + ".csv");
        File.WriteAllText(path, "time,status\n1,0\n2,1.5\n3,2\n");
        try
        {
            var error = Assert.Throws<DataValidationException>(() => CompetingRisksData.FromCsv(path, "time", "status"));
            Assert.Equal(2, error.Row);
            Assert.Equal("status", error.Column);
            Assert.Contains(Path.GetFileName(path), error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Lengths_that_differ_are_rejected()
    {
        Assert.Throws<DataValidationException>(() => CompetingRisksData.Create([1, 2, 3], [0, 1]));
        Assert.Throws<DataValidationException>(() => CompetingRisksData.Create([1, 2], [0, 1], ["a"]));
        Assert.Throws<DataValidationException>(() => CompetingRisksData.Create([1, double.NaN], [0, 1]));
    }
}
