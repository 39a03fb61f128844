using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;

namespace GistNotebooks.Survival.Tests.Comparison;

/// <summary>Three groups with many ties, checked against cmprsk 2.2-11 in R 4.2.2 (Debian r-cran-cmprsk) (numbers printed with digits = 15).</summary>
public sealed class GrayTestThreeGroupTests
{
    // R: time <- c(...); status <- c(...); group <- rep(c("b","a","c"), each = 20) (the vectors below).
    private static readonly double[] Times =
    [
        1, 1, 2, 2, 2, 3, 3, 4, 5, 5, 5, 6, 7, 7, 8, 9, 9, 10, 11, 12,
        1, 2, 2, 3, 4, 4, 4, 5, 6, 6, 7, 8, 8, 9, 10, 12, 12, 13, 14, 15,
        2, 3, 3, 3, 5, 6, 6, 7, 7, 8, 9, 9, 10, 10, 11, 12, 13, 14, 14, 16,
    ];

    private static readonly int[] Status =
    [
        1, 2, 0, 1, 1, 2, 1, 0, 1, 2, 2, 1, 0, 1, 2, 1, 0, 1, 2, 0,
        2, 1, 1, 0, 2, 2, 1, 1, 0, 1, 2, 1, 1, 0, 2, 1, 0, 2, 1, 0,
        1, 1, 1, 2, 0, 2, 2, 1, 0, 1, 2, 1, 1, 0, 2, 0, 1, 2, 2, 1,
    ];

    private static CompetingRisksData Data()
        => CompetingRisksData.Create(Times, Status, [.. Enumerable.Repeat("b", 20), .. Enumerable.Repeat("a", 20), .. Enumerable.Repeat("c", 20)]);

    // R: cuminc(time, status, group)$Tests. Tolerance 1e-12 relative.
    [Fact]
    public void Gray_statistics_with_three_groups_and_ties_MatchesRSurvival()
    {
        var result = GrayTest.Test(Data());
        Assert.Equal(new[] { "a", "b", "c" }, result.Groups.ToArray());
        Assert.Equal(2, result.For(1).DegreesOfFreedom);
        Assert.Equal(1.071578737688673, result.For(1).Statistic!.Value, 1.071578737688673 * 1e-12);
        Assert.Equal(0.585207163472264, result.For(1).PValue!.Value, 0.585207163472264 * 1e-12);
        Assert.Equal(0.482874040328003, result.For(2).Statistic!.Value, 0.482874040328003 * 1e-12);
        Assert.Equal(0.785498272783591, result.For(2).PValue!.Value, 0.785498272783591 * 1e-12);
    }

    // R: timepoints(cuminc(time, status, group), c(3, 7, 12, 15)). Tolerance 1e-12 relative; NA beyond a group's last time.
    [Fact]
    public void Estimates_and_variances_with_ties_MatchesRSurvival()
    {
        var curves = CumulativeIncidence.Estimate(Data());
        double[] times = [3, 7, 12, 15];
        Check(curves.Curve(1, "a"), times, [0.1, 0.259375, 0.444427083333333, 0.535329861111111], [0.00474992305324715, 0.01064288285225571, 0.0159306714506442, 0.0221199957470968]);
        Check(curves.Curve(1, "b"), times, [0.203333333333333, 0.376666666666667, 0.533950617283951, null], [0.00873706931332204, 0.01375198362630583, 0.0196682738347425, null]);
        Check(curves.Curve(2, "c"), times, [0.05, 0.156666666666667, 0.282727272727273, 0.452424242424242], [0.00250692520775623, 0.00731225822841705, 0.0129269402142606, 0.0199945261903128]);
        Check(curves.Curve(2, "b"), times, [0.103333333333333, 0.218888888888889, 0.376172839506173, null], [0.00508662147986767, 0.01007143613982152, 0.0208092392004954, null]);
    }

    private static void Check(CumulativeIncidenceCurve curve, double[] times, double?[] estimates, double?[] variances)
    {
        var values = curve.At(times);
        for (var j = 0; j < times.Length; j++)
        {
            if (estimates[j] is not double e)
            {
                Assert.Null(values[j].Estimate);
                Assert.Null(values[j].Variance);
                continue;
            }

            Assert.Equal(e, values[j].Estimate!.Value, e * 1e-12);
            Assert.Equal(variances[j]!.Value, values[j].Variance!.Value, variances[j]!.Value * 1e-12);
        }
    }
}
