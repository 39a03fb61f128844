using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Tests.Data;

public class SurvivalDataTests
{
    /// <summary>
    /// An event column is read chunk by chunk with the last number's meaning at hand; a cell written unusually ("1.0"),
    /// a missing cell or an unknown code beyond the first chunk of 65,536 rows is still read, or refused, at its own row.
    /// </summary>
    [Theory]
    [InlineData("1.0", null)]
    [InlineData("", "row 70000, column 'status': the value is missing")]
    [InlineData("2", "row 70000, column 'status': expected 1 (event) or 0 (censored), found '2'")]
    public void Event_cells_beyond_the_first_chunk_are_read_at_their_row(string cell, string? fault)
    {
        var text = new System.Text.StringBuilder("time,status\n");
        for (var row = 1; row <= 70_010; row++)
        {
            text.Append(row).Append(',').Append(row == 70_000 ? cell : (row % 3 == 0 ? "0" : "1")).Append('\n');
        }

        var table = ColumnTable.ParseCsv(text.ToString(), "events.csv");
        if (fault is null)
        {
            var data = SurvivalData.FromTable(table, "time", "status");
            Assert.True(data.Events[69_999]);
            Assert.False(data.Events[69_998]);
            Assert.Equal(70_010 - (70_010 / 3), data.EventCount);
            return;
        }

        var error = Assert.Throws<DataValidationException>(() => SurvivalData.FromTable(table, "time", "status"));
        Assert.Contains(fault, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1.0, "times, row 2: expected a time of zero or more, found -1")]
    [InlineData(double.NaN, "times, row 2: expected a finite time, found NaN")]
    [InlineData(double.PositiveInfinity, "times, row 2: expected a finite time, found Infinity")]
    public void Invalid_times_name_the_row(double bad, string message)
    {
        var error = Assert.Throws<DataValidationException>(() => SurvivalData.Create([1.0, bad, 3.0], [1, 0, 1]));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Events_other_than_zero_or_one_are_refused()
    {
        var error = Assert.Throws<DataValidationException>(() => SurvivalData.Create([1.0, 2.0], [1, 2]));

        Assert.Equal("events, row 2: expected 0 (censored) or 1 (event), found 2", error.Message);
    }

    [Fact]
    public void Lengths_that_differ_are_refused()
    {
        var error = Assert.Throws<DataValidationException>(() => SurvivalData.Create([1.0, 2.0, 3.0], [1, 0]));

        Assert.Equal("events: has 2 values but there are 3 times; the lengths must be equal", error.Message);
    }

    [Fact]
    public void Negative_weights_are_refused()
    {
        var error = Assert.Throws<DataValidationException>(() => SurvivalData.Create([1.0, 2.0], [1, 0], weights: [1.0, -0.5]));

        Assert.Equal(2, error.Row);
    }

    [Fact]
    public void A_csv_value_error_names_file_row_and_column()
    {
        var table = ColumnTable.ParseCsv("t,status\n4,1\n5,dead\n", "cohort.csv");

        var error = Assert.Throws<DataValidationException>(() => SurvivalData.FromTable(table, "t", "status"));
        Assert.Equal("cohort.csv, row 2, column 'status': expected 1 (event) or 0 (censored), found 'dead'; labels such as dead/alive must first be mapped to event and censored (an event coding, on the command line --event-labels dead=alive)", error.Message);
    }

    [Fact]
    public void Event_labels_can_be_mapped()
    {
        var table = ColumnTable.ParseCsv("t,status\n4,Dead\n5,alive\n", "cohort.csv");

        var data = SurvivalData.FromTable(table, "t", "status", eventCoding: EventCoding.FromLabels(["dead"], ["alive"]));
        Assert.Equal([true, false], data.Events.ToArray());
    }

    [Fact]
    public void Group_levels_sort_numerically_when_all_are_numbers()
    {
        var data = SurvivalData.Create([1.0, 2.0, 3.0, 4.0], [1, 1, 0, 1], groups: ["10", "2", "1", "2"]);

        Assert.Equal(["1", "2", "10"], data.GroupLevels.ToArray());
    }

    [Fact]
    public void Group_levels_sort_ordinally_otherwise()
    {
        var data = SurvivalData.Create([1.0, 2.0, 3.0], [1, 1, 0], groups: ["stomach", "Duodenum", "ileum"]);

        Assert.Equal(["Duodenum", "ileum", "stomach"], data.GroupLevels.ToArray());
    }

    [Fact]
    public void Time_order_puts_events_before_censorings_at_a_tied_time()
    {
        var data = SurvivalData.Create([5.0, 3.0, 5.0, 1.0], [0, 1, 1, 0]);

        Assert.Equal([3, 1, 2, 0], data.TimeOrder.ToArray());
    }
}
