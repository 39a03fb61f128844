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

    [Theory]
    [InlineData(0.637412345, "0.6374")]
    [InlineData(12.3456, "12.35")]
    [InlineData(-12.3456, "-12.35")]
    [InlineData(0.0012345678, "0.001235")]
    [InlineData(12345.678, "12346")]
    [InlineData(69.0, "69")]
    [InlineData(123456789.0, "123456789")]
    [InlineData(0.1, "0.1")]
    [InlineData(0.000012346, "1.235e-5")]
    [InlineData(12345678.9, "1.235e+7")]
    [InlineData(0.0, "0")]
    [InlineData(double.NaN, "NA")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void Numbers_show_four_significant_digits_and_whole_numbers_every_digit(double value, string text)
        => Assert.Equal(text, DataFrameFormat.FormatNumber(value));

    [Theory]
    [InlineData("p", true)]
    [InlineData("P value", true)]
    [InlineData("p.value", true)]
    [InlineData("pValue", true)]
    [InlineData("Pr(>|z|)", true)]
    [InlineData("percent", false)]
    [InlineData("upper", false)]
    public void P_value_columns_are_known_by_their_names(string name, bool isP) => Assert.Equal(isP, DataFrameFormat.IsPValueColumn(name));

    [Fact]
    public void Tables_round_what_they_show_and_the_frame_keeps_every_digit()
    {
        // exp(-0.45) = 0.637628151621773; p = 2.2e-20 is below R's "<2e-16"; 0.0123456 prints as R's format.pval gives 0.0123.
        var survival = Math.Exp(-0.45);
        var frame = new DataFrame(
            new DoubleDataFrameColumn("time", [36.0, 60.5]),
            new DoubleDataFrameColumn("survival", [survival, 1.0 / 3.0]),
            new DoubleDataFrameColumn("p", [2.2e-20, 0.0123456]),
            new SingleDataFrameColumn("ratio", [0.1f, 2.5f]));

        var html = frame.ToHtml();
        var text = frame.ToText();

        foreach (var shown in new[] { "36", "60.5", "0.6376", "0.3333", "&lt;2e-16", "0.0123", "0.1", "2.5" })
        {
            Assert.Contains(">" + shown + "</td>", html, StringComparison.Ordinal);
        }

        Assert.Contains("<2e-16", text, StringComparison.Ordinal);
        Assert.Contains("0.6376", text, StringComparison.Ordinal);
        Assert.DoesNotContain("0.63762", html + text, StringComparison.Ordinal);
        Assert.Equal(survival, (double)frame["survival"][0]!);
        Assert.Equal(0.0123456, (double)frame["p"][1]!);
    }
}
