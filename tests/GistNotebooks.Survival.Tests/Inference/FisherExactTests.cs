using GistNotebooks.Survival.Inference;

namespace GistNotebooks.Survival.Tests.Inference;

public sealed class FisherExactTests
{
    // Tea tasting [[3,1],[1,3]]: the top-left cell is hypergeometric with all margins 4, P(x) = C(4,x)C(4,4−x)/70
    // = 1, 16, 36, 16, 1 over 70 for x = 0..4. Tables no more likely than x = 3 (16/70): 0, 1, 3, 4, so p = 34/70 = 0.4857.
    [Fact]
    public void Tea_tasting_two_sided_p_is_thirty_four_seventieths()
    {
        var result = FisherExact.Test(new[,] { { 3, 1 }, { 1, 3 } });
        Assert.Equal(34.0 / 70, result.PValue, 14);
        Assert.Equal(5, result.TablesEnumerated);
    }

    // [[0,6],[5,2]]: margins rows 6, 7, columns 5, 8; x ranges 0..5 with P(x) = C(5,x)C(8,6−x)/C(13,6) = 28, 280, 840, 560, 70 ... over 1716:
    // x=0: C(8,6)=28; x=1: 5·56=280; x=2: 10·70=700; x=3: 10·56=560; x=4: 5·28=140; x=5: 1·8=8. Observed 28/1716;
    // tables no more likely: x = 0 (28) and x = 5 (8), so p = 36/1716 = 0.020979.
    [Fact]
    public void Two_by_two_at_the_edge_of_the_support_has_the_hand_computed_p_and_a_zero_odds_ratio()
    {
        var result = FisherExact.Test(new[,] { { 0, 6 }, { 5, 2 } });
        Assert.Equal(36.0 / 1716, result.PValue, 14);
        Assert.Equal(0, result.OddsRatio);
        Assert.Equal(0, result.OddsRatioLower);
    }

    // R: fisher.test(matrix(c(a, c, b, d), 2)): p to 1e-12 relative. R's own odds ratio and limits come from uniroot at its
    // default tolerance (about 1.2e-4 on 1/ψ), which leaves them off by up to 0.7% (the upper limit 621.93 for the tea
    // table, where the exact root is 626.24); so they are checked to 1e-2 here and to 1e-9 in the next test.
    [Theory]
    [InlineData(3, 1, 1, 3, 0.485714285714286, 6.40830886700579, 0.211732915305503, 621.933750545417)]
    [InlineData(0, 6, 5, 2, 0.020979020979021, 0, 0, 0.82577183519107)]
    [InlineData(7, 3, 0, 4, 0.0699300699300699, double.PositiveInfinity, 0.84988706644921, double.PositiveInfinity)]
    [InlineData(12, 3, 5, 9, 0.0253276870336761, 6.6542010967762, 1.07613722151707, 55.7129594443812)]
    public void Two_by_two_MatchesRSurvival(int a, int b, int c, int d, double p, double oddsRatio, double lower, double upper)
    {
        var result = FisherExact.Test(new[,] { { a, b }, { c, d } });
        Assert.Equal(p, result.PValue, p * 1e-12);
        AssertClose(oddsRatio, result.OddsRatio!.Value, 1e-2);
        AssertClose(lower, result.OddsRatioLower!.Value, 1e-2);
        AssertClose(upper, result.OddsRatioUpper!.Value, 1e-2);
    }

    // R, solving fisher.test's equations with uniroot(tol = 1e-14) on log ψ: the MLE solves E[X; ψ] = x, the lower limit
    // P(X ≥ x; ψ) = 0.025, the upper P(X ≤ x; ψ) = 0.025, under the noncentral hypergeometric of dhyper(s, m, n, k)·ψ^s.
    // Tolerance 1e-9 relative.
    [Theory]
    [InlineData(3, 1, 1, 3, 6.40831965819968, 0.211735595446578, 626.243530588814)]
    [InlineData(0, 6, 5, 2, 0, 0, 0.825755539519818)]
    [InlineData(7, 3, 0, 4, double.PositiveInfinity, 0.849887561965189, double.PositiveInfinity)]
    [InlineData(12, 3, 5, 9, 6.65438336820562, 1.07611845180124, 55.7056023707963)]
    public void Two_by_two_odds_ratio_and_exact_limits_solved_tightly_MatchesRSurvival(int a, int b, int c, int d, double oddsRatio, double lower, double upper)
    {
        var result = FisherExact.Test(new[,] { { a, b }, { c, d } });
        AssertClose(oddsRatio, result.OddsRatio!.Value, 1e-9);
        AssertClose(lower, result.OddsRatioLower!.Value, 1e-9);
        AssertClose(upper, result.OddsRatioUpper!.Value, 1e-9);
    }

    // R: fisher.test(matrix(..., byrow = TRUE))$p.value (network algorithm). Tolerance 1e-12 relative.
    [Fact]
    public void Larger_tables_MatchesRSurvival()
    {
        var p1 = FisherExact.Test(new[,] { { 3, 1, 0 }, { 1, 2, 4 } }).PValue;
        Assert.Equal(0.103030303030303, p1, 0.103030303030303 * 1e-12);
        var p2 = FisherExact.Test(new[,] { { 2, 0, 1 }, { 0, 3, 1 }, { 1, 1, 4 } }).PValue;
        Assert.Equal(0.160839160839161, p2, 0.160839160839161 * 1e-12);
        var p3 = FisherExact.Test(new[,] { { 5, 2, 1, 0 }, { 1, 3, 2, 4 }, { 0, 1, 4, 3 } });
        Assert.Equal(0.0360628922200607, p3.PValue, 0.0360628922200607 * 1e-12);
        Assert.Null(p3.OddsRatio);
    }

    // Independence does not depend on which margin is rows or on the order of the rows.
    [Fact]
    public void Transposing_or_permuting_a_table_leaves_the_p_value_unchanged()
    {
        var random = new Random(1935);
        for (var replicate = 0; replicate < 40; replicate++)
        {
            var rows = random.Next(2, 4);
            var columns = random.Next(2, 4);
            var table = new int[rows, columns];
            var transposed = new int[columns, rows];
            var swapped = new int[rows, columns];
            for (var i = 0; i < rows; i++)
            {
                for (var j = 0; j < columns; j++)
                {
                    table[i, j] = random.Next(1, 6);
                    transposed[j, i] = table[i, j];
                    swapped[rows - 1 - i, j] = table[i, j];
                }
            }

            var p = FisherExact.Test(table).PValue;
            Assert.Equal(p, FisherExact.Test(transposed).PValue, 12);
            Assert.Equal(p, FisherExact.Test(swapped).PValue, 12);
            Assert.InRange(p, 0, 1);
        }
    }

    [Fact]
    public void A_table_too_large_to_enumerate_fails_clearly()
    {
        var table = new[,] { { 20, 20, 20, 20 }, { 20, 20, 20, 20 }, { 20, 20, 20, 20 } };
        var error = Assert.Throws<InvalidOperationException>(() => FisherExact.Test(table, new FisherExactOptions(MaxTables: 1000)));
        Assert.Contains("too large", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_counts_and_empty_rows_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => FisherExact.Test(new[,] { { 1, -1 }, { 2, 3 } }));
        Assert.Throws<ArgumentException>(() => FisherExact.Test(new[,] { { 0, 0 }, { 2, 3 } }));
        Assert.Throws<ArgumentException>(() => FisherExact.Test(new[,] { { 1, 2 } }));
    }

    private static void AssertClose(double expected, double actual, double relative)
    {
        if (double.IsInfinity(expected) || expected == 0)
        {
            Assert.Equal(expected, actual);
            return;
        }

        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), FormattableString.Invariant($"{actual} vs {expected}"));
    }
}
