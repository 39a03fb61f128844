using System.Text.Json;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;

namespace GistNotebooks.Survival.Tests.Estimation;

public sealed class CumulativeIncidenceTests
{
    private static readonly double[] ReferenceTimes = [2, 5, 10, 15, 20];

    internal static string ReferencePath(string name) => Path.Combine(AppContext.BaseDirectory, "Reference", name);

    internal static JsonElement CompetingRisksReference()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(ReferencePath("extras.expected.json")));
        return document.RootElement.GetProperty("competing_risks").Clone();
    }

    internal static double RelativeDifference(double actual, double expected)
        => Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-300);

    // R: cuminc(cr$time, cr$status, cencode = 0); timepoints(ci0, c(2, 5, 10, 15, 20)). Tolerance 1e-13 relative (the JSON keeps 15 significant digits).
    [Fact]
    public void Overall_estimates_and_variances_at_fixed_times_MatchesRSurvival()
    {
        var data = CompetingRisksData.FromCsv(ReferencePath("crsynth.csv"), "time", "status");
        var result = CumulativeIncidence.Estimate(data);
        AssertMatches(result, CompetingRisksReference().GetProperty("cuminc_overall"), 1e-13);
    }

    // R: cuminc(cr$time, cr$status, cr$group, cencode = 0); timepoints(ci, c(2, 5, 10, 15, 20)). Tolerance 1e-13 relative (the JSON keeps 15 significant digits).
    [Fact]
    public void By_group_estimates_and_variances_at_fixed_times_MatchesRSurvival()
    {
        var data = CompetingRisksData.FromCsv(ReferencePath("crsynth.csv"), "time", "status", "group");
        var result = CumulativeIncidence.Estimate(data);
        AssertMatches(result, CompetingRisksReference().GetProperty("cuminc_by_group"), 1e-13);
    }

    private static void AssertMatches(CumulativeIncidenceResult result, JsonElement expected, double tolerance)
    {
        var names = expected.GetProperty("curve").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(names, result.Curves.Select(c => c.Name).ToArray());
        var estimates = expected.GetProperty("estimate").EnumerateArray().ToArray();
        var variances = expected.GetProperty("variance").EnumerateArray().ToArray();
        for (var k = 0; k < names.Length; k++)
        {
            var values = result.Curves[k].At(ReferenceTimes);
            var e = estimates[k].EnumerateArray().Select(x => x.GetDouble()).ToArray();
            var v = variances[k].EnumerateArray().Select(x => x.GetDouble()).ToArray();
            for (var j = 0; j < ReferenceTimes.Length; j++)
            {
                Assert.True(RelativeDifference(values[j].Estimate!.Value, e[j]) < tolerance, $"{names[k]} estimate at {ReferenceTimes[j]}: {values[j].Estimate} vs {e[j]}");
                Assert.True(RelativeDifference(values[j].Variance!.Value, v[j]) < tolerance, $"{names[k]} variance at {ReferenceTimes[j]}: {values[j].Variance} vs {v[j]}");
            }
        }
    }

    // Five subjects, no ties: times 1 (cause 1), 2 (cause 2), 3 (censored), 4 (cause 1), 5 (cause 2).
    // S(t−) before each time: 1, 4/5, 3/5, 3/5, 3/10. Cause 1 jumps by S(t−)/n: at 1, 1·1/5 = 0.2; at 4, (3/5)·1/2 = 0.3.
    // So F1 = 0.2 on [1, 4) and 0.5 on [4, 5]. Cause 2: at 2, (4/5)/4 = 0.2; at 5, (3/10)/1 = 0.3, so F2(5) = 0.5.
    // F1(5) + F2(5) = 1 = 1 − S(5), since the last subject fails.
    [Fact]
    public void Tiny_case_without_ties_gives_the_hand_computed_incidence()
    {
        var data = CompetingRisksData.Create([4, 2, 1, 5, 3], [1, 2, 1, 2, 0]);
        var result = CumulativeIncidence.Estimate(data);
        var cause1 = result.Curve(1);
        var cause2 = result.Curve(2);
        Assert.Equal([1.0, 2, 3, 4, 5], cause1.Points.Select(p => p.Time));
        Assert.Equal(0.2, cause1.Points[0].Estimate, 15);
        Assert.Equal(0.2, cause1.Points[2].Estimate, 15);
        Assert.Equal(0.5, cause1.Points[3].Estimate, 15);
        Assert.Equal(0.2, cause2.Points[1].Estimate, 15);
        Assert.Equal(0.5, cause2.Points[4].Estimate, 15);
        var at = cause1.At([0.5, 1, 3.9, 5, 5.1]);
        Assert.Equal(0, at[0].Estimate);
        Assert.Equal(0.2, at[1].Estimate!.Value, 15);
        Assert.Equal(0.2, at[2].Estimate!.Value, 15);
        Assert.Equal(0.5, at[3].Estimate!.Value, 15);
        Assert.Null(at[4].Estimate);
        Assert.Null(at[4].Variance);
    }

    // One cause, no censoring, n = 4. At the first time S(t−) = 1, d = 1, S(t) = 3/4, F = 1/4.
    // cmprsk's sums: weight S(t−)²·d/n² = 1/16; a = 1/S(t) = 4/3; b = 1 + a·F = 4/3;
    // v1 = b²/16 = 1/9, v2 = a·b/16 = 1/9, v3 = a²/16 = 1/9; variance = v1 + F²·v3 − 2F·v2 = (1/9)(1 + 1/16 − 1/2) = 1/16.
    [Fact]
    public void Single_cause_first_jump_has_the_hand_computed_cmprsk_variance()
    {
        var data = CompetingRisksData.Create([1, 2, 3, 4], [1, 1, 1, 1]);
        var curve = CumulativeIncidence.Estimate(data).Curve(1);
        Assert.Equal(0.25, curve.Points[0].Estimate, 15);
        Assert.Equal(1.0 / 16, curve.Points[0].Variance, 15);
    }

    [Fact]
    public void Row_order_does_not_change_the_curves()
    {
        var random = new Random(20261127);
        var n = 60;
        var times = Enumerable.Range(0, n).Select(_ => Math.Round(random.NextDouble() * 10, 0)).ToArray();
        var causes = Enumerable.Range(0, n).Select(_ => random.Next(0, 3)).ToArray();
        var groups = Enumerable.Range(0, n).Select(_ => random.Next(0, 2) == 0 ? "a" : "b").ToArray();
        var permutation = Enumerable.Range(0, n).OrderBy(_ => random.Next()).ToArray();
        var first = CumulativeIncidence.Estimate(CompetingRisksData.Create(times, causes, groups));
        var second = CumulativeIncidence.Estimate(CompetingRisksData.Create(
            permutation.Select(i => times[i]).ToArray(), permutation.Select(i => causes[i]).ToArray(), permutation.Select(i => groups[i]).ToArray()));
        for (var k = 0; k < first.Curves.Length; k++)
        {
            Assert.Equal(first.Curves[k].Points.Select(p => p.Estimate), second.Curves[k].Points.Select(p => p.Estimate));
            Assert.Equal(first.Curves[k].Points.Select(p => p.Variance), second.Curves[k].Points.Select(p => p.Variance));
        }
    }

    [Fact]
    public void Incidences_never_fall_and_sum_to_one_minus_overall_survival()
    {
        var random = new Random(7);
        for (var replicate = 0; replicate < 50; replicate++)
        {
            var n = random.Next(5, 80);
            var times = Enumerable.Range(0, n).Select(_ => (double)random.Next(0, 15)).ToArray();
            var causes = Enumerable.Range(0, n).Select(_ => random.Next(0, 4)).ToArray();
            if (causes.All(c => c == 0))
            {
                continue;
            }

            var curves = CumulativeIncidence.Estimate(CompetingRisksData.Create(times, causes)).Curves;
            var distinct = times.Distinct().Order().ToArray();
            for (var j = 0; j < distinct.Length; j++)
            {
                // Kaplan–Meier of any event, computed directly.
                var survival = 1.0;
                foreach (var t in distinct.Take(j + 1))
                {
                    var atRisk = times.Count(x => x >= t);
                    var deaths = Enumerable.Range(0, n).Count(i => times[i] == t && causes[i] != 0);
                    survival *= 1 - ((double)deaths / atRisk);
                }

                var total = curves.Sum(c => c.Points[j].Estimate);
                Assert.Equal(1 - survival, total, 12);
                foreach (var curve in curves)
                {
                    Assert.InRange(curve.Points[j].Estimate, 0, 1 + 1e-12);
                    Assert.True(curve.Points[j].Variance >= 0);
                    if (j > 0)
                    {
                        Assert.True(curve.Points[j].Estimate >= curve.Points[j - 1].Estimate);
                    }
                }
            }
        }
    }
}
