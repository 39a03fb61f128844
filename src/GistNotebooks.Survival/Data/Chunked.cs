using System.Collections;
using System.Runtime.CompilerServices;

namespace GistNotebooks.Survival.Data;

/// <summary>
/// A read-only list kept in chunks of 65,536 items: a column of unknown length grows chunk by chunk while it is read
/// and is never copied into one array, so a table holds its data once, not twice, at its peak.
/// </summary>
/// <remarks>
/// Only the last chunk may be shorter than <see cref="Length"/> (it needs room only up to <see cref="Count"/>), so that
/// a table of a few rows, such as a reconstructed cohort, takes a few hundred bytes a column rather than half a megabyte.
/// </remarks>
internal sealed class Chunked<T> : IReadOnlyList<T>
{
    /// <summary>log₂ of the chunk length.</summary>
    public const int Shift = 16;

    /// <summary>The number of items in a chunk.</summary>
    public const int Length = 1 << Shift;

    private const int Mask = Length - 1;

    private readonly T[]?[] chunks;

    /// <param name="chunks">The chunks, each <see cref="Length"/> long except the last, which needs room only for the items; a null chunk reads as default values.</param>
    /// <param name="count">The number of items (the last chunk may be partly used).</param>
    public Chunked(T[]?[] chunks, int count)
    {
        this.chunks = chunks;
        Count = count;
    }

    /// <inheritdoc/>
    public int Count { get; }

    /// <summary>Whether some chunk is present (for a mask, whether any item may be set).</summary>
    public bool Any => chunks.Any(c => c is not null);

    /// <inheritdoc/>
    public T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index));
            }

            var chunk = chunks[index >> Shift];
            return chunk is null ? default! : chunk[index & Mask];
        }
    }

    /// <summary>The number of chunks.</summary>
    public int ChunkCount => chunks.Length;

    /// <summary>The items of chunk <paramref name="k"/> (items k·<see cref="Length"/> onwards); empty for an absent chunk, whose items read as default values.</summary>
    public ReadOnlySpan<T> Chunk(int k) => chunks[k] is T[] chunk ? chunk.AsSpan(0, Math.Min(Length, Count - (k << Shift))) : default;

    /// <summary>Writes item i to <paramref name="destination"/>[<paramref name="offset"/> + i·<paramref name="stride"/>]: one column of a row-major matrix.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CopyTo(Span<T> destination, int offset, int stride)
    {
        for (var k = 0; k < chunks.Length; k++)
        {
            var start = offset + ((k << Shift) * stride);
            if (chunks[k] is not T[] chunk)
            {
                var length = Math.Min(Length, Count - (k << Shift));
                for (var i = 0; i < length; i++)
                {
                    destination[start + (i * stride)] = default!;
                }

                continue;
            }

            var items = chunk.AsSpan(0, Math.Min(Length, Count - (k << Shift)));
            for (var i = 0; i < items.Length; i++)
            {
                destination[start + (i * stride)] = items[i];
            }
        }
    }

    /// <summary>Items of an array, copied into chunks.</summary>
    public static Chunked<T> From(IReadOnlyList<T> items)
    {
        var count = items.Count;
        var chunks = new T[]?[(count + Mask) >> Shift];
        for (var k = 0; k < chunks.Length; k++)
        {
            var start = k << Shift;
            var length = Math.Min(Length, count - start);
            var chunk = new T[length];
            for (var i = 0; i < length; i++)
            {
                chunk[i] = items[start + i];
            }

            chunks[k] = chunk;
        }

        return new Chunked<T>(chunks, count);
    }

    /// <summary>A new array holding the items.</summary>
    public T[] ToArray()
    {
        var result = new T[Count];
        for (var k = 0; k < chunks.Length; k++)
        {
            var start = k << Shift;
            if (chunks[k] is T[] chunk)
            {
                Array.Copy(chunk, 0, result, start, Math.Min(Length, Count - start));
            }
        }

        return result;
    }

    /// <summary>The index of the first item for which <paramref name="equal"/> holds, or −1.</summary>
    public int IndexOf(Func<T, bool> equal)
    {
        for (var i = 0; i < Count; i++)
        {
            if (equal(this[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
