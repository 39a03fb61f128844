using CsCheck;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;
using GistNotebooks.Testing;

namespace GistNotebooks.Survival.Tests.Regression;

/// <summary>Case weights in Cox fits: zero weights, whole-number weights as duplicated rows, robust variance on request.</summary>
public sealed class CoxWeightPropertyTests
{
    private static readonly Gen<(double Time, int Event, double X)> Row =
        Gen.Select(Gen.Int[1, 12], Gen.Int[0, 1], Gen.Int[-3, 3], (t, e, x) => ((double)t, e, (double)x));

    private static CoxModel Fit(IReadOnlyList<(double Time, int Event, double X)> rows, IReadOnlyList<double>? weights, CoxOptions options)
        => CoxRegression.Fit(
            SurvivalData.Create([.. rows.Select(r => r.Time)], [.. rows.Select(r => r.Event)], weights),
            CovariateMatrix.FromColumn("x", [.. rows.Select(r => r.X)]),
            options);

    private static bool Fittable(IReadOnlyList<(double Time, int Event, double X)> rows)
        => rows.Any(r => r.Event == 1) && rows.Select(r => r.X).Distinct().Count() > 1;

    /// <summary>
    /// With Efron ties a zero-weight death must not count in the tie fractions: the fit equals the fit without the row.
    /// Hand case: deaths at time 1 with x = 0 (weight 1) and x = 1 (weight 0), a censoring at 2 with x = 1.
    /// </summary>
    [Fact]
    public void A_zero_weight_tied_death_leaves_the_Efron_fit_unchanged()
    {
        (double, int, double)[] rows = [(1, 1, 0), (1, 1, 1), (2, 0, 1), (3, 1, 0), (3, 1, 1), (4, 1, 1), (5, 0, 0)];
        double[] weights = [1, 0, 1, 1, 1, 1, 1];
        var weighted = Fit(rows, weights, new CoxOptions());
        var dropped = Fit([.. rows.Where((_, i) => weights[i] > 0)], null, new CoxOptions());
        Assert.Equal(dropped.Coefficients[0].Coefficient, weighted.Coefficients[0].Coefficient, 12);
        Assert.Equal(dropped.LogLikelihood, weighted.LogLikelihood, 12);
        Assert.Equal([1], weighted.ZeroWeightRows.ToArray());
        Assert.Equal(6, weighted.N);
    }

    /// <summary>
    /// A weight of 2 is two identical rows (point estimate, model-based variance, log-likelihood). With Breslow ties for
    /// any row; with Efron only for censored rows, since two copies of a death are a tie of two deaths while one death of
    /// weight 2 is a single death (R's coxph behaves the same way).
    /// </summary>
    [Theory]
    [InlineData(TieMethod.Efron)]
    [InlineData(TieMethod.Breslow)]
    public void A_weight_of_two_equals_a_duplicated_row(TieMethod ties)
    {
        Gen.Select(Row.List[6, 25], Gen.Int[0, 1].Array[25])
            .Where(t => Fittable(t.Item1))
            .SampleFixed(t =>
            {
                var (rows, doubled) = t;
                var weights = rows.Select((r, i) => doubled[i] == 1 && (ties == TieMethod.Breslow || r.Event == 0) ? 2.0 : 1.0).ToArray();
                var expanded = rows.SelectMany((r, i) => Enumerable.Repeat(r, (int)weights[i])).ToList();
                var options = new CoxOptions { Ties = ties, TimeFix = false };
                CoxModel a, b;
                try
                {
                    a = Fit(rows, weights, options);
                    b = Fit(expanded, null, options);
                }
                catch (DataValidationException)
                {
                    return;
                }

                if (!a.Converged || !b.Converged)
                {
                    return;
                }

                Assert.Equal(b.Coefficients[0].Coefficient, a.Coefficients[0].Coefficient, 8);
                Assert.Equal(b.Coefficients[0].StandardError, a.Coefficients[0].StandardError, 8);
                Assert.Equal(b.LogLikelihood, a.LogLikelihood, 8);
                Assert.False(a.IsRobust);
            }, seed: "3Wd6VszcMv40", iter: 200);
    }

    /// <summary>With each row its own cluster and unit weights, the robust variance is DᵀD of the dfbeta residuals.</summary>
    [Fact]
    public void The_robust_variance_is_the_cross_product_of_the_dfbeta_residuals()
    {
        (double, int, double)[] rows = [(1, 1, 0), (2, 1, 1), (2, 1, 0), (3, 0, 1), (4, 1, 2), (5, 1, 0), (6, 0, 1), (7, 1, 2)];
        var data = SurvivalData.Create([.. rows.Select(r => r.Item1)], [.. rows.Select(r => r.Item2)]);
        var covariates = CovariateMatrix.FromColumn("x", [.. rows.Select(r => r.Item3)]);
        var model = CoxRegression.Fit(data, covariates, new CoxOptions { Variance = CoxVariance.Robust });
        var dfbeta = CoxRegression.Residuals(model, data, covariates, CoxResidualType.Dfbeta).Rows;
        Assert.Equal(dfbeta.Sum(r => r[0] * r[0]), model.Variance[0][0], 14);
        Assert.Equal(CoxRegression.Fit(data, covariates).Variance[0][0], model.NaiveVariance!.Value[0][0], 14);
    }
}
