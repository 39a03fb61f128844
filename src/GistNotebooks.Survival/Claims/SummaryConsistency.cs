using System.Collections.Immutable;
using System.Globalization;
using MathNet.Numerics.Distributions;

namespace GistNotebooks.Survival.Claims;

/// <summary>Whether printed figures can come from some data at all, and what they allow, judged from the figures alone.</summary>
/// <param name="Consistent">Whether some data give every printed figure.</param>
/// <param name="Reason">Why, in words and figures.</param>
public sealed record SummaryVerdict(bool Consistent, string Reason);

/// <summary>
/// Consistency checks of printed summaries from the abstract alone: GRIM (Brown and Heathers 2017) for a mean of
/// values recorded on a grid, GRIMMER (Anaya 2016; Allard 2018) for its standard deviation, the analogue for a median
/// with its range, and the agreement of a hazard ratio with its Wald interval and p-value.
/// </summary>
/// <remarks>
/// Values recorded to d decimals are whole numbers of units 10^−d. A mean of m such values is S/m units for a whole
/// sum S (GRIM). A sample standard deviation s of them fixes the sum of squares Q = (m − 1)s² + S²/m, which must be a
/// whole number with the parity of S, since x² and x have the same parity (GRIMMER). A median of m values is a value
/// (m odd) or the mean of two (m even), so it lies on the grid or the half-grid, between the minimum and the maximum.
/// </remarks>
public static class SummaryConsistency
{
    /// <summary>The whole sums S (in units of 10^−decimals) of <paramref name="count"/> values whose mean rounds to the printed one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is below 1 or the decimals are outside 0 to 6.</exception>
    public static ImmutableArray<long> MeanSums(ReportedValue mean, int count, int decimals)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(decimals, 6);
        var unit = Math.Pow(10, decimals);
        var from = (long)Math.Floor(mean.Lower * unit * count) - 1;
        var to = (long)Math.Ceiling(mean.Upper * unit * count) + 1;
        var sums = ImmutableArray.CreateBuilder<long>();
        for (var s = from; s <= to; s++)
        {
            if (mean.Admits(s / unit / count))
            {
                sums.Add(s);
            }
        }

        return sums.ToImmutable();
    }

    /// <summary>GRIM and GRIMMER: can <paramref name="count"/> values recorded to <paramref name="decimals"/> decimals have the printed mean (and standard deviation)?</summary>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="MeanSums"/>.</exception>
    public static SummaryVerdict MeanAndStandardDeviation(ReportedValue mean, ReportedValue? standardDeviation, int count, int decimals)
    {
        var sums = MeanSums(mean, count, decimals);
        var grid = GridText(decimals);
        if (sums.IsEmpty)
        {
            var unit = Math.Pow(10, decimals);
            var below = Math.Floor(mean.Value * unit * count) / unit / count;
            var above = Math.Ceiling(mean.Value * unit * count) / unit / count;
            return new SummaryVerdict(false, string.Create(CultureInfo.InvariantCulture,
                $"GRIM: no {count} values recorded to {grid} have a mean that rounds to {mean}; the nearest means are {below:0.####} and {above:0.####}"));
        }

        var means = string.Join(" or ", sums.Take(4).Select(s => (s / Math.Pow(10, decimals) / count).ToString("0.####", CultureInfo.InvariantCulture))) + (sums.Length > 4 ? ", …" : string.Empty);
        if (standardDeviation is not { } sd)
        {
            return new SummaryVerdict(true, string.Create(CultureInfo.InvariantCulture, $"GRIM: {count} values recorded to {grid} can have mean {means}, which rounds to {mean}"));
        }

        if (count < 2)
        {
            return new SummaryVerdict(false, "a standard deviation needs at least two values");
        }

        foreach (var s in sums)
        {
            if (SumOfSquares(s, sd, count, decimals) is long q)
            {
                var units = Math.Pow(10, decimals);
                var value = Math.Sqrt((q - ((double)s * s / count)) / (count - 1)) / units;
                return new SummaryVerdict(true, string.Create(CultureInfo.InvariantCulture,
                    $"GRIM and GRIMMER: {count} values recorded to {grid} can have mean {s / units / count:0.####} and standard deviation {value:0.####}, which round to {mean} ± {sd}"));
            }
        }

        return new SummaryVerdict(false, string.Create(CultureInfo.InvariantCulture,
            $"GRIMMER: no {count} values recorded to {grid} with a mean that rounds to {mean} have a standard deviation that rounds to {sd} (the sum of squares would not be a whole number of the sum's parity)"));
    }

    /// <summary>A whole sum of squares Q, of the parity of S, whose standard deviation rounds to the printed one; null when there is none.</summary>
    private static long? SumOfSquares(long sum, ReportedValue sd, int count, int decimals)
    {
        var unit = Math.Pow(10, decimals);
        var offset = (double)sum * sum / count;
        var low = (long)Math.Floor(((count - 1) * Math.Pow(Math.Max(0, sd.Lower) * unit, 2)) + offset) - 2;
        var high = (long)Math.Ceiling(((count - 1) * Math.Pow(sd.Upper * unit, 2)) + offset) + 2;
        for (var q = Math.Max(low, 0); q <= high; q++)
        {
            if (((q - sum) & 1) != 0)
            {
                continue;
            }

            var variance = (q - offset) / (count - 1);
            if (variance >= -1e-9 && sd.Admits(Math.Sqrt(Math.Max(0, variance)) / unit))
            {
                return q;
            }
        }

        return null;
    }

    /// <summary>Can <paramref name="count"/> values recorded to <paramref name="decimals"/> decimals have the printed median, and minimum and maximum when given?</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is below 1.</exception>
    public static SummaryVerdict MedianAndRange(ReportedValue median, ReportedValue? minimum, ReportedValue? maximum, int count, int decimals)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var grid = GridText(decimals);
        var unit = Math.Pow(10, decimals);
        var sums = Admitted(median, 2 * unit);
        if (count % 2 == 1)
        {
            // The median of an odd number of values is one of them: its doubled value is even.
            sums = [.. sums.Where(k => k % 2 == 0)];
        }

        if (sums.IsEmpty)
        {
            return new SummaryVerdict(false, string.Create(CultureInfo.InvariantCulture,
                $"no median of {count} values recorded to {grid} rounds to {median}{(count % 2 == 1 ? " (with an odd count the median is one of the values)" : string.Empty)}"));
        }

        if (minimum is not { } low || maximum is not { } high)
        {
            return new SummaryVerdict(true, string.Create(CultureInfo.InvariantCulture, $"{count} values recorded to {grid} can have a median that rounds to {median}"));
        }

        var lows = Admitted(low, unit);
        var highs = Admitted(high, unit);
        if (lows.IsEmpty || highs.IsEmpty)
        {
            return new SummaryVerdict(false, $"no value recorded to {grid} rounds to the printed {(lows.IsEmpty ? "minimum" : "maximum")}");
        }

        bool ok = count switch
        {
            1 => lows.Intersect(highs).Any(v => sums.Contains(2 * v)),
            2 => lows.Any(a => highs.Any(b => a <= b && sums.Contains(a + b))),
            _ => sums.Any(k => k >= 2 * lows[0] && k <= 2 * highs[^1]) && lows[0] <= highs[^1],
        };
        return ok
            ? new SummaryVerdict(true, string.Create(CultureInfo.InvariantCulture, $"{count} values recorded to {grid} can have median {median} with minimum {low} and maximum {high}"))
            : new SummaryVerdict(false, string.Create(CultureInfo.InvariantCulture, $"no {count} values recorded to {grid} have median {median}, minimum {low} and maximum {high}"));
    }

    /// <summary>
    /// Whether a printed hazard ratio, its interval and its p-value can come from one Wald fit: some β with exp(β)
    /// rounding to the ratio and some standard error s with exp(β ∓ z·s) rounding to the ends and 2Φ(−|β|/s) agreeing
    /// with the printed p. β is scanned on a fine grid across the ratio's interval; for each β the admitted s form an
    /// interval, over which p is monotone.
    /// </summary>
    /// <returns>The verdict; null when only the ratio is printed (nothing to check it against).</returns>
    public static SummaryVerdict? HazardRatio(ReportedValue ratio, ReportedInterval? interval, ReportedP? p)
    {
        if (interval is null)
        {
            return null;
        }

        var z = Normal.InvCDF(0, 1, (1 + interval.Level) / 2);
        static double Log(double x) => Math.Log(Math.Max(x, 1e-12));
        var (betaLow, betaHigh) = (Log(ratio.Lower), Log(ratio.Upper));
        var (pLow, pHigh) = p?.Range ?? (0, 2);
        var foundInterval = false;
        const int Steps = 4000;
        for (var k = 0; k <= Steps; k++)
        {
            var beta = betaLow + ((betaHigh - betaLow) * k / Steps);
            if (!ratio.Admits(Math.Exp(beta)))
            {
                continue;
            }

            var seLow = Math.Max((beta - Log(interval.Lower.Upper)) / z, (Log(interval.Upper.Lower) - beta) / z);
            var seHigh = Math.Min((beta - Log(interval.Lower.Lower)) / z, (Log(interval.Upper.Upper) - beta) / z);
            if (!(seHigh >= seLow) || seHigh <= 0)
            {
                continue;
            }

            foundInterval = true;
            if (p is null)
            {
                break;
            }

            seLow = Math.Max(seLow, 1e-12);
            var pAtLow = 2 * Normal.CDF(0, 1, -Math.Abs(beta) / seLow);
            var pAtHigh = 2 * Normal.CDF(0, 1, -Math.Abs(beta) / seHigh);
            if (Math.Max(pAtLow, pAtHigh) >= pLow && Math.Min(pAtLow, pAtHigh) < pHigh)
            {
                return new SummaryVerdict(true, string.Create(CultureInfo.InvariantCulture,
                    $"a Wald fit with log hazard ratio {beta:0.####} gives HR {ratio}, its {interval.Level * 100:0}% interval and {p}"));
            }
        }

        if (!foundInterval)
        {
            return new SummaryVerdict(false, string.Create(CultureInfo.InvariantCulture,
                $"HR {ratio} is not the geometric centre of {interval.Text(string.Empty)} at the printed precision, as a Wald interval must be"));
        }

        return p is null
            ? new SummaryVerdict(true, string.Create(CultureInfo.InvariantCulture, $"HR {ratio} is the geometric centre of a Wald interval {interval.Text(string.Empty)}"))
            : new SummaryVerdict(false, $"the Wald test of HR {ratio} with interval {interval.Text(string.Empty)} cannot give {p}");
    }

    private static ImmutableArray<long> Admitted(ReportedValue value, double scale)
    {
        var from = (long)Math.Floor(value.Lower * scale) - 1;
        var to = (long)Math.Ceiling(value.Upper * scale) + 1;
        return [.. Enumerable.Range(0, (int)(to - from + 1)).Select(i => from + i).Where(k => value.Admits(k / scale))];
    }

    private static string GridText(int decimals) => decimals == 0 ? "whole units" : string.Create(CultureInfo.InvariantCulture, $"{decimals} decimal{(decimals > 1 ? "s" : string.Empty)}");
}
