using CsCheck;

namespace GistNotebooks.Testing;

/// <summary>
/// Property checks over a fixed list of samples: CsCheck's own <c>Sample</c> uses its seed for the first sample only
/// and draws the rest at random, so a rare case could fail one run and pass the next. Here every sample's seed comes
/// from the one given, so each run checks the same samples; a failure names the seed of its sample, which
/// <c>Sample(..., seed: thatSeed, iter: 1)</c> replays alone.
/// </summary>
internal static class FixedSamples
{
    /// <summary>Checks <paramref name="property"/> on <paramref name="iter"/> samples fixed by <paramref name="seed"/>.</summary>
    public static void SampleFixed<T>(this Gen<T> gen, Action<T> property, string seed, int iter = 100)
    {
        foreach (var one in Seeds(seed, iter))
        {
            gen.Sample(property, seed: one, iter: 1, threads: 1);
        }
    }

    /// <summary>Checks that <paramref name="property"/> holds on <paramref name="iter"/> samples fixed by <paramref name="seed"/>.</summary>
    public static void SampleFixed<T>(this Gen<T> gen, Func<T, bool> property, string seed, int iter = 100)
    {
        foreach (var one in Seeds(seed, iter))
        {
            gen.Sample(property, seed: one, iter: 1, threads: 1);
        }
    }

    /// <inheritdoc cref="SampleFixed{T}(Gen{T}, Action{T}, string, int)"/>
    public static void SampleFixed<T1, T2>(this Gen<(T1, T2)> gen, Action<T1, T2> property, string seed, int iter = 100)
        => gen.SampleFixed(t => property(t.Item1, t.Item2), seed, iter);

    /// <inheritdoc cref="SampleFixed{T}(Gen{T}, Action{T}, string, int)"/>
    public static void SampleFixed<T1, T2, T3>(this Gen<(T1, T2, T3)> gen, Action<T1, T2, T3> property, string seed, int iter = 100)
        => gen.SampleFixed(t => property(t.Item1, t.Item2, t.Item3), seed, iter);

    /// <summary>The seeds of the samples: the first is the one given, the rest drawn from it in turn.</summary>
    private static IEnumerable<string> Seeds(string seed, int count)
    {
        var source = PCG.Parse(seed);
        yield return seed;
        for (var i = 1; i < count; i++)
        {
            yield return new PCG(source.Stream, source.Next64()).ToString();
        }
    }
}
