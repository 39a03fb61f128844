using System.Globalization;
using CsCheck;
using GistNotebooks.Survival.Data;
using GistNotebooks.Testing;

namespace GistNotebooks.Survival.Tests.Data;

public class NumberTextTests
{
    /// <summary>Decimals with up to 15 significant digits and up to 22 decimals, written with and without padding zeros.</summary>
    private static readonly Gen<string> PlainDecimals = Gen.Select(Gen.Long[-999_999_999_999_999, 999_999_999_999_999], Gen.Int[0, 22], Gen.Int[0, 2], Gen.Bool)
        .Select((mantissa, scale, padding, plus) =>
        {
            var digits = Math.Abs(mantissa).ToString(CultureInfo.InvariantCulture);
            if (scale > 0)
            {
                digits = digits.PadLeft(scale + 1, '0');
                digits = digits[..^scale] + "." + digits[^scale..];
            }

            // A trailing zero counts as a significant digit and a decimal: add one only where the fast path still applies.
            var room = Math.Abs(mantissa).ToString(CultureInfo.InvariantCulture).Length < 15 && scale < 22;
            digits = new string('0', padding == 2 ? 1 : 0) + digits + (padding == 1 && scale > 0 && room ? "0" : string.Empty);
            return (mantissa < 0 ? "-" : plus ? "+" : string.Empty) + digits;
        });

    [Fact]
    public void Plain_decimals_parse_to_the_same_double_as_double_Parse()
        => PlainDecimals.SampleFixed(
            text => NumberText.TryParsePlainDecimal(text, out var fast, out _) && fast.Equals(double.Parse(text, CultureInfo.InvariantCulture)),
            seed: "0N0XIzNsQ0O2");

    [Fact]
    public void A_decimal_called_canonical_prints_back_as_written_and_one_that_prints_back_is_called_canonical()
        => PlainDecimals.SampleFixed(
            text =>
            {
                Assert.True(NumberText.TryParsePlainDecimal(text, out var value, out var canonical));
                Assert.Equal(NumberText.Format(value) == text, canonical);
            },
            seed: "0N0XIzNsQ0O2",
            iter: 20_000);

    [Theory]
    [InlineData("12.5", true)]
    [InlineData("-0", true)]
    [InlineData("0", true)]
    [InlineData("0.0001", true)]
    [InlineData("0.00001", false)]
    [InlineData("3.0", false)]
    [InlineData("3.", false)]
    [InlineData(".5", false)]
    [InlineData("+2", false)]
    [InlineData("007", false)]
    [InlineData("-0.0", false)]
    [InlineData("999999999999999", true)]
    public void Canonical_means_the_round_trip_form(string text, bool canonical)
    {
        Assert.True(NumberText.TryParsePlainDecimal(text, out var value, out var isCanonical));
        Assert.Equal(canonical, isCanonical);
        Assert.Equal(canonical, NumberText.Format(value) == text);
    }

    [Theory]
    [InlineData("1e5")]
    [InlineData("1234567890123456")]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData("")]
    [InlineData("1.2.3")]
    [InlineData("Inf")]
    [InlineData("1,5")]
    [InlineData("1234567890.123456")]
    [InlineData("12345678901234567890123")]
    [InlineData("1.5x")]
    [InlineData("-.")]
    public void Other_forms_are_left_to_the_general_parser(string text)
        => Assert.False(NumberText.TryParsePlainDecimal(text, out _, out _));

    /// <summary>Leading zeros are not significant digits, however many: the fast path still reads these exactly.</summary>
    [Theory]
    [InlineData("00000000000000000000001", 1.0)]
    [InlineData("0.000000000000000000001", 1e-21)]
    [InlineData("-.5", -0.5)]
    [InlineData("00012345678901234.5", 12345678901234.5)]
    public void Leading_zeros_do_not_count_as_significant_digits(string text, double expected)
    {
        Assert.True(NumberText.TryParsePlainDecimal(text, out var value, out var canonical));
        Assert.Equal(expected, value);
        Assert.False(canonical);
    }

    [Theory]
    [InlineData("1e5", false, 1e5)]
    [InlineData("-Inf", false, double.NegativeInfinity)]
    [InlineData("Inf", false, double.PositiveInfinity)]
    [InlineData("1,5", true, 1.5)]
    [InlineData("12345678901234567", false, 12345678901234567.0)]
    public void The_general_parser_reads_exponents_infinities_and_decimal_commas(string text, bool decimalComma, double expected)
    {
        Assert.True(NumberText.TryParse(text, decimalComma, out var value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void A_decimal_comma_is_read_only_when_allowed()
        => Assert.False(NumberText.TryParse("1,5", decimalComma: false, out _));

    [Fact]
    public void A_file_without_quotes_reads_as_the_same_file_with_quoted_labels()
    {
        var plain = ColumnTable.ParseCsv("time,event,site\n1.5,1,a\n2,0, b \r\n\n3e1,NA,a\r", "p.csv");
        var quoted = ColumnTable.ParseCsv("time,event,site\n1.5,1,\"a\"\n2,0, b \r\n\n3e1,NA,\"a\"\r", "q.csv");
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
        var table = ColumnTable.ParseCsv("time,x\n1,-99\n2,3\n", "m.csv", new CsvReadOptions { MissingValues = ["-99"] });
        var x = table.GetNumbersOrMissing("x");
        Assert.True(double.IsNaN(x[0]));
        Assert.True(table.IsMissing("x", 0));
        Assert.Equal(3, x[1]);
    }
}
