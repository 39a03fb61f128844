using System.Text.Json;
using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Tests.Comparison;

/// <summary>
/// LogRank.Test against survival 3.5-3 (R 4.2.2): <c>survdiff(Surv(time, event) ~ group, data = read.csv(...), rho = ρ)</c>,
/// values stored in <c>Reference/&lt;name&gt;.expected.json</c> under <c>logrank.logrank_rho0</c> and <c>logrank.peto_peto_rho1</c>.
/// Tolerance: 1e-9 relative on every number.
/// </summary>
public sealed class LogRankReferenceTests
{
    private const double Tolerance = 1e-9;

    public static TheoryData<string, string, string> Cases => new()
    {
        { "aml", "x", "logrank_rho0" },
        { "aml", "x", "peto_peto_rho1" },
        { "ovarian", "rx", "logrank_rho0" },
        { "ovarian", "rx", "peto_peto_rho1" },
        { "veteran", "trt", "logrank_rho0" },
        { "veteran", "trt", "peto_peto_rho1" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Two_group_test_MatchesRSurvival(string name, string groupColumn, string key)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(ReferencePath(name + ".expected.json")));
        var expected = json.RootElement.GetProperty("logrank").GetProperty(key);
        var data = SurvivalData.FromCsv(ReferencePath(name + ".csv"), "time", "event", groupColumn: groupColumn);

        var result = LogRank.Test(data, new LogRankOptions { Rho = expected.GetProperty("rho").GetDouble() });

        AssertClose(expected.GetProperty("chisq").GetDouble(), result.Statistic);
        Assert.Equal(expected.GetProperty("df").GetInt32(), result.DegreesOfFreedom);
        AssertClose(expected.GetProperty("p").GetDouble(), result.P);
        var groupNames = expected.GetProperty("groups").EnumerateArray().Select(g => g.GetString()).ToArray();
        Assert.Equal(groupNames, result.Groups.Select(g => groupColumn + "=" + g.Group));
        Assert.Equal(expected.GetProperty("n").EnumerateArray().Select(n => n.GetInt32()), result.Groups.Select(g => g.N));
        AssertAllClose(Numbers(expected.GetProperty("observed")), result.Groups.Select(g => g.Observed));
        AssertAllClose(Numbers(expected.GetProperty("expected")), result.Groups.Select(g => g.Expected));
        AssertAllClose(Numbers(expected.GetProperty("o_minus_e")), result.ObservedMinusExpected);
        var variance = expected.GetProperty("variance_matrix").EnumerateArray().ToArray();
        Assert.Equal(variance.Length, result.Variance.Length);
        for (var i = 0; i < variance.Length; i++)
        {
            AssertAllClose(Numbers(variance[i]), result.Variance[i]);
        }
    }

    /// <summary>
    /// R 4.2.2, survival 3.5-3 (printed with sprintf("%.15g")):
    /// <code>
    /// v &lt;- read.csv("veteran.csv")
    /// f &lt;- survdiff(Surv(time, event) ~ trt + strata(celltype), data = v, rho = 0)
    /// c(f$chisq, pchisq(f$chisq, 1, lower.tail = FALSE), rowSums(f$obs), rowSums(f$exp), f$var)
    /// 0.701743346844319 0.402198523780674 64 64 68.2075529768725 59.7924470231275
    /// 25.2278872793024 -25.2278872793024 -25.2278872793024 25.2278872793025
    /// # rho = 1:
    /// 1.00967958007588 0.314979613939845 32.8248572240787 36.0212438503667 36.1105868645379 32.7355142099075
    /// 10.6925201650415 -10.6925201650415 -10.6925201650415 10.6925201650415
    /// </code>
    /// N = 69, 68. Tolerance 1e-9 relative.
    /// </summary>
    [Theory]
    [InlineData(0.0, 0.701743346844319, 0.402198523780674, 64, 64, 68.2075529768725, 59.7924470231275, 25.2278872793024)]
    [InlineData(1.0, 1.00967958007588, 0.314979613939845, 32.8248572240787, 36.0212438503667, 36.1105868645379, 32.7355142099075, 10.6925201650415)]
    public void Veteran_by_treatment_stratified_by_cell_type_MatchesRSurvival(
        double rho, double chisq, double p, double observed1, double observed2, double expected1, double expected2, double variance11)
    {
        var data = SurvivalData.FromCsv(ReferencePath("veteran.csv"), "time", "event", groupColumn: "trt", strataColumn: "celltype");

        var result = LogRank.Test(data, new LogRankOptions { Rho = rho });

        AssertClose(chisq, result.Statistic);
        Assert.Equal(1, result.DegreesOfFreedom);
        AssertClose(p, result.P);
        Assert.Equal(4, result.StrataCount);
        Assert.Equal([69, 68], result.Groups.Select(g => g.N));
        AssertAllClose([observed1, observed2], result.Groups.Select(g => g.Observed));
        AssertAllClose([expected1, expected2], result.Groups.Select(g => g.Expected));
        AssertAllClose([variance11, -variance11], result.Variance[0]);
        AssertAllClose([-variance11, variance11], result.Variance[1]);
    }

    /// <summary>
    /// Four groups. R 4.2.2, survival 3.5-3:
    /// <code>
    /// f &lt;- survdiff(Surv(time, event) ~ celltype, data = read.csv("veteran.csv"))
    /// c(f$chisq, pchisq(f$chisq, 3, lower.tail = FALSE), f$obs, f$exp, f$var)   # sprintf("%.15g")
    /// 25.4037003457854 1.27124593900607e-05 26 26 45 31
    /// 15.6937646143605 34.5494783863493 30.1020793268148 47.6546776724754
    /// 12.9661700605014 -4.07011754397142 -4.40872930298506 -4.48732321354496
    /// -4.07011754397142 24.1990352938484 -7.81168661717217 -12.3172311327048
    /// -4.40872930298506 -7.81168661717217 21.7542679406138 -9.53385202045655
    /// -4.48732321354496 -12.3172311327048 -9.53385202045655 26.3384063667063
    /// f$n: adeno 27, large 27, smallcell 48, squamous 35
    /// </code>
    /// Tolerance 1e-9 relative.
    /// </summary>
    [Fact]
    public void Veteran_by_cell_type_four_groups_MatchesRSurvival()
    {
        var data = SurvivalData.FromCsv(ReferencePath("veteran.csv"), "time", "event", groupColumn: "celltype");

        var result = LogRank.Test(data);

        AssertClose(25.4037003457854, result.Statistic);
        Assert.Equal(3, result.DegreesOfFreedom);
        AssertClose(1.27124593900607e-05, result.P);
        Assert.Equal(["adeno", "large", "smallcell", "squamous"], result.Groups.Select(g => g.Group));
        Assert.Equal([27, 27, 48, 35], result.Groups.Select(g => g.N));
        AssertAllClose([26, 26, 45, 31], result.Groups.Select(g => g.Observed));
        AssertAllClose([15.6937646143605, 34.5494783863493, 30.1020793268148, 47.6546776724754], result.Groups.Select(g => g.Expected));
        double[][] variance =
        [
            [12.9661700605014, -4.07011754397142, -4.40872930298506, -4.48732321354496],
            [-4.07011754397142, 24.1990352938484, -7.81168661717217, -12.3172311327048],
            [-4.40872930298506, -7.81168661717217, 21.7542679406138, -9.53385202045655],
            [-4.48732321354496, -12.3172311327048, -9.53385202045655, 26.3384063667063],
        ];
        for (var i = 0; i < 4; i++)
        {
            AssertAllClose(variance[i], result.Variance[i]);
        }
    }

    internal static string ReferencePath(string name) => Path.Combine(AppContext.BaseDirectory, "Reference", name);

    private static double[] Numbers(JsonElement array) => [.. array.EnumerateArray().Select(x => x.GetDouble())];

    private static void AssertAllClose(IEnumerable<double> expected, IEnumerable<double> actual)
    {
        var e = expected.ToArray();
        var a = actual.ToArray();
        Assert.Equal(e.Length, a.Length);
        for (var i = 0; i < e.Length; i++)
        {
            AssertClose(e[i], a[i]);
        }
    }

    private static void AssertClose(double expected, double actual)
    {
        var difference = Math.Abs(actual - expected);
        Assert.True(
            difference <= Tolerance * Math.Abs(expected),
            FormattableString.Invariant($"expected {expected:R}, actual {actual:R}, relative difference {difference / Math.Abs(expected):E2}"));
    }
}
