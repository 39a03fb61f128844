using System.Runtime.CompilerServices;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Regression;

/// <summary>
/// Harrell's concordance of a risk score with right-censored times and its infinitesimal-jackknife
/// standard error, computed as survival 3.5-3's <c>concordancefit(..., reverse = TRUE)</c> does for
/// <c>coxph</c>, with Fenwick trees over the ranks of the score: O(n log n).
/// </summary>
internal static class ConcordanceCalculator
{
    /// <summary>The concordance of <paramref name="risk"/> (in row order) with the data, over the rows in <paramref name="order"/> (by stratum, then time).</summary>
    public static CoxConcordance Compute(SurvivalData data, double[] risk, int[] order, int[]? clusterIndex = null, int clusterCount = 0)
    {
        // Without strata the order is the time order, whose times the data keep; otherwise they are gathered.
        var n = order.Length;
        var inTimeOrder = ReferenceEquals(order, data.TimeOrder);
        var times = inTimeOrder ? data.SortedTimes : new double[n];
        var events = new bool[n];
        var weights = data.WeightArray is null ? null : new double[n];
        var scores = new double[n];
        for (var k = 0; k < n; k++)
        {
            var row = order[k];
            if (!inTimeOrder)
            {
                times[k] = data.TimeArray[row];
            }

            events[k] = data.StatusArray[row];
            if (weights is not null)
            {
                weights[k] = data.WeightAt(row);
            }

            scores[k] = risk[row];
        }

        return Compute(data, order, new RowsInOrder(times, events, weights, scores), clusterIndex, clusterCount);
    }

    /// <summary>What the walk reads of each row, in the order of the rows it walks (by stratum, then time).</summary>
    /// <param name="Times">Follow-up times.</param>
    /// <param name="Events">Event indicators.</param>
    /// <param name="Weights">Case weights; null when all are 1.</param>
    /// <param name="Risk">Risk scores (larger: shorter survival).</param>
    internal sealed record RowsInOrder(double[] Times, bool[] Events, double[]? Weights, double[] Risk);

    /// <summary>As <see cref="Compute(SurvivalData, double[], int[], int[], int)"/>, from rows already in <paramref name="order"/> (a Cox fit holds them so).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static CoxConcordance Compute(SurvivalData data, int[] order, RowsInOrder sorted, int[]? clusterIndex, int clusterCount)
    {
        var stratumIndex = data.StratumArray is null ? null : CoxLikelihood.StratumIndex(data);
        var n = data.Count;
        var influence = new double[2 * n];
        var counts = new double[5];
        var start = 0;
        while (start < n)
        {
            var end = n;
            if (stratumIndex is not null)
            {
                end = start + 1;
                while (end < n && stratumIndex[order[end]] == stratumIndex[order[start]])
                {
                    end++;
                }
            }

            CountStratum(start, end - start, sorted, counts, influence);
            start = end;
        }

        // Without reversal "concordant" means a longer survivor has the larger score; a Cox risk score
        // predicts the opposite, so R reverses: C = 1 − (somers' d + 1)/2 and the two counts swap.
        var pairs = counts[0] + counts[1] + counts[2];
        var somers = (counts[0] - counts[1]) / pairs;
        var variance = 0.0;
        var clusterSums = clusterIndex is null ? null : new double[clusterCount];
        // The influences are held by position in the order (see CountStratum).
        for (var i = 0; i < n; i++)
        {
            var difference = influence[2 * i];
            var all = influence[(2 * i) + 1];
            var dfbeta = (sorted.Weights is null ? 1.0 : sorted.Weights[i]) * ((difference / pairs) - (somers / pairs * all));
            if (clusterSums is null)
            {
                variance += dfbeta * dfbeta;
            }
            else
            {
                // With clusters (R's concordancefit(cluster =)), the influences of a cluster's rows add before squaring.
                clusterSums[clusterIndex![order[i]]] += dfbeta;
            }
        }

        if (clusterSums is not null)
        {
            foreach (var sum in clusterSums)
            {
                variance += sum * sum;
            }
        }

        // With no comparable pair the concordance is 0/0: undefined (R prints NA), so null here.
        var defined = pairs > 0;
        return new CoxConcordance(
            Estimate: defined ? 1 - ((somers + 1) / 2) : null,
            StandardError: defined ? Math.Sqrt(variance / 4) : null,
            Concordant: counts[1],
            Discordant: counts[0],
            TiedRisk: counts[2],
            TiedTime: counts[3] - counts[4],
            TiedBoth: counts[4]);
    }

    /// <summary>Adds one stratum's counts (greater, less, tied score, tied time, tied both) and per-subject influence.</summary>
    /// <remarks>
    /// The walk reads and writes by position in the order: times, events, weights and scores come in that order, and
    /// the influences are kept by position (<paramref name="influence"/> holds two per position: concordant − discordant
    /// and all comparable pairs, the two sums the standard error needs, each weighted by the partner), so that the walk
    /// itself touches only the trees out of sequence.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CountStratum(int offset, int m, RowsInOrder sorted, double[] counts, double[] influence)
    {
        var times = sorted.Times.AsSpan(offset, m);
        var events = sorted.Events.AsSpan(offset, m);
        // No weights: every row weighs 1 (an empty span).
        ReadOnlySpan<double> weights = sorted.Weights is null ? default : sorted.Weights.AsSpan(offset, m);
        var risk = sorted.Risk.AsSpan(offset, m);

        // Rank the scores once (1-based, equal scores share a rank): one sort, then linear passes.
        var scores = new ulong[m];
        var positions = new int[m];
        for (var k = 0; k < m; k++)
        {
            scores[k] = TimeSort.OrderedBits(risk[k]);
            positions[k] = k;
        }

        TimeSort.SortKeys(scores, positions);
        var ranks = new int[m];
        var distinct = 0;
        for (var k = 0; k < m; k++)
        {
            if (k == 0 || scores[k] != scores[k - 1])
            {
                distinct++;
            }

            ranks[positions[k]] = distinct;
        }

        var local = influence.AsSpan(2 * offset, 2 * m);

        // The two trees share one array, so a query of one and an update of the other at the same rank touch the same cache lines.
        var trees = new FenwickPair(distinct);
        var atRisk = new Fenwick(trees, 0);
        var deaths = new Fenwick(trees, 1);
        var tieRanks = new List<long>();

        // Walk backwards in time; at equal times censorings come first, so they are at risk for the deaths.
        var k2 = m - 1;
        while (k2 >= 0)
        {
            if (!events[k2])
            {
                var rank = ranks[k2];
                deaths.Split(rank, out var deathsLess, out var deathsEqual, out var deathsGreater);
                local[2 * k2] += deathsGreater - deathsLess;
                local[(2 * k2) + 1] -= deathsLess + deathsGreater + deathsEqual;
                atRisk.Add(rank, weights.IsEmpty ? 1.0 : weights[k2]);
                k2--;
                continue;
            }

            var first = k2;
            while (first > 0 && events[first - 1] && times[first - 1] == times[k2])
            {
                first--;
            }

            var deathWeight = 0.0;
            for (var k = k2; k >= first; k--)
            {
                var w = weights.IsEmpty ? 1.0 : weights[k];
                var rank = ranks[k];
                counts[3] += w * deathWeight;
                deathWeight += w;
                atRisk.Split(rank, out var less, out var equal, out var greater);
                counts[0] += w * greater;
                counts[1] += w * less;
                counts[2] += w * equal;
                local[2 * k] += greater - less;
                local[(2 * k) + 1] += greater + less + equal;
                deaths.Add(rank, w);
            }

            if (k2 > first)
            {
                // Pairs of tied deaths that also tie on the score: per score, ((Σw)² − Σw²)/2. Equal scores share
                // a rank, so sorting the group's ranks puts them side by side.
                var size = k2 - first + 1;
                tieRanks.Clear();
                for (var k = first; k <= k2; k++)
                {
                    tieRanks.Add(((long)ranks[k] << 32) | (uint)k);
                }

                tieRanks.Sort();
                var run = 0;
                while (run < size)
                {
                    var runEnd = run;
                    var sum = 0.0;
                    var squares = 0.0;
                    while (runEnd < size && (tieRanks[runEnd] >> 32) == (tieRanks[run] >> 32))
                    {
                        var w = weights.IsEmpty ? 1.0 : weights[(int)(tieRanks[runEnd] & 0xFFFF_FFFF)];
                        sum += w;
                        squares += w * w;
                        runEnd++;
                    }

                    counts[4] += ((sum * sum) - squares) / 2;
                    run = runEnd;
                }
            }

            for (var k = k2; k >= first; k--)
            {
                var rank = ranks[k];
                deaths.Split(rank, out var deathsLess, out var deathsEqual, out var deathsGreater);
                local[2 * k] += deathsGreater - deathsLess;
                local[(2 * k) + 1] -= deathsLess + deathsGreater + deathsEqual;
                atRisk.Add(rank, weights.IsEmpty ? 1.0 : weights[k]);
            }

            k2 = first - 1;
        }

        // Each subject is also the longer survivor for the deaths that came after it in the backward walk: by now
        // every death is in the tree, so the weight of deaths below each rank is one running sum over the ranks, and
        // each subject reads its three numbers from it (where a tree query would touch log₂ n scattered cache lines).
        var deathsBelow = new double[distinct + 1];
        var running = 0.0;
        for (var rank = 1; rank <= distinct; rank++)
        {
            deathsBelow[rank] = running;
            running += deaths.At(rank);
        }

        for (var k = 0; k < m; k++)
        {
            var rank = ranks[k];
            var below = deathsBelow[rank];
            var equal = deaths.At(rank);
            local[2 * k] += below - (deaths.Total - below - equal);
            local[(2 * k) + 1] += deaths.Total;
        }
    }

    /// <summary>Storage for two Fenwick trees over ranks 1..size, interleaved: tree sums and rank totals of both side by side.</summary>
    private sealed class FenwickPair(int size)
    {
        public double[] Cells { get; } = new double[4 * (size + 1)];

        public int Size => size;
    }

    /// <summary>One Fenwick (binary indexed) tree of weights over ranks 1..size, held in a <see cref="FenwickPair"/>.</summary>
    private sealed class Fenwick(FenwickPair pair, int which)
    {
        private readonly double[] cells = pair.Cells;
        private readonly int size = pair.Size;
        private double total;

        /// <summary>The weight added so far.</summary>
        public double Total => total;

        /// <summary>The weight added at a rank.</summary>
        public double At(int rank) => cells[(4 * rank) + 2 + which];

        public void Add(int rank, double weight)
        {
            total += weight;
            cells[(4 * rank) + 2 + which] += weight;
            for (var i = rank; i <= size; i += i & -i)
            {
                cells[(4 * i) + which] += weight;
            }
        }

        /// <summary>The weights below, at and above a rank, from one prefix query.</summary>
        public void Split(int rank, out double less, out double equal, out double greater)
        {
            less = Prefix(rank - 1);
            equal = cells[(4 * rank) + 2 + which];
            greater = total - less - equal;
        }

        private double Prefix(int rank)
        {
            var sum = 0.0;
            for (var i = rank; i > 0; i -= i & -i)
            {
                sum += cells[(4 * i) + which];
            }

            return sum;
        }
    }
}
