namespace GistNotebooks.Reporting.Charts;

/// <summary>Tick positions on a time axis at a natural interval.</summary>
public static class TimeTicks
{
    /// <summary>
    /// A natural tick interval for an axis from 0 to <paramref name="maximum"/>: when the unit is months and the axis
    /// spans at least two years, whole years with at most 13 ticks (12 up to twelve years, 24 up to 24 years, then 60
    /// and 120), so a 19-year axis gets 24-month ticks; otherwise 1, 2 or 5 times a power of ten giving 4 to 10 ticks.
    /// </summary>
    public static double Interval(double maximum, string timeUnit)
    {
        if (!(maximum > 0) || !double.IsFinite(maximum))
        {
            return 1;
        }

        if (string.Equals(timeUnit, "months", StringComparison.OrdinalIgnoreCase) && maximum >= 24)
        {
            // Years in months; a long follow-up gets a tick every 2, 5 or 10 years so labels do not crowd.
            var years = maximum / 12;
            return years <= 12 ? 12 : years <= 24 ? 24 : years <= 60 ? 60 : 120;
        }

        var rough = maximum / 6;
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = rough / power;
        return (step < 1.5 ? 1 : step < 3.5 ? 2 : step < 7.5 ? 5 : 10) * power;
    }

    /// <summary>
    /// The interval of the times a result table reads survival at: one year (12) when the unit is months and the
    /// follow-up spans two to twenty years, 24 or 60 beyond, otherwise as <see cref="Interval"/>. Tables keep yearly
    /// rows longer than axes keep yearly ticks, because a row needs no room beside its neighbour.
    /// </summary>
    internal static double TableInterval(double maximum, string timeUnit)
    {
        if (maximum >= 24 && double.IsFinite(maximum) && string.Equals(timeUnit, "months", StringComparison.OrdinalIgnoreCase))
        {
            var years = maximum / 12;
            return years <= 20 ? 12 : years <= 40 ? 24 : 60;
        }

        return Interval(maximum, timeUnit);
    }

    /// <summary>0, interval, 2·interval, ... up to and including <paramref name="maximum"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The interval is not positive.</exception>
    public static IReadOnlyList<double> At(double maximum, double interval)
    {
        if (!(interval > 0) || !double.IsFinite(interval))
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "The tick interval must be positive.");
        }

        var ticks = new List<double>();
        // A tenth of a millionth of the interval absorbs rounding in k·interval.
        for (var k = 0; k * interval <= maximum + (interval * 1e-7); k++)
        {
            ticks.Add(k * interval);
        }

        return ticks;
    }
}
