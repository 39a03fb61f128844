using CsCheck;
using GistNotebooks.Testing;

namespace GistNotebooks.Survival.Tests;

/// <summary>The property checks' samples are many and different, and the same on every run.</summary>
public sealed class FixedSamplesTests
{
    [Fact]
    public void The_samples_differ_from_each_other_and_repeat_run_to_run()
    {
        List<long> Draw(string seed)
        {
            var drawn = new List<long>();
            Gen.Long.SampleFixed(drawn.Add, seed, iter: 200);
            return drawn;
        }

        var first = Draw("0N0XIzNsQ0O2");
        Assert.Equal(200, first.Count);
        Assert.True(first.Distinct().Count() > 190, "the samples are drawn afresh, not one seed over again");
        Assert.Equal(first, Draw("0N0XIzNsQ0O2"));
        Assert.NotEqual(first, Draw("3Wd6VszcMv40"));
    }

    [Fact]
    public void A_failing_sample_names_its_own_seed()
    {
        var error = Assert.ThrowsAny<Exception>(() => Gen.Int[0, 99].SampleFixed(x => x != 7, "0N0XIzNsQ0O2", iter: 2000));
        Assert.Contains("seed", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
