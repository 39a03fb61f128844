using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Tests.Data;

/// <summary>The text of numbers asked for as labels: one instance per distinct number, −0 and 0 kept apart, whatever the order they come in.</summary>
public sealed class LabelPoolTests
{
    [Fact]
    public void Numbers_in_any_order_give_their_own_text_and_share_one_instance_each()
    {
        double[] values = [1, 0, 1, 1, 0, -0.0, 0, -0.0, 2.5, 1, 0, 2.5, -0.0, 1];
        var pool = new LabelPool();
        var texts = values.Select(pool.Format).ToArray();

        Assert.Equal(values.Select(NumberText.Format), texts);
        foreach (var group in values.Select((v, i) => (Bits: BitConverter.DoubleToInt64Bits(v), Text: texts[i])).GroupBy(x => x.Bits))
        {
            var first = group.First().Text;
            Assert.All(group, x => Assert.Same(first, x.Text));
        }

        Assert.NotEqual(pool.Format(0), pool.Format(-0.0));
    }
}
