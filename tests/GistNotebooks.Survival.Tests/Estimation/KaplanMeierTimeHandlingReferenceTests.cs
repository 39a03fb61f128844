using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using static GistNotebooks.Survival.Tests.Regression.CoxphReference;

namespace GistNotebooks.Survival.Tests.Estimation;

/// <summary>
/// Kaplan–Meier, Nelson–Aalen and log-rank under R's time handling and weights, against R survival 3.5-3
/// (Reference/coxph.expected.json, data/reference/coxph.R): near-equal times merged (timefix), the infinitesimal-jackknife
/// variance under fractional weights, and conditional survival as <c>survfit(start.time =)</c>. Tolerance 1e-8 relative.
/// </summary>
public sealed class KaplanMeierTimeHandlingReferenceTests
{
    private const double Tolerance = 1e-8;

    private static SurvivalData TimeFixData() => SurvivalData.FromTable(ColumnTable.ReadCsv(TestData.Reference("timefix.csv")), "time", "event", groupColumn: "grp");

    private static void AssertTable(System.Text.Json.JsonElement expected, KaplanMeierCurve curve, bool robust, string what)
    {
        var time = Numbers(expected.GetProperty("time"));
        var surv = Numbers(expected.GetProperty("surv"));
        var stdErr = Numbers(expected.GetProperty("std_err_log"));
        var lower = Numbers(expected.GetProperty("lower"));
        var upper = Numbers(expected.GetProperty("upper"));
        var atRisk = Numbers(expected.GetProperty("n_risk"));
        Assert.Equal(time.Length, curve.Table.Length);
        for (var i = 0; i < time.Length; i++)
        {
            var row = curve.Table[i];
            Close(time[i], row.Time, 1e-14, $"{what} time {i}");
            Close(atRisk[i], row.AtRisk, Tolerance, $"{what} n.risk {i}");
            Close(surv[i], row.Survival, Tolerance, $"{what} surv {i}");

            // survfit keeps se(log S) for Greenwood and se(S) for the robust variance (its logse flag).
            var se = robust ? row.StandardError : row.StandardErrorCumulativeHazard;
            if (double.IsNaN(stdErr[i]) || se is null)
            {
                continue;
            }

            Close(stdErr[i], se.Value, Tolerance, $"{what} std.err {i}");
            Close(lower[i], row.Lower!.Value, Tolerance, $"{what} lower {i}");
            Close(upper[i], row.Upper!.Value, Tolerance, $"{what} upper {i}");
        }
    }

    [Fact]
    public void Near_equal_times_are_merged_in_Kaplan_Meier_MatchesRSurvival()
    {
        var data = TimeFixData();
        AssertTable(Get("timefix", "km"), KaplanMeier.Estimate(data), robust: false, "timefix");
        AssertTable(Get("timefix", "km_no_timefix"), KaplanMeier.Estimate(data, new KaplanMeierOptions { TimeFix = false }), robust: false, "no timefix");
    }

    [Fact]
    public void Near_equal_times_are_merged_in_the_log_rank_test_MatchesRSurvival()
    {
        var data = TimeFixData();
        foreach (var (key, timeFix) in new[] { ("survdiff", true), ("survdiff_no_timefix", false) })
        {
            var expected = Get("timefix", key);
            var result = LogRank.Test(data, new LogRankOptions { TimeFix = timeFix });
            Close(expected.GetProperty("chisq").GetDouble(), result.Statistic, Tolerance, key);
            var observed = Numbers(expected.GetProperty("observed"));
            var expectedEvents = Numbers(expected.GetProperty("expected"));
            for (var g = 0; g < 2; g++)
            {
                Close(observed[g], result.Groups[g].Observed, Tolerance, key + " observed");
                Close(expectedEvents[g], result.Groups[g].Expected, Tolerance, key + " expected");
            }
        }
    }

    [Fact]
    public void Fractional_weights_give_the_infinitesimal_jackknife_variance_MatchesRSurvival()
    {
        var table = ColumnTable.ReadCsv(TestData.Reference("aml.csv"));
        var plain = SurvivalData.FromTable(table, "time", "event", groupColumn: "x");
        var data = SurvivalData.Create(plain.Times, plain.Events, FractionalWeights(plain.Count), [.. plain.Groups]);
        var curve = KaplanMeier.Estimate(data);
        AssertTable(Get("fractional_weights", "aml_km"), curve, robust: true, "aml weighted");

        var chaz = Numbers(Get("fractional_weights", "aml_km", "std_chaz"));
        var hazard = NelsonAalen.Estimate(data);
        for (var i = 0; i < chaz.Length; i++)
        {
            Close(chaz[i], hazard.Table[i].StandardError, Tolerance, $"std.chaz {i}");
        }

        var groups = KaplanMeier.EstimateByGroup(data);
        AssertTable(Get("fractional_weights", "aml_km_by_group", "Maintained"), groups[0], robust: true, "Maintained");
        AssertTable(Get("fractional_weights", "aml_km_by_group", "Nonmaintained"), groups[1], robust: true, "Nonmaintained");

        // Greenwood on request, as survfit(robust = FALSE).
        var greenwood = KaplanMeier.Estimate(data, new KaplanMeierOptions { Variance = KaplanMeierVariance.Greenwood });
        Assert.NotEqual(curve.Table[0].StandardError, greenwood.Table[0].StandardError);
    }

    [Fact]
    public void Conditional_survival_at_risk_at_t_is_survfit_start_time_MatchesRSurvival()
    {
        var aml = SurvivalData.FromTable(ColumnTable.ReadCsv(TestData.Reference("aml.csv")), "time", "event");
        var curve = KaplanMeier.Estimate(aml);
        var times = Numbers(Get("conditional", "times"));
        var expected = Numbers(Get("conditional", "aml_start_time_8"));
        for (var i = 0; i < times.Length; i++)
        {
            var result = ConditionalSurvival.Estimate(curve, 8, times[i] - 8, ConditionalSurvivalConvention.AtRiskAt);
            Close(expected[i], result.Estimate!.Value, Tolerance, $"S({times[i]} | T ≥ 8)");
        }

        // Conditioning on T > 8 instead leaves out the two deaths at 8: S(12)/S(8) = 0.895 against S(12)/S(8−) = 0.810.
        Assert.NotEqual(
            ConditionalSurvival.Estimate(curve, 8, 4).Estimate,
            ConditionalSurvival.Estimate(curve, 8, 4, ConditionalSurvivalConvention.AtRiskAt).Estimate);
    }
}
