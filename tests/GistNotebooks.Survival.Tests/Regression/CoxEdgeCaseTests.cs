using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Survival.Tests.Regression;

/// <summary>Cox regression at the edges of what data can be (docs/methods.md, "Edge cases").</summary>
public sealed class CoxEdgeCaseTests
{
    private static readonly SurvivalData Data = SurvivalData.Create([1.0, 2, 3, 4, 5, 6], [1, 0, 1, 1, 0, 1]);

    [Fact]
    public void A_covariate_without_variance_is_a_data_error_naming_it()
    {
        var covariates = CovariateMatrix.FromColumns(["age", "dose"], [[60.0, 52, 71, 48, 66, 59], [5.0, 5, 5, 5, 5, 5]]);

        var error = Assert.Throws<DataValidationException>(() => CoxRegression.Fit(Data, covariates));

        Assert.Equal("dose", error.Column);
        Assert.Contains("no variance (every value is 5)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Collinear_covariates_are_a_data_error_naming_every_column_involved()
    {
        double[] age = [60.0, 52, 71, 48, 66, 59];
        double[] sex = [0.0, 1, 1, 0, 1, 0];
        var covariates = CovariateMatrix.FromColumns(["age", "sex", "score"], [age, sex, [.. age.Zip(sex, (a, s) => (2 * a) - s)]]);

        var error = Assert.Throws<DataValidationException>(() => CoxRegression.Fit(Data, covariates));

        Assert.Equal("score", error.Column);
        Assert.Contains("collinear with 'age', 'sex'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_separation_reports_monotone_likelihood_and_suggests_Firth()
    {
        // Every subject with x = 1 fails before every subject with x = 0: the partial likelihood rises without bound in β.
        var data = SurvivalData.Create([1.0, 2, 3, 4, 5, 6], [1, 1, 1, 1, 0, 1]);
        var covariates = CovariateMatrix.FromColumn("x", [1.0, 1, 1, 0, 0, 0]);

        var model = CoxRegression.Fit(data, covariates);
        var firth = CoxRegression.FitFirth(data, covariates);

        Assert.Equal(["x"], model.MonotoneLikelihood.ToArray());
        Assert.False(model.Converged);
        Assert.True(model.Coefficients[0].IsInfinite);
        Assert.Contains(model.Warnings, w => w.Contains("Monotone likelihood", StringComparison.Ordinal) && w.Contains("Firth", StringComparison.Ordinal));
        Assert.False(firth.Coefficients[0].IsInfinite);
        Assert.True(firth.Coefficients[0].Coefficient > 0 && double.IsFinite(firth.Coefficients[0].Coefficient));
    }

    /// <summary>
    /// A large fit checks the design on another core while the times are sorted; its faults come as on one core: "no
    /// events" before a covariate without variance, and that before a covariate that repeats another.
    /// </summary>
    [Theory]
    [InlineData(12)]
    [InlineData(TimeSort.TwoCoresFromRows)]
    public void Design_faults_come_after_no_events_at_any_size(int rows)
    {
        var times = Enumerable.Range(1, rows).Select(i => (double)i).ToArray();
        var age = times.Select(t => 40 + (t % 37)).ToArray();
        var constant = times.Select(_ => 5.0).ToArray();
        string Fault(bool anyEvent, double[][] columns, string[] names) => Assert.Throws<DataValidationException>(() => CoxRegression.Fit(
            SurvivalData.Create(times, [.. times.Select((_, i) => anyEvent && i % 3 == 0 ? 1 : 0)]),
            CovariateMatrix.FromColumns(names, columns))).Message;

        Assert.Contains("there are no events", Fault(false, [age, constant], ["age", "dose"]), StringComparison.Ordinal);
        Assert.Contains("no variance (every value is 5)", Fault(true, [age, constant], ["age", "dose"]), StringComparison.Ordinal);
        Assert.Contains("age2", Fault(true, [age, [.. age.Select(a => 2 * a)]], ["age", "age2"]), StringComparison.Ordinal);
    }

    [Fact]
    public void No_events_is_a_data_error()
    {
        var data = SurvivalData.Create([1.0, 2, 3], [0, 0, 0]);

        var error = Assert.Throws<DataValidationException>(() => CoxRegression.Fit(data, CovariateMatrix.FromColumn("x", [1.0, 2, 3])));

        Assert.Contains("there are no events", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_of_weight_zero_count_for_nothing_and_very_large_times_only_order_the_data()
    {
        double[] x = [0.5, 1.5, -0.3, 2.0, 0.1, 1.1];
        var plain = CoxRegression.Fit(Data, CovariateMatrix.FromColumn("x", x));
        var padded = CoxRegression.Fit(
            SurvivalData.Create([1.0, 2, 3, 4, 5, 6, 2.5, 3.5], [1, 0, 1, 1, 0, 1, 1, 1], weights: [1.0, 1, 1, 1, 1, 1, 0, 0]),
            CovariateMatrix.FromColumn("x", [.. x, 9, -9]));
        var large = CoxRegression.Fit(SurvivalData.Create([1e300, 2e300, 3e300, 4e300, 5e300, 1e308], [1, 0, 1, 1, 0, 1]), CovariateMatrix.FromColumn("x", x));

        Assert.Equal(plain.Coefficients[0].Coefficient, padded.Coefficients[0].Coefficient, 10);
        Assert.Equal(plain.LogLikelihood, large.LogLikelihood, 12);
        Finite.AssertEveryEstimate(padded.Coefficients, "zero weights");
        Finite.AssertEveryEstimate(large, "large times");
    }

    [Fact]
    public void Random_small_datasets_give_finite_estimates_or_a_documented_data_error()
    {
        var random = new Random(20260803);
        var fitted = 0;
        for (var trial = 0; trial < 300; trial++)
        {
            var data = RandomSmallData.Survival(random);
            var x = Enumerable.Range(0, data.Count).Select(_ => Math.Round(random.NextDouble() * 4, 1)).ToArray();
            try
            {
                var model = CoxRegression.Fit(data, CovariateMatrix.FromColumn("x", x));
                fitted++;

                // An infinite estimate is flagged; its other fields are documented as not to be interpreted.
                if (model.MonotoneLikelihood.IsEmpty)
                {
                    Finite.AssertEveryEstimate(model with { Concordance = new CoxConcordance(0, 0, 0, 0, 0, 0, 0) }, $"trial {trial}");
                }

                // The concordance is 0/0 (undefined: null, R's NA) exactly when no pair is comparable; otherwise finite.
                var c = model.Concordance;
                var comparable = c.Concordant + c.Discordant + c.TiedRisk;
                Assert.True(comparable > 0 ? c.Estimate is { } e && double.IsFinite(e) : c.Estimate is null && c.StandardError is null, $"trial {trial}: {c}");
            }
            catch (DataValidationException)
            {
                // Documented: no events, or a covariate with no variance.
            }
        }

        Assert.True(fitted > 100, $"only {fitted} datasets could be fitted");
    }
}
