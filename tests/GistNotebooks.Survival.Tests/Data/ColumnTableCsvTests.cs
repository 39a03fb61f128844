using System.Globalization;
using System.Text;
using CsCheck;
using GistNotebooks.Survival.Data;
using GistNotebooks.Testing;

namespace GistNotebooks.Survival.Tests.Data;

public class ColumnTableCsvTests
{
    [Fact]
    public void Reads_quoted_fields_crlf_and_a_byte_order_mark()
    {
        var table = ColumnTable.ParseCsv("\uFEFFtime,\"site, primary\",event\r\n1.5,\"stomach, body\",1\r\n2,\"say \"\"hi\"\"\",0\r\n", "t.csv");

        Assert.Equal(["time", "site, primary", "event"], table.ColumnNames);
        Assert.Equal(2, table.RowCount);
        Assert.Equal([1.5, 2.0], table.GetNumbers("time"));
        Assert.Equal(new[] { "stomach, body", "say \"hi\"" }, table.GetText("site, primary").Select(v => v ?? "<missing>"));
    }

    [Fact]
    public void Detects_a_semicolon_delimiter_and_accepts_a_decimal_comma()
    {
        var table = ColumnTable.ParseCsv("time;event\n1,25;1\n3;0\n", "eu.csv");

        Assert.Equal(["time", "event"], table.ColumnNames);
        Assert.Equal([1.25, 3.0], table.GetNumbers("time"));
        Assert.Equal(new string?[] { "1,25", "3" }, table.GetText("time"));
    }

    [Theory]
    [InlineData("a\tb\tc;d\n1\t2\t3;4\n", new[] { "a", "b", "c;d" })]
    [InlineData("a\tb;c\n1\t2;3\n", new[] { "a\tb", "c" })]
    [InlineData("a;b;c,d\n1;2;3,4\n", new[] { "a", "b", "c,d" })]
    [InlineData("a,b;c\n1,2;3\n", new[] { "a", "b;c" })]
    [InlineData("abc\n1\n", new[] { "abc" })]
    [InlineData("\n  \na;b\n1;2\n", new[] { "a", "b" })]
    public void The_delimiter_is_the_one_the_header_holds_most_of(string text, string[] names)
        => Assert.Equal(names, ColumnTable.ParseCsv(text, "d.csv").ColumnNames);

    [Fact]
    public void A_given_delimiter_overrides_detection()
    {
        var table = ColumnTable.ParseCsv("a;b|c\n1;2|3\n", "p.csv", new CsvReadOptions { Delimiter = '|' });

        Assert.Equal(["a;b", "c"], table.ColumnNames);
        Assert.Equal([3.0], table.GetNumbers("c"));
    }

    [Fact]
    public void A_decimal_comma_is_refused_when_the_delimiter_is_a_comma()
    {
        var table = ColumnTable.ParseCsv("time,event\n\"1,25\",1\n", "x.csv");

        var error = Assert.Throws<DataValidationException>(() => table.GetNumbers("time"));
        Assert.Equal("x.csv, row 1, column 'time': expected a number, found '1,25'; a decimal comma is read only in files separated by semicolons or tabs, so write a decimal point (1.25)", error.Message);
    }

    // Lines: 1 header, 2 "1,1,A", 3 blank, 4-5 a quoted label over two lines, 6-7 blank, 8 "x,1,B": row 7 is line 8.
    [Fact]
    public void Row_numbers_are_the_lines_of_the_file_counting_blank_lines_and_lines_within_quotes()
    {
        var table = ColumnTable.ParseCsv("time,event,group\n1,1,A\n\n2,1,\"two\nlines\"\n\n\nx,1,B\n", "b.csv");

        Assert.Equal([1, 3, 7], Enumerable.Range(0, table.RowCount).Select(table.SourceRow));
        var error = Assert.Throws<DataValidationException>(() => table.GetNumbers("time"));
        Assert.Equal("b.csv, row 7, column 'time': expected a number, found 'x'", error.Message);
    }

    [Fact]
    public void Row_numbers_stay_the_lines_of_the_file_across_many_breaks()
    {
        // Every third row is followed by a blank line: data row k (0-based) sits on line 2 + k + k / 3.
        var text = new StringBuilder("time,event\n");
        for (var k = 0; k < 300; k++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{k + 1},1\n");
            if (k % 3 == 2)
            {
                text.Append('\n');
            }
        }

        var table = ColumnTable.ParseCsv(text.ToString(), "many.csv");

        Assert.Equal(300, table.RowCount);
        Assert.All(Enumerable.Range(0, 300), k => Assert.Equal(1 + k + (k / 3), table.SourceRow(k)));
    }

    [Fact]
    public void A_point_in_a_file_that_writes_decimal_commas_is_refused_as_ambiguous()
    {
        var error = Assert.Throws<DataValidationException>(() => ColumnTable.ParseCsv("time;event;age\n1,5;1;61\n2;0;1.234\n", "eu.csv"));

        Assert.Equal(2, error.Row);
        Assert.Equal("age", error.Column);
        Assert.StartsWith("eu.csv, row 2, column 'age': '1.234' is ambiguous: the file writes decimal commas (row 1, column 'time': '1,5')", error.Message, StringComparison.Ordinal);
        Assert.Contains("--decimal comma", error.Message, StringComparison.Ordinal);
        Assert.Contains("--decimal point", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("time;event\n1.5;1\n2.25;0\n")]
    [InlineData("time\tevent\n1.5\t1\n2.25\t0\n")]
    public void A_file_separated_by_semicolons_or_tabs_with_decimal_points_only_is_read_as_written(string text)
        => Assert.Equal([1.5, 2.25], ColumnTable.ParseCsv(text, "p.csv").GetNumbers("time"));

    [Fact]
    public void A_point_in_a_labels_column_does_not_make_a_decimal_comma_file_ambiguous()
    {
        var table = ColumnTable.ParseCsv("time;event;version\n1,5;1;v1.2\n2;0;v2.0\n", "l.csv");

        Assert.Equal([1.5, 2.0], table.GetNumbers("time"));
        Assert.Equal(new string?[] { "v1.2", "v2.0" }, table.GetText("version"));
    }

    [Fact]
    public void A_declared_decimal_comma_reads_points_as_thousands_groups()
    {
        var table = ColumnTable.ParseCsv("time;event\n1.234;1\n1.234.567,5;0\n2,25;1\n-12.000;0\n", "t.csv", new CsvReadOptions { DecimalComma = true });

        Assert.Equal([1234.0, 1234567.5, 2.25, -12000.0], table.GetNumbers("time"));
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("1234.567")]
    [InlineData("1.23")]
    [InlineData(".234")]
    [InlineData("1.234,")]
    public void A_declared_decimal_comma_refuses_a_point_that_does_not_group_thousands(string cell)
    {
        var table = ColumnTable.ParseCsv($"time;event\n{cell};1\n2;0\n", "t.csv", new CsvReadOptions { DecimalComma = true });

        var error = Assert.Throws<DataValidationException>(() => table.GetNumbers("time"));
        Assert.StartsWith($"t.csv, row 1, column 'time': expected a number, found '{cell}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_declared_decimal_point_reads_points_and_refuses_commas_with_a_hint()
    {
        var table = ColumnTable.ParseCsv("time;event\n1.234;1\n2,5;0\n", "t.csv", new CsvReadOptions { DecimalComma = false });

        var error = Assert.Throws<DataValidationException>(() => table.GetNumbers("time"));
        Assert.Equal("t.csv, row 2, column 'time': expected a number, found '2,5'; the file is read with a decimal point (--decimal point), so write 2.5", error.Message);
        Assert.Equal([1.234], ColumnTable.ParseCsv("time;event\n1.234;1\n", "t.csv", new CsvReadOptions { DecimalComma = false }).GetNumbers("time"));
    }

    [Fact]
    public void A_file_whose_table_would_exceed_the_memory_budget_is_refused_up_front_with_the_estimate()
    {
        // 20,000 rows of 8 characters (160,000 bytes, past the first 64 KB block): about 20,000 rows × 2 columns × 28 bytes = 1,120,000 bytes.
        var path = Path.Combine(Path.GetTempPath(), "gistnb-memory-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, "time,ev\n" + string.Concat(Enumerable.Range(0, 20_000).Select(i => FormattableString.Invariant($"{10000 + (i % 90000)},1\n"))));
        try
        {
            var error = Assert.Throws<DataValidationException>(() => ColumnTable.ReadCsv(path, new CsvReadOptions { MemoryBudget = 600_000 }));
            Assert.Matches(@"reading it needs about 1\.1 MB of memory \(156\.\d KB of text, about 20,0\d\d rows × 2 columns kept × 28 bytes per cell\), more than the 585\.9 KB available; nothing was read", error.Message);

            // One column kept halves the estimate, which then fits; so does the default budget.
            Assert.Equal(20_000, ColumnTable.ReadCsv(path, new CsvReadOptions { MemoryBudget = 600_000, Columns = ["time"] }).RowCount);
            Assert.Equal(20_000, ColumnTable.ReadCsv(path).RowCount);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Empty_and_NA_fields_are_missing()
    {
        var table = ColumnTable.ParseCsv("a,b\n1,\nNA,x\n", "m.csv");

        var a = table.GetNumbersOrMissing("a");
        Assert.Equal(1.0, a[0]);
        Assert.True(double.IsNaN(a[1]));
        Assert.True(table.IsMissing("a", 1));
        Assert.Equal(new[] { "<missing>", "x" }, table.GetText("b").Select(v => v ?? "<missing>"));
        var error = Assert.Throws<DataValidationException>(() => table.GetNumbers("a"));
        Assert.Equal("m.csv, row 2, column 'a': the value is missing; expected a number", error.Message);
    }

    [Fact]
    public void NaN_written_in_the_file_is_a_number_not_a_missing_value()
    {
        var table = ColumnTable.ParseCsv("a\n1\nNaN\n", "n.csv");

        Assert.False(table.IsMissing("a", 1));
        Assert.True(double.IsNaN(table.GetNumbers("a")[1]));
    }

    [Theory]
    [InlineData("", "e.csv: the file is empty; expected a header line and at least one data row")]
    [InlineData(" \r\n\t\n", "e.csv: the file is empty; expected a header line and at least one data row")]
    [InlineData("time,event\n", "e.csv: the file has a header but no data rows")]
    [InlineData("time,event\n\n\n", "e.csv: the file has a header but no data rows")]
    [InlineData("time,time\n1,1\n", "e.csv, column 'time': the column name appears more than once in the header")]
    [InlineData("time,,event\n1,1,1\n", "e.csv: column 2 of the header has no name")]
    [InlineData("time,event\n1,1\n2\n", "e.csv, row 2: expected 2 fields as in the header, found 1")]
    [InlineData("time,event\n\n1,1\n\n2,1,3\n", "e.csv, row 4: expected 2 fields as in the header, found 3")]
    [InlineData("time,event\n\"1,1\n", "e.csv: a quoted field that starts on line 2 is never closed")]
    [InlineData("time,event\n1,1\n2,0\n3,\"1\n4,0\n", "e.csv: a quoted field that starts on line 4 is never closed")]
    [InlineData("time,event\n1,\0\n", "e.csv: the file is not delimited text (it holds binary data); expected a CSV file with a header line (save a spreadsheet as CSV first)")]
    [InlineData("time,event\n1,5\"3\n2,0\"\n", "e.csv: line 2 has a quote inside an unquoted field, which runs on past a delimiter or a line end; put the whole field in quotes and double the quote (\"\")")]
    public void Malformed_files_are_refused_with_the_place_named(string text, string message)
    {
        var error = Assert.Throws<DataValidationException>(() => ColumnTable.ParseCsv(text, "e.csv"));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Quotes_may_have_white_space_around_them_and_text_after_them()
    {
        var table = ColumnTable.ParseCsv("a,b\n1,  \"q,r\"  \n2,\"q\"r\n3,x\"y\"z\n", "q.csv");

        Assert.Equal(new string?[] { "q,r", "qr", "x\"y\"z" }, table.GetText("b"));
    }

    [Fact]
    public void Line_ends_may_be_lf_crlf_or_cr_and_blank_lines_are_skipped_but_counted()
    {
        // Lines: 1 "t,e", 2 "1,1", 3 blank, 4 "2,0", 5 " ", 6 "3,1": the data rows are on lines 2, 4 and 6.
        var table = ColumnTable.ParseCsv("t,e\r1,1\r\n\r\n2,0\n \n3,1\r", "l.csv");

        Assert.Equal([1.0, 2, 3], table.GetNumbers("t"));
        Assert.Equal([1, 3, 5], Enumerable.Range(0, 3).Select(table.SourceRow));
    }

    [Fact]
    public void A_missing_column_lists_the_columns_there_are()
    {
        var table = ColumnTable.ParseCsv("time,event\n1,1\n", "c.csv");

        var error = Assert.Throws<DataValidationException>(() => table.GetNumbers("futime"));
        Assert.Equal("c.csv, column 'futime': no such column; the columns are time, event", error.Message);
    }

    [Fact]
    public void Only_the_columns_asked_for_are_kept_but_every_row_is_still_checked()
    {
        var options = new CsvReadOptions { Columns = ["event", "futime"] };
        var table = ColumnTable.ParseCsv("time,event,site\n1,1,a\n2,0,b\n", "k.csv", options);

        Assert.Equal(["event"], table.ColumnNames);
        var error = Assert.Throws<DataValidationException>(() => table.GetNumbers("futime"));
        Assert.Equal("k.csv, column 'futime': no such column; the columns are time, event, site", error.Message);
        var ragged = Assert.Throws<DataValidationException>(() => ColumnTable.ParseCsv("time,event,site\n1,1,a\n2,0,b,c\n", "k.csv", options));
        Assert.Equal("k.csv, row 2: expected 3 fields as in the header, found 4", ragged.Message);
    }

    [Fact]
    public void A_numbers_column_asked_for_as_labels_gives_each_value_as_written()
    {
        var table = ColumnTable.ParseCsv("x\n3.0\n1e5\n+2\n007\n0.00001\n-0\n12.5\nNA\n", "w.csv");

        Assert.Equal(ColumnKind.Numbers, table.KindOf("x"));
        Assert.Equal(new string?[] { "3.0", "1e5", "+2", "007", "0.00001", "-0", "12.5", null }, table.GetText("x"));
    }

    [Fact]
    public void A_column_that_turns_to_labels_keeps_the_text_of_its_early_rows()
    {
        var table = ColumnTable.ParseCsv("x,y\n3.0,1\n1e5,2\n,3\n2,4\nstage II,5\n4.50,6\n", "t.csv");

        Assert.Equal(ColumnKind.Labels, table.KindOf("x"));
        Assert.False(table.IsNumeric("x"));
        Assert.Equal(new string?[] { "3.0", "1e5", null, "2", "stage II", "4.50" }, table.GetText("x"));
        var error = Assert.Throws<DataValidationException>(() => table.GetNumbersOrMissing("x"));
        Assert.Equal("t.csv, row 5, column 'x': expected a number, found 'stage II'", error.Message);
    }

    [Fact]
    public void Equal_labels_are_one_string_instance()
    {
        var table = ColumnTable.ParseCsv("site,other\nstomach,stomach\nileum,x\nstomach,y\n", "s.csv");

        var sites = table.GetText("site");
        Assert.Same(sites[0], sites[2]);
        Assert.Same(sites[0], table.GetText("other")[0]);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = Path.Combine(Path.GetTempPath(), "gistnb-no-such-file.csv");

        var error = Assert.Throws<DataValidationException>(() => ColumnTable.ReadCsv(path));
        Assert.Contains("gistnb-no-such-file.csv: the file does not exist", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    [InlineData("utf-32")]
    [InlineData("utf-8")]
    public void A_file_with_a_byte_order_mark_reads_as_its_text(string encoding)
    {
        var text = "time;site\n1,5;Zürich\n2;Åland\n";
        var path = Path.Combine(Path.GetTempPath(), "gistnb-encoding-" + Guid.NewGuid().ToString("N") + ".csv");
        try
        {
            File.WriteAllText(path, text, Encoding.GetEncoding(encoding));
            var table = ColumnTable.ReadCsv(path);

            Assert.Equal(path, table.SourceName);
            Assert.Equal([1.5, 2.0], table.GetNumbers("time"));
            Assert.Equal(new string?[] { "Zürich", "Åland" }, table.GetText("site"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_file_reads_as_the_same_text_parsed_in_memory()
    {
        var text = new StringBuilder("time,event,site\n");
        for (var i = 0; i < 200_000; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i * 0.01:0.##},{i % 2},{(i % 3 == 0 ? "\"a, b\"" : "c")}\n");
        }

        var path = Path.Combine(Path.GetTempPath(), "gistnb-stream-" + Guid.NewGuid().ToString("N") + ".csv");
        try
        {
            File.WriteAllText(path, text.ToString());
            var file = ColumnTable.ReadCsv(path);
            var memory = ColumnTable.ParseCsv(text.ToString(), path);

            Assert.Equal(200_000, file.RowCount);
            Assert.Equal(memory.GetNumbers("time"), file.GetNumbers("time"));
            Assert.Equal(memory.GetText("site"), file.GetText("site"));
            Assert.Equal(1999.99, file.GetNumbers("time")[^1]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Any table of numbers (written in many ways), labels and missing cells reads back cell for cell, as written.</summary>
    [Fact]
    public void Every_cell_reads_back_as_written()
    {
        var numberText = Gen.OneOf(
            Gen.Double[-1e6, 1e6].Select(v => v.ToString(CultureInfo.InvariantCulture)),
            Gen.Int[-1000, 1000].Select(v => v.ToString(CultureInfo.InvariantCulture)),
            Gen.Int[0, 99_999].Select(v => (v / 100.0).ToString("0.000", CultureInfo.InvariantCulture)),
            Gen.Double[1e-9, 1e-3].Select(v => v.ToString("R", CultureInfo.InvariantCulture)),
            Gen.Const("1e5"), Gen.Const("+3"), Gen.Const("-0"), Gen.Const("007"), Gen.Const("Inf"));
        var label = Gen.OneOf(Gen.Const("stomach"), Gen.Const("small bowel"), Gen.Const("a, b"), Gen.Const("say \"hi\""), Gen.Const("x1"));
        var cell = Gen.Frequency((6, numberText), (1, label), (1, Gen.Const("NA")), (1, Gen.Const("")));
        Gen.Select(Gen.Int[1, 4], Gen.Int[1, 30]).SelectMany((columns, rows) => cell.Array[columns].Array[rows])
            .SampleFixed(cells =>
            {
                var columns = cells[0].Length;
                // A first column of row numbers, so that no row is blank (a blank line is skipped, not a row of missing values).
                var text = new StringBuilder("row," + string.Join(',', Enumerable.Range(0, columns).Select(j => "c" + j))).Append('\n');
                for (var i = 0; i < cells.Length; i++)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{i + 1},").Append(string.Join(',', cells[i].Select(Quote))).Append('\n');
                }

                var table = ColumnTable.ParseCsv(text.ToString(), "p.csv");
                for (var j = 0; j < columns; j++)
                {
                    var expected = cells.Select(r => r[j] is "" or "NA" ? null : r[j]).ToArray();
                    Assert.Equal(expected, table.GetText("c" + j));
                    var allNumbers = expected.All(v => v is null || double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _) || v == "Inf");
                    Assert.Equal(allNumbers ? ColumnKind.Numbers : ColumnKind.Labels, table.KindOf("c" + j));
                }
            }, seed: "0N0XIzNsQ0O2", iter: 500);

        static string Quote(string value) => value.Contains(',') || value.Contains('"') ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
