using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Tests.Data;

/// <summary>The level of each label, whether labels share instances (read from a table) or not (built by hand).</summary>
public sealed class LevelIndexTests
{
    [Fact]
    public void Each_label_gets_its_level_whatever_the_instances()
    {
        var a = "a";
        var b = "b";
        var c = "c";
        string[] labels = [a, b, a, a, c, b, new string('b', 1), new string('c', 1), a, c, c, b];
        int[] expected = [0, 1, 0, 0, 2, 1, 1, 2, 0, 2, 2, 1];

        Assert.Equal(expected, LevelIndex.Of(labels, ["a", "b", "c"]));
        Assert.Equal(expected.Select(i => 2 - i), LevelIndex.Of(labels, ["c", "b", "a"]));
    }

    [Fact]
    public void A_label_outside_the_levels_is_refused()
        => Assert.Throws<KeyNotFoundException>(() => LevelIndex.Of(["a", "z"], ["a", "b"]));
}
