using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Tests.Data;

public class CsvTableTests
{
    [Fact]
    public void Reads_quoted_fields_crlf_and_a_byte_order_mark()
    {
        var table = CsvTable.Parse("\uFEFFtime,\"site, primary\",event\r\n1.5,\"stomach, body\",1\r\n2,\"say \"\"hi\"\"\",0\r\n", "t.csv");

        Assert.Equal(["time", "site, primary", "event"], table.ColumnNames);
        Assert.Equal(2, table.RowCount);
        Assert.Equal([1.5, 2.0], table.GetNumbers("time"));
        Assert.Equal(new[] { "stomach, body", "say \"hi\"" }, table.GetText("site, primary").Select(v => v ?? "<missing>"));
    }

    [Fact]
    public void Detects_a_semicolon_delimiter_and_accepts_a_decimal_comma()
    {
        var table = CsvTable.Parse("time;event\n1,25;1\n3;0\n", "eu.csv");

        Assert.Equal(';', table.Delimiter);
        Assert.Equal([1.25, 3.0], table.GetNumbers("time"));
    }

    [Fact]
    public void A_decimal_comma_is_refused_when_the_delimiter_is_a_comma()
    {
        var table = CsvTable.Parse("time,event\n\"1,25\",1\n", "x.csv");

        var error = Assert.Throws<DataValidationException>(() => table.GetNumbers("time"));
        Assert.Equal("x.csv, row 1, column 'time': expected a number, found '1,25'; a decimal comma is read only in files separated by semicolons or tabs, so write a decimal point (1.25)", error.Message);
    }

    [Fact]
    public void Empty_and_NA_fields_are_missing()
    {
        var table = CsvTable.Parse("a,b\n1,\nNA,x\n", "m.csv");

        var a = table.GetNumbersOrMissing("a");
        Assert.Equal(1.0, a[0]);
        Assert.True(double.IsNaN(a[1]));
        Assert.Equal(new[] { "<missing>", "x" }, table.GetText("b").Select(v => v ?? "<missing>"));
        var error = Assert.Throws<DataValidationException>(() => table.GetNumbers("a"));
        Assert.Equal(2, error.Row);
        Assert.Equal("a", error.Column);
    }

    [Theory]
    [InlineData("", "e.csv: the file is empty; expected a header line and at least one data row")]
    [InlineData("time,event\n", "e.csv: the file has a header but no data rows")]
    [InlineData("time,time\n1,1\n", "e.csv, column 'time': the column name appears more than once in the header")]
    [InlineData("time,event\n1,1\n2\n", "e.csv, row 2: expected 2 fields as in the header, found 1")]
    [InlineData("time,event\n\"1,1\n", "e.csv: a quoted field that starts on line 2 is never closed")]
    public void Malformed_files_are_refused_with_the_place_named(string text, string message)
    {
        var error = Assert.Throws<DataValidationException>(() => CsvTable.Parse(text, "e.csv"));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_missing_column_lists_the_columns_there_are()
    {
        var table = CsvTable.Parse("time,event\n1,1\n", "c.csv");

        var error = Assert.Throws<DataValidationException>(() => table.GetNumbers("futime"));
        Assert.Equal("c.csv, column 'futime': no such column; the columns are time, event", error.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = Path.Combine(Path.GetTempPath(), "gistnb-no-such-file.csv");

        var error = Assert.Throws<DataValidationException>(() => CsvTable.Read(path));
        Assert.Contains("gistnb-no-such-file.csv: the file does not exist", error.Message, StringComparison.Ordinal);
    }
}
