using GistNotebooks.Survival.Estimation;
using static GistNotebooks.Survival.Tests.Estimation.KaplanMeierReference;

namespace GistNotebooks.Survival.Tests.Estimation;

/// <summary>
/// Kaplan–Meier curves against R survival 3.5-3 (<c>survfit(Surv(time, event) ~ 1)</c> and <c>~ group</c>,
/// <c>summary(fit, times = , extend = TRUE)</c>, <c>summary(fit, rmean = tau)$table</c>, <c>quantile(fit)</c>).
/// Tolerance: 1e-9 relative, 1e-12 absolute near zero.
/// </summary>
public sealed class KaplanMeierReferenceTests
{
    private static readonly KaplanMeierOptions LogLog = new() { ConfidenceType = ConfidenceIntervalType.LogLog };
    private static readonly KaplanMeierOptions Plain = new() { ConfidenceType = ConfidenceIntervalType.Plain };

    public static TheoryData<string, int> Curves()
    {
        var data = new TheoryData<string, int>();
        foreach (var dataset in new[] { "aml", "ovarian", "veteran" })
        {
            data.Add(dataset, -1);
            data.Add(dataset, 0);
            data.Add(dataset, 1);
        }

        return data;
    }

    internal static KaplanMeierCurve Fit(string dataset, int stratum, KaplanMeierOptions? options = null)
    {
        var data = LoadData(dataset);
        return stratum < 0 ? KaplanMeier.Estimate(data, options) : KaplanMeier.EstimateByGroup(data, options)[stratum];
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void Table_counts_survival_and_standard_errors_MatchesRSurvival(string dataset, int stratum)
    {
        var expected = ExpectedCurve(dataset, stratum);
        var curve = Fit(dataset, stratum);
        var table = expected.GetProperty("table");
        var time = Numbers(table, "time");
        Assert.Equal(time.Length, curve.Table.Length);
        Assert.Equal(expected.GetProperty("n").GetInt32(), curve.N);
        Close(expected.GetProperty("events").GetDouble(), curve.Events, "events");
        if (stratum >= 0)
        {
            Assert.Equal(expected.GetProperty("group_level").GetString(), curve.Group);
        }

        var columns = new (string Name, Func<KaplanMeierRow, double?> Read)[]
        {
            ("time", r => r.Time),
            ("n_risk", r => r.AtRisk),
            ("n_event", r => r.Events),
            ("n_censor", r => r.Censored),
            ("surv", r => r.Survival),
            ("std_err", r => r.StandardError),
            ("std_err_cumhaz", r => r.StandardErrorCumulativeHazard),
            ("cumhaz_nelson_aalen", r => r.CumulativeHazard),
            ("lower_log", r => r.Lower),
            ("upper_log", r => r.Upper),
        };
        foreach (var (name, read) in columns)
        {
            var values = Numbers(table, name);
            for (var i = 0; i < values.Length; i++)
            {
                Close(values[i], read(curve.Table[i]), $"{dataset}[{stratum}] {name} row {i}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void Log_log_limits_MatchesRSurvival(string dataset, int stratum)
    {
        var table = ExpectedCurve(dataset, stratum).GetProperty("table");
        var curve = Fit(dataset, stratum, LogLog);
        var lower = Numbers(table, "lower_loglog");
        var upper = Numbers(table, "upper_loglog");
        for (var i = 0; i < lower.Length; i++)
        {
            Close(lower[i], curve.Table[i].Lower, $"{dataset}[{stratum}] lower_loglog row {i}");
            Close(upper[i], curve.Table[i].Upper, $"{dataset}[{stratum}] upper_loglog row {i}");
        }
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void Plain_limits_equal_the_formula_on_Rs_survival_and_standard_error(string dataset, int stratum)
    {
        // plain: max(S − z·se, 0), min(S + z·se, 1) with se the survival-scale Greenwood error R reports.
        var table = ExpectedCurve(dataset, stratum).GetProperty("table");
        var curve = Fit(dataset, stratum, Plain);
        var surv = Numbers(table, "surv");
        var se = Numbers(table, "std_err");
        var z = 1.959963984540054;
        for (var i = 0; i < surv.Length; i++)
        {
            double? lower = se[i] is null ? null : Math.Max(surv[i]!.Value - (z * se[i]!.Value), 0);
            double? upper = se[i] is null ? null : Math.Min(surv[i]!.Value + (z * se[i]!.Value), 1);
            Close(lower, curve.Table[i].Lower, $"{dataset}[{stratum}] plain lower row {i}");
            Close(upper, curve.Table[i].Upper, $"{dataset}[{stratum}] plain upper row {i}");
        }
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void Median_with_log_and_log_log_limits_MatchesRSurvival(string dataset, int stratum)
    {
        var median = ExpectedCurve(dataset, stratum).GetProperty("median");
        var log = Fit(dataset, stratum).Median;
        var logLog = Fit(dataset, stratum, LogLog).Median;
        Close(Number(median.GetProperty("median")), log.Estimate, "median");
        Close(Number(median.GetProperty("lower_log")), log.Lower, "median lower_log");
        Close(Number(median.GetProperty("upper_log")), log.Upper, "median upper_log");
        Close(Number(median.GetProperty("median")), logLog.Estimate, "median (log-log fit)");
        Close(Number(median.GetProperty("lower_loglog")), logLog.Lower, "median lower_loglog");
        Close(Number(median.GetProperty("upper_loglog")), logLog.Upper, "median upper_loglog");
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void Quartiles_with_log_and_log_log_limits_MatchesRSurvival(string dataset, int stratum)
    {
        var expected = ExpectedCurve(dataset, stratum).GetProperty("quantiles");
        var probabilities = Numbers(expected, "prob").Select(p => p!.Value).ToArray();
        var log = Fit(dataset, stratum).Quantiles(probabilities);
        var logLog = Fit(dataset, stratum, LogLog).Quantiles(probabilities);
        var estimate = Numbers(expected, "quantile");
        foreach (var (name, curve, read) in new (string, IReadOnlyList<SurvivalQuantile>, Func<SurvivalQuantile, double?>)[]
        {
            ("quantile", log, q => q.Estimate),
            ("quantile", logLog, q => q.Estimate),
            ("lower_log", log, q => q.Lower),
            ("upper_log", log, q => q.Upper),
            ("lower_loglog", logLog, q => q.Lower),
            ("upper_loglog", logLog, q => q.Upper),
        })
        {
            var values = Numbers(expected, name);
            for (var i = 0; i < values.Length; i++)
            {
                Assert.Equal(probabilities[i], curve[i].Probability);
                Close(values[i], read(curve[i]), $"{dataset}[{stratum}] {name} p={probabilities[i]}");
            }
        }

        Assert.Equal(estimate.Length, log.Count);
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void Survival_at_fixed_times_MatchesRSurvival(string dataset, int stratum)
    {
        var expected = ExpectedCurve(dataset, stratum).GetProperty("survival_at_times");
        var times = Numbers(expected, "time").Select(t => t!.Value).ToArray();
        var log = Fit(dataset, stratum).SurvivalAt(times);
        var logLog = Fit(dataset, stratum, LogLog).SurvivalAt(times);
        foreach (var (name, points, read) in new (string, IReadOnlyList<SurvivalPoint>, Func<SurvivalPoint, double?>)[]
        {
            ("time", log, p => p.Time),
            ("n_risk", log, p => p.AtRisk),
            ("n_event", log, p => p.Events),
            ("n_censor", log, p => p.Censored),
            ("surv", log, p => p.Survival),
            ("std_err", log, p => p.StandardError),
            ("lower_log", log, p => p.Lower),
            ("upper_log", log, p => p.Upper),
            ("lower_loglog", logLog, p => p.Lower),
            ("upper_loglog", logLog, p => p.Upper),
        })
        {
            var values = Numbers(expected, name);
            Assert.Equal(values.Length, points.Count);
            for (var i = 0; i < values.Length; i++)
            {
                Close(values[i], read(points[i]), $"{dataset}[{stratum}] {name} at {times[i]}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void Restricted_mean_and_its_standard_error_MatchesRSurvival(string dataset, int stratum)
    {
        var expected = ExpectedCurve(dataset, stratum).GetProperty("rmst");
        var tau = expected.GetProperty("tau").GetDouble();
        var result = Fit(dataset, stratum).RestrictedMean(tau);
        Assert.Equal(tau, result.Tau);
        Close(expected.GetProperty("rmean").GetDouble(), result.Estimate, "rmean");
        Close(expected.GetProperty("se_rmean").GetDouble(), result.StandardError, "se(rmean)");
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void Nelson_Aalen_cumulative_hazard_MatchesRSurvival(string dataset, int stratum)
    {
        var table = ExpectedCurve(dataset, stratum).GetProperty("table");
        var data = LoadData(dataset);
        var curve = stratum < 0 ? NelsonAalen.Estimate(data) : NelsonAalen.EstimateByGroup(data)[stratum];
        var time = Numbers(table, "time");
        var cumulativeHazard = Numbers(table, "cumhaz_nelson_aalen");
        Assert.Equal(time.Length, curve.Table.Length);
        for (var i = 0; i < time.Length; i++)
        {
            Close(time[i], curve.Table[i].Time, "time");
            Close(cumulativeHazard[i], curve.Table[i].CumulativeHazard, $"{dataset}[{stratum}] cumhaz row {i}");
        }
    }
}
