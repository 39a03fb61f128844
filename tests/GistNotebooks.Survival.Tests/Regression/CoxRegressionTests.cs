using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Survival.Tests.Regression;

/// <summary>Hand-derived cases, properties (fixed seeds) and input errors of <see cref="CoxRegression"/>.</summary>
public sealed class CoxRegressionTests
{
    /// <summary>
    /// Three subjects: A (x = 1) and B (x = 0) die at t = 1, C (x = 0) dies at t = 2. With r = e^β:
    /// Breslow: ℓ = β − 2·log(r + 2); U = 1 − 2r/(r + 2) = 0 gives r = 2, β = log 2; I = 4r/(r + 2)² = 1/2.
    /// ℓ(0) = −2·log 3; U(0) = 1/3, I(0) = 4/9, so the score statistic is (1/9)/(4/9) = 1/4.
    /// Efron: the second tied death sees (r + 2) − (r + 1)/2 = (r + 3)/2, so ℓ = β − log(r + 2) − log((r + 3)/2);
    /// U = 1 − r/(r + 2) − r/(r + 3) = 0 gives 6 − r² = 0, r = √6, β = ½·log 6;
    /// I = 2r/(r + 2)² + 3r/(r + 3)²; ℓ(0) = −log 6.
    /// </summary>
    private static (SurvivalData Data, CovariateMatrix X) ThreeSubjects()
        => (SurvivalData.Create([1.0, 1.0, 2.0], [1, 1, 1]), CovariateMatrix.FromColumn("x", [1.0, 0.0, 0.0]));

    [Fact]
    public void Three_subjects_with_a_tie_Breslow_estimate_is_log_2()
    {
        var (data, x) = ThreeSubjects();
        var model = CoxRegression.Fit(data, x, new CoxOptions { Ties = TieMethod.Breslow });
        var row = Assert.Single(model.Coefficients);
        Assert.Equal(Math.Log(2), row.Coefficient, 9);
        Assert.Equal(Math.Sqrt(2), row.StandardError, 7);
        Assert.Equal(-2 * Math.Log(3), model.LogLikelihoodNull, 12);
        Assert.Equal(Math.Log(2) - (2 * Math.Log(4)), model.LogLikelihood, 10);
        Assert.Equal(0.25, model.ScoreTest.Statistic, 12);
        Assert.True(model.Converged);
    }

    [Fact]
    public void Three_subjects_with_a_tie_Efron_estimate_is_half_log_6()
    {
        var (data, x) = ThreeSubjects();
        var model = CoxRegression.Fit(data, x);
        var row = Assert.Single(model.Coefficients);
        var r = Math.Sqrt(6);
        Assert.Equal(0.5 * Math.Log(6), row.Coefficient, 9);
        var information = (2 * r / ((r + 2) * (r + 2))) + (3 * r / ((r + 3) * (r + 3)));
        Assert.Equal(1 / Math.Sqrt(information), row.StandardError, 7);
        Assert.Equal(-Math.Log(6), model.LogLikelihoodNull, 12);
        Assert.Equal(Math.Log(r) - Math.Log(r + 2) - Math.Log((r + 3) / 2), model.LogLikelihood, 10);
    }

    [Fact]
    public void Efron_equals_Breslow_when_no_times_are_tied()
    {
        for (var seed = 1; seed <= 10; seed++)
        {
            var (data, x) = Simulate(seed, 50, tiedTimes: false);
            var efron = CoxRegression.Fit(data, x);
            var breslow = CoxRegression.Fit(data, x, new CoxOptions { Ties = TieMethod.Breslow });
            for (var j = 0; j < 2; j++)
            {
                Assert.Equal(breslow.Coefficients[j].Coefficient, efron.Coefficients[j].Coefficient, 12);
                Assert.Equal(breslow.Coefficients[j].StandardError, efron.Coefficients[j].StandardError, 12);
            }

            Assert.Equal(breslow.LogLikelihood, efron.LogLikelihood, 10);
        }
    }

    [Fact]
    public void Rescaling_a_covariate_by_c_rescales_its_coefficient_by_one_over_c()
    {
        var random = new Random(20261127);
        for (var seed = 1; seed <= 10; seed++)
        {
            var (data, x) = Simulate(seed, 60, tiedTimes: true);
            var c = 0.1 + (random.NextDouble() * 20);
            var scaled = CovariateMatrix.FromColumns(x.Terms, [x.Column(0).Select(v => v * c).ToArray(), x.Column(1)]);
            var original = CoxRegression.Fit(data, x);
            var rescaled = CoxRegression.Fit(data, scaled);
            CoxRegressionReferenceTests.Close(original.Coefficients[0].Coefficient / c, rescaled.Coefficients[0].Coefficient, 1e-6, "scaled coefficient");
            CoxRegressionReferenceTests.Close(original.Coefficients[0].StandardError / c, rescaled.Coefficients[0].StandardError, 1e-6, "scaled se");
            CoxRegressionReferenceTests.Close(original.Coefficients[1].Coefficient, rescaled.Coefficients[1].Coefficient, 1e-6, "other coefficient");
            CoxRegressionReferenceTests.Close(original.LogLikelihood, rescaled.LogLikelihood, 1e-10, "loglik");
            CoxRegressionReferenceTests.Close(original.Concordance.Estimate!.Value, rescaled.Concordance.Estimate!.Value, 1e-12, "C");
        }
    }

    [Fact]
    public void Row_order_does_not_matter()
    {
        for (var seed = 1; seed <= 10; seed++)
        {
            var (data, x) = Simulate(seed, 40, tiedTimes: true);
            var permutation = Enumerable.Range(0, data.Count).ToArray();
            new Random(seed + 1000).Shuffle(permutation);
            var original = CoxRegression.Fit(data, x);
            var shuffled = CoxRegression.Fit(data.Subset(permutation), x.Subset(permutation));
            for (var j = 0; j < 2; j++)
            {
                CoxRegressionReferenceTests.Close(original.Coefficients[j].Coefficient, shuffled.Coefficients[j].Coefficient, 1e-10, "coefficient");
                CoxRegressionReferenceTests.Close(original.Coefficients[j].StandardError, shuffled.Coefficients[j].StandardError, 1e-10, "se");
            }

            CoxRegressionReferenceTests.Close(original.Concordance.Estimate!.Value, shuffled.Concordance.Estimate!.Value, 1e-12, "C");
            CoxRegressionReferenceTests.Close(original.Concordance.StandardError!.Value, shuffled.Concordance.StandardError!.Value, 1e-10, "se(C)");
            var zph = CoxRegression.TestProportionalHazards(original, data, x);
            var zphShuffled = CoxRegression.TestProportionalHazards(shuffled, data.Subset(permutation), x.Subset(permutation));
            CoxRegressionReferenceTests.Close(zph.Global.ChiSquare, zphShuffled.Global.ChiSquare, 1e-8, "zph");
        }
    }

    [Fact]
    public void Breslow_case_weight_of_two_equals_a_duplicated_row()
    {
        var (data, x) = Simulate(7, 30, tiedTimes: true);
        var weights = Enumerable.Range(0, data.Count).Select(i => i % 3 == 0 ? 2.0 : 1.0).ToArray();
        var weighted = SurvivalData.Create(data.Times, data.Events, weights);
        var rows = Enumerable.Range(0, data.Count).SelectMany(i => i % 3 == 0 ? new[] { i, i } : [i]).ToArray();
        var options = new CoxOptions { Ties = TieMethod.Breslow };
        var a = CoxRegression.Fit(weighted, x, options);
        var b = CoxRegression.Fit(data.Subset(rows), x.Subset(rows), options);
        for (var j = 0; j < 2; j++)
        {
            CoxRegressionReferenceTests.Close(b.Coefficients[j].Coefficient, a.Coefficients[j].Coefficient, 1e-9, "coefficient");
            CoxRegressionReferenceTests.Close(b.Coefficients[j].StandardError, a.Coefficients[j].StandardError, 1e-9, "se");
        }

        CoxRegressionReferenceTests.Close(b.LogLikelihood, a.LogLikelihood, 1e-10, "loglik");
    }

    [Fact]
    public void Two_identical_strata_give_the_unstratified_estimate_and_twice_the_log_likelihood()
    {
        var (data, x) = Simulate(11, 40, tiedTimes: true);
        var rows = Enumerable.Range(0, data.Count).Concat(Enumerable.Range(0, data.Count)).ToArray();
        var strata = rows.Select((_, k) => k < data.Count ? "A" : "B").ToArray();
        var stacked = data.Subset(rows).WithStrata(strata);
        var single = CoxRegression.Fit(data, x);
        var stratified = CoxRegression.Fit(stacked, x.Subset(rows));
        for (var j = 0; j < 2; j++)
        {
            CoxRegressionReferenceTests.Close(single.Coefficients[j].Coefficient, stratified.Coefficients[j].Coefficient, 1e-8, "coefficient");
            CoxRegressionReferenceTests.Close(single.Coefficients[j].StandardError / Math.Sqrt(2), stratified.Coefficients[j].StandardError, 1e-8, "se");
        }

        CoxRegressionReferenceTests.Close(2 * single.LogLikelihood, stratified.LogLikelihood, 1e-10, "loglik");
        CoxRegressionReferenceTests.Close(single.Concordance.Estimate!.Value, stratified.Concordance.Estimate!.Value, 1e-12, "C");
    }

    [Fact]
    public void A_covariate_without_variance_is_refused_by_name()
    {
        var (data, x) = Simulate(3, 20, tiedTimes: false);
        var design = CovariateMatrix.FromColumns(["age", "site"], [x.Column(0), Enumerable.Repeat(4.0, data.Count).ToArray()]);
        var error = Assert.Throws<DataValidationException>(() => CoxRegression.Fit(data, design));
        Assert.Contains("site", error.Message, StringComparison.Ordinal);
        Assert.Contains("no variance", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Collinear_covariates_are_refused_naming_the_columns()
    {
        var (data, x) = Simulate(4, 30, tiedTimes: false);
        var a = x.Column(0);
        var b = x.Column(1);
        var design = CovariateMatrix.FromColumns(["a", "b", "total"], [a, b, a.Zip(b, (u, v) => u + (2 * v)).ToArray()]);
        var error = Assert.Throws<DataValidationException>(() => CoxRegression.Fit(data, design));
        Assert.Contains("'total'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'a'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'b'", error.Message, StringComparison.Ordinal);
        Assert.Contains("collinear", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_without_events_are_refused()
    {
        var data = SurvivalData.Create([1.0, 2.0, 3.0], [0, 0, 0]);
        Assert.Throws<DataValidationException>(() => CoxRegression.Fit(data, CovariateMatrix.FromColumn("x", [0.0, 1.0, 2.0])));
    }

    [Fact]
    public void Running_out_of_iterations_is_reported()
    {
        var (data, x) = Simulate(5, 40, tiedTimes: true);
        var model = CoxRegression.Fit(data, x, new CoxOptions { MaxIterations = 1 });
        Assert.False(model.Converged);
        Assert.Contains(model.Warnings, w => w.Contains("did not converge", StringComparison.Ordinal));
    }

    /// <summary>Exponential times with hazard exp(0.7·x1 − 0.5·x2), x1 ~ N(0,1), x2 ∈ {0,1}, uniform censoring; times rounded to create ties when asked.</summary>
    private static (SurvivalData Data, CovariateMatrix X) Simulate(int seed, int n, bool tiedTimes)
    {
        var random = new Random(seed);
        var times = new double[n];
        var events = new int[n];
        var x1 = new double[n];
        var x2 = new double[n];
        for (var i = 0; i < n; i++)
        {
            x1[i] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            x2[i] = random.Next(2);
            var t = -Math.Log(1 - random.NextDouble()) / Math.Exp((0.7 * x1[i]) - (0.5 * x2[i]));
            var c = 3 * random.NextDouble();
            times[i] = Math.Min(t, c);
            events[i] = t <= c ? 1 : 0;
            if (tiedTimes)
            {
                times[i] = Math.Ceiling(times[i] * 4) / 4;
            }
        }

        return (SurvivalData.Create(times, events), CovariateMatrix.FromColumns(["x1", "x2"], [x1, x2]));
    }
}
