using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Tests.Data;

/// <summary>
/// The time sort against a stable comparison sort (LINQ's OrderBy, events first within equal times) on inputs shaped
/// to reach every branch of the bucket sort: few distinct values with many ties, spread-out values, clusters far from
/// an outlier (a bucket that needs several levels), zeros of both signs, negatives and infinities, and short inputs
/// finished by insertion; on one core and on two (which count and move each half of the rows on its own core).
/// </summary>
public sealed class TimeSortTests
{
    public static TheoryData<string, int> Shapes() => new()
    {
        { "ties", 20_000 },
        { "spread", 20_000 },
        { "cluster", 20_000 },
        { "signed", 5_000 },
        { "ties", 40 },
        { "spread", 3 },
        { "cluster", 300 },
        { "spread", 1 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Order_is_the_stable_order_with_events_first(string shape, int n)
    {
        for (var seed = 1; seed <= 3; seed++)
        {
            var random = new Random(seed);
            var time = new double[n];
            var status = new bool[n];
            for (var i = 0; i < n; i++)
            {
                time[i] = shape switch
                {
                    "ties" => random.Next(0, 50) * 0.25,
                    "spread" => -Math.Log(random.NextDouble()) * 100,
                    "cluster" => i % 97 == 0 ? 1e9 : 5 + (random.Next(0, 1000) * 1e-12),
                    _ => random.Next(8) switch
                    {
                        0 => 0.0,
                        1 => -0.0,
                        2 => double.PositiveInfinity,
                        3 => double.NegativeInfinity,
                        4 => -random.NextDouble(),
                        _ => random.Next(-3, 3),
                    },
                };
                status[i] = random.Next(2) == 0;
            }

            var expected = Enumerable.Range(0, n).OrderBy(i => time[i]).ThenBy(i => status[i] ? 0 : 1).ToArray();
            foreach (var twoCores in new[] { false, true })
            {
                var order = TimeSort.Order(time, status, out var sorted, twoCores);

                Assert.Equal(expected, order);
                Assert.Equal(expected.Select(i => time[i]), sorted);
            }
        }
    }

    [Fact]
    public void Keys_sort_stably_with_their_values()
    {
        var random = new Random(7);
        foreach (var n in new[] { 2, 49, 1_000, 100_000 })
        {
            var keys = Enumerable.Range(0, n).Select(_ => random.Next(3) == 0 ? (ulong)random.Next(4) : (ulong)random.NextInt64() * 3).ToArray();
            var values = Enumerable.Range(0, n).ToArray();
            var expected = values.OrderBy(i => keys[i]).ToArray();
            var expectedKeys = expected.Select(i => keys[i]).ToArray();

            TimeSort.SortKeys(keys, values);

            Assert.Equal(expected, values);
            Assert.Equal(expectedKeys, keys);
        }
    }
}
