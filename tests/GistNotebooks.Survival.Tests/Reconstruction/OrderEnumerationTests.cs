using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Reconstruction;

namespace GistNotebooks.Survival.Tests.Reconstruction;

public class OrderEnumerationTests
{
    private static readonly ClaimSet Nunobe = ClaimSet.Load(TestData.NunobeClaims);

    [Fact]
    public void The_abstract_admits_forty_orders_and_twenty_four_death_censoring_sequences()
    {
        var result = OrderEnumeration.Enumerate(Nunobe);

        // 5 arrangements of the first 15 patients (two of them differ only in whether the 9th, censored,
        // patient falls before or after 36 months) times 2³ arrangements of the 3 patients beyond 60 months.
        Assert.Equal(40, result.Count);
        Assert.Equal(24, result.Orders.Select(o => string.Concat(o.Deaths.Select(d => d ? 'D' : 'c'))).Distinct().Count());
        Assert.Equal(["C06", "C07", "C08", "C11"], result.ClaimIds.ToArray());
    }

    [Fact]
    public void Every_order_reproduces_the_reported_survival_after_rounding()
    {
        foreach (var order in OrderEnumeration.Enumerate(Nunobe).Orders)
        {
            Assert.Equal(63.7, Math.Round(100 * order.SurvivalAfter(order.CutCounts[0]), 1));
            Assert.Equal(34.0, Math.Round(100 * order.SurvivalAfter(order.CutCounts[1]), 1));
            Assert.Equal(15, order.CutCounts[1]);
        }
    }

    [Fact]
    public void A_hand_countable_case_gives_every_order()
    {
        // n = 2, S(10) reported as 50% to 0 decimals: survival after the first subject is 1/2 only when it
        // is a death (1 − 1/2); the second subject may be anything, and no cut other than after the first works:
        // after 0 subjects S = 1, after 2 subjects S is 0 (DD) or 1/2 (Dc). So the orders are D|D, D|c, and Dc|.
        var claims = ClaimSet.Parse("""
            { "study": { "id": "tiny", "citation": "-", "timeUnit": "months", "timeColumn": "t", "eventColumn": "e" },
              "claims": [
                { "id": "A", "kind": "cohortSize", "description": "2", "sentence": "-", "count": 2 },
                { "id": "B", "kind": "survivalAt", "description": "S(10)", "sentence": "-", "time": 10, "percent": { "value": 50, "decimals": 0 } } ] }
            """u8.ToArray());

        var orders = OrderEnumeration.Enumerate(claims).Orders.Select(o => o.ToString()).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(["Dc|", "D|D", "D|c"], orders);
    }
}
