using System.Globalization;

namespace GistNotebooks.Reporting.Charts;

/// <summary>
/// The colours and fonts every chart of the kit shares: the Okabe–Ito palette, which readers with the common forms
/// of colour blindness can tell apart (Okabe &amp; Ito 2008, "Color Universal Design"), and one sans-serif font.
/// </summary>
public static class ChartStyle
{
    /// <summary>
    /// The group colours in order: blue, vermillion, bluish green, reddish purple, orange, sky blue, black, yellow
    /// (Okabe–Ito; yellow last because thin yellow lines are hard to see on white).
    /// </summary>
    public static IReadOnlyList<string> Palette { get; } =
        ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];

    /// <summary>The font family of every text in a chart.</summary>
    public const string FontFamily = "Arial, Helvetica, sans-serif";

    /// <summary>The base font size in pixels; titles are 4 px larger, annotations 1 px smaller.</summary>
    public const int FontSize = 14;

    /// <summary>The colour of text, axis lines and reference lines.</summary>
    public const string TextColor = "#222222";

    /// <summary>The colour of light grid lines.</summary>
    public const string GridColor = "#E5E5E5";

    /// <summary>The colour of group <paramref name="index"/> (0-based), cycling through <see cref="Palette"/>.</summary>
    public static string Color(int index) => Palette[((index % Palette.Count) + Palette.Count) % Palette.Count];

    /// <summary>A colour of the palette with an opacity, as a CSS <c>rgba()</c> string, for shaded bands.</summary>
    /// <exception cref="ArgumentException">The colour is not of the form #RRGGBB.</exception>
    public static string Transparent(string hexColor, double opacity)
    {
        ArgumentNullException.ThrowIfNull(hexColor);
        if (hexColor.Length != 7 || hexColor[0] != '#')
        {
            throw new ArgumentException("Expected a colour of the form #RRGGBB.", nameof(hexColor));
        }

        var red = int.Parse(hexColor.AsSpan(1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var green = int.Parse(hexColor.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var blue = int.Parse(hexColor.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"rgba({red},{green},{blue},{opacity})");
    }
}
