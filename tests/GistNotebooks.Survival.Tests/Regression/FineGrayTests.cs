using CsCheck;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;
using GistNotebooks.Testing;

namespace GistNotebooks.Survival.Tests.Regression;

/// <summary>Fine–Gray regression: a hand-derived risk set with censoring weights, its relation to Cox, properties, refused input.</summary>
public sealed class FineGrayTests
{
    /// <summary>
    /// Times 1 (cause 2), 2 (censored), 3 (cause 1), 4 (cause 1), 5 (censored). The censoring Kaplan–Meier
    /// estimate is 1 before time 2 and 3/4 from 2 (one of four at risk is censored), so Ĝ(1−) = 1 and
    /// Ĝ(3−) = Ĝ(4−) = 3/4. At β = 0 every exp(xᵀβ) is 1 and the risk set at 3 holds the three subjects with time
    /// ≥ 3 plus the competing event at 1 with weight Ĝ(3−)/Ĝ(1−) = 3/4: S₀ = 3.75; at 4, two plus 3/4: S₀ = 2.75.
    /// So ℓ(0) = −log 3.75 − log 2.75, the baseline jumps are 1/3.75 and 1/2.75, and with x = 0 the cumulative
    /// incidence is 1 − exp(−1/3.75) = 0.234071... at 3 and 1 − exp(−(1/3.75 + 1/2.75)) at 4.
    /// </summary>
    [Fact]
    public void The_weighted_risk_set_at_beta_zero_equals_the_hand_computation()
    {
        var data = CompetingRisksData.Create([1.0, 2, 3, 4, 5], [2, 0, 1, 1, 0]);
        var x = CovariateMatrix.FromColumn("x", [0.0, 1, 0, 1, 1]);
        var model = FineGray.Fit(data, x, new FineGrayOptions { MaxIterations = 0 });

        Assert.Equal(0, model.Coefficients[0].Coefficient);
        Assert.Equal(-Math.Log(3.75) - Math.Log(2.75), model.LogPseudoLikelihood, 13);
        Assert.Equal(model.LogPseudoLikelihood, model.LogPseudoLikelihoodNull);
        Assert.Equal([3.0, 4.0], model.EventTimes.ToArray());
        Assert.Equal(1 / 3.75, model.BaselineHazardJumps[0], 14);
        Assert.Equal(1 / 2.75, model.BaselineHazardJumps[1], 14);
        var incidence = model.CumulativeIncidence([0.0]);
        Assert.Equal(1 - Math.Exp(-1 / 3.75), incidence.Estimates[0], 14);
        Assert.Equal(1 - Math.Exp(-((1 / 3.75) + (1 / 2.75))), incidence.Estimates[1], 14);
        Assert.Equal([0, incidence.Estimates[0], incidence.Estimates[0], incidence.Estimates[1]], incidence.At([2.9, 3, 3.5, 100]).ToArray());
        Assert.False(model.Converged);
    }

    /// <summary>
    /// Without competing events no subject carries a censoring weight, so the pseudo-likelihood is Cox's partial
    /// likelihood with Breslow's ties: the estimate, its naive variance and the log-likelihoods are coxph's (to the
    /// precision at which coxph stops, a relative change of 1e-9 in the log-likelihood).
    /// </summary>
    [Fact]
    public void Without_competing_events_the_estimate_is_Cox_with_Breslow_ties()
    {
        var frame = ModelFrame.FromTable(ColumnTable.ReadCsv(TestData.Reference("veteran.csv")), "time", "event", ["trt", "karno", "age"]);
        var cox = CoxRegression.Fit(frame, new CoxOptions { Ties = TieMethod.Breslow });
        var model = FineGray.Fit(frame, [.. frame.Data.Events.Select(e => e ? 1 : 0)], new FineGrayOptions { GradientTolerance = 1e-13, MaxIterations = 30 });

        for (var j = 0; j < cox.Coefficients.Length; j++)
        {
            Assert.Equal(cox.Coefficients[j].Coefficient, model.Coefficients[j].Coefficient, 7);
            Assert.Equal(1, model.NaiveVariance[j][j] / cox.Variance[j][j], 6);
        }

        Assert.Equal(cox.LogLikelihood, model.LogPseudoLikelihood, 8);
        Assert.Equal(cox.LogLikelihoodNull, model.LogPseudoLikelihoodNull, 8);
        Assert.Equal(0, model.CompetingEvents);
    }

    [Fact]
    public void Row_order_does_not_change_the_fit()
    {
        Gen.Int[0, 1000].SampleFixed(seed =>
        {
            var random = new Random(seed);
            var n = random.Next(20, 60);
            var times = Enumerable.Range(0, n).Select(_ => Math.Round(random.NextDouble() * 10, 0) + 1).ToArray();
            var causes = Enumerable.Range(0, n).Select(i => i < 4 ? 1 : random.Next(0, 3)).ToArray();
            var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
            var order = Enumerable.Range(0, n).OrderBy(_ => random.Next()).ToArray();
            var a = FineGray.Fit(CompetingRisksData.Create(times, causes), CovariateMatrix.FromColumn("x", x));
            var b = FineGray.Fit(CompetingRisksData.Create([.. order.Select(i => times[i])], [.. order.Select(i => causes[i])]), CovariateMatrix.FromColumn("x", [.. order.Select(i => x[i])]));
            Assert.Equal(a.Coefficients[0].Coefficient, b.Coefficients[0].Coefficient, 9);
            Assert.Equal(a.Coefficients[0].StandardError, b.Coefficients[0].StandardError, 9);
            Assert.Equal(a.LogPseudoLikelihood, b.LogPseudoLikelihood, 9);

            var incidence = a.CumulativeIncidence([0.2]).Estimates;
            for (var k = 0; k < incidence.Length; k++)
            {
                Assert.InRange(incidence[k], 0, 1);
                Assert.True(k == 0 || incidence[k] >= incidence[k - 1]);
            }
        }, seed: "0N0XIzNsQ0O2", iter: 100);
    }

    [Fact]
    public void Modelling_the_other_cause_swaps_the_roles_of_the_events()
    {
        var model1 = FineGrayReferenceTests.FitReference("crcov cause 1");
        var model2 = FineGrayReferenceTests.FitReference("crcov cause 2");
        Assert.Equal(model1.Events, model2.CompetingEvents);
        Assert.Equal(model2.Events, model1.CompetingEvents);
        Assert.Equal(2, model2.FailureCode);
    }

    [Fact]
    public void A_cause_that_does_not_occur_and_bad_options_are_refused()
    {
        var data = CompetingRisksData.Create([1.0, 2, 3, 4], [1, 0, 1, 2]);
        var x = CovariateMatrix.FromColumn("x", [0.0, 1, 1, 0]);
        Assert.Contains("no events of cause 3", Assert.Throws<DataValidationException>(() => FineGray.Fit(data, x, new FineGrayOptions { FailureCode = 3 })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => FineGray.Fit(data, x, new FineGrayOptions { FailureCode = 0 }));
        Assert.Contains("no variance", Assert.Throws<DataValidationException>(() => FineGray.Fit(data, CovariateMatrix.FromColumn("x", [1.0, 1, 1, 1]))).Message, StringComparison.Ordinal);
        var frame = ModelFrame.FromTable(ColumnTable.ReadCsv(TestData.Reference("veteran.csv")), "time", "event", ["karno"]);
        Assert.Throws<ArgumentException>(() => FineGray.Fit(frame, [1, 0]));
    }
}
