using System.Globalization;
using System.Text;
using CsCheck;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Tests.Data;

public class CsvFastPathTests
{
    [Fact]
    public void Plain_decimals_parse_to_the_same_double_as_double_Parse()
    {
        // Fixed seed; decimals with up to 15 significant digits and up to 22 decimals take the fast path.
        Gen.Select(Gen.Long[-999_999_999_999_999, 999_999_999_999_999], Gen.Int[0, 22])
            .Sample((mantissa, scale) =>
            {
                var text = mantissa.ToString(CultureInfo.InvariantCulture);
                var digits = text.TrimStart('-');
                if (scale > 0)
                {
                    digits = digits.PadLeft(scale + 1, '0');
                    digits = digits[..^scale] + "." + digits[^scale..];
                }

                text = (mantissa < 0 ? "-" : string.Empty) + digits;
                return CsvTable.TryParsePlainDecimal(Encoding.UTF8.GetBytes(text), out var fast)
                    && fast.Equals(double.Parse(text, CultureInfo.InvariantCulture));
            }, seed: "0N0XIzNsQ0O2");
    }

    [Theory]
    [InlineData("1e5")]
    [InlineData("1234567890123456")]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData("1.2.3")]
    [InlineData("Inf")]
    public void Other_forms_are_left_to_the_general_parser(string text)
        => Assert.False(CsvTable.TryParsePlainDecimal(Encoding.UTF8.GetBytes(text), out _));

    [Fact]
    public void A_file_without_quotes_reads_as_the_same_file_with_quoted_labels()
    {
        var plain = CsvTable.Parse("time,event,site\n1.5,1,a\n2,0, b \r\n\n3e1,NA,a\r", "p.csv");
        var quoted = CsvTable.Parse("time,event,site\n1.5,1,\"a\"\n2,0, b \r\n\n3e1,NA,\"a\"\r", "q.csv");
        Assert.Equal(quoted.GetNumbers("time"), plain.GetNumbers("time"));
        Assert.Equal([1.5, 2, 30], plain.GetNumbers("time"));
        Assert.Equal(quoted.GetText("site"), plain.GetText("site"));
        Assert.Equal(new string?[] { "a", "b", "a" }, plain.GetText("site"));
        Assert.Equal(quoted.GetNumbersOrMissing("event"), plain.GetNumbersOrMissing("event"));
        Assert.True(plain.IsMissing("event", 2));
    }

    [Fact]
    public void A_missing_value_marker_that_looks_like_a_number_is_still_missing()
    {
        var table = CsvTable.Parse("time,x\n1,-99\n2,3\n", "m.csv", new CsvReadOptions { MissingValues = ["-99"] });
        var x = table.GetNumbersOrMissing("x");
        Assert.True(double.IsNaN(x[0]));
        Assert.Equal(3, x[1]);
    }
}
