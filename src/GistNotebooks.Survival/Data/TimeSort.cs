using System.Runtime.CompilerServices;
namespace GistNotebooks.Survival.Data;

/// <summary>The one sort every estimator starts from: row indices by time ascending.</summary>
internal static class TimeSort
{
    /// <summary>Below this many rows a comparison sort is as fast as the radix passes and allocates less.</summary>
    private const int RadixThreshold = 2048;

    /// <summary>
    /// Row indices sorted by time ascending; within a run of equal times, rows whose <paramref name="first"/> flag
    /// is set come first, then rows in their original order (so the result is reproducible).
    /// </summary>
    /// <remarks>
    /// A stable least-significant-digit radix sort on the bits of the times (8 bits a pass, passes whose byte is the
    /// same in every key skipped): linear in the rows, where a comparison sort costs n log n. Seeding it with the
    /// flagged rows first, each group in row order, gives the tie order for free, since a stable sort keeps it.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] Order(double[] time, bool[]? first)
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

        if (n < RadixThreshold || Array.Exists(time, double.IsNaN))
        {
            // Small input (or NaN, which has no place in an ordering of bits): a stable comparison sort of the seeded order.
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
            return order;
        }

        var keys = new ulong[n];
        for (var k = 0; k < n; k++)
        {
            keys[k] = OrderedBits(time[order[k]]);
        }

        RadixSort(keys, order);
        return order;
    }

    /// <summary>Sorts <paramref name="keys"/> ascending, carrying <paramref name="values"/> along; stable.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RadixSort(ulong[] keys, int[] values)
    {
        var n = keys.Length;
        Span<int> counts = stackalloc int[8 * 256];
        counts.Clear();
        foreach (var key in keys)
        {
            for (var b = 0; b < 8; b++)
            {
                counts[(b << 8) + (int)((key >> (8 * b)) & 0xFF)]++;
            }
        }

        var keyBuffer = new ulong[n];
        var valueBuffer = new int[n];
        var sourceKeys = keys;
        var sourceValues = values;
        var targetKeys = keyBuffer;
        var targetValues = valueBuffer;
        Span<int> offsets = stackalloc int[256];
        for (var b = 0; b < 8; b++)
        {
            var histogram = counts.Slice(b << 8, 256);
            if (histogram.Contains(n))
            {
                // Every key has the same byte here: this pass would not move anything.
                continue;
            }

            var sum = 0;
            for (var d = 0; d < 256; d++)
            {
                offsets[d] = sum;
                sum += histogram[d];
            }

            var shift = 8 * b;
            for (var k = 0; k < n; k++)
            {
                var key = sourceKeys[k];
                var slot = offsets[(int)((key >> shift) & 0xFF)]++;
                targetKeys[slot] = key;
                targetValues[slot] = sourceValues[k];
            }

            (sourceKeys, targetKeys) = (targetKeys, sourceKeys);
            (sourceValues, targetValues) = (targetValues, sourceValues);
        }

        if (!ReferenceEquals(sourceKeys, keys))
        {
            Array.Copy(sourceKeys, keys, n);
            Array.Copy(sourceValues, values, n);
        }
    }

    /// <summary>The bits of a double rearranged so that unsigned order is numeric order (−0 and +0 equal).</summary>
    internal static ulong OrderedBits(double value)
    {
        var bits = (ulong)BitConverter.DoubleToInt64Bits(value == 0 ? 0.0 : value);
        return (bits & 0x8000_0000_0000_0000UL) != 0 ? ~bits : bits | 0x8000_0000_0000_0000UL;
    }
}
