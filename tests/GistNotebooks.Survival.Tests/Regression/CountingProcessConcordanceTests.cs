using CsCheck;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;
using GistNotebooks.Testing;

namespace GistNotebooks.Survival.Tests.Regression;

/// <summary>
/// The O(n log n) concordance of counting-process data against the direct pair count that defines it (each event
/// against every row at risk at its time), on a hand-derived case and on random data with ties in time, in the
/// predictor and among the deaths, with weights and strata.
/// </summary>
public sealed class CountingProcessConcordanceTests
{
    /// <summary>
    /// Rows (start, stop, event, η): A (0, 5, 1, 2), B (0, 5, 1, 1), C (2, 8, 0, 1), D (6, 9, 1, 0), E (0, 9, 0, 3).
    /// At t = 5 the risk set is A, B, C, E (D enters at 6): A against C (2 &gt; 1, concordant) and E (2 &lt; 3,
    /// discordant); B against C (1 = 1, tied on risk) and E (discordant); A with B tied on time. At t = 9 the risk set is
    /// D and E: D against E discordant. Concordant 1, discordant 3, tied on risk 1, tied on time 1:
    /// C = (1 + 1/2) / (1 + 3 + 1) = 0.3.
    /// Standard error: N = 5 comparable pairs, Somers' d̂ = (1 − 3)/5 = −0.4. Pairs per row (concordant, discordant, tied
    /// on risk): A (1, 1, 0), B (0, 1, 1), C (1, 0, 1), D (0, 1, 0), E (0, 3, 0); the influence (c − d)/5 + 0.4(c + d + t)/5
    /// is 0.16, −0.04, 0.36, −0.12, −0.36, whose squares sum to 0.3008: se = ½√0.3008.
    /// </summary>
    [Fact]
    public void Hand_derived_case()
    {
        var data = CountingProcessData.Create([0, 0, 2, 6, 0], [5, 5, 8, 9, 9], [1, 1, 0, 1, 0]);
        var result = CountingProcessConcordance.Compute(data, [2.0, 1.0, 1.0, 0.0, 3.0]);
        Assert.Equal(1, result.Concordant);
        Assert.Equal(3, result.Discordant);
        Assert.Equal(1, result.TiedRisk);
        Assert.Equal(1, result.TiedTime);
        Assert.Equal(0, result.TiedBoth);
        Assert.Equal(0.3, result.Estimate!.Value, 15);
        Assert.Equal(0.5 * Math.Sqrt(0.3008), result.StandardError!.Value, 14);
    }

    private static readonly Gen<(int Entry, int Length, int Event, int Eta, int Weight, int Stratum)> Row =
        Gen.Select(Gen.Int[0, 6], Gen.Int[1, 8], Gen.Int[0, 1], Gen.Int[-2, 2], Gen.Int[1, 3], Gen.Int[0, 1], (a, l, e, x, w, s) => (a, l, e, x, w, s));

    [Fact]
    public void Equals_the_direct_pair_count()
    {
        Gen.Select(Row.List[1, 40], Gen.Bool, Gen.Bool, Gen.Bool).SampleFixed(t =>
        {
            var (rows, weighted, stratified, clustered) = t;
            var data = CountingProcessData.Create(
                [.. rows.Select(r => (double)r.Entry)],
                [.. rows.Select(r => (double)(r.Entry + r.Length))],
                [.. rows.Select(r => r.Event)],
                weighted ? [.. rows.Select(r => (double)r.Weight)] : null,
                stratified ? [.. rows.Select(r => r.Stratum == 0 ? "a" : "b")] : null);
            double[] eta = [.. rows.Select(r => r.Eta / 2.0)];
            // Clusters of about three consecutive rows, as a subject's rows would be.
            int[]? clusters = clustered ? [.. Enumerable.Range(0, rows.Count).Select(i => i / 3)] : null;
            var clusterCount = (rows.Count + 2) / 3;
            var fast = CountingProcessConcordance.Compute(data, eta, clusters, clusterCount);
            var direct = Direct(data, eta, clusters, clusterCount);
            Assert.Equal(direct.Concordant, fast.Concordant, 12);
            Assert.Equal(direct.Discordant, fast.Discordant, 12);
            Assert.Equal(direct.TiedRisk, fast.TiedRisk, 12);
            Assert.Equal(direct.TiedTime, fast.TiedTime, 12);
            Assert.Equal(direct.TiedBoth, fast.TiedBoth, 12);
            Assert.Equal(direct.Estimate.HasValue, fast.Estimate.HasValue);
            Assert.Equal(direct.Estimate ?? 0, fast.Estimate ?? 0, 12);
            Assert.Equal(direct.StandardError.HasValue, fast.StandardError.HasValue);
            Assert.Equal(direct.StandardError ?? 0, fast.StandardError ?? 0, 12);
        }, seed: "0N0XIzNsQ0O2");
    }

    /// <summary>
    /// The definition, pair by pair: cost events × rows. Each comparable pair adds its weight to the concordant,
    /// discordant or risk-tied count of both its rows; the influence of row i on Somers' d is
    /// (cᵢ − dᵢ)/N − d̂(cᵢ + dᵢ + tᵢ)/N, added within clusters, and se(C) = ½√Σ influence².
    /// </summary>
    private static CoxConcordance Direct(CountingProcessData data, double[] eta, int[]? clusters, int clusterCount)
    {
        double concordant = 0, discordant = 0, tiedRisk = 0, tiedTime = 0, tiedBoth = 0;
        var n = data.Count;
        var perRow = new double[n, 3];
        for (var i = 0; i < n; i++)
        {
            if (!data.Events[i])
            {
                continue;
            }

            var t = data.Stops[i];
            for (var j = 0; j < n; j++)
            {
                if (j == i || !(data.Starts[j] < t && t <= data.Stops[j]) || (!data.Strata.IsEmpty && data.Strata[i] != data.Strata[j]))
                {
                    continue;
                }

                var w = data.Weights[i] * data.Weights[j];
                if (data.Events[j] && data.Stops[j] == t)
                {
                    if (eta[i] == eta[j])
                    {
                        tiedBoth += w / 2;
                    }
                    else
                    {
                        tiedTime += w / 2;
                    }
                }
                else
                {
                    var kind = eta[i] > eta[j] ? 0 : eta[i] < eta[j] ? 1 : 2;
                    perRow[i, kind] += w;
                    perRow[j, kind] += w;
                    concordant += kind == 0 ? w : 0;
                    discordant += kind == 1 ? w : 0;
                    tiedRisk += kind == 2 ? w : 0;
                }
            }
        }

        var comparable = concordant + discordant + tiedRisk;
        if (comparable == 0)
        {
            return new CoxConcordance(null, null, concordant, discordant, tiedRisk, tiedTime, tiedBoth);
        }

        var somers = (concordant - discordant) / comparable;
        var sums = new double[clusters is null ? n : clusterCount];
        for (var i = 0; i < n; i++)
        {
            sums[clusters is null ? i : clusters[i]] += ((perRow[i, 0] - perRow[i, 1]) / comparable) - (somers / comparable * (perRow[i, 0] + perRow[i, 1] + perRow[i, 2]));
        }

        var estimate = (concordant + (tiedRisk / 2)) / comparable;
        return new CoxConcordance(estimate, Math.Sqrt(sums.Sum(v => v * v)) / 2, concordant, discordant, tiedRisk, tiedTime, tiedBoth);
    }
}
