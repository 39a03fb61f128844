using GistNotebooks.Reporting.Formatting;
using Microsoft.Data.Analysis;

namespace GistNotebooks.Reporting.Tests.Formatting;

public class DataFrameFormatTests
{
    private static DataFrame Frame() => new(
        new StringDataFrameColumn("characteristic", ["stomach", "duodenum"]),
        new Int32DataFrameColumn("patients", [10, 5]),
        new DoubleDataFrameColumn("percent", [55.6, double.NaN]));

    [Fact]
    public void A_frame_is_a_plain_table_without_an_index_with_numbers_right_aligned_and_NA_for_missing()
    {
        var html = Frame().ToHtml();

        Assert.StartsWith("<table class=\"gistnotebooks\"><thead><tr><th scope=\"col\" style=\"text-align:left;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("index", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.Contains("<td style=\"text-align:right;padding:2px 8px\">55.6</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td style=\"text-align:left;padding:2px 8px\">duodenum</td>", html, StringComparison.Ordinal);
        Assert.Contains(">NA</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_aligns_columns_under_their_headers()
    {
        var lines = Frame().ToText().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("characteristic  patients  percent", lines[0]);
        Assert.Equal("stomach               10     55.6", lines[1]);
        Assert.Equal("duodenum               5       NA", lines[2]);
    }

    [Fact]
    public void Rows_past_the_limit_are_counted_not_shown()
    {
        var frame = new DataFrame(new Int32DataFrameColumn("n", Enumerable.Range(0, DataFrameFormat.MaximumRows + 7)));

        var html = frame.ToHtml();

        Assert.Equal(DataFrameFormat.MaximumRows, html.Split("<tr>").Length - 2);
        Assert.EndsWith("<p>… and 7 more rows</p>", html, StringComparison.Ordinal);
    }
}
