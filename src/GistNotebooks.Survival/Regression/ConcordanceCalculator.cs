using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Regression;

/// <summary>
/// Harrell's concordance of a risk score with right-censored times and its infinitesimal-jackknife
/// standard error, computed as survival 3.5-3's <c>concordancefit(..., reverse = TRUE)</c> does for
/// <c>coxph</c>, counting the pairs in a merge sort on the scores over the time order: O(n log n).
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

    /// <summary>What the count reads of each row, in the order it takes the rows (by stratum, then time).</summary>
    /// <param name="Times">Follow-up times.</param>
    /// <param name="Events">Event indicators.</param>
    /// <param name="Weights">Case weights; null when all are 1.</param>
    /// <param name="Risk">Risk scores (larger: shorter survival). The count uses this array's storage as working space, so its values are lost.</param>
    internal sealed record RowsInOrder(double[] Times, bool[] Events, double[]? Weights, double[] Risk);

    /// <summary>As <see cref="Compute(SurvivalData, double[], int[], int[], int, int)"/>, from rows already in <paramref name="order"/> (a Cox fit holds them so); the risk scores' array is used up.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static CoxConcordance Compute(SurvivalData data, int[] order, RowsInOrder sorted, int[]? clusterIndex, int clusterCount, int parallelFromRows = ParallelFromRows)
    {
        var stratumIndex = !data.HasStrata ? null : CoxLikelihood.StratumIndex(data);
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

    /// <summary>Strata of at least this many rows are counted on two threads, when there are two processors (the counts come out the same either way, to the last bit: the halves are fixed by position).</summary>
    internal const int ParallelFromRows = 50_000;

    /// <summary>Adds one stratum's counts (greater, less, tied score, tied time, tied both) and per-subject influence.</summary>
    /// <remarks>
    /// <para>
    /// A pair counts when its shorter time is a death and the other row is still at risk then: a later time, or the same
    /// time censored (deaths come before censorings at a time). Each such pair adds to both of its rows' influences, so
    /// per row two sums are wanted: for a death, how the rows at risk after it compare with it; for every row, how the
    /// deaths before it compare with it. Both are dominance counts over (position, score), found by a divide-and-conquer
    /// merge sort on the scores (<see cref="PairCounter{T}.CountPairs"/>): every pass over the rows is in sequence, where
    /// a tree over the ranks of the scores reads out of sequence at every step, which bounds it on a machine whose memory
    /// is slow (measured: 1.3 to 1.7 times the time here).
    /// The two halves of a large stratum are counted on two threads.
    /// </para>
    /// <para>
    /// The influences are kept by position (<paramref name="influence"/> holds two per position: concordant − discordant
    /// and all comparable pairs, each weighted by the partner), and the scores' storage, spent once the sort holds the
    /// scores, keeps each death's partial sums until the last pass. Sums are ints when every weight is 1 (exact).
    /// </para>
    /// </remarks>
    private static void CountStratum(int offset, int m, RowsInOrder sorted, double[] counts, double[] influence, bool twoThreads)
    {
        if (sorted.Weights is null)
        {
            CountStratum<int>(offset, m, sorted, counts, influence, twoThreads);
        }
        else
        {
            CountStratum<double>(offset, m, sorted, counts, influence, twoThreads);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CountStratum<T>(int offset, int m, RowsInOrder sorted, double[] counts, double[] influence, bool twoThreads)
        where T : unmanaged, INumber<T>
    {
        var times = sorted.Times.AsSpan(offset, m);
        var events = sorted.Events.AsSpan(offset, m);
        ReadOnlySpan<double> weights = sorted.Weights is null ? default : sorted.Weights.AsSpan(offset, m);
        var local = influence.AsSpan(2 * offset, 2 * m);

        // Each row's score is held as bits in the order of the numbers (equal scores, −0 and 0 included, equal keys), so
        // that the merge sort ranks them as it goes. Then the scores' storage holds, per death, twice its weight of
        // later rows at risk with a smaller score plus the weight of those with an equal one.
        var partial = sorted.Risk.AsSpan(offset, m);
        var entries = new Entry<T>[m];
        for (var k = 0; k < m; k++)
        {
            entries[k] = new Entry<T>
            {
                Key = TimeSort.OrderedBits(partial[k]),
                Position = events[k] ? ~k : k,
                Weight = weights.IsEmpty ? T.One : T.CreateTruncating(weights[k]),
            };
        }

        var spare = (Entry<T>[])entries.Clone();
        var pairs = new PairCounter<T>(sorted.Times, sorted.Events, offset);
        if (twoThreads && m > PairCounter<T>.DirectLimit && !pairs.OneDeathGroup(0, m))
        {
            var middle = pairs.SplitPoint(0, m);
            var first = Task.Run(() => pairs.CountPairs(spare, entries, 0, middle));
            pairs.CountPairs(spare, entries, middle, m);
            first.GetAwaiter().GetResult();
            PairCounter<T>.Merge(spare, 0, middle, m, entries);
        }
        else
        {
            pairs.CountPairs(entries, spare, 0, m);
        }

        // The closure above holds the spare array too: let it go before the passes below.
        spare = null;

        // The entries are now in order of score, and of position within a score. Each row's sums go to its position.
        var less = 0.0;
        foreach (var entry in entries)
        {
            var position = entry.Position < 0 ? ~entry.Position : entry.Position;
            var lessAtRisk = double.CreateTruncating(entry.LessAtRisk);
            if (entry.Position < 0)
            {
                partial[position] = 2 * lessAtRisk;
                less += double.CreateTruncating(entry.Weight) * lessAtRisk;
            }

            local[2 * position] = 2 * double.CreateTruncating(entry.DeathsNotAbove);
        }

        // Rows with equal scores: each death's rows at risk of equal score, and each row's earlier deaths of equal
        // score (counted above as not above it), within each run of one score, in order of position.
        var equal = 0.0;
        var tiedBoth = 0.0;
        var run = 0;
        while (run < m)
        {
            var runEnd = run + 1;
            while (runEnd < m && entries[runEnd].Key == entries[run].Key)
            {
                runEnd++;
            }

            if (runEnd - run > 1)
            {
                EqualScores(entries.AsSpan(run, runEnd - run), times, local, partial, ref equal, ref tiedBoth);
            }

            run = runEnd;
        }

        // Last, in order of position: the weight at risk after each death group (walking back) and the weight of the
        // deaths before each row (walking forward) complete both sums.
        var greater = 0.0;
        var tiedTime = 0.0;
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

            var groupStart = DeathGroupStart(times, events, k2);
            var deathWeight = 0.0;
            for (var k = k2; k >= groupStart; k--)
            {
                var w = weights.IsEmpty ? 1.0 : weights[k];
                tiedTime += w * deathWeight;
                deathWeight += w;

                // partial = 2·less + equal, so at risk − partial = greater − less.
                local[2 * k] += atRisk - partial[k];
                local[(2 * k) + 1] += atRisk;
                greater += w * atRisk;
            }

            atRisk += deathWeight;
            k2 = groupStart - 1;
        }

        var deathsBefore = 0.0;
        var position2 = 0;
        while (position2 < m)
        {
            if (!events[position2])
            {
                // 2·(not above) − equal − before = below − above.
                local[2 * position2] -= deathsBefore;
                local[(2 * position2) + 1] += deathsBefore;
                position2++;
                continue;
            }

            var groupEnd = DeathGroupEnd(times, events, position2);
            var groupWeight = 0.0;
            for (var k = position2; k <= groupEnd; k++)
            {
                local[2 * k] -= deathsBefore;
                local[(2 * k) + 1] += deathsBefore;
                groupWeight += weights.IsEmpty ? 1.0 : weights[k];
            }

            deathsBefore += groupWeight;
            position2 = groupEnd + 1;
        }

        // Σ w·greater = Σ w·at risk − Σ w·less − Σ w·equal: the sums add in different orders, so with fractional weights
        // a count of none can come out a rounding error below zero; it is none.
        counts[0] += Math.Max(0, greater - less - equal);
        counts[1] += less;
        counts[2] += equal;
        counts[3] += tiedTime;
        counts[4] += tiedBoth;
    }

    /// <summary>
    /// One run of rows with one score, in order of position: adds each death's weight of rows at risk after its group
    /// (to <paramref name="partial"/> and <paramref name="equal"/>), takes each row's weight of deaths in earlier groups
    /// off its not-above sum (leaving 2·below + equal there), and adds the pairs of deaths tied on both.
    /// </summary>
    private static void EqualScores<T>(ReadOnlySpan<Entry<T>> runEntries, ReadOnlySpan<double> times, Span<double> local, Span<double> partial, ref double equal, ref double tiedBoth)
        where T : unmanaged, INumber<T>
    {
        // Forward: deaths in earlier groups.
        var earlier = 0.0;
        var i = 0;
        while (i < runEntries.Length)
        {
            if (runEntries[i].Position >= 0)
            {
                local[2 * runEntries[i].Position] -= earlier;
                i++;
                continue;
            }

            // Pairs of the group's deaths tied on both: each death with those before it in the run, as a running sum
            // (not ((Σw)² − Σw²)/2, which loses the small weights beside a large one).
            var groupTime = times[~runEntries[i].Position];
            var sum = 0.0;
            var j = i;
            for (; j < runEntries.Length && runEntries[j].Position < 0 && times[~runEntries[j].Position] == groupTime; j++)
            {
                local[2 * ~runEntries[j].Position] -= earlier;
                var w = double.CreateTruncating(runEntries[j].Weight);
                tiedBoth += w * sum;
                sum += w;
            }

            earlier += sum;
            i = j;
        }

        // Backward: rows at risk after each death group.
        var later = 0.0;
        i = runEntries.Length - 1;
        while (i >= 0)
        {
            if (runEntries[i].Position >= 0)
            {
                later += double.CreateTruncating(runEntries[i].Weight);
                i--;
                continue;
            }

            var groupTime = times[~runEntries[i].Position];
            var sum = 0.0;
            var j = i;
            for (; j >= 0 && runEntries[j].Position < 0 && times[~runEntries[j].Position] == groupTime; j--)
            {
                var w = double.CreateTruncating(runEntries[j].Weight);
                partial[~runEntries[j].Position] += later;
                equal += w * later;
                sum += w;
            }

            later += sum;
            i = j;
        }
    }

    /// <summary>A row in the pair count: its score's key, its position (complemented for a death), its weight and its two running sums.</summary>
    private struct Entry<T>
        where T : unmanaged, INumber<T>
    {
        /// <summary>The score's bits, ordered as the scores (<see cref="TimeSort.OrderedBits"/>).</summary>
        public ulong Key;

        public int Position;
        public T Weight;

        /// <summary>For a death: the weight of rows at risk after it with a smaller score.</summary>
        public T LessAtRisk;

        /// <summary>For every row: the weight of deaths before it with a score not above its own.</summary>
        public T DeathsNotAbove;
    }

    /// <summary>The divide-and-conquer pair count of one stratum (times and events by position).</summary>
    private sealed class PairCounter<T>(double[] times, bool[] events, int offset)
        where T : unmanaged, INumber<T>
    {
        /// <summary>Ranges up to this long count their pairs directly.</summary>
        public const int DirectLimit = 24;

        /// <summary>Whether positions [lo, hi) are all deaths at one time (no pair among them counts).</summary>
        public bool OneDeathGroup(int lo, int hi)
            => events[offset + lo] && events[offset + hi - 1] && times[offset + lo] == times[offset + hi - 1];

        /// <summary>A position near the middle of [lo, hi), strictly inside, that does not cut a group of deaths at one time.</summary>
        public int SplitPoint(int lo, int hi)
        {
            var middle = lo + ((hi - lo) / 2);
            if (!SameDeathGroup(middle - 1, middle))
            {
                return middle;
            }

            var start = middle - 1;
            while (start > lo && SameDeathGroup(start - 1, start))
            {
                start--;
            }

            var end = middle;
            while (end < hi - 1 && SameDeathGroup(end, end + 1))
            {
                end++;
            }

            // [start, end] is the group; one of its edges lies strictly inside the range, as the range is not one group.
            var before = start > lo ? start : -1;
            var after = end + 1 < hi ? end + 1 : -1;
            return before < 0 ? after : after < 0 ? before : (middle - before <= after - middle ? before : after);
        }

        /// <summary>
        /// Sorts entries [lo, hi) by score (equal scores by position) into <paramref name="a"/>, adding to each death's
        /// <see cref="Entry{T}.LessAtRisk"/> and each row's <see cref="Entry{T}.DeathsNotAbove"/> the pairs within the
        /// range. On entry both arrays hold the range in order of position.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void CountPairs(Entry<T>[] a, Entry<T>[] b, int lo, int hi)
        {
            if (hi - lo < 2)
            {
                return;
            }

            if (OneDeathGroup(lo, hi))
            {
                // Deaths at one time are no pair: only the order by score is wanted.
                SortOnly(a, b, lo, hi);
                return;
            }

            if (hi - lo <= DirectLimit)
            {
                CountDirectly(a, lo, hi);
                return;
            }

            var middle = SplitPoint(lo, hi);
            CountPairs(b, a, lo, middle);
            CountPairs(b, a, middle, hi);
            Merge(b, lo, middle, hi, a);
        }

        /// <summary>
        /// Merges the sorted halves [lo, middle) and [middle, hi) of <paramref name="source"/> into <paramref name="target"/>,
        /// adding the pairs across them: the left half is the earlier, so each left death gains the right rows below its
        /// score, and each right row the left deaths at or below its score (at equal scores the left goes first).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Merge(Entry<T>[] source, int lo, int middle, int hi, Entry<T>[] target)
        {
            var rightBelow = T.Zero;
            var leftDeaths = T.Zero;
            var i = lo;
            var j = middle;
            var o = lo;
            while (i < middle && j < hi)
            {
                if (source[j].Key < source[i].Key)
                {
                    var entry = source[j++];
                    entry.DeathsNotAbove += leftDeaths;
                    rightBelow += entry.Weight;
                    target[o++] = entry;
                }
                else
                {
                    var entry = source[i++];
                    entry.LessAtRisk += rightBelow;
                    leftDeaths += entry.Position < 0 ? entry.Weight : T.Zero;
                    target[o++] = entry;
                }
            }

            while (i < middle)
            {
                var entry = source[i++];
                entry.LessAtRisk += rightBelow;
                target[o++] = entry;
            }

            while (j < hi)
            {
                var entry = source[j++];
                entry.DeathsNotAbove += leftDeaths;
                target[o++] = entry;
            }
        }

        /// <summary>Sorts entries [lo, hi) by score (equal scores by position) into <paramref name="a"/>, counting nothing; both arrays hold the range on entry.</summary>
        private static void SortOnly(Entry<T>[] a, Entry<T>[] b, int lo, int hi)
        {
            if (hi - lo <= DirectLimit)
            {
                InsertionSort(a, lo, hi);
                return;
            }

            var middle = lo + ((hi - lo) / 2);
            SortOnly(b, a, lo, middle);
            SortOnly(b, a, middle, hi);
            var i = lo;
            var j = middle;
            var o = lo;
            while (i < middle && j < hi)
            {
                a[o++] = b[j].Key < b[i].Key ? b[j++] : b[i++];
            }

            while (i < middle)
            {
                a[o++] = b[i++];
            }

            while (j < hi)
            {
                a[o++] = b[j++];
            }
        }

        /// <summary>A stable insertion sort of [lo, hi) by score.</summary>
        private static void InsertionSort(Entry<T>[] a, int lo, int hi)
        {
            for (var k = lo + 1; k < hi; k++)
            {
                var entry = a[k];
                var to = k;
                while (to > lo && a[to - 1].Key > entry.Key)
                {
                    a[to] = a[to - 1];
                    to--;
                }

                a[to] = entry;
            }
        }

        /// <summary>A short range (in order of position, not one death group): every pair directly, then an insertion sort by score.</summary>
        private void CountDirectly(Entry<T>[] a, int lo, int hi)
        {
            for (var later = lo + 1; later < hi; later++)
            {
                for (var earlier = lo; earlier < later; earlier++)
                {
                    if (a[earlier].Position >= 0 || SameDeathGroup(earlier, later))
                    {
                        continue;
                    }

                    if (a[later].Key < a[earlier].Key)
                    {
                        a[earlier].LessAtRisk += a[later].Weight;
                    }
                    else
                    {
                        a[later].DeathsNotAbove += a[earlier].Weight;
                    }
                }
            }

            InsertionSort(a, lo, hi);
        }

        private bool SameDeathGroup(int first, int second)
            => events[offset + first] && events[offset + second] && times[offset + first] == times[offset + second];
    }

    /// <summary>The last position of the run of deaths at the time of the death at <paramref name="first"/> that starts there.</summary>
    private static int DeathGroupEnd(ReadOnlySpan<double> times, ReadOnlySpan<bool> events, int first)
    {
        var last = first;
        while (last + 1 < times.Length && events[last + 1] && times[last + 1] == times[first])
        {
            last++;
        }

        return last;
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
}
