using System.Globalization;
using CsCheck;
using GistNotebooks.Survival.Inference;
using GistNotebooks.Testing;

namespace GistNotebooks.Survival.Tests.Inference;

public sealed class PValueFormatTests
{
    // R 4.x: for (x in v) cat(format.pval(x, digits = 3), "\n")
    [Theory]
    [InlineData(0.9282, "0.928")]
    [InlineData(1.0, "1")]
    [InlineData(0.99999, "1")]
    [InlineData(0.5, "0.5")]
    [InlineData(0.05, "0.05")]
    [InlineData(0.04999, "0.05")]
    [InlineData(0.0495, "0.0495")]
    [InlineData(0.0711, "0.0711")]
    [InlineData(0.099951, "0.1")]
    [InlineData(0.3910236, "0.391")]
    [InlineData(0.00999, "0.00999")]
    [InlineData(0.00155, "0.00155")]
    [InlineData(0.0016003, "0.0016")]
    [InlineData(0.000999949, "0.001")]
    [InlineData(0.0009, "9e-04")]
    [InlineData(0.000123456, "0.000123")]
    [InlineData(0.00015, "0.00015")]
    [InlineData(0.00012, "0.00012")]
    [InlineData(0.0002, "2e-04")]
    [InlineData(0.0001, "1e-04")]
    [InlineData(9.996e-5, "1e-04")]
    [InlineData(1.5e-5, "1.5e-05")]
    [InlineData(3.45678e-7, "3.46e-07")]
    [InlineData(1.78e-11, "1.78e-11")]
    [InlineData(2.3e-16, "2.3e-16")]
    [InlineData(1e-20, "<2e-16")]
    [InlineData(0.0, "<2e-16")]
    public void A_p_value_is_written_as_format_pval_with_three_digits_MatchesRSurvival(double p, string expected) =>
        Assert.Equal(expected, PValueFormat.Format(p));

    [Fact]
    public void A_missing_p_value_is_NA() => Assert.Equal(["NA", "NA"], [PValueFormat.Format(null), PValueFormat.Format(double.NaN)]);

    [Fact]
    public void The_text_reads_back_within_half_a_unit_of_the_third_significant_digit_and_never_needs_more_than_eight_characters()
    {
        Gen.Double[-20, 0].Select(e => Math.Pow(10, e)).SampleFixed(p =>
        {
            var text = PValueFormat.Format(p);
            Assert.True(text.Length <= 8, text);
            if (p < 2.220446049250313e-16)
            {
                Assert.Equal("<2e-16", text);
                return;
            }

            var back = double.Parse(text, CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(back - p) <= 0.5000001 * Math.Pow(10, Math.Floor(Math.Log10(p)) - 2), $"{p:R} → {text}");
        }, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void The_text_does_not_depend_on_the_current_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal(["0.0495", "1.78e-11"], [PValueFormat.Format(0.0495), PValueFormat.Format(1.78e-11)]);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
