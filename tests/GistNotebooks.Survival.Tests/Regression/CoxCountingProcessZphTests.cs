using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;
using static GistNotebooks.Survival.Tests.Regression.CoxCountingProcessReferenceTests;
using static GistNotebooks.Survival.Tests.Regression.CoxphReference;

namespace GistNotebooks.Survival.Tests.Regression;

/// <summary>
/// cox.zph on Cox fits to (start, stop] data against R survival 3.5-3 (startstop.R: <c>cox.zph(coxph(Surv(start, stop,
/// event) ~ age + year + surgery + transplant, heart))</c>, Efron and Breslow, weighted, stratified, "km" and "identity"
/// transforms). Statistics and p-values to 1e-6 relative.
/// </summary>
public sealed class CoxCountingProcessZphTests
{
    private static readonly string[] HeartTerms = ["age", "year", "surgery", "transplant"];

    [Theory]
    [InlineData("zph_efron", TieMethod.Efron, ZphTransform.KaplanMeier, false, false)]
    [InlineData("zph_breslow", TieMethod.Breslow, ZphTransform.KaplanMeier, false, false)]
    [InlineData("zph_identity_efron", TieMethod.Efron, ZphTransform.Identity, false, false)]
    [InlineData("zph_weighted_efron", TieMethod.Efron, ZphTransform.KaplanMeier, true, false)]
    [InlineData("zph_strata_efron", TieMethod.Efron, ZphTransform.KaplanMeier, false, true)]
    public void CoxZph_on_start_stop_data_MatchesRSurvival(string name, TieMethod ties, ZphTransform transform, bool weighted, bool stratified)
    {
        var (data, covariates) = stratified ? HeartData(["age", "year", "transplant"], strata: "surgery") : HeartData(HeartTerms, weighted);
        var options = new CoxOptions { Ties = ties };
        var model = CoxRegression.Fit(data, covariates, options);
        var test = CoxRegression.TestProportionalHazards(model, data, covariates, transform, options);

        var expected = Expected(name);
        var termNames = Strings(expected.GetProperty("term"));
        var chisq = Numbers(expected.GetProperty("chisq"));
        var p = Numbers(expected.GetProperty("p"));
        var df = Numbers(expected.GetProperty("df"));
        var actual = test.Terms.Append(test.Global).ToArray();
        Assert.Equal(termNames, actual.Select(t => t.Term));
        for (var i = 0; i < actual.Length; i++)
        {
            Close(chisq[i], actual[i].ChiSquare, 1e-6, $"{name} {termNames[i]} chisq");
            Close(p[i], actual[i].P, 1e-6, $"{name} {termNames[i]} p");
            Assert.Equal((int)df[i], actual[i].DegreesOfFreedom);
        }
    }

    /// <summary>
    /// With every subject entering at 0 and one row each, (start, stop] data are ordinary right-censored data: the test
    /// must equal the one on <see cref="SurvivalData"/>, for both transforms and both tie methods.
    /// </summary>
    [Theory]
    [InlineData(TieMethod.Efron, ZphTransform.KaplanMeier)]
    [InlineData(TieMethod.Breslow, ZphTransform.Identity)]
    public void Entry_at_zero_equals_the_right_censored_test(TieMethod ties, ZphTransform transform)
    {
        double[] time = [5, 8, 8, 12, 15, 15, 15, 20, 22, 30, 31, 40];
        int[] events = [1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 0];
        double[] x = [1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0];
        double[] z = [2.5, 1, 0.3, 4, 2, 1.5, 0.7, 3, 2.2, 1.1, 0.4, 2.8];
        var covariates = CovariateMatrix.FromColumns(["x", "z"], [x, z]);
        var options = new CoxOptions { Ties = ties };
        var counting = CountingProcessData.Create([.. time.Select(_ => 0.0)], time, events);
        var plain = SurvivalData.Create(time, events);
        var a = CoxRegression.TestProportionalHazards(CoxRegression.Fit(counting, covariates, options), counting, covariates, transform, options);
        var b = CoxRegression.TestProportionalHazards(CoxRegression.Fit(plain, covariates, options), plain, covariates, transform, options);
        for (var i = 0; i < a.Terms.Length; i++)
        {
            Near(b.Terms[i].ChiSquare, a.Terms[i].ChiSquare, 1e-9);
        }

        Near(b.Global.ChiSquare, a.Global.ChiSquare, 1e-9);
    }

    /// <summary>Splitting every subject's follow-up at a cut point leaves the risk sets, the transform and so the test unchanged.</summary>
    [Fact]
    public void Splitting_follow_up_leaves_the_test_unchanged()
    {
        var (data, covariates) = HeartData(HeartTerms);
        var model = CoxRegression.Fit(data, covariates);
        var whole = CoxRegression.TestProportionalHazards(model, data, covariates);

        var rows = new List<int>();
        var starts = new List<double>();
        var stops = new List<double>();
        var events = new List<int>();
        const double cut = 50;
        for (var i = 0; i < data.Count; i++)
        {
            if (data.Starts[i] < cut && data.Stops[i] > cut)
            {
                rows.Add(i);
                starts.Add(data.Starts[i]);
                stops.Add(cut);
                events.Add(0);
                rows.Add(i);
                starts.Add(cut);
            }
            else
            {
                rows.Add(i);
                starts.Add(data.Starts[i]);
            }

            stops.Add(data.Stops[i]);
            events.Add(data.Events[i] ? 1 : 0);
        }

        var split = CountingProcessData.Create(starts, stops, events);
        var splitCovariates = covariates.Subset([.. rows]);
        var splitModel = CoxRegression.Fit(split, splitCovariates);
        var test = CoxRegression.TestProportionalHazards(splitModel, split, splitCovariates);
        Assert.True(split.Count > data.Count);
        for (var i = 0; i < whole.Terms.Length; i++)
        {
            Near(whole.Terms[i].ChiSquare, test.Terms[i].ChiSquare, 1e-8);
        }

        Near(whole.Global.ChiSquare, test.Global.ChiSquare, 1e-8);
    }

    /// <summary>Equal to within <paramref name="tolerance"/>, relative to the larger of 1 and |expected| (no rounding to decimal places).</summary>
    private static void Near(double expected, double actual, double tolerance)
        => Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Max(1, Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");
}
