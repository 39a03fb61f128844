using System.Globalization;
using System.Text;
using CsCheck;
using GistNotebooks.Survival.Data;
using GistNotebooks.Testing;

namespace GistNotebooks.Survival.Tests.Data;

/// <summary>
/// A group or stratum column read from a table keeps each row's level index and makes its labels only when asked: the
/// levels, indices and labels are those of the column's text, as if every cell had been read as a label.
/// </summary>
public sealed class FactorTests
{
    [Fact]
    public void A_numbers_column_has_the_levels_of_its_text_as_written()
    {
        var table = ColumnTable.ParseCsv("time,status,g\n1,1,10\n2,0,2\n3,1,1.0\n4,1,1\n5,0,-0\n6,1,0\n7,1,2\n", "g.csv");
        var data = SurvivalData.FromTable(table, "time", "status", groupColumn: "g");

        // "1.0" and "1" are two labels, so two levels, as are "-0" and "0"; in numeric order, as R's factor of numbers.
        Assert.Equal(["-0", "0", "1", "1.0", "10", "2"], data.GroupLevels.Order(StringComparer.Ordinal));
        var values = data.GroupLevels.Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(values.Order(), values);
        Assert.Equal(["10", "2", "1.0", "1", "-0", "0", "2"], data.Groups.ToArray());
        Assert.Equal(data.Groups.Select(g => data.GroupLevels.IndexOf(g)), data.GroupCodes!);
        Assert.Equal([2.0, 7.0], data.ForGroup("2").Times.ToArray());
        Assert.Empty(data.ForGroup("3").Times);
    }

    [Fact]
    public void A_missing_label_names_its_row_and_column()
    {
        var table = ColumnTable.ParseCsv("time,status,g\n1,1,1\n2,0,2\n3,1,\n", "m.csv");
        var error = Assert.Throws<DataValidationException>(() => SurvivalData.FromTable(table, "time", "status", strataColumn: "g"));
        Assert.Contains("m.csv", error.Message, StringComparison.Ordinal);
        Assert.Contains("row 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("'g'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A large table's groups are indexed on another core while the rest is checked; its faults are still reported in
    /// the columns' order, as a small table's: events before groups, groups before the times' values.
    /// </summary>
    [Theory]
    [InlineData(10)]
    [InlineData(TimeSort.TwoCoresFromRows)]
    public void Faults_are_reported_in_column_order_at_any_size(int rows)
    {
        ColumnTable Table(int badEventRow, int missingGroupRow, int negativeTimeRow) => ColumnTable.Create("big.csv",
        [
            TableColumn.Numbers("time", Enumerable.Range(0, rows).Select(i => i == negativeTimeRow ? -1.0 : i + 1.0)),
            TableColumn.Numbers("status", Enumerable.Range(0, rows).Select(i => i == badEventRow ? 2.0 : i % 2)),
            TableColumn.Numbers("g", Enumerable.Range(0, rows).Select(i => i == missingGroupRow ? null : (double?)(i % 3))),
        ]);
        string Fault(int badEventRow, int missingGroupRow, int negativeTimeRow) => Assert.Throws<DataValidationException>(
            () => SurvivalData.FromTable(Table(badEventRow, missingGroupRow, negativeTimeRow), "time", "status", groupColumn: "g")).Message;

        var last = rows - 1;
        Assert.Contains($"row {rows}, column 'status'", Fault(last, 3, 2), StringComparison.Ordinal);
        Assert.Contains($"row {rows}, column 'g'", Fault(-1, last, 2), StringComparison.Ordinal);
        Assert.Contains("row 3, column 'time'", Fault(-1, -1, 2), StringComparison.Ordinal);
        Assert.Equal(rows, SurvivalData.FromTable(Table(-1, -1, -1), "time", "status", groupColumn: "g").GroupCodes!.Length);
    }

    /// <summary>Columns of numbers (some written unusually, some missing) or labels: the same factor as from the column's text.</summary>
    [Fact]
    public void Random_columns_give_the_factor_of_their_text()
    {
        string[] cells = ["1", "2", "1.0", "10", "-0", "0", "2.50", "2.5", "1e1", "3", "", "stomach", "small bowel", "NA"];
        Gen.Select(Gen.Int[0, 13].Array[1, 300], Gen.Bool).SampleFixed((picks, labels) =>
        {
            var column = new StringBuilder("time,status,g\n");
            foreach (var (pick, row) in picks.Select((p, i) => (labels ? p : p % 11, i)))
            {
                column.Append(CultureInfo.InvariantCulture, $"{row + 1},1,{cells[pick]}\n");
            }

            var table = ColumnTable.ParseCsv(column.ToString(), "r.csv");
            var text = table.GetText("g");
            var firstMissing = Array.IndexOf(text, null);
            if (firstMissing >= 0)
            {
                var error = Assert.Throws<DataValidationException>(() => SurvivalData.FromTable(table, "time", "status", groupColumn: "g"));
                Assert.Contains(FormattableString.Invariant($"row {table.SourceRow(firstMissing)}"), error.Message, StringComparison.Ordinal);
                return;
            }

            var fromTable = SurvivalData.FromTable(table, "time", "status", groupColumn: "g", strataColumn: "g");
            var fromLabels = SurvivalData.Create([.. fromTable.Times], [.. fromTable.Events], groups: text!, strata: text!);
            Assert.Equal(fromLabels.GroupLevels.ToArray(), fromTable.GroupLevels.ToArray());
            Assert.Equal(fromLabels.StrataLevels.ToArray(), fromTable.StrataLevels.ToArray());
            Assert.Equal(fromLabels.GroupCodes!, fromTable.GroupCodes!);
            Assert.Equal(fromLabels.Groups.ToArray(), fromTable.Groups.ToArray());
            Assert.Equal(fromLabels.Strata.ToArray(), fromTable.Strata.ToArray());
        }, seed: "0N0XIzNsQ0O2", iter: 300);
    }
}
