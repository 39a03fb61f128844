using System.Globalization;

namespace GistNotebooks.Survival.Claims;

/// <summary>
/// A figure as a paper printed it: the value and the number of decimals it was given to. 63.7 with one
/// decimal stands for every value in [63.65, 63.75); 94 with none stands for [93.5, 94.5).
/// </summary>
/// <param name="Value">The printed value.</param>
/// <param name="Decimals">How many decimals were printed.</param>
public readonly record struct ReportedValue(double Value, int Decimals)
{
    /// <summary>Half the last printed digit: the distance from the value to either end of its interval.</summary>
    public double HalfUnit => 0.5 * Math.Pow(10, -Decimals);

    /// <summary>The lower end of the interval the printed value stands for (included).</summary>
    public double Lower => Value - HalfUnit;

    /// <summary>The upper end of the interval (excluded).</summary>
    public double Upper => Value + HalfUnit;

    /// <summary>
    /// Whether a computed value rounds to the printed one: Lower ≤ x &lt; Upper, with a relative slack of
    /// 1e-12 so that a value computed exactly at an end (such as 17.0 for "17") is not lost to rounding error.
    /// </summary>
    public bool Admits(double x)
    {
        if (!double.IsFinite(x))
        {
            return false;
        }

        var slack = 1e-12 * Math.Max(1.0, Math.Abs(Value));
        return x >= Lower - slack && x < Upper - slack;
    }

    /// <summary>The value printed with its decimals, invariant culture.</summary>
    public override string ToString() => Value.ToString("F" + Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
