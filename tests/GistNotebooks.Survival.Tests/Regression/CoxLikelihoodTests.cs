using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Survival.Tests.Regression;

/// <summary>
/// The analytic derivatives of the partial likelihood (score, information, and the derivative of the
/// information used by Firth's correction) against central finite differences, with tied times so that
/// Efron's fractions are exercised. Agreement to 6 decimal places (entries are of order 1–10).
/// </summary>
public sealed class CoxLikelihoodTests
{
    [Theory]
    [InlineData(TieMethod.Efron)]
    [InlineData(TieMethod.Breslow)]
    public void Score_information_and_its_derivative_equal_finite_differences(TieMethod ties)
    {
        var random = new Random(42);
        const int n = 40;
        const int p = 3;
        var times = Enumerable.Range(0, n).Select(_ => (double)random.Next(1, 12)).ToArray();
        var events = Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.7 ? 1 : 0).ToArray();
        var weights = Enumerable.Range(0, n).Select(_ => 0.5 + random.NextDouble()).ToArray();
        var strata = Enumerable.Range(0, n).Select(i => i % 2 == 0 ? "a" : "b").ToArray();
        var columns = Enumerable.Range(0, p).Select(_ => Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2).ToArray()).ToArray();
        var data = SurvivalData.Create(times, events, weights, strata: strata);
        var x = CovariateMatrix.FromColumns(["a", "b", "c"], columns);
        var likelihood = new CoxLikelihood(data, x, new double[p], ties);

        var beta = new[] { 0.3, -0.4, 0.2 };
        var score = new double[p];
        var information = new double[p * p];
        var derivative = new double[p * p * p];
        likelihood.Evaluate(beta, score, information, derivative);

        const double h = 1e-5;
        var plusInformation = new double[p * p];
        var minusInformation = new double[p * p];
        for (var m = 0; m < p; m++)
        {
            var plus = (double[])beta.Clone();
            var minus = (double[])beta.Clone();
            plus[m] += h;
            minus[m] -= h;
            var plusScore = new double[p];
            var minusScore = new double[p];
            var lPlus = likelihood.Evaluate(plus, plusScore, plusInformation);
            var lMinus = likelihood.Evaluate(minus, minusScore, minusInformation);
            Assert.Equal(score[m], (lPlus - lMinus) / (2 * h), 6);
            for (var a = 0; a < p; a++)
            {
                // I = −∂U/∂β and ∂I_ab/∂β_m by central differences.
                Assert.Equal(information[(a * p) + m], -(plusScore[a] - minusScore[a]) / (2 * h), 6);
                for (var b = 0; b < p; b++)
                {
                    var numeric = (plusInformation[(a * p) + b] - minusInformation[(a * p) + b]) / (2 * h);
                    Assert.Equal(numeric, derivative[(((a * p) + b) * p) + m], 6);
                }
            }
        }

    }

    [Fact]
    public void Firth_with_Efron_equals_Firth_with_Breslow_when_no_times_are_tied()
    {
        var frame = CoxRegressionReferenceTests.Frame("ovarian");
        var efron = CoxRegression.FitFirth(frame);
        var breslow = CoxRegression.FitFirth(frame, new CoxOptions { Ties = TieMethod.Breslow });
        for (var j = 0; j < efron.Coefficients.Length; j++)
        {
            Assert.Equal(breslow.Coefficients[j].Coefficient, efron.Coefficients[j].Coefficient, 9);
            Assert.Equal(breslow.Coefficients[j].Lower!.Value, efron.Coefficients[j].Lower!.Value, 9);
        }
    }

    /// <summary>
    /// The pass on two cores (the later times on one, the earlier on the other, which starts from the later half's
    /// risk-set sums) gives the log-likelihood, score and information of the pass on one, to rounding: with strata that
    /// the cut falls inside or at the start of, tied times, weights, offsets, both tie methods, and a single time.
    /// </summary>
    [Theory]
    [InlineData(TieMethod.Efron, 1, false, false, 7)]
    [InlineData(TieMethod.Breslow, 1, false, false, 7)]
    [InlineData(TieMethod.Efron, 3, true, true, 7)]
    [InlineData(TieMethod.Efron, 2, true, false, 300)]
    [InlineData(TieMethod.Breslow, 4, false, true, 40)]
    [InlineData(TieMethod.Efron, 1, false, false, 1)]
    public void Two_cores_give_the_pass_of_one(TieMethod ties, int strataCount, bool weighted, bool withOffsets, int distinctTimes)
    {
        var random = new Random(7 + strataCount + distinctTimes);
        const int n = 5_000;
        const int p = 3;
        var times = Enumerable.Range(0, n).Select(_ => (double)random.Next(1, distinctTimes + 1)).ToArray();
        var events = Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.6 ? 1 : 0).ToArray();
        var weights = weighted ? Enumerable.Range(0, n).Select(_ => 0.5 + random.NextDouble()).ToArray() : null;
        var strata = strataCount > 1 ? Enumerable.Range(0, n).Select(i => (i % strataCount).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray() : null;
        var offsets = withOffsets ? Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray() : null;
        var columns = Enumerable.Range(0, p).Select(_ => Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2).ToArray()).ToArray();
        var data = SurvivalData.Create(times, events, weights, strata: strata);
        var x = CovariateMatrix.FromColumns(["a", "b", "c"], columns);
        var one = new CoxLikelihood(data, x, new double[p], ties, offsets) { PassOnTwoCoresFromRows = int.MaxValue };
        var two = new CoxLikelihood(data, x, new double[p], ties, offsets) { PassOnTwoCoresFromRows = 1 };
        var beta = new[] { 0.3, -0.4, 0.2 };

        var (oneScore, oneInformation) = (new double[p], new double[p * p]);
        var (twoScore, twoInformation) = (new double[p], new double[p * p]);
        var oneLikelihood = one.Evaluate(beta, oneScore, oneInformation);
        var twoLikelihood = two.Evaluate(beta, twoScore, twoInformation);

        Assert.Equal(oneLikelihood, twoLikelihood, 1e-12 * Math.Abs(oneLikelihood));
        for (var a = 0; a < p; a++)
        {
            Assert.Equal(oneScore[a], twoScore[a], 1e-12 * (1 + Math.Abs(oneScore[a])));
        }

        for (var i = 0; i < p * p; i++)
        {
            Assert.Equal(oneInformation[i], twoInformation[i], 1e-12 * (1 + Math.Abs(oneInformation[i])));
        }

        // The linear predictor the pass leaves behind is the same, bit for bit.
        Assert.Equal(one.SortedLinearPredictorInPlace(beta), two.SortedLinearPredictorInPlace(beta));
    }

    /// <summary>
    /// Efron's terms summed in closed form (five scalar sums a time) against the textbook sum term by term, written out
    /// here over every risk set: heavy ties (up to 60 deaths at a time), weights, and times where the deaths are more
    /// than half the risk set (which the pass sums term by term) as well as fewer.
    /// </summary>
    [Theory]
    [InlineData(4, false)]
    [InlineData(12, true)]
    [InlineData(40, true)]
    public void Efron_terms_in_closed_form_equal_the_textbook_sum(int distinctTimes, bool weighted)
    {
        var random = new Random(distinctTimes);
        const int n = 300;
        const int p = 2;
        var times = Enumerable.Range(0, n).Select(_ => (double)random.Next(1, distinctTimes + 1)).ToArray();
        var events = Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.8 ? 1 : 0).ToArray();
        var weights = Enumerable.Range(0, n).Select(_ => weighted ? 0.25 + random.NextDouble() : 1.0).ToArray();
        var x = Enumerable.Range(0, n).Select(_ => new[] { random.NextDouble() * 2 - 1, random.NextDouble() }).ToArray();
        var beta = new[] { 0.7, -0.5 };
        var likelihood = new CoxLikelihood(SurvivalData.Create(times, events, weighted ? weights : null), CovariateMatrix.FromColumns(["a", "b"], [x.Select(r => r[0]).ToArray(), x.Select(r => r[1]).ToArray()]), new double[p], TieMethod.Efron);
        var score = new double[p];
        var information = new double[p * p];
        var logLikelihood = likelihood.Evaluate(beta, score, information);

        var expectedLog = 0.0;
        var expectedScore = new double[p];
        var expectedInformation = new double[p * p];
        var risk = Enumerable.Range(0, n).Select(i => weights[i] * Math.Exp((beta[0] * x[i][0]) + (beta[1] * x[i][1]))).ToArray();
        foreach (var t in times.Distinct())
        {
            var dying = Enumerable.Range(0, n).Where(i => times[i] == t && events[i] == 1).ToArray();
            if (dying.Length == 0)
            {
                continue;
            }

            var atRisk = Enumerable.Range(0, n).Where(i => times[i] >= t).ToArray();
            double Sum(int[] rows, Func<int, double> f) => rows.Sum(i => risk[i] * f(i));
            var d = dying.Length;
            var w = dying.Sum(i => weights[i]) / d;
            foreach (var i in dying)
            {
                expectedLog += weights[i] * ((beta[0] * x[i][0]) + (beta[1] * x[i][1]));
                for (var a = 0; a < p; a++)
                {
                    expectedScore[a] += weights[i] * x[i][a];
                }
            }

            for (var k = 0; k < d; k++)
            {
                var f = (double)k / d;
                var t0 = Sum(atRisk, _ => 1) - (f * Sum(dying, _ => 1));
                expectedLog -= w * Math.Log(t0);
                for (var a = 0; a < p; a++)
                {
                    var t1a = Sum(atRisk, i => x[i][a]) - (f * Sum(dying, i => x[i][a]));
                    expectedScore[a] -= w * t1a / t0;
                    for (var b = 0; b < p; b++)
                    {
                        var t1b = Sum(atRisk, i => x[i][b]) - (f * Sum(dying, i => x[i][b]));
                        var t2 = Sum(atRisk, i => x[i][a] * x[i][b]) - (f * Sum(dying, i => x[i][a] * x[i][b]));
                        expectedInformation[(a * p) + b] += w * ((t2 / t0) - (t1a * t1b / (t0 * t0)));
                    }
                }
            }
        }

        Assert.Equal(expectedLog, logLikelihood, 1e-11 * Math.Abs(expectedLog));
        for (var a = 0; a < p; a++)
        {
            Assert.Equal(expectedScore[a], score[a], 1e-11 * (1 + Math.Abs(expectedScore[a])));
        }

        for (var i = 0; i < p * p; i++)
        {
            Assert.Equal(expectedInformation[i], information[i], 1e-11 * (1 + Math.Abs(expectedInformation[i])));
        }
    }
}
