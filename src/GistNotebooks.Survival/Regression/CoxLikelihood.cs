using System.Runtime.CompilerServices;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Regression;

/// <summary>
/// The Cox partial log-likelihood with its score vector and information matrix (and, for Firth's
/// correction, the derivatives of the information), evaluated in one backward pass over the subjects
/// sorted by stratum and time. Holds centred covariates in sorted order and reusable scratch space, so
/// repeated evaluations allocate nothing.
/// </summary>
internal sealed class CoxLikelihood
{
    private readonly int count;
    private readonly int terms;
    private readonly double[] covariates;
    private readonly bool[] events;
    private readonly double[] weights;
    private readonly int[] groupStart;
    private readonly bool[] groupStartsStratum;
    private readonly TieMethod ties;

    private readonly double[] riskSum1;
    private readonly double[] riskSum2;
    private readonly double[] riskSum3;
    private readonly double[] deathSum1;
    private readonly double[] deathSum2;
    private readonly double[] deathSum3;
    private readonly double[] term1;
    private readonly double[] term2;
    private readonly double[] term3;
    private readonly double[] mean;
    private readonly double[] etaValue;
    private readonly double[] riskValue;

    /// <summary>Rows from which computing the relative risks on two cores pays for starting the second.</summary>
    private const int ParallelThreshold = 50_000;

    /// <summary>Sorts the subjects by stratum, then time, and centres the covariates by <paramref name="centers"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public CoxLikelihood(SurvivalData data, CovariateMatrix matrix, ReadOnlySpan<double> centers, TieMethod ties)
    {
        count = data.Count;
        terms = matrix.TermCount;
        this.ties = ties;
        Order = SortedOrder(data);
        var time = data.TimeArray;
        var status = data.StatusArray;
        var stratumIndex = StratumIndex(data);
        covariates = new double[count * terms];
        events = new bool[count];
        weights = new double[count];
        var values = matrix.Values;
        for (var k = 0; k < count; k++)
        {
            var row = Order[k];
            events[k] = status[row];
            weights[k] = data.WeightAt(row);
            for (var j = 0; j < terms; j++)
            {
                covariates[(k * terms) + j] = values[(row * terms) + j] - centers[j];
            }
        }

        var starts = new List<int>();
        var stratumStarts = new List<bool>();
        for (var k = 0; k < count; k++)
        {
            var newStratum = k == 0 || stratumIndex[Order[k]] != stratumIndex[Order[k - 1]];
            if (newStratum || time[Order[k]] != time[Order[k - 1]])
            {
                starts.Add(k);
                stratumStarts.Add(newStratum);
            }
        }

        starts.Add(count);
        groupStart = [.. starts];
        groupStartsStratum = [.. stratumStarts];

        riskSum1 = new double[terms];
        riskSum2 = new double[terms * terms];
        deathSum1 = new double[terms];
        deathSum2 = new double[terms * terms];
        term1 = new double[terms];
        term2 = new double[terms * terms];
        mean = new double[terms];
        etaValue = new double[count];
        riskValue = new double[count];
        var cube = terms * terms * terms;
        riskSum3 = new double[cube];
        deathSum3 = new double[cube];
        term3 = new double[cube];
    }

    /// <summary>Row indices sorted by stratum, then by time (events before censorings at equal times).</summary>
    public int[] Order { get; }

    /// <summary>The number of terms p.</summary>
    public int TermCount => terms;

    /// <summary>
    /// Evaluates the log partial likelihood at <paramref name="beta"/>, writing the score into
    /// <paramref name="score"/> and the information (minus the Hessian, row-major) into
    /// <paramref name="information"/>. When <paramref name="informationDerivative"/> is given, it receives
    /// ∂I_ab/∂β_m at index (a·p + b)·p + m.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Evaluate(ReadOnlySpan<double> beta, double[] score, double[] information, double[]? informationDerivative = null)
    {
        if (informationDerivative is null)
        {
            return EvaluateFirstAndSecond(beta, score, information);
        }

        var p = terms;
        var third = informationDerivative is not null;
        Array.Clear(score);
        Array.Clear(information);
        if (third)
        {
            Array.Clear(informationDerivative!);
        }

        var logLikelihood = 0.0;
        var riskSum0 = 0.0;
        for (var g = groupStart.Length - 2; g >= 0; g--)
        {
            var last = groupStart[g + 1];
            var first = groupStart[g];
            if (g == groupStart.Length - 2 || groupStartsStratum[g + 1])
            {
                // The backward pass enters a new stratum: its risk sets start empty.
                riskSum0 = 0;
                Array.Clear(riskSum1);
                Array.Clear(riskSum2);
                if (third)
                {
                    Array.Clear(riskSum3);
                }
            }

            var deathSum0 = 0.0;
            var deathWeight = 0.0;
            var deaths = 0;
            var anyDeath = false;
            for (var k = first; k < last; k++)
            {
                if (events[k] && !anyDeath)
                {
                    anyDeath = true;
                    Array.Clear(deathSum1);
                    Array.Clear(deathSum2);
                    if (third)
                    {
                        Array.Clear(deathSum3);
                    }
                }

                var row = covariates.AsSpan(k * p, p);
                var eta = 0.0;
                for (var j = 0; j < p; j++)
                {
                    eta += beta[j] * row[j];
                }

                var risk = weights[k] * Math.Exp(eta);
                riskSum0 += risk;
                Accumulate(row, risk, riskSum1, riskSum2, third ? riskSum3 : null);
                if (events[k])
                {
                    deaths++;
                    deathWeight += weights[k];
                    deathSum0 += risk;
                    logLikelihood += weights[k] * eta;
                    for (var j = 0; j < p; j++)
                    {
                        score[j] += weights[k] * row[j];
                    }

                    Accumulate(row, risk, deathSum1, deathSum2, third ? deathSum3 : null);
                }
            }

            if (deaths == 0)
            {
                continue;
            }

            if (ties == TieMethod.Breslow || deaths == 1)
            {
                logLikelihood += AddTerm(riskSum0, riskSum1, riskSum2, third ? riskSum3 : null, deathWeight, score, information, informationDerivative);
                continue;
            }

            // Efron: the k-th of d tied deaths sees the risk set with k/d of each tied death's risk removed.
            var averageWeight = deathWeight / deaths;
            for (var k = 0; k < deaths; k++)
            {
                var fraction = (double)k / deaths;
                var d0 = riskSum0 - (fraction * deathSum0);
                for (var j = 0; j < p; j++)
                {
                    term1[j] = riskSum1[j] - (fraction * deathSum1[j]);
                }

                for (var j = 0; j < p * p; j++)
                {
                    term2[j] = riskSum2[j] - (fraction * deathSum2[j]);
                }

                if (third)
                {
                    for (var j = 0; j < term3.Length; j++)
                    {
                        term3[j] = riskSum3[j] - (fraction * deathSum3[j]);
                    }
                }

                logLikelihood += AddTerm(d0, term1, term2, third ? term3 : null, averageWeight, score, information, informationDerivative);
            }
        }

        for (var a = 0; a < p; a++)
        {
            for (var b = 0; b < a; b++)
            {
                information[(b * p) + a] = information[(a * p) + b];
            }
        }

        return logLikelihood;
    }

    /// <summary>
    /// <see cref="Evaluate"/> without third derivatives, the path every Newton–Raphson step of an ordinary fit takes:
    /// the relative risks w·exp(xβ) are computed first (split between two cores for large data, each row on its own),
    /// then one backward pass accumulates the risk-set sums in time order, with the second moments in packed
    /// lower-triangular form; Efron's correction uses the tied deaths' own sums, gathered in the same pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double EvaluateFirstAndSecond(ReadOnlySpan<double> beta, double[] score, double[] information)
    {
        var p = terms;
        var packed = p * (p + 1) / 2;
        Array.Clear(score);
        Array.Clear(information);
        ComputeRisk(beta);
        // Small arrays rather than stackalloc: the JIT keeps these loops markedly faster with array sums.
        var risk1 = new double[p];
        var risk2 = new double[packed];
        var death1 = new double[p];
        var death2 = new double[packed];
        var mean1 = new double[p];
        var info2 = new double[packed];
        var x = covariates;
        var logLikelihood = 0.0;
        var riskSum0 = 0.0;
        for (var g = groupStart.Length - 2; g >= 0; g--)
        {
            var last = groupStart[g + 1];
            var first = groupStart[g];
            if (g == groupStart.Length - 2 || groupStartsStratum[g + 1])
            {
                riskSum0 = 0;
                Array.Clear(risk1);
                Array.Clear(risk2);
            }

            var deathSum0 = 0.0;
            var deathWeight = 0.0;
            var deaths = 0;
            Array.Clear(death1);
            Array.Clear(death2);

            // Events come first within a time: accumulate them into both the risk and the death sums.
            var k = first;
            for (; k < last && events[k]; k++)
            {
                var offset = k * p;
                var r = riskValue[k];
                var w = weights[k];
                riskSum0 += r;
                deathSum0 += r;
                deaths++;
                deathWeight += w;
                logLikelihood += w * etaValue[k];
                var index = 0;
                for (var a = 0; a < p; a++)
                {
                    var xa = x[offset + a];
                    var ra = r * xa;
                    risk1[a] += ra;
                    death1[a] += ra;
                    score[a] += w * xa;
                    for (var b = 0; b <= a; b++)
                    {
                        var v = ra * x[offset + b];
                        risk2[index] += v;
                        death2[index] += v;
                        index++;
                    }
                }
            }

            for (; k < last; k++)
            {
                var offset = k * p;
                var r = riskValue[k];
                riskSum0 += r;
                var index = 0;
                for (var a = 0; a < p; a++)
                {
                    var ra = r * x[offset + a];
                    risk1[a] += ra;
                    for (var b = 0; b <= a; b++)
                    {
                        risk2[index++] += ra * x[offset + b];
                    }
                }
            }

            if (deaths == 0)
            {
                continue;
            }

            // Breslow (or a single death): one term with the whole risk set. Efron: the k-th of d tied deaths sees
            // the risk set with k/d of each tied death's risk removed, and carries weight (Σ death weights)/d.
            var efron = ties == TieMethod.Efron && deaths > 1;
            var pieces = efron ? deaths : 1;
            var pieceWeight = efron ? deathWeight / deaths : deathWeight;
            for (var piece = 0; piece < pieces; piece++)
            {
                var fraction = efron ? (double)piece / deaths : 0.0;
                var d0 = riskSum0 - (fraction * deathSum0);
                for (var a = 0; a < p; a++)
                {
                    mean1[a] = (risk1[a] - (fraction * death1[a])) / d0;
                    score[a] -= pieceWeight * mean1[a];
                }

                var index = 0;
                for (var a = 0; a < p; a++)
                {
                    for (var b = 0; b <= a; b++)
                    {
                        info2[index] += pieceWeight * (((risk2[index] - (fraction * death2[index])) / d0) - (mean1[a] * mean1[b]));
                        index++;
                    }
                }

                logLikelihood -= pieceWeight * Math.Log(d0);
            }
        }

        var position = 0;
        for (var a = 0; a < p; a++)
        {
            for (var b = 0; b <= a; b++)
            {
                information[(a * p) + b] = info2[position];
                information[(b * p) + a] = info2[position];
                position++;
            }
        }

        return logLikelihood;
    }

    /// <summary>Fills <c>etaValue</c> with xβ and <c>riskValue</c> with w·exp(xβ), row by row (two cores for large data).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ComputeRisk(ReadOnlySpan<double> beta)
    {
        var p = terms;
        var b = beta.ToArray();
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Rows(int from, int to)
        {
            for (var k = from; k < to; k++)
            {
                var offset = k * p;
                var eta = 0.0;
                for (var j = 0; j < p; j++)
                {
                    eta += b[j] * covariates[offset + j];
                }

                etaValue[k] = eta;
                riskValue[k] = weights[k] * Math.Exp(eta);
            }
        }

        if (count < ParallelThreshold || Environment.ProcessorCount < 2)
        {
            Rows(0, count);
        }
        else
        {
            Parallel.Invoke(() => Rows(0, count / 2), () => Rows(count / 2, count));
        }
    }

    /// <summary>
    /// The score and information of the model extended by the time interactions x·g(t), at γ = 0 and the
    /// given β (the one-step score test of Grambsch &amp; Therneau 1994 as survival 3.5-3's <c>zph1</c>
    /// computes it). <paramref name="timeValue"/> holds g at each row's time, in data order;
    /// <paramref name="score"/> receives the 2p score and <paramref name="information"/> the 2p × 2p
    /// information [[V, G], [G, H]] with V = Σ w·Var, G = Σ g·w·Var, H = Σ g²·w·Var over the event terms.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void EvaluateTimeInteraction(ReadOnlySpan<double> beta, double[] timeValue, double[] score, double[] information)
    {
        var p = terms;
        var q = 2 * p;
        Array.Clear(score);
        Array.Clear(information);
        var riskSum0 = 0.0;
        for (var g = groupStart.Length - 2; g >= 0; g--)
        {
            var last = groupStart[g + 1];
            var first = groupStart[g];
            if (g == groupStart.Length - 2 || groupStartsStratum[g + 1])
            {
                riskSum0 = 0;
                Array.Clear(riskSum1);
                Array.Clear(riskSum2);
            }

            var gt = timeValue[Order[first]];
            var deathSum0 = 0.0;
            var deathWeight = 0.0;
            var deaths = 0;
            Array.Clear(deathSum1);
            Array.Clear(deathSum2);
            for (var k = first; k < last; k++)
            {
                var row = covariates.AsSpan(k * p, p);
                var eta = 0.0;
                for (var j = 0; j < p; j++)
                {
                    eta += beta[j] * row[j];
                }

                var risk = weights[k] * Math.Exp(eta);
                riskSum0 += risk;
                Accumulate(row, risk, riskSum1, riskSum2, null);
                if (events[k])
                {
                    deaths++;
                    deathWeight += weights[k];
                    deathSum0 += risk;
                    for (var j = 0; j < p; j++)
                    {
                        score[j] += weights[k] * row[j];
                        score[p + j] += gt * weights[k] * row[j];
                    }

                    Accumulate(row, risk, deathSum1, deathSum2, null);
                }
            }

            if (deaths == 0)
            {
                continue;
            }

            var efron = ties == TieMethod.Efron && deaths > 1;
            var pieces = efron ? deaths : 1;
            var pieceWeight = efron ? deathWeight / deaths : deathWeight;
            for (var k = 0; k < pieces; k++)
            {
                var fraction = efron ? (double)k / deaths : 0.0;
                var d0 = riskSum0 - (fraction * deathSum0);
                for (var a = 0; a < p; a++)
                {
                    mean[a] = (riskSum1[a] - (fraction * deathSum1[a])) / d0;
                    score[a] -= pieceWeight * mean[a];
                    score[p + a] -= gt * pieceWeight * mean[a];
                }

                for (var a = 0; a < p; a++)
                {
                    for (var b = 0; b <= a; b++)
                    {
                        var v = pieceWeight * (((riskSum2[(a * p) + b] - (fraction * deathSum2[(a * p) + b])) / d0) - (mean[a] * mean[b]));
                        information[(a * q) + b] += v;
                        information[(a * q) + p + b] += gt * v;
                        information[((p + a) * q) + p + b] += gt * gt * v;
                    }
                }
            }
        }

        // The blocks were filled on and below their diagonals; each block is symmetric.
        for (var a = 0; a < p; a++)
        {
            for (var b = 0; b < a; b++)
            {
                information[(b * q) + a] = information[(a * q) + b];
                information[(b * q) + p + a] = information[(a * q) + p + b];
                information[((p + b) * q) + p + a] = information[((p + a) * q) + p + b];
            }
        }

        for (var a = 0; a < p; a++)
        {
            for (var b = 0; b < p; b++)
            {
                information[((p + a) * q) + b] = information[(b * q) + p + a];
            }
        }
    }

    /// <summary>The linear predictor of each row (in data order) with the centred covariates, as R's <c>linear.predictors</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double[] LinearPredictor(ReadOnlySpan<double> beta)
    {
        var result = new double[count];
        for (var k = 0; k < count; k++)
        {
            var eta = 0.0;
            for (var j = 0; j < terms; j++)
            {
                eta += beta[j] * covariates[(k * terms) + j];
            }

            result[Order[k]] = eta;
        }

        return result;
    }

    /// <summary>Row indices sorted by stratum (levels in order), then time; events before censorings at equal times.</summary>
    internal static int[] SortedOrder(SurvivalData data)
    {
        var byTime = data.TimeOrder;
        if (data.StratumArray is null)
        {
            return byTime;
        }

        // A stable counting sort by stratum keeps the time order inside each stratum: one linear pass.
        var stratumIndex = StratumIndex(data);
        var levels = data.StrataLevels.Length;
        var offsets = new int[levels + 1];
        foreach (var s in stratumIndex)
        {
            offsets[s + 1]++;
        }

        for (var s = 0; s < levels; s++)
        {
            offsets[s + 1] += offsets[s];
        }

        var order = new int[byTime.Length];
        foreach (var row in byTime)
        {
            order[offsets[stratumIndex[row]]++] = row;
        }

        return order;
    }

    /// <summary>The 0-based stratum of each row (all 0 without strata).</summary>
    internal static int[] StratumIndex(SurvivalData data)
    {
        var result = new int[data.Count];
        if (data.StratumArray is not { } strata)
        {
            return result;
        }

        var lookup = new Dictionary<string, int>(StringComparer.Ordinal);
        var levels = data.StrataLevels;
        for (var s = 0; s < levels.Length; s++)
        {
            lookup[levels[s]] = s;
        }

        for (var i = 0; i < result.Length; i++)
        {
            result[i] = lookup[strata[i]];
        }

        return result;
    }

    private void Accumulate(ReadOnlySpan<double> row, double risk, double[] sum1, double[] sum2, double[]? sum3)
    {
        var p = terms;
        for (var a = 0; a < p; a++)
        {
            var ra = risk * row[a];
            sum1[a] += ra;
            for (var b = 0; b <= a; b++)
            {
                sum2[(a * p) + b] += ra * row[b];
            }
        }

        if (sum3 is null)
        {
            return;
        }

        for (var a = 0; a < p; a++)
        {
            for (var b = 0; b <= a; b++)
            {
                var rab = risk * row[a] * row[b];
                for (var m = 0; m < p; m++)
                {
                    sum3[(((a * p) + b) * p) + m] += rab * row[m];
                }
            }
        }
    }

    /// <summary>Adds one risk-set term with sums (d0, d1, d2, d3) and death weight w; returns −w·log d0.</summary>
    private double AddTerm(double d0, double[] d1, double[] d2, double[]? d3, double weight, double[] score, double[] information, double[]? derivative)
    {
        var p = terms;
        for (var a = 0; a < p; a++)
        {
            mean[a] = d1[a] / d0;
            score[a] -= weight * mean[a];
        }

        for (var a = 0; a < p; a++)
        {
            for (var b = 0; b <= a; b++)
            {
                information[(a * p) + b] += weight * ((d2[(a * p) + b] / d0) - (mean[a] * mean[b]));
            }
        }

        if (d3 is not null && derivative is not null)
        {
            // ∂/∂β_m of (D2_ab/D0 − m_a m_b), with m = D1/D0, ∂D0 = D1, ∂D1 = D2, ∂D2 = D3.
            for (var a = 0; a < p; a++)
            {
                for (var b = 0; b <= a; b++)
                {
                    for (var m = 0; m < p; m++)
                    {
                        var value = (d3[(((a * p) + b) * p) + m] / d0)
                            - (Lower(d2, a, b) * mean[m] / d0)
                            - (Lower(d2, a, m) * mean[b] / d0)
                            - (Lower(d2, b, m) * mean[a] / d0)
                            + (2 * mean[a] * mean[b] * mean[m]);
                        derivative[(((a * p) + b) * p) + m] += weight * value;
                        if (a != b)
                        {
                            derivative[(((b * p) + a) * p) + m] += weight * value;
                        }
                    }
                }
            }
        }

        return -weight * Math.Log(d0);
    }

    private double Lower(double[] matrix, int a, int b) => a >= b ? matrix[(a * terms) + b] : matrix[(b * terms) + a];
}
