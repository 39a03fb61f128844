using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Tests.Regression;
using static GistNotebooks.Survival.Tests.Regression.CoxphReference;

namespace GistNotebooks.Survival.Tests.Estimation;

/// <summary>
/// Kaplan–Meier and Nelson–Aalen from counting-process (start, stop] data against R survival 3.5-3's
/// <c>survfit(Surv(start, stop, event) ~ 1)</c> on the heart transplant data (Reference/startstop.expected.json from
/// data/reference/startstop.R). Tolerance 1e-9 relative.
/// </summary>
public sealed class KaplanMeierCountingProcessReferenceTests
{
    private const double Tolerance = 1e-9;

    [Theory]
    [InlineData("km", false)]
    [InlineData("km_weighted", true)]
    public void HeartTransplant_DelayedEntry_MatchesRSurvival(string name, bool weighted)
    {
        var (data, _) = CoxCountingProcessReferenceTests.HeartData(["age"], weighted);
        AssertCurve(CoxCountingProcessReferenceTests.Expected(name), KaplanMeier.Estimate(data), NelsonAalen.Estimate(data), robust: false, name);
    }

    /// <summary>
    /// Weights 0.5, 1.25, 2 in turn make survfit robust: the infinitesimal-jackknife variance of log S and of Λ with each
    /// (start, stop] row its own cluster; overall and per surgery group (curves from the rows of each group).
    /// </summary>
    [Fact]
    public void Fractional_weights_give_the_infinitesimal_jackknife_variance_MatchesRSurvival()
    {
        var (data, _) = CoxCountingProcessReferenceTests.HeartData(["age"]);
        var weighted = CountingProcessData.Create(data.Starts, data.Stops, [.. data.Events.Select(e => e ? 1 : 0)], FractionalWeights(data.Count));
        AssertCurve(CoxCountingProcessReferenceTests.Expected("km_fractional"), KaplanMeier.Estimate(weighted), NelsonAalen.Estimate(weighted), robust: true, "km_fractional");

        var surgery = CoxCountingProcessReferenceTests.Heart().GetNumbers("surgery").Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var groups = KaplanMeier.EstimateByGroup(weighted, surgery);
        Assert.Equal(2, groups.Count);
        foreach (var curve in groups)
        {
            var expected = CoxCountingProcessReferenceTests.Expected("km_fractional_by_surgery").GetProperty(curve.Group!);
            var rows = Enumerable.Range(0, weighted.Count).Where(i => surgery[i] == curve.Group).ToArray();
            AssertCurve(expected, curve, NelsonAalen.Estimate(weighted.Subset(rows)), robust: true, "km_fractional surgery " + curve.Group);
        }
    }

    /// <summary>The infinitesimal jackknife asked for with whole-number weights, as survfit(robust = TRUE) with each row its own id.</summary>
    [Fact]
    public void Jackknife_asked_for_with_integer_weights_MatchesRSurvival()
    {
        var (data, _) = CoxCountingProcessReferenceTests.HeartData(["age"], weighted: true);
        var options = new KaplanMeierOptions { Variance = KaplanMeierVariance.InfinitesimalJackknife };
        AssertCurve(CoxCountingProcessReferenceTests.Expected("km_robust_weighted"), KaplanMeier.Estimate(data, options), NelsonAalen.Estimate(data, options), robust: true, "km_robust_weighted");
    }

    /// <summary>
    /// With every row entering at 0 the (start, stop] jackknife is the right-censored one: the rows enter before the
    /// first time and the running sums reduce to the right-censored pass.
    /// </summary>
    [Fact]
    public void Jackknife_with_every_entry_at_zero_equals_the_right_censored_one()
    {
        double[] stops = [3, 5, 5, 8, 10, 12, 12, 15, 15, 20];
        int[] events = [1, 0, 1, 1, 0, 1, 1, 0, 1, 0];
        double[] weights = [0.5, 1.25, 2, 0.75, 1.5, 0.3, 2.2, 1, 0.9, 1.1];
        var counting = KaplanMeier.Estimate(CountingProcessData.Create([.. stops.Select(_ => 0.0)], stops, events, weights));
        var plain = KaplanMeier.Estimate(SurvivalData.Create(stops, events, weights));
        Assert.Equal(plain.Table.Length, counting.Table.Length);
        for (var i = 0; i < plain.Table.Length; i++)
        {
            Close(plain.Table[i].StandardErrorCumulativeHazard ?? double.NaN, counting.Table[i].StandardErrorCumulativeHazard ?? double.NaN, 1e-12, $"std.err {i}");
        }
    }

    private static double[] FractionalWeights(int n) => [.. Enumerable.Range(0, n).Select(i => new[] { 0.5, 1.25, 2 }[i % 3])];

    /// <summary>Every column of R's curve; survfit keeps se(log S) for Greenwood and se(S) for the robust variance (its logse flag).</summary>
    private static void AssertCurve(System.Text.Json.JsonElement expected, KaplanMeierCurve curve, NelsonAalenCurve hazard, bool robust, string name)
    {
        var time = Numbers(expected.GetProperty("time"));
        Assert.Equal(time.Length, curve.Table.Length);
        Assert.Equal(time.Length, hazard.Table.Length);
        var nRisk = Numbers(expected.GetProperty("n_risk"));
        var nEvent = Numbers(expected.GetProperty("n_event"));
        var nCensor = Numbers(expected.GetProperty("n_censor"));
        var surv = Numbers(expected.GetProperty("surv"));
        var seLog = Numbers(expected.GetProperty("std_err_log"));
        var cumhaz = Numbers(expected.GetProperty("cumhaz"));
        var seHazard = Numbers(expected.GetProperty("std_chaz"));
        var lower = Numbers(expected.GetProperty("lower"));
        var upper = Numbers(expected.GetProperty("upper"));
        for (var i = 0; i < time.Length; i++)
        {
            var row = curve.Table[i];
            Close(time[i], row.Time, Tolerance, $"{name} time {i}");
            Close(nRisk[i], row.AtRisk, Tolerance, $"{name} n.risk {i}");
            Close(nEvent[i], row.Events, Tolerance, $"{name} n.event {i}");
            Close(nCensor[i], row.Censored, Tolerance, $"{name} n.censor {i}");
            Close(surv[i], row.Survival, Tolerance, $"{name} surv {i}");
            Close(seLog[i], (robust ? row.StandardError : row.StandardErrorCumulativeHazard) ?? double.NaN, Tolerance, $"{name} std.err {i}");
            Close(cumhaz[i], row.CumulativeHazard, Tolerance, $"{name} cumhaz {i}");
            Close(cumhaz[i], hazard.Table[i].CumulativeHazard, Tolerance, $"{name} Nelson–Aalen {i}");
            Close(seHazard[i], hazard.Table[i].StandardError, Tolerance, $"{name} std.chaz {i}");
            Close(lower[i], row.Lower ?? double.NaN, Tolerance, $"{name} lower {i}");
            Close(upper[i], row.Upper ?? double.NaN, Tolerance, $"{name} upper {i}");
        }
    }

    [Fact]
    public void OneRowPerSubjectStartingAtZero_EqualsRightCensoredCurve()
    {
        double[] stops = [3, 5, 5, 8, 10, 12, 12, 15];
        int[] events = [1, 0, 1, 1, 0, 1, 1, 0];
        var counting = KaplanMeier.Estimate(CountingProcessData.Create([.. stops.Select(_ => 0.0)], stops, events));
        var plain = KaplanMeier.Estimate(SurvivalData.Create(stops, events));
        Assert.Equal(plain.Table.Length, counting.Table.Length);
        for (var i = 0; i < plain.Table.Length; i++)
        {
            Assert.Equal(plain.Table[i].ToString(), counting.Table[i].ToString());
        }
    }
}
