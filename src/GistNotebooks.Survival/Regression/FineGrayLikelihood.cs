using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Regression;

/// <summary>
/// The weighted partial likelihood of Fine &amp; Gray (1999) for the subdistribution hazard of one cause, its
/// derivatives, and the pieces of its sandwich variance, computed as <c>cmprsk::crr</c> (Fortran <c>crrfsv</c>,
/// <c>crrf</c>, <c>crrvv</c>, <c>crrfit</c>) defines them but with running sums instead of crr's nested loops:
/// O(n·p²) per evaluation after one sort, where crr's variance is O(n²) or worse.
/// </summary>
/// <remarks>
/// Subjects are sorted by time (stably). At a distinct time s of the cause of interest the risk set holds everyone
/// with time ≥ s (weight 1) and everyone who failed from another cause before s, with weight Ĝ(s−)/Ĝ(tᵢ−), Ĝ the
/// Kaplan–Meier estimate of the censoring distribution. Covariates are centred by their means first, which
/// changes neither the likelihood nor its derivatives (only the size of exp(xᵀβ)).
/// </remarks>
internal sealed class FineGrayLikelihood
{
    private readonly int n;
    private readonly int p;
    private readonly int[] status;
    private readonly double[] x;
    private readonly double[] censoringBefore;
    private readonly int[] groupStart;
    private readonly int[] eventTimeStart;
    private readonly int[] eventTimeCount;
    private readonly int[] eventTimeEnd;

    /// <param name="data">Times and cause codes.</param>
    /// <param name="covariates">The design, one row per subject.</param>
    /// <param name="failureCode">The cause of interest; other non-zero codes are competing events, 0 is censored.</param>
    public FineGrayLikelihood(CompetingRisksData data, CovariateMatrix covariates, int failureCode)
    {
        n = data.Count;
        p = covariates.TermCount;
        var order = data.TimeOrder;
        var times = new double[n];
        status = new int[n];
        x = new double[n * p];
        Centers = new double[p];
        for (var k = 0; k < n; k++)
        {
            var i = order[k];
            times[k] = data.TimeArray[i];
            var cause = data.CauseArray[i];
            status[k] = cause == failureCode ? 1 : (cause == 0 ? 0 : 2);
            for (var j = 0; j < p; j++)
            {
                x[(k * p) + j] = covariates[i, j];
                Centers[j] += covariates[i, j] / n;
            }
        }

        for (var k = 0; k < n; k++)
        {
            for (var j = 0; j < p; j++)
            {
                x[(k * p) + j] -= Centers[j];
            }
        }

        // Groups of tied times; the Kaplan–Meier estimate of censoring just before each time.
        groupStart = new int[n];
        censoringBefore = new double[n];
        var events = new List<(int Start, int End, int Count)>();
        var survival = 1.0;
        var start = 0;
        while (start < n)
        {
            var end = start;
            var censored = 0;
            var failures = 0;
            while (end < n && times[end] == times[start])
            {
                censored += status[end] == 0 ? 1 : 0;
                failures += status[end] == 1 ? 1 : 0;
                end++;
            }

            var after = survival * (1 - ((double)censored / (n - start)));

            // crr reads Ĝ at t·(1 − 100ε): just before t, except at t = 0, where it gets Ĝ(0) after censorings at 0.
            var before = times[start] == 0 ? after : survival;
            for (var k = start; k < end; k++)
            {
                groupStart[k] = start;
                censoringBefore[k] = before;
            }

            if (failures > 0)
            {
                events.Add((start, end, failures));
            }

            survival = after;
            start = end;
        }

        eventTimeStart = [.. events.Select(e => e.Start)];
        eventTimeCount = [.. events.Select(e => e.Count)];
        eventTimeEnd = [.. events.Select(e => e.End)];
        EventTimes = [.. events.Select(e => times[e.Start])];
    }

    /// <summary>The means subtracted from the covariates.</summary>
    public double[] Centers { get; }

    /// <summary>The distinct times of the cause of interest, ascending (crr's <c>uftime</c>).</summary>
    public double[] EventTimes { get; }

    /// <summary>The number of distinct event times of the cause.</summary>
    public int EventTimeCount => eventTimeStart.Length;

    /// <summary>
    /// crr's objective, the negative log pseudo-likelihood −Σₖ[Σ_{i fails at sₖ} xᵢᵀβ − dₖ log S₀(sₖ)]; with
    /// <paramref name="gradient"/> also its gradient (−U) and Hessian (the information), row-major.
    /// </summary>
    public double Evaluate(ReadOnlySpan<double> beta, double[]? gradient, double[]? hessian)
    {
        var sums = RiskSetSums(beta, hessian is not null);
        var objective = 0.0;
        if (gradient is not null)
        {
            Array.Clear(gradient);
            Array.Clear(hessian!);
        }

        for (var k = 0; k < eventTimeStart.Length; k++)
        {
            var d = eventTimeCount[k];
            var s0 = sums.S0[k];
            objective += d * Math.Log(s0);
            for (var i = eventTimeStart[k]; i < eventTimeEnd[k]; i++)
            {
                if (status[i] != 1)
                {
                    continue;
                }

                for (var j = 0; j < p; j++)
                {
                    objective -= x[(i * p) + j] * beta[j];
                    if (gradient is not null)
                    {
                        gradient[j] -= x[(i * p) + j];
                    }
                }
            }

            if (gradient is null)
            {
                continue;
            }

            for (var a = 0; a < p; a++)
            {
                var mean = sums.S1[(k * p) + a] / s0;
                gradient[a] += d * mean;
                for (var b = 0; b <= a; b++)
                {
                    var value = d * ((sums.S2[(((k * p) + a) * p) + b] / s0) - (mean * sums.S1[(k * p) + b] / s0));
                    hessian![(a * p) + b] += value;
                    if (b != a)
                    {
                        hessian[(b * p) + a] += value;
                    }
                }
            }
        }

        return objective;
    }

    /// <summary>The jumps dₖ/S₀(sₖ) of the baseline cumulative subdistribution hazard at covariates 0 (uncentred), crr's <c>bfitj</c>.</summary>
    public double[] BaselineJumps(ReadOnlySpan<double> beta)
    {
        var sums = RiskSetSums(beta, false);
        var shift = 0.0;
        for (var j = 0; j < p; j++)
        {
            shift += Centers[j] * beta[j];
        }

        // S₀ with uncentred covariates is S₀(centred)·exp(cᵀβ).
        return [.. Enumerable.Range(0, eventTimeStart.Length).Select(k => eventTimeCount[k] / sums.S0[k] * Math.Exp(-shift))];
    }

    /// <summary>
    /// The middle of crr's sandwich, Σᵢ (ηᵢ + ψᵢ)(ηᵢ + ψᵢ)ᵀ, at <paramref name="beta"/>: ηᵢ is subject i's term of
    /// the score with the baseline hazard estimated, ψᵢ the term from estimating the censoring distribution.
    /// </summary>
    public double[] ScoreOuterProduct(ReadOnlySpan<double> beta)
    {
        var sums = RiskSetSums(beta, false);
        var risk = RelativeRisks(beta);
        var m = eventTimeStart.Length;

        // Per event time: a = d/S₀, b = d·x̄/S₀, each also weighted by Ĝ(sₖ−).
        var a = new double[m];
        var b = new double[m * p];
        for (var k = 0; k < m; k++)
        {
            a[k] = eventTimeCount[k] / sums.S0[k];
            for (var j = 0; j < p; j++)
            {
                b[(k * p) + j] = a[k] * sums.S1[(k * p) + j] / sums.S0[k];
            }
        }

        // Suffix sums over event times k' ≥ k of Ĝₖ'·aₖ' and Ĝₖ'·bₖ'.
        var suffixA = new double[m + 1];
        var suffixB = new double[(m + 1) * p];
        for (var k = m - 1; k >= 0; k--)
        {
            var g = censoringBefore[eventTimeStart[k]];
            suffixA[k] = suffixA[k + 1] + (g * a[k]);
            for (var j = 0; j < p; j++)
            {
                suffixB[(k * p) + j] = suffixB[((k + 1) * p) + j] + (g * b[(k * p) + j]);
            }
        }

        var middle = new double[p * p];
        var cumulativeA = 0.0;
        var cumulativeB = new double[p];
        var otherP0 = 0.0;
        var otherP1 = new double[p];
        var psiRunning = new double[p];
        var q = new double[p];
        var term = new double[p];
        var next = 0;
        var start = 0;
        while (start < n)
        {
            var end = start;
            while (end < n && groupStart[end] == start)
            {
                end++;
            }

            // Event times up to and including this time enter A and B; those after it, C and E.
            while (next < m && eventTimeStart[next] <= start)
            {
                cumulativeA += a[next];
                for (var j = 0; j < p; j++)
                {
                    cumulativeB[j] += b[(next * p) + j];
                }

                next++;
            }

            var atRisk = n - start;
            var censored = 0;
            for (var i = start; i < end; i++)
            {
                censored += status[i] == 0 ? 1 : 0;
            }

            // q(u) at this time u, from the competing events before u and the event times at or after u.
            var firstAtOrAfter = next > 0 && eventTimeStart[next - 1] == start ? next - 1 : next;
            for (var j = 0; j < p; j++)
            {
                q[j] = (otherP1[j] * suffixA[firstAtOrAfter]) - (otherP0 * suffixB[(firstAtOrAfter * p) + j]);
                psiRunning[j] -= censored * q[j] / ((double)atRisk * atRisk);
            }

            var eventIndex = firstAtOrAfter == next ? -1 : next - 1;
            for (var i = start; i < end; i++)
            {
                var row = x.AsSpan(i * p, p);
                var r = risk[i];
                for (var j = 0; j < p; j++)
                {
                    var eta = -r * ((row[j] * cumulativeA) - cumulativeB[j]);
                    if (status[i] == 1)
                    {
                        eta += row[j] - (sums.S1[(eventIndex * p) + j] / sums.S0[eventIndex]);
                    }
                    else if (status[i] == 2)
                    {
                        eta -= r / censoringBefore[i] * ((row[j] * suffixA[next]) - suffixB[(next * p) + j]);
                    }

                    var psi = psiRunning[j] + (status[i] == 0 ? q[j] / atRisk : 0);
                    term[j] = eta + psi;
                }

                for (var u = 0; u < p; u++)
                {
                    for (var v = 0; v < p; v++)
                    {
                        middle[(u * p) + v] += term[u] * term[v];
                    }
                }
            }

            // Competing events at this time count for later censoring times (t < u strictly).
            for (var i = start; i < end; i++)
            {
                if (status[i] == 2)
                {
                    var w = risk[i] / censoringBefore[i];
                    otherP0 += w;
                    for (var j = 0; j < p; j++)
                    {
                        otherP1[j] += w * x[(i * p) + j];
                    }
                }
            }

            start = end;
        }

        return middle;
    }

    private double[] RelativeRisks(ReadOnlySpan<double> beta)
    {
        var risk = new double[n];
        for (var i = 0; i < n; i++)
        {
            var eta = 0.0;
            for (var j = 0; j < p; j++)
            {
                eta += x[(i * p) + j] * beta[j];
            }

            risk[i] = Math.Exp(eta);
        }

        return risk;
    }

    /// <summary>S₀, S₁ (and S₂) of the weighted risk set at each event time of the cause.</summary>
    private (double[] S0, double[] S1, double[] S2) RiskSetSums(ReadOnlySpan<double> beta, bool second)
    {
        var m = eventTimeStart.Length;
        var risk = RelativeRisks(beta);
        var s0 = new double[m];
        var s1 = new double[m * p];
        var s2 = second ? new double[m * p * p] : [];

        // Everyone with time ≥ sₖ: a backward pass.
        double total0 = 0;
        var total1 = new double[p];
        var total2 = second ? new double[p * p] : [];
        var i = n - 1;
        for (var k = m - 1; k >= 0; k--)
        {
            for (; i >= eventTimeStart[k]; i--)
            {
                Accumulate(i, risk[i], ref total0, total1, total2, second);
            }

            s0[k] = total0;
            Array.Copy(total1, 0, s1, k * p, p);
            if (second)
            {
                Array.Copy(total2, 0, s2, k * p * p, p * p);
            }
        }

        // Competing events before sₖ, weighted by Ĝ(sₖ−)/Ĝ(tᵢ−): a forward pass.
        total0 = 0;
        Array.Clear(total1);
        Array.Clear(total2);
        i = 0;
        for (var k = 0; k < m; k++)
        {
            for (; i < eventTimeStart[k]; i++)
            {
                if (status[i] == 2)
                {
                    Accumulate(i, risk[i] / censoringBefore[i], ref total0, total1, total2, second);
                }
            }

            var g = censoringBefore[eventTimeStart[k]];
            s0[k] += g * total0;
            for (var j = 0; j < p; j++)
            {
                s1[(k * p) + j] += g * total1[j];
            }

            if (second)
            {
                for (var j = 0; j < p * p; j++)
                {
                    s2[(k * p * p) + j] += g * total2[j];
                }
            }
        }

        return (s0, s1, s2);
    }

    private void Accumulate(int i, double weight, ref double total0, double[] total1, double[] total2, bool second)
    {
        total0 += weight;
        for (var a = 0; a < p; a++)
        {
            var xa = x[(i * p) + a];
            total1[a] += weight * xa;
            if (second)
            {
                for (var b = 0; b <= a; b++)
                {
                    total2[(a * p) + b] += weight * xa * x[(i * p) + b];
                }
            }
        }
    }
}
