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
    /// <paramref name="sortedTime"/>, when given, holds the times of those rows in that order (else they are gathered once).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static CurveArrays Compute(double[] time, bool[] status, double[]? weight, ReadOnlySpan<int> sorted, bool reverse, double[]? sortedTime = null)
    {
        var m = sorted.Length;
        if (sortedTime is null)
        {
            sortedTime = new double[m];
            for (var i = 0; i < m; i++)
            {
                sortedTime[i] = time[sorted[i]];
            }
        }

        var times = sortedTime.AsSpan(0, m);
        var distinct = 0;
        for (var i = 0; i < m; i++)
        {
            if (i == 0 || times[i] != times[i - 1])
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
            var t = times[i];
            k--;
            var events = 0.0;
            var censored = 0.0;
            var count = 0;
            for (; i >= 0 && times[i] == t; i--)
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

        curve.Accumulate(eventCounts);
        return curve;
    }

    /// <summary>
    /// The curve from counts already formed at each distinct time, in increasing time: the weighted number at risk,
    /// events and censorings, and the unweighted number of events (for counting-process data, whose risk sets are not
    /// the rows still to come).
    /// </summary>
    public static CurveArrays FromCounts(double[] time, double[] atRisk, double[] events, double[] censored, int[] eventCounts)
    {
        var curve = new CurveArrays(time.Length);
        time.CopyTo(curve.Time, 0);
        atRisk.CopyTo(curve.AtRisk, 0);
        events.CopyTo(curve.Events, 0);
        censored.CopyTo(curve.Censored, 0);
        curve.Accumulate(eventCounts);
        return curve;
    }

    /// <summary>
    /// Forward pass: product-limit, Greenwood and Nelson–Aalen sums; a time steps only when it has at least
    /// one event of positive weight (survfitkm's "d0 > 0 &amp;&amp; d1 > 0").
    /// </summary>
    private void Accumulate(int[] eventCounts)
    {
        var curve = this;
        var distinct = Count;
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
    }

    /// <summary>
    /// Replaces Greenwood's and the Nelson–Aalen variance sums by the infinitesimal-jackknife variances of log S and Λ,
    /// as survfitkm computes them when R's <c>survfit</c> is robust (any case weight not a whole number).
    /// </summary>
    /// <remarks>
    /// With h_j = d_j/n_j at the j-th time, subject i (time T_i, status δ_i, weight w_i) moves log S(t) by w_i·a_i(t), where
    /// a_i(t) = Σ_{t_j ≤ min(t, T_i)} h_j/((1 − h_j)n_j) − δ_i·[T_i ≤ t]/((1 − h)n at T_i), and Λ(t) by w_i·b_i(t) with
    /// b_i(t) = δ_i·[T_i ≤ t]/n(T_i) − Σ_{t_j ≤ min(t, T_i)} h_j/n_j. The variance is Σ_i (w_i·a_i(t))². Every subject still
    /// at risk after t has the same a_i(t) = A(t), so the sum splits into A(t)²·Σ_{T_i &gt; t} w_i² and a running total over
    /// the subjects whose time has passed: one pass. Once S reaches 0 the variance of log S is +∞, as Greenwood's.
    /// </remarks>
    public void UseInfinitesimalJackknife(double[] time, bool[] status, double[]? weight, ReadOnlySpan<int> sorted)
    {
        var remainingSquares = 0.0;
        foreach (var row in sorted)
        {
            var w = weight is null ? 1.0 : weight[row];
            remainingSquares += w * w;
        }

        var logSum = 0.0;
        var hazardSum = 0.0;
        var passedLog = 0.0;
        var passedHazard = 0.0;
        var reachedZero = false;
        var i = 0;
        for (var j = 0; j < Count; j++)
        {
            var n = AtRisk[j];
            var d = Events[j];
            var (stepLog, stepHazard) = JackknifeStep(n, d, ref logSum, ref hazardSum, ref reachedZero);

            for (; i < sorted.Length && time[sorted[i]] == Time[j]; i++)
            {
                var row = sorted[i];
                var w = weight is null ? 1.0 : weight[row];
                var w2 = w * w;
                remainingSquares -= w2;
                var died = status[row] && d > 0;
                var a = logSum - (died ? stepLog : 0.0);
                var b = (died ? stepHazard : 0.0) - hazardSum;
                passedLog += w2 * a * a;
                passedHazard += w2 * b * b;
            }

            // Rounding can leave a tiny negative remainder once every subject has passed.
            var remaining = Math.Max(remainingSquares, 0.0);
            GreenwoodSum[j] = reachedZero ? double.PositiveInfinity : passedLog + (logSum * logSum * remaining);
            HazardVarianceSum[j] = passedHazard + (hazardSum * hazardSum * remaining);
        }
    }

    /// <summary>
    /// The infinitesimal-jackknife variances of log S and Λ for counting-process (start, stop] rows, each row its own
    /// cluster, as survfitkm computes them when R's <c>survfit(Surv(start, stop, event) ~ ...)</c> is robust (any case weight
    /// not a whole number, no <c>id</c>).
    /// </summary>
    /// <remarks>
    /// Row i is at risk at the times t_j in (s_i, T_i]. With A(t) = Σ_{t_j ≤ t} h_j/((1 − h_j)n_j), it moves log S(t) by w_i·a_i(t),
    /// a_i(t) = A(min(t, T_i)) − A(s_i) − δ_i·[T_i ≤ t]/((1 − h)n at T_i) for t &gt; s_i and 0 before; Λ likewise with
    /// B(t) = Σ h_j/n_j and b_i(t) = δ_i·[T_i ≤ t]/n(T_i) − (B(min(t, T_i)) − B(s_i)). At t the rows still at risk past t
    /// contribute Σ w²(A(t) − A(s))² = A(t)²Σw² − 2A(t)Σw²A(s) + Σw²A(s)², kept as three running sums as rows enter, and
    /// the rows whose stop has passed a running total: one pass after two sorts. The same sums as
    /// <see cref="UseInfinitesimalJackknife(double[], bool[], double[], ReadOnlySpan{int})"/> when every start lies below
    /// the first time.
    /// </remarks>
    public void UseInfinitesimalJackknife(double[] start, double[] stop, bool[] status, double[]? weight)
    {
        var n = stop.Length;
        int[] byStart = [.. Enumerable.Range(0, n).OrderBy(i => start[i])];
        int[] byStop = [.. Enumerable.Range(0, n).OrderBy(i => stop[i])];
        var entryLog = new double[n];
        var entryHazard = new double[n];

        // Over the rows that have entered and not yet stopped: Σw², Σw²A(s), Σw²A(s)², and the same for B.
        double activeSquares = 0, activeLog = 0, activeLogSquares = 0, activeHazard = 0, activeHazardSquares = 0;
        double logSum = 0, hazardSum = 0, passedLog = 0, passedHazard = 0;
        var reachedZero = false;
        var entering = 0;
        var stopping = 0;
        for (var j = 0; j < Count; j++)
        {
            var t = Time[j];
            for (; entering < n && start[byStart[entering]] < t; entering++)
            {
                var row = byStart[entering];
                var w = weight is null ? 1.0 : weight[row];
                var w2 = w * w;
                entryLog[row] = logSum;
                entryHazard[row] = hazardSum;
                activeSquares += w2;
                activeLog += w2 * logSum;
                activeLogSquares += w2 * logSum * logSum;
                activeHazard += w2 * hazardSum;
                activeHazardSquares += w2 * hazardSum * hazardSum;
            }

            var atRisk = AtRisk[j];
            var d = Events[j];
            var (stepLog, stepHazard) = JackknifeStep(atRisk, d, ref logSum, ref hazardSum, ref reachedZero);

            for (; stopping < n && stop[byStop[stopping]] == t; stopping++)
            {
                var row = byStop[stopping];
                var w = weight is null ? 1.0 : weight[row];
                var w2 = w * w;
                activeSquares -= w2;
                activeLog -= w2 * entryLog[row];
                activeLogSquares -= w2 * entryLog[row] * entryLog[row];
                activeHazard -= w2 * entryHazard[row];
                activeHazardSquares -= w2 * entryHazard[row] * entryHazard[row];
                var died = status[row] && d > 0;
                var a = logSum - entryLog[row] - (died ? stepLog : 0.0);
                var b = (died ? stepHazard : 0.0) - (hazardSum - entryHazard[row]);
                passedLog += w2 * a * a;
                passedHazard += w2 * b * b;
            }

            // Rounding can leave a tiny negative remainder of the expanded squares.
            var stillLog = Math.Max((logSum * logSum * activeSquares) - (2 * logSum * activeLog) + activeLogSquares, 0.0);
            var stillHazard = Math.Max((hazardSum * hazardSum * activeSquares) - (2 * hazardSum * activeHazard) + activeHazardSquares, 0.0);
            GreenwoodSum[j] = reachedZero ? double.PositiveInfinity : passedLog + stillLog;
            HazardVarianceSum[j] = passedHazard + stillHazard;
        }
    }

    /// <summary>
    /// One event time of the infinitesimal-jackknife sums, shared by the right-censored and the (start, stop] pass: adds
    /// d/n² to the hazard sum and h/((1 − h)n) to the log-survival sum (h = d/n), and returns the derivative steps a death
    /// at this time contributes (1/((1 − h)n) and 1/n). A time at which everyone at risk dies takes S to zero.
    /// </summary>
    private static (double Log, double Hazard) JackknifeStep(double atRisk, double deaths, ref double logSum, ref double hazardSum, ref bool reachedZero)
    {
        if (deaths <= 0)
        {
            return (0.0, 0.0);
        }

        var h = deaths / atRisk;
        hazardSum += h / atRisk;
        if (atRisk - deaths > 0)
        {
            logSum += h / ((1 - h) * atRisk);
            return (1 / ((1 - h) * atRisk), 1 / atRisk);
        }

        reachedZero = true;
        return (0.0, 1 / atRisk);
    }
}
