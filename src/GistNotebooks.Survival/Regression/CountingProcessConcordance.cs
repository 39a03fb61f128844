using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Regression;

/// <summary>
/// Harrell's C over the risk sets of counting-process (start, stop] data, as R's <c>concordance</c> counts pairs for
/// them (survival 3.5-3, <c>concordance3</c>): each event at t against each other row at risk at t (start &lt; t ≤ stop)
/// that is not itself an event at t, weighted by the product of the case weights; concordant when the event has the
/// larger linear predictor, tied on risk when the two are equal. Events at the same t are tied on time (or on both).
/// The standard error is the infinitesimal jackknife of Somers' d as for right-censored data: with cᵢ, dᵢ, tᵢ the
/// weighted numbers of concordant, discordant and risk-tied pairs that row i belongs to (as the event or as a row at
/// risk), N their total and d̂ = (C − D)/N, the influence of row i is (cᵢ − dᵢ)/N − d̂·(cᵢ + dᵢ + tᵢ)/N, summed within
/// clusters when there are any, and se = ½·√Σ influence² (R's <c>concordancefit</c>, which coxph calls with its clusters).
/// </summary>
/// <remarks>
/// One sweep per stratum over the event times from the last back, as the likelihood's: a row enters a Fenwick tree of
/// weights indexed by the rank of its linear predictor when t reaches its stop and leaves it when t reaches its start.
/// At each event time the deaths are taken out, each is compared with the rest of the risk set by two prefix sums, and
/// the pairs among the deaths are counted from their weight totals per distinct predictor. Cost O(n log n) for n rows,
/// where a direct count costs events × rows. A row at risk collects its pairs with the deaths from a second Fenwick
/// tree, of the deaths' weights by rank: what the tree holds when the row leaves the risk set less what it held when
/// the row entered.
/// </remarks>
internal static class CountingProcessConcordance
{
    /// <summary>The pair counts, Harrell's C and its standard error for the linear predictor <paramref name="eta"/>, one value per row in input order.</summary>
    /// <param name="data">The (start, stop] rows.</param>
    /// <param name="eta">The linear predictor of each row.</param>
    /// <param name="clusterIndex">The 0-based cluster of each row, when the influences add within clusters; null: each row alone.</param>
    /// <param name="clusterCount">The number of clusters.</param>
    public static CoxConcordance Compute(CountingProcessData data, IReadOnlyList<double> eta, int[]? clusterIndex = null, int clusterCount = 0)
    {
        var start = data.StartArray;
        var stop = data.StopArray;
        var status = data.StatusArray;
        var rank = Ranks(eta);
        var levels = rank.Length == 0 ? 0 : rank.Max() + 1;
        var tree = new double[levels + 1];
        var deathTree = new double[levels + 1];
        var deathTotal = 0.0;

        // Per row: the weighted concordant, discordant and risk-tied pairs it belongs to, each pair weighted by
        // the product of the two rows' weights.
        var influence = new double[3 * data.Count];
        var entered = new bool[data.Count];
        double concordant = 0, discordant = 0, tiedRisk = 0, tiedTime = 0, tiedBoth = 0;
        var deaths = new List<int>();

        // A row at risk pairs with every death at a time it is at risk: concordant when the death's predictor is
        // larger. Its share is the death tree when it leaves (sign +1) less the tree when it enters (sign −1).
        void Snapshot(int row, double sign)
        {
            var w = sign * data.WeightAt(row);
            var below = Prefix(deathTree, rank[row]);
            var equal = Prefix(deathTree, rank[row] + 1) - below;
            var above = deathTotal - below - equal;
            influence[3 * row] += w * above;
            influence[(3 * row) + 1] += w * below;
            influence[(3 * row) + 2] += w * equal;
        }

        foreach (var rows in CountingProcessLikelihood.StratumRows(data))
        {
            var byStop = rows.OrderByDescending(i => stop[i]).ToArray();
            var byStart = rows.OrderByDescending(i => start[i]).ToArray();
            var eventTimes = rows.Where(i => status[i]).Select(i => stop[i]).Distinct().OrderDescending().ToArray();
            Array.Clear(tree);
            Array.Clear(deathTree);
            deathTotal = 0;
            var total = 0.0;
            var entering = 0;
            var leaving = 0;
            foreach (var t in eventTimes)
            {
                deaths.Clear();
                while (entering < byStop.Length && stop[byStop[entering]] >= t)
                {
                    var row = byStop[entering++];
                    if (status[row] && stop[row] == t)
                    {
                        // The deaths at t are compared with the others apart, so they stay out of the tree until then.
                        deaths.Add(row);
                        continue;
                    }

                    Add(tree, rank[row], data.WeightAt(row));
                    total += data.WeightAt(row);
                    entered[row] = true;
                    Snapshot(row, -1);
                }

                while (leaving < byStart.Length && start[byStart[leaving]] >= t)
                {
                    // A row whose start is at or above t has its stop above t, so it entered above.
                    var row = byStart[leaving++];
                    Add(tree, rank[row], -data.WeightAt(row));
                    total -= data.WeightAt(row);
                    Snapshot(row, +1);
                }

                var deathWeight = 0.0;
                var deathSquares = 0.0;
                foreach (var row in deaths)
                {
                    var w = data.WeightAt(row);
                    var below = Prefix(tree, rank[row]);
                    var equal = Prefix(tree, rank[row] + 1) - below;
                    var above = Math.Max(total - below - equal, 0);
                    concordant += w * below;
                    discordant += w * above;
                    tiedRisk += w * equal;
                    influence[3 * row] += w * below;
                    influence[(3 * row) + 1] += w * above;
                    influence[(3 * row) + 2] += w * equal;
                    deathWeight += w;
                    deathSquares += w * w;
                }

                // Pairs among the deaths: all pairs are tied on time; those with equal predictors are tied on both.
                var allPairs = ((deathWeight * deathWeight) - deathSquares) / 2;
                var equalPairs = 0.0;
                foreach (var group in deaths.GroupBy(row => rank[row]))
                {
                    var sum = group.Sum(data.WeightAt);
                    var squares = group.Sum(row => data.WeightAt(row) * data.WeightAt(row));
                    equalPairs += ((sum * sum) - squares) / 2;
                }

                tiedBoth += equalPairs;
                tiedTime += allPairs - equalPairs;
                foreach (var row in deaths)
                {
                    Add(deathTree, rank[row], data.WeightAt(row));
                    deathTotal += data.WeightAt(row);
                }

                // The deaths stay at risk for the earlier event times (their start lies below t); they enter after
                // their own time's deaths are in the death tree, since they do not pair with those as a row at risk.
                foreach (var row in deaths)
                {
                    Add(tree, rank[row], data.WeightAt(row));
                    total += data.WeightAt(row);
                    entered[row] = true;
                    Snapshot(row, -1);
                }
            }

            // The rows still at risk below the earliest event time leave with every death of the stratum seen.
            for (; leaving < byStart.Length; leaving++)
            {
                if (entered[byStart[leaving]])
                {
                    Snapshot(byStart[leaving], +1);
                }
            }
        }

        var comparable = concordant + discordant + tiedRisk;
        var defined = comparable > 0;
        return new CoxConcordance(
            defined ? (concordant + (tiedRisk / 2)) / comparable : null,
            defined ? StandardError(influence, concordant, discordant, comparable, clusterIndex, clusterCount) : null,
            concordant,
            discordant,
            tiedRisk,
            tiedTime,
            tiedBoth);
    }

    /// <summary>½·√Σ (influence of Somers' d)², the influences added within clusters first when there are clusters.</summary>
    private static double StandardError(double[] influence, double concordant, double discordant, double comparable, int[]? clusterIndex, int clusterCount)
    {
        var somers = (concordant - discordant) / comparable;
        var rows = influence.Length / 3;
        var sums = clusterIndex is null ? null : new double[clusterCount];
        var variance = 0.0;
        for (var i = 0; i < rows; i++)
        {
            var c = influence[3 * i];
            var d = influence[(3 * i) + 1];
            var t = influence[(3 * i) + 2];
            var dfbeta = ((c - d) / comparable) - (somers / comparable * (c + d + t));
            if (sums is null)
            {
                variance += dfbeta * dfbeta;
            }
            else
            {
                sums[clusterIndex![i]] += dfbeta;
            }
        }

        if (sums is not null)
        {
            variance = sums.Sum(s => s * s);
        }

        return Math.Sqrt(variance / 4);
    }

    /// <summary>The 0-based rank of each value among the distinct values, equal values sharing a rank.</summary>
    private static int[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var rank = new int[values.Count];
        var current = -1;
        for (var k = 0; k < order.Length; k++)
        {
            if (k == 0 || values[order[k]] != values[order[k - 1]])
            {
                current++;
            }

            rank[order[k]] = current;
        }

        return rank;
    }

    private static void Add(double[] tree, int rank, double weight)
    {
        for (var i = rank + 1; i < tree.Length; i += i & -i)
        {
            tree[i] += weight;
        }
    }

    /// <summary>The total weight in the tree with rank below <paramref name="rank"/>.</summary>
    private static double Prefix(double[] tree, int rank)
    {
        var sum = 0.0;
        for (var i = rank; i > 0; i -= i & -i)
        {
            sum += tree[i];
        }

        return sum;
    }
}
