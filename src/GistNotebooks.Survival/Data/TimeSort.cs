using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
namespace GistNotebooks.Survival.Data;

/// <summary>The one sort every estimator starts from: row indices by time ascending.</summary>
internal static class TimeSort
{
    /// <summary>
    /// Row indices sorted by time ascending; within a run of equal times, rows whose <paramref name="first"/> flag
    /// is set come first, then rows in their original order (so the result is reproducible).
    /// </summary>
    public static int[] Order(double[] time, bool[]? first) => Order(time, first, out _);

    /// <summary>Rows from which the sort's passes run on two cores, when the machine has them.</summary>
    internal const int TwoCoresFromRows = 100_000;

    /// <summary>
    /// As <see cref="Order(double[], bool[])"/>, also giving the times in that order, so that a pass over the sorted rows
    /// reads its times in sequence instead of gathering them row by row.
    /// </summary>
    /// <remarks>
    /// A stable bucket sort on the bits of the times (<see cref="SortKeys(ulong[], int[])"/>): linear in the rows for the
    /// usual survival times, where a comparison sort costs n log n. Seeding it with the flagged rows first, each group in
    /// row order, gives the tie order for free, since a stable sort keeps it.
    /// </remarks>
    public static int[] Order(double[] time, bool[]? first, out double[] sortedTime)
        => Order(time, first, out sortedTime, time.Length >= TwoCoresFromRows && Environment.ProcessorCount > 1);

    /// <summary>As <see cref="Order(double[], bool[], out double[])"/>, on two cores or one as asked (tests compare them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int[] Order(double[] time, bool[]? first, out double[] sortedTime, bool twoCores)
    {
        var n = time.Length;
        var order = new int[n];
        var filled = 0;
        if (first is not null)
        {
            for (var i = 0; i < n; i++)
            {
                if (first[i])
                {
                    order[filled++] = i;
                }
            }
        }

        for (var i = 0; i < n; i++)
        {
            if (first is null || !first[i])
            {
                order[filled++] = i;
            }
        }

        sortedTime = new double[n];
        if (HasNaN(time))
        {
            // NaN has no place in an ordering of bits: a stable comparison sort of the seeded order.
            var position = new int[n];
            for (var k = 0; k < n; k++)
            {
                position[order[k]] = k;
            }

            Array.Sort(order, (a, b) =>
            {
                var c = time[a].CompareTo(time[b]);
                return c != 0 ? c : position[a].CompareTo(position[b]);
            });
            for (var k = 0; k < n; k++)
            {
                sortedTime[k] = time[order[k]];
            }

            return order;
        }

        var keys = new ulong[n];
        var sorted = sortedTime;
        OnHalves(n, twoCores, (from, to) =>
        {
            for (var k = from; k < to; k++)
            {
                keys[k] = OrderedBits(time[order[k]]);
            }
        });

        // The sorted times' array serves as the sort's scratch space for keys first (same size), then receives the times.
        if (n > 1)
        {
            var scratch = new int[n];
            if (twoCores)
            {
                SortKeysOnTwoCores(keys, order, sorted, scratch);
            }
            else
            {
                SortKeys(keys, order, MemoryMarshal.Cast<double, ulong>(sorted.AsSpan()), scratch);
            }
        }

        OnHalves(n, twoCores, (from, to) =>
        {
            for (var k = from; k < to; k++)
            {
                sorted[k] = FromOrderedBits(keys[k]);
            }
        });

        return order;
    }

    /// <summary>Runs <paramref name="rows"/> over [0, n) in one piece, or in two halves on two cores.</summary>
    private static void OnHalves(int n, bool twoCores, Action<int, int> rows)
    {
        if (twoCores)
        {
            Parallel.Invoke(() => rows(0, n / 2), () => rows(n / 2, n));
        }
        else
        {
            rows(0, n);
        }
    }

    /// <summary>
    /// The first level of <see cref="SortKeys(Span{ulong}, Span{int}, Span{ulong}, Span{int})"/> on two cores, for the
    /// same result: each core counts the buckets of its half of the rows; the first half's rows take the first slots of
    /// each bucket (so the move stays stable) and each core moves its own half; then each finishes the buckets that hold
    /// about half of the rows. The scattered move is most of the sort's time at 10⁶ rows.
    /// </summary>
    private static void SortKeysOnTwoCores(ulong[] keys, int[] values, double[] scratchTimes, int[] scratchValues)
    {
        var n = keys.Length;
        var half = n / 2;
        if (!Layout(keys, out var min, out var shift, out var buckets))
        {
            return;
        }

        var firstCounts = new int[buckets];
        var secondCounts = new int[buckets];
        Parallel.Invoke(() => Count(keys, 0, half, min, shift, firstCounts), () => Count(keys, half, n, min, shift, secondCounts));

        // Bucket b holds the first half's rows, then the second's, from starts[b].
        var starts = new int[buckets + 1];
        var secondNext = new int[buckets];
        for (var b = 0; b < buckets; b++)
        {
            secondNext[b] = starts[b] + firstCounts[b];
            starts[b + 1] = secondNext[b] + secondCounts[b];
        }

        var firstNext = starts.AsSpan(0, buckets).ToArray();
        Parallel.Invoke(
            () => Move(keys.AsSpan(0, half), values.AsSpan(0, half), min, shift, firstNext, MemoryMarshal.Cast<double, ulong>(scratchTimes.AsSpan()), scratchValues),
            () => Move(keys.AsSpan(half), values.AsSpan(half), min, shift, secondNext, MemoryMarshal.Cast<double, ulong>(scratchTimes.AsSpan()), scratchValues));

        // The buckets split where about half of the rows lie; each core finishes its buckets and copies them back.
        var middle = Array.BinarySearch(starts, half);
        var cut = middle >= 0 ? middle : ~middle;
        Parallel.Invoke(
            () => Finish(MemoryMarshal.Cast<double, ulong>(scratchTimes.AsSpan()), scratchValues, keys, values, starts, 0, cut, shift),
            () => Finish(MemoryMarshal.Cast<double, ulong>(scratchTimes.AsSpan()), scratchValues, keys, values, starts, cut, buckets, shift));
    }

    /// <summary>
    /// The buckets of one level of the sort: about four rows a bucket, between 2⁴ and 2¹⁶ buckets, cut from the leading
    /// bits of key − min. False when every key is equal (nothing to sort).
    /// </summary>
    private static bool Layout(ReadOnlySpan<ulong> keys, out ulong min, out int shift, out int buckets)
    {
        min = ulong.MaxValue;
        var max = ulong.MinValue;
        foreach (var key in keys)
        {
            min = Math.Min(min, key);
            max = Math.Max(max, key);
        }

        var bucketBits = Math.Clamp(BitOperations.Log2((uint)keys.Length) - 2, 4, 16);
        var rangeBits = 64 - BitOperations.LeadingZeroCount(max - min);
        shift = Math.Max(0, rangeBits - bucketBits);
        buckets = 1 << Math.Min(bucketBits, rangeBits);
        return min != max;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Count(ulong[] keys, int from, int to, ulong min, int shift, int[] counts)
    {
        for (var k = from; k < to; k++)
        {
            counts[(int)((keys[k] - min) >> shift)]++;
        }
    }

    /// <summary>Moves each row into the next free slot of its bucket in the scratch space (<paramref name="next"/> holds those slots, from the scratch space's start).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Move(ReadOnlySpan<ulong> keys, ReadOnlySpan<int> values, ulong min, int shift, Span<int> next, Span<ulong> scratchKeys, Span<int> scratchValues)
    {
        for (var k = 0; k < keys.Length; k++)
        {
            var key = keys[k];
            var slot = next[(int)((key - min) >> shift)]++;
            scratchKeys[slot] = key;
            scratchValues[slot] = values[k];
        }
    }

    /// <summary>
    /// Finishes buckets [<paramref name="fromBucket"/>, <paramref name="toBucket"/>) in the scratch space (with the
    /// input's space as their own scratch; not at all when <paramref name="shift"/> is 0, since each bucket's keys are
    /// then equal), then copies their rows back.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Finish(Span<ulong> scratchKeys, Span<int> scratchValues, Span<ulong> keys, Span<int> values, int[] starts, int fromBucket, int toBucket, int shift)
    {
        for (var b = fromBucket; b < toBucket; b++)
        {
            var from = starts[b];
            var length = starts[b + 1] - from;
            if (shift > 0 && length > 1)
            {
                SortKeys(scratchKeys.Slice(from, length), scratchValues.Slice(from, length), keys.Slice(from, length), values.Slice(from, length));
            }
        }

        var range = new Range(starts[fromBucket], starts[toBucket]);
        scratchKeys[range].CopyTo(keys[range]);
        scratchValues[range].CopyTo(values[range]);
    }

    /// <summary>Whether some time is NaN (a plain loop: a predicate delegate per row cost 25 ms at 10⁶ rows).</summary>
    private static bool HasNaN(double[] time)
    {
        foreach (var t in time)
        {
            if (double.IsNaN(t))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Sorts <paramref name="keys"/> ascending, carrying <paramref name="values"/> along; stable.</summary>
    /// <remarks>
    /// Most-significant-first bucket sort: the keys' range is cut into up to 2¹⁶ buckets by its leading bits, the rows
    /// are counted and moved into their buckets in order (a stable counting sort), and each bucket is finished the same
    /// way on its own range, or by insertion when small, or not at all when its keys are equal. Survival times have
    /// either many ties (days, months: a bucket per distinct time, done after one move) or spread-out values (a few rows
    /// a bucket): about two passes over the data either way. A least-significant-digit radix sort instead moves every
    /// row once per byte of the key: six to eight passes.
    /// </remarks>
    internal static void SortKeys(ulong[] keys, int[] values)
    {
        var n = keys.Length;
        if (n < 2)
        {
            return;
        }

        SortKeys(keys, values, new ulong[n], new int[n]);
    }

    /// <summary>Runs up to this long are finished by insertion.</summary>
    private const int InsertionLimit = 48;

    /// <summary>As <see cref="SortKeys(ulong[], int[])"/>, with the caller's scratch space (as long as the keys; its contents are lost).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void SortKeys(Span<ulong> keys, Span<int> values, Span<ulong> scratchKeys, Span<int> scratchValues)
    {
        var n = keys.Length;
        if (n <= InsertionLimit)
        {
            InsertionSort(keys, values);
            return;
        }

        if (!Layout(keys, out var min, out var shift, out var buckets))
        {
            return;
        }

        var starts = new int[buckets + 1];
        foreach (var key in keys)
        {
            starts[(int)((key - min) >> shift) + 1]++;
        }

        for (var b = 0; b < buckets; b++)
        {
            starts[b + 1] += starts[b];
        }

        Move(keys, values, min, shift, starts.AsSpan(0, buckets).ToArray(), scratchKeys, scratchValues);
        Finish(scratchKeys, scratchValues, keys, values, starts, 0, buckets, shift);
    }

    /// <summary>Stable insertion sort for short runs.</summary>
    private static void InsertionSort(Span<ulong> keys, Span<int> values)
    {
        for (var i = 1; i < keys.Length; i++)
        {
            var key = keys[i];
            var value = values[i];
            var j = i - 1;
            while (j >= 0 && keys[j] > key)
            {
                keys[j + 1] = keys[j];
                values[j + 1] = values[j];
                j--;
            }

            keys[j + 1] = key;
            values[j + 1] = value;
        }
    }

    /// <summary>The bits of a double rearranged so that unsigned order is numeric order (−0 and +0 equal).</summary>
    internal static ulong OrderedBits(double value)
    {
        var bits = (ulong)BitConverter.DoubleToInt64Bits(value == 0 ? 0.0 : value);
        return (bits & 0x8000_0000_0000_0000UL) != 0 ? ~bits : bits | 0x8000_0000_0000_0000UL;
    }

    /// <summary>The double whose <see cref="OrderedBits"/> these are (+0 for either zero).</summary>
    internal static double FromOrderedBits(ulong key)
        => BitConverter.Int64BitsToDouble((long)((key & 0x8000_0000_0000_0000UL) != 0 ? key & 0x7FFF_FFFF_FFFF_FFFFUL : ~key));
}
