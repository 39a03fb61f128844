using System.Runtime.CompilerServices;
namespace GistNotebooks.Survival.Estimation;

/// <summary>
/// The per-time arrays of a product-limit fit, computed in two linear passes over subjects sorted by time
/// (the same sums, in the same order, as survival's C routine <c>survfitkm</c>).
/// </summary>
internal sealed class CurveArrays
{
    private CurveArrays(int count)
    {
        Time = new double[count];
        AtRisk = new double[count];
        Events = new double[count];
        Censored = new double[count];
        Survival = new double[count];
        GreenwoodSum = new double[count];
        CumulativeHazard = new double[count];
        HazardVarianceSum = new double[count];
    }

    public double[] Time { get; }

    public double[] AtRisk { get; }

    public double[] Events { get; }

    public double[] Censored { get; }

    public double[] Survival { get; }

    /// <summary>Σ d/(n(n − d)); +∞ once a step reaches 0.</summary>
    public double[] GreenwoodSum { get; }

    public double[] CumulativeHazard { get; }

    /// <summary>Σ d/n², the variance of the Nelson–Aalen estimate (R's <c>std.chaz</c> squared).</summary>
    public double[] HazardVarianceSum { get; }

    public int Count => Time.Length;

    /// <summary>
    /// Computes the curve from the rows <paramref name="sorted"/> (indices into the data, in increasing time).
    /// When <paramref name="reverse"/> is true, censorings are treated as events and events as censorings.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static CurveArrays Compute(double[] time, bool[] status, double[]? weight, ReadOnlySpan<int> sorted, bool reverse)
    {
        var m = sorted.Length;
        var distinct = 0;
        for (var i = 0; i < m; i++)
        {
            if (i == 0 || time[sorted[i]] != time[sorted[i - 1]])
            {
                distinct++;
            }
        }

        var curve = new CurveArrays(distinct);
        var eventCounts = new int[distinct];

        // Backward pass: the weighted number at risk accumulates from the largest time down, as survfitkm does.
        var k = distinct;
        var atRisk = 0.0;
        for (var i = m - 1; i >= 0;)
        {
            var t = time[sorted[i]];
            k--;
            var events = 0.0;
            var censored = 0.0;
            var count = 0;
            for (; i >= 0 && time[sorted[i]] == t; i--)
            {
                var row = sorted[i];
                var w = weight is null ? 1.0 : weight[row];
                atRisk += w;
                if (status[row] != reverse)
                {
                    events += w;
                    count++;
                }
                else
                {
                    censored += w;
                }
            }

            curve.Time[k] = t;
            curve.AtRisk[k] = atRisk;
            curve.Events[k] = events;
            curve.Censored[k] = censored;
            eventCounts[k] = count;
        }

        // Forward pass: product-limit, Greenwood and Nelson–Aalen sums; a time steps only when it has at least
        // one event of positive weight (survfitkm's "d0 > 0 && d1 > 0").
        var survival = 1.0;
        var greenwood = 0.0;
        var hazard = 0.0;
        var hazardVariance = 0.0;
        for (var j = 0; j < distinct; j++)
        {
            var n = curve.AtRisk[j];
            var d = curve.Events[j];
            if (eventCounts[j] > 0 && d > 0)
            {
                hazard += d / n;
                hazardVariance += d / (n * n);
                survival *= (n - d) / n;
                greenwood += d / (n * (n - d));
            }

            curve.Survival[j] = survival;
            curve.GreenwoodSum[j] = greenwood;
            curve.CumulativeHazard[j] = hazard;
            curve.HazardVarianceSum[j] = hazardVariance;
        }

        return curve;
    }
}
