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
        var expected = CoxCountingProcessReferenceTests.Expected(name);
        var curve = KaplanMeier.Estimate(data);
        var hazard = NelsonAalen.Estimate(data);
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
            Close(seLog[i], row.StandardErrorCumulativeHazard ?? double.NaN, Tolerance, $"{name} std.err {i}");
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
