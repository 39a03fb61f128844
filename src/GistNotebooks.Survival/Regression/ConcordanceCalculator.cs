using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    /// <param name="data">The survival data.</param>
    /// <param name="risk">The risk score of each row, in row order.</param>
    /// <param name="order">The rows by stratum, then time.</param>
    /// <param name="clusterIndex">The 0-based cluster of each row, when the influences add within clusters.</param>
    /// <param name="clusterCount">The number of clusters.</param>
    /// <param name="parallelFromRows">Strata of at least this many rows are counted on two threads (when there are two processors).</param>
    public static CoxConcordance Compute(SurvivalData data, double[] risk, int[] order, int[]? clusterIndex = null, int clusterCount = 0, int parallelFromRows = ParallelFromRows)
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

        return Compute(data, order, new RowsInOrder(times, events, weights, scores), clusterIndex, clusterCount, parallelFromRows);
    }

    /// <summary>What the walk reads of each row, in the order of the rows it walks (by stratum, then time).</summary>
    /// <param name="Times">Follow-up times.</param>
    /// <param name="Events">Event indicators.</param>
    /// <param name="Weights">Case weights; null when all are 1.</param>
    /// <param name="Risk">Risk scores (larger: shorter survival). The count uses this array's storage as working space, so its values are lost.</param>
    internal sealed record RowsInOrder(double[] Times, bool[] Events, double[]? Weights, double[] Risk);

    /// <summary>As <see cref="Compute(SurvivalData, double[], int[], int[], int, int)"/>, from rows already in <paramref name="order"/> (a Cox fit holds them so); the risk scores' array is used up.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static CoxConcordance Compute(SurvivalData data, int[] order, RowsInOrder sorted, int[]? clusterIndex, int clusterCount, int parallelFromRows = ParallelFromRows)
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

            CountStratum(start, end - start, sorted, counts, influence, end - start >= parallelFromRows && Environment.ProcessorCount > 1);
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

    /// <summary>Strata of at least this many rows are counted on two threads, when there are two processors (the walks come out the same either way, to the last bit).</summary>
    internal const int ParallelFromRows = 50_000;

    /// <summary>Adds one stratum's counts (greater, less, tied score, tied time, tied both) and per-subject influence.</summary>
    /// <remarks>
    /// <para>
    /// Walking backwards in time, two trees over the ranks of the scores answer two questions, each independent of the
    /// other: the at-risk tree (every row, added as it is passed) tells each death how the rows still at risk compare
    /// with it; the death tree (deaths, added as they are passed) tells each row how the deaths after it compare. So the
    /// two walks run side by side, one a thread, on a large stratum; their memory waits, not their arithmetic, set the pace.
    /// </para>
    /// <para>
    /// The walk reads and writes by position in the order: times, events, weights and scores come in that order, and
    /// the influences are kept by position (<paramref name="influence"/> holds two per position: concordant − discordant
    /// and all comparable pairs, the two sums the standard error needs, each weighted by the partner), so that the walks
    /// themselves touch only the trees out of sequence. The death walk writes the influences; the at-risk walk writes
    /// each death's concordant − discordant into the scores' storage (the scores are spent once ranked), and they are
    /// added afterwards, with the weight at risk, which needs no tree.
    /// </para>
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CountStratum(int offset, int m, RowsInOrder sorted, double[] counts, double[] influence, bool twoThreads)
    {
        var ranks = new int[m];
        var distinct = Rank(sorted.Risk.AsSpan(offset, m), ranks, influence.AsSpan(2 * offset, 2 * m));
        var difference = sorted.Risk;
        var stratumCounts = new double[5];
        // Without weights the trees count in ints: half the memory of doubles, and the walks are bound by the trees' cache misses.
        Action deathWalk = sorted.Weights is null
            ? () => WalkDeaths<int>(offset, m, sorted, ranks, distinct, influence)
            : () => WalkDeaths<double>(offset, m, sorted, ranks, distinct, influence);
        Action atRiskWalk = sorted.Weights is null
            ? () => WalkAtRisk<int>(offset, m, sorted, ranks, distinct, stratumCounts, difference)
            : () => WalkAtRisk<double>(offset, m, sorted, ranks, distinct, stratumCounts, difference);
        if (twoThreads)
        {
            var running = Task.Run(deathWalk);
            atRiskWalk();
            running.GetAwaiter().GetResult();
        }
        else
        {
            deathWalk();
            atRiskWalk();
        }

        for (var c = 0; c < counts.Length; c++)
        {
            counts[c] += stratumCounts[c];
        }

        // Each death's own comparisons with the rows at risk: its concordant − discordant from the at-risk walk, and
        // all of them, which is the weight at risk, a running sum.
        var times = sorted.Times.AsSpan(offset, m);
        var events = sorted.Events.AsSpan(offset, m);
        ReadOnlySpan<double> weights = sorted.Weights is null ? default : sorted.Weights.AsSpan(offset, m);
        var local = influence.AsSpan(2 * offset, 2 * m);
        var atRisk = 0.0;
        var k2 = m - 1;
        while (k2 >= 0)
        {
            if (!events[k2])
            {
                atRisk += weights.IsEmpty ? 1.0 : weights[k2];
                k2--;
                continue;
            }

            var first = DeathGroupStart(times, events, k2);
            for (var k = k2; k >= first; k--)
            {
                local[2 * k] += difference[offset + k];
                local[(2 * k) + 1] += atRisk;
            }

            for (var k = k2; k >= first; k--)
            {
                atRisk += weights.IsEmpty ? 1.0 : weights[k];
            }

            k2 = first - 1;
        }
    }

    /// <summary>
    /// The 1-based rank of each score (equal scores share a rank) into <paramref name="ranks"/>; returns the number of
    /// distinct scores. The scores' storage holds the sort keys, and <paramref name="scratch"/> (at least as long, cleared
    /// on return) the sort's spare keys, so that ranking allocates one array of positions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Rank(Span<double> scores, int[] ranks, Span<double> scratch)
    {
        var m = scores.Length;
        var keys = MemoryMarshal.Cast<double, ulong>(scores);
        var positions = new int[m];
        for (var k = 0; k < m; k++)
        {
            keys[k] = TimeSort.OrderedBits(scores[k]);
            positions[k] = k;
        }

        TimeSort.SortKeys(keys, positions, MemoryMarshal.Cast<double, ulong>(scratch)[..m], ranks);
        scratch.Clear();
        var distinct = 0;
        for (var k = 0; k < m; k++)
        {
            if (k == 0 || keys[k] != keys[k - 1])
            {
                distinct++;
            }

            ranks[positions[k]] = distinct;
        }

        return distinct;
    }

    /// <summary>The first position of the run of deaths at the time of the death at <paramref name="last"/> that ends there.</summary>
    private static int DeathGroupStart(ReadOnlySpan<double> times, ReadOnlySpan<bool> events, int last)
    {
        var first = last;
        while (first > 0 && events[first - 1] && times[first - 1] == times[last])
        {
            first--;
        }

        return first;
    }

    /// <summary>
    /// The at-risk walk: each death's counts against the rows still at risk (censorings at its time included, deaths
    /// at its time not) into <paramref name="counts"/>, with the pairs tied in time, and its concordant − discordant into
    /// <paramref name="difference"/> at its position.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WalkAtRisk<T>(int offset, int m, RowsInOrder sorted, int[] ranks, int distinct, double[] counts, double[] difference)
        where T : unmanaged, INumber<T>
    {
        var times = sorted.Times.AsSpan(offset, m);
        var events = sorted.Events.AsSpan(offset, m);
        ReadOnlySpan<double> weights = sorted.Weights is null ? default : sorted.Weights.AsSpan(offset, m);
        var differences = difference.AsSpan(offset, m);
        var atRisk = new Fenwick<T>(distinct);
        var equalBefore = new T[16];

        // At equal times censorings come first in the backward walk, so they are at risk for the deaths.
        var k2 = m - 1;
        while (k2 >= 0)
        {
            if (!events[k2])
            {
                atRisk.Add(ranks[k2], weights.IsEmpty ? T.One : T.CreateTruncating(weights[k2]));
                k2--;
                continue;
            }

            var first = DeathGroupStart(times, events, k2);
            if (k2 - first + 1 > equalBefore.Length)
            {
                equalBefore = new T[Math.Max(k2 - first + 1, 2 * equalBefore.Length)];
            }

            var deathWeight = 0.0;
            for (var k = k2; k >= first; k--)
            {
                var w = weights.IsEmpty ? 1.0 : weights[k];
                counts[3] += w * deathWeight;
                deathWeight += w;
                atRisk.Split(ranks[k], out var lessT, out var equalT, out var greaterT);
                equalBefore[k2 - k] = equalT;
                var less = double.CreateTruncating(lessT);
                var equal = double.CreateTruncating(equalT);
                var greater = double.CreateTruncating(greaterT);
                counts[0] += w * greater;
                counts[1] += w * less;
                counts[2] += w * equal;
                differences[k] = greater - less;
            }

            // The group joins the rows at risk. Pairs of its deaths that also tie on the score: as each death is added,
            // the weight its rank has gained since the group's queries is that of the group's deaths before it there.
            for (var k = k2; k >= first; k--)
            {
                var w = weights.IsEmpty ? T.One : T.CreateTruncating(weights[k]);
                if (k2 > first)
                {
                    counts[4] += double.CreateTruncating(w * (atRisk.At(ranks[k]) - equalBefore[k2 - k]));
                }

                atRisk.Add(ranks[k], w);
            }

            k2 = first - 1;
        }
    }

    /// <summary>
    /// The death walk: for each row, how the deaths before it in time compare with it (it is the longer survivor of those
    /// pairs), as the two influence sums at its position.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WalkDeaths<T>(int offset, int m, RowsInOrder sorted, int[] ranks, int distinct, double[] influence)
        where T : unmanaged, INumber<T>
    {
        var times = sorted.Times.AsSpan(offset, m);
        var events = sorted.Events.AsSpan(offset, m);
        ReadOnlySpan<double> weights = sorted.Weights is null ? default : sorted.Weights.AsSpan(offset, m);
        var local = influence.AsSpan(2 * offset, 2 * m);
        var deaths = new Fenwick<T>(distinct);

        // First, against the deaths after it in time (a death's own time included), subtracted below from all deaths.
        var k2 = m - 1;
        while (k2 >= 0)
        {
            if (!events[k2])
            {
                deaths.Split(ranks[k2], out var less, out var equal, out var greater);
                local[2 * k2] += double.CreateTruncating(greater - less);
                local[(2 * k2) + 1] -= double.CreateTruncating(less + greater + equal);
                k2--;
                continue;
            }

            var first = DeathGroupStart(times, events, k2);
            for (var k = k2; k >= first; k--)
            {
                deaths.Add(ranks[k], weights.IsEmpty ? T.One : T.CreateTruncating(weights[k]));
            }

            for (var k = k2; k >= first; k--)
            {
                deaths.Split(ranks[k], out var less, out var equal, out var greater);
                local[2 * k] += double.CreateTruncating(greater - less);
                local[(2 * k) + 1] -= double.CreateTruncating(less + greater + equal);
            }

            k2 = first - 1;
        }

        // Now every death is in the tree, so the weight of deaths below each rank is one running sum over the ranks, and
        // each row reads its three numbers from it (where a tree query would touch log₂ n scattered cache lines).
        deaths.ToRunningSums();
        var total = deaths.Total;
        var totalWeight = double.CreateTruncating(total);
        for (var k = 0; k < m; k++)
        {
            var rank = ranks[k];
            var below = deaths.Below(rank);
            var equal = deaths.At(rank);
            local[2 * k] += double.CreateTruncating(below - (total - below - equal));
            local[(2 * k) + 1] += totalWeight;
        }
    }

    /// <summary>
    /// A Fenwick (binary indexed) tree of weights over ranks 1..size, each rank's tree sum beside its own weight so that
    /// an update or a query touches one cache line at the rank itself. Weights are ints when every weight is 1 (counts
    /// stay exact below 2³¹ rows, and the tree takes half the memory, which matters because its cache misses set the
    /// pace), doubles otherwise.
    /// </summary>
    private sealed class Fenwick<T>(int size)
        where T : unmanaged, INumber<T>
    {
        private readonly T[] cells = new T[2 * (size + 1)];
        private T total = T.Zero;
        private bool runningSums;

        /// <summary>The weight added so far.</summary>
        public T Total => total;

        /// <summary>The weight added at a rank.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T At(int rank) => cells[(2 * rank) + 1];

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int rank, T weight)
        {
            total += weight;
            var c = cells;
            c[(2 * rank) + 1] += weight;
            for (var i = rank; i <= size; i += i & -i)
            {
                c[2 * i] += weight;
            }
        }

        /// <summary>The weights below, at and above a rank, from one prefix query.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Split(int rank, out T less, out T equal, out T greater)
        {
            var c = cells;
            var sum = T.Zero;
            for (var i = rank - 1; i > 0; i -= i & -i)
            {
                sum += c[2 * i];
            }

            less = sum;
            equal = c[(2 * rank) + 1];
            greater = total - less - equal;
        }

        /// <summary>Replaces the tree sums by the weight below each rank (a running sum): no more adds or queries, only <see cref="Below"/> and <see cref="At"/>.</summary>
        public void ToRunningSums()
        {
            var running = T.Zero;
            for (var rank = 1; rank <= size; rank++)
            {
                cells[2 * rank] = running;
                running += cells[(2 * rank) + 1];
            }

            runningSums = true;
        }

        /// <summary>The weight below a rank, once <see cref="ToRunningSums"/> has run.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Below(int rank) => runningSums ? cells[2 * rank] : throw new InvalidOperationException("The running sums are not made yet.");
    }
}
