using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;
using static GistNotebooks.Survival.Tests.Regression.CoxphReference;

namespace GistNotebooks.Survival.Tests.Regression;

/// <summary>
/// Stand-alone concordance of a predictor (R's <c>concordance()</c>) and the likelihood-ratio comparison of nested Cox fits
/// (R's <c>anova(small, large)</c>), against survival 3.5-3 (Reference/coxph.expected.json). Tolerance 1e-8 relative.
/// </summary>
public sealed class ConcordanceAndAnovaReferenceTests
{
    private const double Tolerance = 1e-8;

    private static void AssertConcordance(System.Text.Json.JsonElement expected, CoxConcordance actual, string what, bool counts = true)
    {
        Close(expected.GetProperty("concordance").GetDouble(), actual.Estimate!.Value, Tolerance, what);
        Close(expected.GetProperty("se").GetDouble(), actual.StandardError!.Value, Tolerance, what + " se");
        if (counts)
        {
            var count = Numbers(expected.GetProperty("count"));
            Close(count[0], actual.Concordant, Tolerance, what + " concordant");
            Close(count[1], actual.Discordant, Tolerance, what + " discordant");
            Close(count[2], actual.TiedRisk, Tolerance, what + " tied.x");
            Close(count[3], actual.TiedTime, Tolerance, what + " tied.y");
            Close(count[4], actual.TiedBoth, Tolerance, what + " tied.xy");
        }
    }

    [Fact]
    public void Concordance_of_a_predictor_in_either_direction_MatchesRSurvival()
    {
        var veteran = Frame("veteran", ["karno"]);
        var karno = veteran.Covariates.Column(0);
        AssertConcordance(Get("concordance", "veteran_karno"), Concordance.Estimate(veteran.Data, karno), "karno");
        AssertConcordance(Get("concordance", "veteran_karno_reverse"), Concordance.Estimate(veteran.Data, karno, new ConcordanceOptions { Reverse = true }), "karno reverse");
    }

    [Fact]
    public void Concordance_within_strata_and_with_weights_MatchesRSurvival()
    {
        var ovarian = Frame("ovarian", ["age"], strata: "rx");
        AssertConcordance(Get("concordance", "ovarian_age_strata"), Concordance.Estimate(ovarian.Data, ovarian.Covariates.Column(0)), "ovarian strata", counts: false);

        var aml = Frame("aml", ["x"]);
        var weights = FractionalWeights(aml.Data.Count);
        var weighted = WithWeights(aml, weights);
        AssertConcordance(Get("concordance", "aml_weighted_time"), Concordance.Estimate(weighted.Data, weights), "aml weighted");
    }

    [Fact]
    public void Concordance_of_near_equal_times_is_taken_after_merging_MatchesRSurvival()
    {
        var frame = ModelFrame.FromTable(ColumnTable.ReadCsv(TestData.Reference("timefix.csv")), "time", "event", ["z"]);
        Close(Get("timefix", "concordance").GetDouble(), Concordance.Estimate(frame.Data, frame.Covariates.Column(0)).Estimate!.Value, Tolerance, "timefix");
    }

    [Fact]
    public void Likelihood_ratio_test_of_nested_fits_MatchesRSurvival()
    {
        var expected = Get("anova");
        var small = CoxRegression.Fit(Frame("veteran", ["trt", "karno"]));
        var large = CoxRegression.Fit(Frame("veteran", ["trt", "karno", "age", "celltype"]));
        var comparison = CoxRegression.Compare(small, large);
        var loglik = Numbers(expected.GetProperty("loglik"));
        Close(loglik[0], comparison.SmallerLogLikelihood, Tolerance, "small loglik");
        Close(loglik[1], comparison.LargerLogLikelihood, Tolerance, "large loglik");
        Close(expected.GetProperty("chisq").GetDouble(), comparison.ChiSquare, Tolerance, "chisq");
        Assert.Equal(expected.GetProperty("df").GetInt32(), comparison.DegreesOfFreedom);
        Close(expected.GetProperty("p").GetDouble(), comparison.P, Tolerance, "p");
        Assert.Throws<DataValidationException>(() => CoxRegression.Compare(large, small));
    }

    /// <summary>Negating the predictor mirrors the concordance around 1/2 and leaves its standard error unchanged.</summary>
    [Fact]
    public void Negating_the_predictor_mirrors_the_concordance()
    {
        var veteran = Frame("veteran", ["age"]);
        var age = veteran.Covariates.Column(0);
        var plain = Concordance.Estimate(veteran.Data, age);
        var negated = Concordance.Estimate(veteran.Data, [.. age.Select(a => -a)]);
        Assert.Equal(1 - plain.Estimate!.Value, negated.Estimate!.Value, 12);
        Assert.Equal(plain.StandardError!.Value, negated.StandardError!.Value, 12);
    }
}
