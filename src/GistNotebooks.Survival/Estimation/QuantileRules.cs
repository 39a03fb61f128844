namespace GistNotebooks.Survival.Estimation;

/// <summary>
/// The two rules R's survival package uses to read a time off a step curve: <c>findq</c> (used by
/// <c>quantile.survfit</c>) and <c>minmin</c> (used for the median printed by <c>print.survfit</c> and
/// <c>summary(fit)$table</c>). Both return the midpoint of a flat stretch that lies exactly (within
/// √ε) on the requested level. NaN stands for "not reached".
/// </summary>
internal static class QuantileRules
{
    /// <summary>R's default tolerance, √(double epsilon) = 2^-26.</summary>
    public const double Tolerance = 1.4901161193847656e-08;

    /// <summary>
    /// <c>findq(c(firstx, time), c(0, 1 − curve), p, tol)</c>: where the horizontal line at 1 − p meets the curve.
    /// <paramref name="curve"/> may hold NaN (an undefined limit) and need not be monotone (limit curves are not).
    /// </summary>
    public static double[] FindQuantiles(double firstTime, double[] times, double[] curve, IReadOnlyList<double> probabilities)
    {
        var count = probabilities.Count;
        var result = new double[count];
        var n0 = times.Length + 1;
        double X0(int i) => i == 0 ? firstTime : times[i - 1];
        double Y0(int i) => i == 0 ? 0.0 : 1.0 - curve[i - 1];

        var maxY = double.NegativeInfinity;
        for (var i = 0; i < n0; i++)
        {
            var y = Y0(i);
            if (!double.IsNaN(y) && y > maxY)
            {
                maxY = y;
            }
        }

        var minP = double.PositiveInfinity;
        foreach (var p in probabilities)
        {
            minP = Math.Min(minP, p);
        }

        if (maxY < minP)
        {
            Array.Fill(result, double.NaN);
            return result;
        }

        // Drop repeated values of 1 − curve (the censored times, but also any later repeat), keeping the first.
        var xmax = X0(n0 - 1);
        var seen = new HashSet<double>();
        var xs = new List<double>(n0);
        var ys = new List<double>(n0);
        for (var i = 0; i < n0; i++)
        {
            var y = Y0(i);
            if (seen.Add(double.IsNaN(y) ? double.NaN : y))
            {
                xs.Add(X0(i));
                ys.Add(y);
            }
        }

        var n = ys.Count;
        var plus = StepLookup.Create(ys, Tolerance);
        var minus = StepLookup.Create(ys, -Tolerance);
        var last = ys[n - 1];
        double At(double index) => double.IsNaN(index) ? double.NaN : xs[(int)index - 1];

        for (var q = 0; q < count; q++)
        {
            var p = probabilities[q];
            var index1 = plus.Find(p);
            var index2 = minus.Find(p);
            var value = (At(index1) + At(index2)) / 2;
            if (p == 0)
            {
                value = xs[0];
            }

            if (!double.IsNaN(last) && Math.Abs(p - last) < Tolerance)
            {
                value = (At(index1) + xmax) / 2;
            }

            result[q] = value;
        }

        return result;
    }

    /// <summary>
    /// <c>minmin(y, x)</c> of survival's <c>survmean</c>: the first time the curve is below 1/2 (+ tolerance);
    /// if that value is 1/2 within tolerance and the curve later drops below it, the midpoint of the two times.
    /// </summary>
    public static double FirstBelowHalf(ReadOnlySpan<double> times, ReadOnlySpan<double> curve)
    {
        var first = -1;
        for (var i = 0; i < curve.Length; i++)
        {
            if (!double.IsNaN(curve[i]) && curve[i] < 0.5 + Tolerance)
            {
                first = i;
                break;
            }
        }

        if (first < 0)
        {
            return double.NaN;
        }

        if (Math.Abs(curve[first] - 0.5) < Tolerance)
        {
            for (var i = first + 1; i < curve.Length; i++)
            {
                if (curve[i] < curve[first])
                {
                    return (times[first] + times[i]) / 2;
                }
            }
        }

        return times[first];
    }

    /// <summary>
    /// R's <c>approx(y + shift, 1:n, p, method = "constant", f = 1)</c>: the index of the smallest shifted value
    /// at or above p, after sorting and averaging the indices of tied values; NaN outside the range.
    /// </summary>
    private sealed class StepLookup
    {
        private readonly double[] values;
        private readonly double[] indices;

        private StepLookup(double[] values, double[] indices)
        {
            this.values = values;
            this.indices = indices;
        }

        public static StepLookup Create(List<double> ys, double shift)
        {
            var shifted = new double[ys.Count];
            var order = new int[ys.Count];
            var count = 0;
            for (var i = 0; i < ys.Count; i++)
            {
                if (!double.IsNaN(ys[i]))
                {
                    shifted[count] = ys[i] + shift;
                    order[count++] = i + 1;
                }
            }

            // Tied values share the mean of their indices, a sum that does not depend on their order: an unstable sort will do.
            Array.Sort(shifted, order, 0, count);
            var values = new List<double>(count);
            var indices = new List<double>(count);
            for (var i = 0; i < count;)
            {
                var j = i;
                var sum = 0.0;
                while (j < count && shifted[j] == shifted[i])
                {
                    sum += order[j];
                    j++;
                }

                values.Add(shifted[i]);
                indices.Add(sum / (j - i));
                i = j;
            }

            return new StepLookup([.. values], [.. indices]);
        }

        public double Find(double p)
        {
            if (values.Length == 0 || double.IsNaN(p) || p < values[0] || p > values[^1])
            {
                return double.NaN;
            }

            var position = Array.BinarySearch(values, p);
            return indices[position >= 0 ? position : ~position];
        }
    }
}
