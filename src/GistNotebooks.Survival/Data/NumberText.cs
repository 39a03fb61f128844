using System.Globalization;

namespace GistNotebooks.Survival.Data;

/// <summary>
/// How the text of a cell becomes a number, and how a number becomes text again: the rules every table shares,
/// whether its cells came from a file, from memory or from a reconstruction.
/// </summary>
internal static class NumberText
{
    /// <summary>Powers of ten that a double holds exactly (the fast path of decimal parsing).</summary>
    private static readonly double[] ExactPowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>
    /// Parses a plain decimal such as <c>-12.345</c> exactly: with at most 15 significant digits the digits form an
    /// integer m ≤ 2⁵³ and the value is m / 10^k, one correctly rounded division of two exact doubles (Clinger 1990),
    /// so the result is the double <see cref="double.Parse(string)"/> gives. Anything else returns false.
    /// </summary>
    /// <param name="text">The trimmed cell.</param>
    /// <param name="value">The number.</param>
    /// <param name="canonical">
    /// Whether <see cref="Format"/> gives the text back unchanged: no sign other than a leading minus, no leading zero
    /// except a lone one before the point, no trailing zero after the point, a digit before the point, and no more than
    /// three zeros straight after <c>0.</c> (smaller numbers are written with an exponent). With at most 15 significant
    /// digits the shortest text that reads back as the same double is these digits themselves.
    /// </param>
    public static bool TryParsePlainDecimal(ReadOnlySpan<char> text, out double value, out bool canonical)
    {
        value = 0;
        canonical = false;
        var length = text.Length;
        var i = 0;
        var negative = false;
        if (length > 0 && (text[0] == '-' || text[0] == '+'))
        {
            negative = text[0] == '-';
            i = 1;
        }

        // The digits before the point, then after it: one test a character. The mantissa can overflow only past 19
        // significant digits, which the count below refuses.
        var start = i;
        ulong mantissa = 0;
        uint digit;
        while (i < length && (digit = (uint)(text[i] - '0')) <= 9)
        {
            mantissa = (mantissa * 10) + digit;
            i++;
        }

        var integerLength = i - start;
        var point = -1;
        var scale = 0;
        if (i < length)
        {
            if (text[i] != '.')
            {
                return false;
            }

            point = i++;
            while (i < length && (digit = (uint)(text[i] - '0')) <= 9)
            {
                mantissa = (mantissa * 10) + digit;
                i++;
            }

            if (i < length)
            {
                return false;
            }

            scale = i - point - 1;
        }

        var digits = integerLength + scale;
        if (digits == 0 || scale >= ExactPowersOfTen.Length || (digits > 15 && SignificantDigits(text[start..]) > 15))
        {
            return false;
        }

        value = mantissa / ExactPowersOfTen[scale];
        if (negative)
        {
            value = -value;
        }

        var loneZero = integerLength == 1 && text[start] == '0';
        canonical = text[0] != '+'
            && integerLength > 0
            && (integerLength == 1 || text[start] != '0')
            && (point < 0 || (scale > 0 && text[^1] != '0'))
            && !(loneZero && scale >= 4 && text.Slice(point + 1, 4) is "0000");
        return true;
    }

    /// <summary>The digits of a plain decimal (digits and at most one point) after its leading zeros.</summary>
    private static int SignificantDigits(ReadOnlySpan<char> number)
    {
        var digits = 0;
        var leading = true;
        foreach (var c in number)
        {
            if (c == '.' || (leading && c == '0'))
            {
                continue;
            }

            leading = false;
            digits++;
        }

        return digits;
    }

    /// <summary>
    /// Parses a number with the invariant culture (and a decimal comma when <paramref name="decimalComma"/> is set);
    /// R's <c>Inf</c> and <c>-Inf</c> are infinities.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, bool decimalComma, out double value)
    {
        if (TryParsePlainDecimal(text, out value, out _))
        {
            return true;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        // R writes infinities as Inf and -Inf; reading them as numbers lets the caller say that a finite value was expected.
        if (text is "Inf" or "+Inf" or "-Inf")
        {
            value = text[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        if (decimalComma && text.Contains(','))
        {
            Span<char> copy = text.Length <= 128 ? stackalloc char[text.Length] : new char[text.Length];
            text.CopyTo(copy);
            copy.Replace(',', '.');
            return double.TryParse(copy, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }

        return false;
    }

    /// <summary>Parses a number by a table's rules: as <see cref="TryParse(ReadOnlySpan{char}, bool, out double)"/>, or, when a point groups thousands, with the points removed from a correctly grouped integer part (<c>1.234.567,8</c>).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, CellRules rules, out double value)
    {
        if (!rules.PointGroupsThousands || !text.Contains('.'))
        {
            return TryParse(text, rules.DecimalComma, out value);
        }

        value = 0;
        var start = text.Length > 0 && (text[0] == '-' || text[0] == '+') ? 1 : 0;
        var comma = text.IndexOf(',');
        var integer = text[start..(comma < 0 ? text.Length : comma)];

        // Groups of three digits after the first group of one to three: 1.234 and 12.345.678, never 1.23 or 1234.567.
        var groups = integer.ToString().Split('.');
        if (groups[0].Length is < 1 or > 3 || groups.Skip(1).Any(g => g.Length != 3) || !groups.All(g => g.All(char.IsAsciiDigit)))
        {
            return false;
        }

        if (comma >= 0 && (comma + 1 == text.Length || text[(comma + 1)..].ContainsAny('.', ',')))
        {
            return false;
        }

        var plain = text[..start].ToString() + string.Concat(groups) + (comma < 0 ? string.Empty : "." + text[(comma + 1)..].ToString());
        return double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Whether <paramref name="text"/> is exactly what <see cref="Format"/> writes for <paramref name="value"/>.</summary>
    public static bool IsRoundTripText(ReadOnlySpan<char> text, double value)
    {
        Span<char> buffer = stackalloc char[32];
        return value.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture) && buffer[..written].SequenceEqual(text);
    }

    /// <summary>The shortest invariant text that reads back as the same double (.NET's round-trip format).</summary>
    public static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A hint for a value that is not a number by a table's rules but would be one by the other convention.</summary>
    public static string DecimalCommaHint(ReadOnlySpan<char> value, CellRules rules)
    {
        if (rules.PointGroupsThousands && value.Contains('.') && TryParse(value, decimalComma: false, out _))
        {
            return "; the file is read with a decimal comma, where a point only groups thousands (1.234,5), so write a decimal comma ("
                + value.ToString().Replace('.', ',') + ")";
        }

        if (rules.DecimalPointDeclared && value.Contains(',') && TryParse(value, decimalComma: true, out _))
        {
            return "; the file is read with a decimal point (--decimal point), so write " + value.ToString().Replace(',', '.');
        }

        return DecimalCommaHint(value, rules.DecimalComma);
    }

    /// <summary>A hint for a value that would be a number with a decimal comma, in a table that does not read decimal commas.</summary>
    public static string DecimalCommaHint(ReadOnlySpan<char> value, bool decimalComma)
    {
        if (decimalComma || !value.Contains(','))
        {
            return string.Empty;
        }

        var withPoint = value.ToString().Replace(',', '.');
        return double.TryParse(withPoint, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? "; a decimal comma is read only in files separated by semicolons or tabs, so write a decimal point (" + withPoint + ")"
            : string.Empty;
    }
}
