using System.Globalization;

namespace GistNotebooks.Survival.Inference;

/// <summary>
/// The one way the kit writes a p-value as text: in claim checks, notebook tables, the HTML report and the command
/// line. It is R's <c>format.pval(p, digits = 3)</c> for a single value: three significant digits, in fixed notation
/// unless scientific notation is narrower ("0.928", "0.05", "0.000123", but "1e-04" and "1.83e-11"), and "&lt;2e-16"
/// below R's machine epsilon <c>.Machine$double.eps</c> = 2.2e-16.
/// </summary>
public static class PValueFormat
{
    // R's .Machine$double.eps (2^-52): below it format.pval prints "<2e-16".
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>The p-value as text; "NA" for null or NaN.</summary>
    /// <param name="p">The p-value.</param>
    public static string Format(double? p)
    {
        if (p is not double v || double.IsNaN(v))
        {
            return "NA";
        }

        if (double.IsPositiveInfinity(v))
        {
            return "Inf";
        }

        if (v < MachineEpsilon)
        {
            // The upper tail is exact far below this, but no test's assumptions hold to that many digits.
            return "<2e-16";
        }

        var scientific = v.ToString("0.##e-00", CultureInfo.InvariantCulture);
        var decimals = Math.Max(0, 2 - (int)Math.Floor(Math.Log10(v)));
        if (decimals > 15)
        {
            return scientific;
        }

        // R keeps fixed notation unless it is wider than scientific (its default scipen = 0).
        var rounded = Math.Round(v, decimals);
        var fixedText = decimals == 0 ? rounded.ToString("0", CultureInfo.InvariantCulture) : rounded.ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture);
        return fixedText.Length <= scientific.Length ? fixedText : scientific;
    }
}
