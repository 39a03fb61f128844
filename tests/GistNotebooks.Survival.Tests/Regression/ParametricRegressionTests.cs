using CsCheck;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;
using GistNotebooks.Testing;

namespace GistNotebooks.Survival.Tests.Regression;

/// <summary>Parametric regression: hand-derived exponential cases, properties of the AFT models, refused input.</summary>
public sealed class ParametricRegressionTests
{
    private static readonly ParametricDistribution[] LogTimeDistributions =
        [ParametricDistribution.Weibull, ParametricDistribution.Exponential, ParametricDistribution.LogNormal, ParametricDistribution.LogLogistic];

    /// <summary>
    /// Exponential, intercept only. Times 2, 3, 5, 7+, 8, 10+: d = 4 events, total time Σt = 35.
    /// The exponential likelihood d·log λ − λ·Σt is maximised at λ̂ = d/Σt = 4/35; R's intercept is
    /// −log λ̂ = log(35/4) = 2.16905370036952 with standard error 1/√d = 0.5 (the information in log λ is d).
    /// ℓ = 4·log(4/35) − 4 = −12.6762148014781 on the time scale; AIC = −2ℓ + 2 = 27.3524296029562.
    /// The median is log 2/λ̂ = 35·log 2/4 = 6.06495783340680, its standard error 6.0650·0.5; survival at
    /// t = 5 is exp(−5·4/35) = exp(−4/7) = 0.564718122007759.
    /// </summary>
    [Fact]
    public void Exponential_intercept_only_equals_the_closed_form()
    {
        var data = SurvivalData.Create([2.0, 3, 5, 7, 8, 10], [1, 1, 1, 0, 1, 0]);
        var model = ParametricRegression.Fit(data, null, new ParametricOptions { Distribution = ParametricDistribution.Exponential });

        Assert.True(model.Converged);
        Assert.True(model.IsScaleFixed);
        Assert.Equal(1.0, model.Scale);
        Assert.Equal(Math.Log(35.0 / 4), model.Coefficients[0].Coefficient, 12);
        Assert.Equal(0.5, model.Coefficients[0].StandardError, 12);
        Assert.Equal((4 * Math.Log(4.0 / 35)) - 4, model.LogLikelihood, 11);
        Assert.Equal(model.LogLikelihood, model.LogLikelihoodInterceptOnly);
        Assert.Equal((-2 * model.LogLikelihood) + 2, model.Aic, 11);
        Assert.Equal(0, model.LikelihoodRatioTest.DegreesOfFreedom);
        Assert.Null(model.WaldTest);

        var median = model.Quantiles([], [0.5])[0];
        Assert.Equal(35 * Math.Log(2) / 4, median.Time, 11);
        Assert.Equal(35 * Math.Log(2) / 4 * 0.5, median.StandardError, 11);
        Assert.Equal(Math.Exp(-4.0 / 7), model.SurvivalAt([], [5.0])[0].Survival, 12);
    }

    /// <summary>
    /// Exponential with a 0/1 group: group 0 has times 2, 3, 5, 7+ (d₀ = 3, T₀ = 17), group 1 has 4, 6+, 8, 10,
    /// 12+ (d₁ = 3, T₁ = 40). Each group's rate is dₖ/Tₖ, so the intercept is log(T₀/d₀) = log(17/3), the group
    /// coefficient log(T₁/d₁) − log(T₀/d₀) = log(40/17), with standard errors 1/√d₀ and √(1/d₀ + 1/d₁) and
    /// covariance −1/d₀. ℓ = Σₖ dₖ(log(dₖ/Tₖ) − 1), ℓ₀ = d·(log(d/T) − 1) with d = 6, T = 57. The hazard ratio
    /// of group 1 is λ₁/λ₀ = (3/40)/(3/17) = 17/40 = exp(−β).
    /// </summary>
    [Fact]
    public void Exponential_with_a_binary_covariate_equals_two_separate_rates()
    {
        var data = SurvivalData.Create([2.0, 3, 5, 7, 4, 6, 8, 10, 12], [1, 1, 1, 0, 1, 0, 1, 1, 0]);
        var group = CovariateMatrix.FromColumn("group", [0.0, 0, 0, 0, 1, 1, 1, 1, 1]);
        var model = ParametricRegression.Fit(data, group, new ParametricOptions { Distribution = ParametricDistribution.Exponential });

        Assert.Equal(["(Intercept)", "group"], model.Terms.ToArray());
        Assert.Equal(Math.Log(17.0 / 3), model.Coefficients[0].Coefficient, 11);
        Assert.Equal(Math.Log(40.0 / 17), model.Coefficients[1].Coefficient, 11);
        Assert.Equal(1 / Math.Sqrt(3), model.Coefficients[0].StandardError, 11);
        Assert.Equal(Math.Sqrt(2.0 / 3), model.Coefficients[1].StandardError, 11);
        Assert.Equal(-1.0 / 3, model.Variance[0][1], 11);
        var logLikelihood = (3 * (Math.Log(3.0 / 17) - 1)) + (3 * (Math.Log(3.0 / 40) - 1));
        var nullLogLikelihood = 6 * (Math.Log(6.0 / 57) - 1);
        Assert.Equal(logLikelihood, model.LogLikelihood, 11);
        Assert.Equal(nullLogLikelihood, model.LogLikelihoodInterceptOnly, 11);
        Assert.Equal(2 * (logLikelihood - nullLogLikelihood), model.LikelihoodRatioTest.Statistic, 10);
        Assert.Equal(17.0 / 40, model.HazardRatios()[0].HazardRatio, 11);
        Assert.Equal(Math.Sqrt(2.0 / 3), model.HazardRatios()[0].StandardError, 11);
    }

    [Fact]
    public void Weibull_with_the_scale_fixed_at_one_is_the_exponential_model()
    {
        var frame = ParametricRegressionReferenceTests.Frame("veteran");
        var exponential = ParametricRegression.Fit(frame, new ParametricOptions { Distribution = ParametricDistribution.Exponential });
        var weibull = ParametricRegression.Fit(frame, new ParametricOptions { Distribution = ParametricDistribution.Weibull, Scale = 1 });
        var free = ParametricRegression.Fit(frame, new ParametricOptions { Distribution = ParametricDistribution.Weibull });

        Assert.Equal(exponential.Coefficients.ToArray(), weibull.Coefficients.ToArray());
        Assert.Equal(exponential.LogLikelihood, weibull.LogLikelihood);
        Assert.Equal(exponential.ParameterCount, weibull.ParameterCount);
        Assert.True(free.LogLikelihood > exponential.LogLikelihood);
        Assert.NotEqual(1.0, free.Scale);
    }

    [Fact]
    public void Exponential_ignores_a_scale_given_with_a_warning()
    {
        var frame = ParametricRegressionReferenceTests.Frame("ovarian");
        var plain = ParametricRegression.Fit(frame, new ParametricOptions { Distribution = ParametricDistribution.Exponential });
        var given = ParametricRegression.Fit(frame, new ParametricOptions { Distribution = ParametricDistribution.Exponential, Scale = 2 });

        Assert.Equal(plain.Coefficients.ToArray(), given.Coefficients.ToArray());
        Assert.Contains(given.Warnings, w => w.Contains("fixed at 1", StringComparison.Ordinal));
    }

    /// <summary>
    /// log(c·T) = log c + xᵀβ + σW: multiplying every time by c adds log c to the intercept, leaves the other
    /// coefficients, σ and every standard error unchanged, and lowers the time-scale log-likelihood by d·log c
    /// (the Jacobian of the d event times).
    /// </summary>
    [Fact]
    public void Rescaling_time_shifts_only_the_intercept()
    {
        var converged = 0;
        Gen.Select(Datasets, Gen.Double[0.01, 100], Gen.Int[0, LogTimeDistributions.Length - 1]).SampleFixed((sample, factor, which) =>
        {
            var (data, covariates) = sample;
            var options = new ParametricOptions { Distribution = LogTimeDistributions[which] };
            var original = ParametricRegression.Fit(data, covariates, options);
            var scaled = ParametricRegression.Fit(SurvivalData.Create([.. data.Times.Select(t => t * factor)], data.Events), covariates, options);
            if (!original.Converged)
            {
                return;
            }

            Assert.True(scaled.Converged);
            Interlocked.Increment(ref converged);
            if (original.Coefficients.Any(c => c.StandardError > 1e3))
            {
                // A coefficient the data barely identify (a covariate that separates the events, say): its flat
                // likelihood fixes the estimate and its SE only to the iteration's tolerance, not to 1e-8.
                return;
            }

            Near(original.Coefficients[0].Coefficient + Math.Log(factor), scaled.Coefficients[0].Coefficient, "intercept");
            for (var j = 0; j < original.Coefficients.Length; j++)
            {
                Near(original.Coefficients[j].StandardError, scaled.Coefficients[j].StandardError, $"SE {j}");
                if (j > 0)
                {
                    Near(original.Coefficients[j].Coefficient, scaled.Coefficients[j].Coefficient, $"coefficient {j}");
                }
            }

            Near(original.Scale, scaled.Scale, "scale");
            Near(original.LogLikelihood - (data.EventCount * Math.Log(factor)), scaled.LogLikelihood, "log-likelihood");
        }, seed: "0N0XIzNsQ0O2", iter: 200);
        Assert.True(converged > 150, $"only {converged} of 200 random fits converged");
    }

    /// <summary>
    /// Equal to 1e-8 of the larger of 1 and |expected|: both fits stop at the same relative convergence
    /// criterion, so an absolute tolerance would fail on a nearly unidentified fit whose intercept runs into the hundreds.
    /// </summary>
    private static void Near(double expected, double actual, string what)
    {
        var tolerance = 1e-8 * Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R}");
    }

    [Fact]
    public void Predicted_survival_falls_with_time_inside_its_limits_and_quantiles_rise_with_p()
    {
        var converged = 0;
        Gen.Select(Datasets, Gen.Int[0, 5]).SampleFixed((sample, which) =>
        {
            var (data, covariates) = sample;
            var model = ParametricRegression.Fit(data, covariates, new ParametricOptions { Distribution = (ParametricDistribution)which });
            if (!model.Converged)
            {
                // A fit whose scale runs to 0 has no variance to give limits with (see the Weibull case below, where R fails too).
                return;
            }

            converged++;
            double[] x = [0.3];
            var survival = model.SurvivalAt(x, [0.5, 1, 2, 5, 10, 50]);
            for (var k = 0; k < survival.Length; k++)
            {
                Assert.InRange(survival[k].Survival, 0, 1);
                Assert.InRange(survival[k].Survival, survival[k].Lower - 1e-12, survival[k].Upper + 1e-12);
                Assert.True(k == 0 || survival[k].Survival <= survival[k - 1].Survival);
            }

            var quantiles = model.Quantiles(x, [0.1, 0.25, 0.5, 0.75, 0.9]);
            for (var k = 0; k < quantiles.Length; k++)
            {
                Assert.InRange(quantiles[k].Time, quantiles[k].Lower, quantiles[k].Upper);
                // A scale that collapses towards 0 (every event at one time) puts all quantiles at one value.
                Assert.True(k == 0 || quantiles[k].Time > quantiles[k - 1].Time || (model.Scale < 1e-6 && quantiles[k].Time == quantiles[k - 1].Time));
            }
        }, seed: "0N0XIzNsQ0O2", iter: 100);
        Assert.True(converged > 75, $"only {converged} of 100 random fits converged");
    }

    /// <summary>
    /// Data on which the Weibull likelihood has no maximum: R's <c>survreg(Surv(t, e) ~ x, dist = "weibull")</c> runs
    /// out of its 30 iterations with log σ → −∞ ("Ran out of iterations and did not converge"), and so must the fit here,
    /// saying so rather than returning limits; the log-normal fit of the same data converges, as in R (β₀ = 2.42102).
    /// </summary>
    [Fact]
    public void A_weibull_likelihood_without_a_maximum_is_reported_unconverged_as_in_R()
    {
        double[] times = [8.559414343215098, 19.304347826086957, 12.465885688848926, 5.509090909090909, 20, 3.1825916177376663, 16, 1, 12.722335135013532, 3, 7.842416726242831, 15.593857415897617, 19.444444444444443, 4.548325820869279, 17.897959183673468, 10.185714285714285, 9.11111111111111, 2.3376049660986986, 7.675675675675675, 16, 13.508878767216867, 16.726999984947433, 1, 17, 13.404761904761905, 20, 6];
        int[] events = [1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1];
        double[] x = [-1.3063947394147712, -0.07058823529411765, -0.8727272727272727, -1.1831891484357362, -1, 0.0004143, -2, 0.6363636363636364, -0.007279961379335731, 0.1, 2.252E-57, 0, 6.58E-90, 2.24E-15, 0.25, -1, -2, -1, -1.354E-36, -0.0009193999999999999, 0.010752688172043012, -5.227E-44, -1.897389939081382, 0.8924654930595199, 1.24853463720423, 0, 0];
        var data = SurvivalData.Create(times, events);
        var covariates = CovariateMatrix.FromColumn("x", x);

        var weibull = ParametricRegression.Fit(data, covariates, new ParametricOptions { Distribution = ParametricDistribution.Weibull });
        Assert.False(weibull.Converged);
        Assert.True(weibull.Scale < 1e-6, $"scale {weibull.Scale}");

        var lognormal = ParametricRegression.Fit(data, covariates, new ParametricOptions { Distribution = ParametricDistribution.LogNormal });
        Assert.True(lognormal.Converged);
        Assert.Equal(2.42102352769231, lognormal.Coefficients[0].Coefficient, 6);
        Assert.Equal(0.791462736294894, lognormal.Scale, 6);
    }

    [Fact]
    public void Row_order_does_not_change_the_fit()
    {
        var frame = ParametricRegressionReferenceTests.Frame("ovarian");
        var order = Enumerable.Range(0, frame.Data.Count).Reverse().ToArray();
        var reversed = new ModelFrame(frame.Data.Subset(order), frame.Covariates.Subset(order), frame.DroppedRows, frame.Factors);
        var a = ParametricRegression.Fit(frame, new ParametricOptions { Distribution = ParametricDistribution.LogLogistic });
        var b = ParametricRegression.Fit(reversed, new ParametricOptions { Distribution = ParametricDistribution.LogLogistic });
        for (var j = 0; j < a.Coefficients.Length; j++)
        {
            Assert.Equal(a.Coefficients[j].Coefficient, b.Coefficients[j].Coefficient, 9);
            Assert.Equal(a.Coefficients[j].StandardError, b.Coefficients[j].StandardError, 9);
        }

        Assert.Equal(a.LogLikelihood, b.LogLikelihood, 9);
    }

    [Fact]
    public void A_zero_time_is_refused_by_log_time_models_and_accepted_by_the_gaussian()
    {
        var data = SurvivalData.Create([0.0, 3, 5, 7, 8, 10], [1, 1, 1, 0, 1, 0]);
        var error = Assert.Throws<DataValidationException>(() => ParametricRegression.Fit(data));
        Assert.Equal(1, error.Row);
        Assert.Contains("cannot be log-transformed", error.Message, StringComparison.Ordinal);
        Assert.True(ParametricRegression.Fit(data, null, new ParametricOptions { Distribution = ParametricDistribution.Gaussian }).Converged);
    }

    [Fact]
    public void No_events_zero_weights_and_strata_are_refused()
    {
        Assert.Contains("no events", Assert.Throws<DataValidationException>(() => ParametricRegression.Fit(SurvivalData.Create([1.0, 2, 3], [0, 0, 0]))).Message, StringComparison.Ordinal);
        var weighted = SurvivalData.Create([1.0, 2, 3], [1, 1, 0], weights: [1.0, 0, 1]);
        Assert.Equal(2, Assert.Throws<DataValidationException>(() => ParametricRegression.Fit(weighted)).Row);
        var stratified = SurvivalData.Create([1.0, 2, 3, 4], [1, 1, 0, 1], strata: ["a", "a", "b", "b"]);
        Assert.Throws<ArgumentException>(() => ParametricRegression.Fit(stratified));
    }

    [Fact]
    public void Covariate_values_by_name_follow_the_terms_and_refuse_unknown_names()
    {
        var model = ParametricRegression.Fit(ParametricRegressionReferenceTests.Frame("veteran"));
        var row = model.CovariateRow(new Dictionary<string, string> { ["trt"] = "2", ["karno"] = "60", ["age"] = "55.5", ["celltype"] = "large" });
        Assert.Equal(model.Terms.Length - 1, row.Length);
        Assert.Equal(55.5, row[model.Terms.IndexOf("age") - 1]);
        Assert.Equal(1.0, row[model.Terms.IndexOf("celltypelarge") - 1]);
        Assert.Equal(0.0, row[model.Terms.IndexOf("celltypeadeno") - 1]);
        Assert.All(model.CovariateRow(new Dictionary<string, string> { ["trt"] = "1", ["karno"] = "60", ["age"] = "50", ["celltype"] = "squamous" }).Skip(3), v => Assert.Equal(0.0, v));
        Assert.Contains("no level 'big'", Assert.Throws<ArgumentException>(() => model.CovariateRow(new Dictionary<string, string> { ["trt"] = "2", ["karno"] = "60", ["age"] = "50", ["celltype"] = "big" })).Message, StringComparison.Ordinal);
        Assert.Contains("'age'", Assert.Throws<ArgumentException>(() => model.CovariateRow(new Dictionary<string, string> { ["trt"] = "2", ["karno"] = "60", ["celltype"] = "large" })).Message, StringComparison.Ordinal);
        Assert.Contains("'sex'", Assert.Throws<ArgumentException>(() => model.CovariateRow(new Dictionary<string, string> { ["trt"] = "2", ["karno"] = "60", ["age"] = "50", ["celltype"] = "large", ["sex"] = "1" })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => model.SurvivalAt([1.0], [10.0]));
    }

    /// <summary>Small datasets with positive times, at least three events, and one continuous covariate.</summary>
    private static Gen<(SurvivalData Data, CovariateMatrix Covariates)> Datasets =>
        Gen.Int[12, 40].SelectMany(n => Gen.Select(Gen.Double[0.1, 20].Array[n], Gen.Int[0, 3].Array[n], Gen.Double[-2, 2].Array[n]))
            .Select(t =>
            {
                var (times, censoring, x) = t;
                var events = censoring.Select((c, i) => i < 3 || c > 0 ? 1 : 0).ToArray();
                return (SurvivalData.Create(times, events), CovariateMatrix.FromColumn("x", x));
            });
}
