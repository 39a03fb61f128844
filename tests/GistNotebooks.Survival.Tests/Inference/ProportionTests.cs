using GistNotebooks.Survival.Inference;

namespace GistNotebooks.Survival.Tests.Inference;

public sealed class ProportionTests
{
    private const double Z975 = 1.959963984540054;

    /// <summary>The p at which an increasing function crosses a target, by plain bisection (independent of the library).</summary>
    private static double Bisect(Func<double, double> increasing, double target)
    {
        double low = 0, high = 1;
        for (var i = 0; i < 200; i++)
        {
            var middle = 0.5 * (low + high);
            if (increasing(middle) < target)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return 0.5 * (low + high);
    }

    private static double BinomialUpperTail(int n, int k, double p)
    {
        // P(Bin(n, p) ≥ k) = P(Beta(k, n − k + 1) ≤ p), summed term by term.
        double sum = 0;
        for (var j = k; j <= n; j++)
        {
            sum += Math.Exp(MathNet.Numerics.SpecialFunctions.BinomialLn(n, j) + (j * Math.Log(p)) + ((n - j) * Math.Log(1 - p)));
        }

        return sum;
    }

    // 0/18: the lower limit is 0; the upper solves P(X ≤ 0) = (1 − p)^18 = 0.025, so p = 1 − 0.025^(1/18) = 0.18530.
    [Fact]
    public void Clopper_Pearson_for_zero_of_eighteen_is_the_closed_form()
    {
        var result = Proportion.Estimate(0, 18);
        Assert.Equal(0, result.Lower);
        Assert.Equal(1 - Math.Pow(0.025, 1.0 / 18), result.Upper, 14);
        Assert.Equal(0.1853, result.Upper, 4);
        Assert.Equal(ProportionMethod.ClopperPearson, result.Method);
    }

    // 17/18: the upper limit solves P(X ≤ 17) = 1 − p^18 = 0.025, so p = 0.975^(1/18).
    // Lower solves P(X ≥ 17) = 18p^17(1 − p) + p^18 = p^17(18 − 17p) = 0.025, found by bisection here.
    [Fact]
    public void Clopper_Pearson_for_seventeen_of_eighteen_is_the_closed_form()
    {
        var result = Proportion.Estimate(17, 18);
        Assert.Equal(Math.Pow(0.975, 1.0 / 18), result.Upper, 14);
        Assert.Equal(Bisect(p => Math.Pow(p, 17) * (18 - (17 * p)), 0.025), result.Lower, 13);
    }

    // 15/17: lower solves P(Bin(17, p) ≥ 15) = 0.025; upper solves P(Bin(17, p) ≥ 16) = p^16(17 − 16p) = 0.975.
    [Fact]
    public void Clopper_Pearson_for_fifteen_of_seventeen_is_the_closed_form()
    {
        var result = Proportion.Estimate(15, 17);
        Assert.Equal(Bisect(p => BinomialUpperTail(17, 15, p), 0.025), result.Lower, 12);
        Assert.Equal(Bisect(p => Math.Pow(p, 16) * (17 - (16 * p)), 0.975), result.Upper, 13);
    }

    // R: binom.test(0, 18), binom.test(17, 18), binom.test(15, 17) $conf.int (15 significant digits). Tolerance 1e-12 relative.
    [Theory]
    [InlineData(0, 18, 0, 0.185301968137852)]
    [InlineData(17, 18, 0.727056400326632, 0.998594443832631)]
    [InlineData(15, 17, 0.63559083789875, 0.985420683159698)]
    public void Clopper_Pearson_MatchesRSurvival(int x, int n, double lower, double upper)
    {
        var result = Proportion.Estimate(x, n);
        Assert.Equal(lower, result.Lower, lower * 1e-12);
        Assert.Equal(upper, result.Upper, upper * 1e-12);
    }

    // R: prop.test(x, n, correct = FALSE)$conf.int and prop.test(x, n)$conf.int. Tolerance 1e-12 relative.
    [Theory]
    [InlineData(0, 18, ProportionMethod.Wilson, 0, 0.175879223646658)]
    [InlineData(18, 18, ProportionMethod.Wilson, 0.824120776353342, 1)]
    [InlineData(15, 17, ProportionMethod.Wilson, 0.656636494051141, 0.967120226236207)]
    [InlineData(15, 17, ProportionMethod.WilsonContinuityCorrected, 0.622505003827608, 0.979356005267915)]
    [InlineData(9, 18, ProportionMethod.WilsonContinuityCorrected, 0.2903102150517, 0.7096897849483)]
    public void Wilson_MatchesRSurvival(int x, int n, ProportionMethod method, double lower, double upper)
    {
        var result = Proportion.Estimate(x, n, new ProportionOptions(Method: method));
        Assert.Equal(lower, result.Lower, lower * 1e-12);
        Assert.Equal(upper, result.Upper, upper * 1e-12);
    }

    // With x = 0 the Wilson upper limit is the root of p̂ = 0: (z²/2n + z²/2n)/(1 + z²/n) = z²/(n + z²).
    [Fact]
    public void Wilson_upper_limit_for_no_successes_is_z_squared_over_n_plus_z_squared()
    {
        var result = Proportion.Estimate(0, 18, new ProportionOptions(Method: ProportionMethod.Wilson));
        Assert.Equal(Z975 * Z975 / (18 + (Z975 * Z975)), result.Upper, 14);
        Assert.Equal(0, result.Lower);
    }

    [Fact]
    public void Rule_of_three_is_three_over_n_and_close_to_the_exact_one_sided_limit()
    {
        Assert.Equal(3.0 / 18, Proportion.RuleOfThree(18), 15);
        // The exact one-sided 95% limit for 0/300 is 1 − 0.05^(1/300) ≈ 0.00994; 3/300 = 0.01.
        var exact = 1 - Math.Pow(0.05, 1.0 / 300);
        Assert.InRange(Proportion.RuleOfThree(300) / exact, 1.0, 1.01);
        Assert.Throws<ArgumentOutOfRangeException>(() => Proportion.RuleOfThree(0));
    }

    [Fact]
    public void Intervals_bracket_the_estimate_and_lie_in_the_unit_interval()
    {
        var random = new Random(1927);
        var methods = Enum.GetValues<ProportionMethod>();
        for (var replicate = 0; replicate < 400; replicate++)
        {
            var n = random.Next(1, 300);
            var x = random.Next(0, n + 1);
            var level = 0.5 + (0.49 * random.NextDouble());
            foreach (var method in methods)
            {
                var result = Proportion.Estimate(x, n, new ProportionOptions(level, method));
                Assert.InRange(result.Lower, 0, result.Estimate);
                Assert.InRange(result.Upper, result.Estimate, 1);
            }

            // The exact interval is never narrower than Wilson's at the same level on both sides at once.
            var exact = Proportion.Estimate(x, n, new ProportionOptions(level));
            var wilson = Proportion.Estimate(x, n, new ProportionOptions(level, ProportionMethod.Wilson));
            Assert.True(exact.Upper - exact.Lower >= wilson.Upper - wilson.Lower - 1e-12, FormattableString.Invariant($"{x}/{n} at {level}"));
        }
    }

    [Fact]
    public void Invalid_counts_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Proportion.Estimate(3, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Proportion.Estimate(-1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Proportion.Estimate(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Proportion.Estimate(1, 2, new ProportionOptions(1.0)));
    }
}
