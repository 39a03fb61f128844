using System.Text.Json;
using CsCheck;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Testing;

namespace GistNotebooks.Survival.Tests.Estimation;

/// <summary>
/// Weighted cumulative incidence against R survival 3.5-3 (Reference/cifweights.expected.json, made by cifweights.R:
/// <c>survfit(Surv(time, factor(status)) ~ group, weights = weight)</c> on crweights.csv, whose weights include three
/// zeros). Every time of every curve; estimates and infinitesimal-jackknife standard errors to 1e-6 relative.
/// </summary>
public sealed class CumulativeIncidenceWeightTests
{
    private static readonly Lazy<JsonElement> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(TestData.Reference("cifweights.expected.json"))).RootElement.Clone());

    private static readonly Gen<(double Time, int Cause, string Group)> Row =
        Gen.Select(Gen.Int[1, 10], Gen.Int[0, 2], Gen.Int[1, 2], (t, c, g) => ((double)t, c, g.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static CumulativeIncidenceResult FitReference(bool byGroup)
    {
        var table = ColumnTable.ReadCsv(TestData.Reference("crweights.csv"));
        var data = CompetingRisksData.FromTable(table, "time", "status", byGroup ? "group" : null);
        var weights = table.NumbersWithoutMissing("weight");
        return CumulativeIncidence.Estimate(data, new CumulativeIncidenceOptions { Weights = weights });
    }

    [Theory]
    [InlineData("by_group")]
    [InlineData("overall")]
    public void Weighted_estimates_and_standard_errors_MatchesRSurvival(string part)
    {
        var result = FitReference(part == "by_group");
        var expected = Document.Value.GetProperty(part).EnumerateArray().ToArray();
        Assert.Equal(expected.Length, result.Curves.Length);
        for (var c = 0; c < expected.Length; c++)
        {
            var curve = result.Curves[c];
            var reference = expected[c];
            var group = reference.GetProperty("group").GetString();
            Assert.Equal(part == "overall" ? null : group, curve.Group);
            Assert.Equal(reference.GetProperty("cause").GetString(), curve.Cause.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var times = reference.GetProperty("time").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var estimates = reference.GetProperty("estimate").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var errors = reference.GetProperty("std_err").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.Equal(times, curve.Points.Select(p => p.Time).ToArray());
            for (var i = 0; i < times.Length; i++)
            {
                var point = curve.Points[i];
                Close(estimates[i], point.Estimate, $"{curve.Name} estimate at {times[i]}");
                Close(errors[i], Math.Sqrt(point.Variance), $"{curve.Name} std.err at {times[i]}");
            }
        }
    }

    private static void Close(double expected, double actual, string what)
        => Assert.True(Math.Abs(actual - expected) <= 1e-6 * Math.Abs(expected) + 1e-14, $"{what}: expected {expected:R}, got {actual:R}");

    /// <summary>A weight of 2 gives the same curves as the row written twice (the estimate counts weight, not rows).</summary>
    [Fact]
    public void A_weight_of_two_equals_a_duplicated_row()
    {
        Gen.Select(Row.List[3, 30], Gen.Int[1, 2].Array[30])
            .Where(t => t.Item1.Any(r => r.Cause != 0))
            .SampleFixed(t =>
            {
                var (rows, copies) = t;
                var weights = rows.Select((_, i) => (double)copies[i]).ToArray();
                var expanded = rows.SelectMany((r, i) => Enumerable.Repeat(r, copies[i])).ToList();
                var weighted = CumulativeIncidence.Estimate(
                    CompetingRisksData.Create([.. rows.Select(r => r.Time)], [.. rows.Select(r => r.Cause)], [.. rows.Select(r => r.Group)]),
                    new CumulativeIncidenceOptions { Weights = weights });
                var duplicated = CumulativeIncidence.Estimate(
                    CompetingRisksData.Create([.. expanded.Select(r => r.Time)], [.. expanded.Select(r => r.Cause)], [.. expanded.Select(r => r.Group)]),
                    new CumulativeIncidenceOptions { Weights = [.. expanded.Select(_ => 1.0)] });
                Assert.Equal(duplicated.Curves.Length, weighted.Curves.Length);
                for (var c = 0; c < weighted.Curves.Length; c++)
                {
                    var a = weighted.Curves[c].Points;
                    var b = duplicated.Curves[c].Points;
                    Assert.Equal(b.Select(p => p.Time), a.Select(p => p.Time));
                    for (var i = 0; i < a.Length; i++)
                    {
                        Near(b[i].Estimate, a[i].Estimate, 1e-12);
                    }
                }
            }, seed: "0N0XIzNsQ0O2", iter: 300);
    }

    /// <summary>
    /// Unit weights give cmprsk's estimate; multiplying every weight by the same constant changes neither the estimate
    /// nor the infinitesimal-jackknife variance (each subject's weight times its influence is scale-free).
    /// </summary>
    [Fact]
    public void Unit_weights_give_the_unweighted_estimate_and_a_common_scale_changes_nothing()
    {
        Gen.Select(Row.List[3, 30], Gen.Double[0.1, 5].Array[30], Gen.Double[0.1, 10])
            .Where(t => t.Item1.Any(r => r.Cause != 0))
            .SampleFixed(t =>
            {
                var (rows, raw, scale) = t;
                var data = CompetingRisksData.Create([.. rows.Select(r => r.Time)], [.. rows.Select(r => r.Cause)], [.. rows.Select(r => r.Group)]);
                var plain = CumulativeIncidence.Estimate(data);
                var unit = CumulativeIncidence.Estimate(data, new CumulativeIncidenceOptions { Weights = [.. rows.Select(_ => 1.0)] });
                var weights = rows.Select((_, i) => raw[i]).ToArray();
                var weighted = CumulativeIncidence.Estimate(data, new CumulativeIncidenceOptions { Weights = weights });
                var scaled = CumulativeIncidence.Estimate(data, new CumulativeIncidenceOptions { Weights = [.. weights.Select(w => w * scale)] });
                for (var c = 0; c < plain.Curves.Length; c++)
                {
                    for (var i = 0; i < plain.Curves[c].Points.Length; i++)
                    {
                        Near(plain.Curves[c].Points[i].Estimate, unit.Curves[c].Points[i].Estimate, 1e-12);
                        Near(weighted.Curves[c].Points[i].Estimate, scaled.Curves[c].Points[i].Estimate, 1e-10);
                        Near(weighted.Curves[c].Points[i].Variance, scaled.Curves[c].Points[i].Variance, 1e-10);
                    }
                }
            }, seed: "0N0XIzNsQ0O2", iter: 300);
    }

    /// <summary>
    /// Hand-derived: times 1, 2, 3 with causes 1, 2, 0 and unit weights. F₁ = 1/3 from time 1. The influence of each
    /// subject on F₁ after time 1 is 2/9 for the cause-1 death and −1/9 for each of the two others still at risk
    /// (d/dw of w₁/(w₁+w₂+w₃)), so Var = 4/81 + 1/81 + 1/81 = 6/81; time 2 (cause 2) leaves F₁ and its variance alone.
    /// </summary>
    [Fact]
    public void Three_subjects_by_hand()
    {
        var data = CompetingRisksData.Create([1.0, 2, 3], [1, 2, 0]);
        var curve = CumulativeIncidence.Estimate(data, new CumulativeIncidenceOptions { Weights = [1.0, 1, 1] }).Curves[0];
        Near(1.0 / 3, curve.Points[0].Estimate, 1e-14);
        Near(6.0 / 81, curve.Points[0].Variance, 1e-14);
        Near(6.0 / 81, curve.Points[1].Variance, 1e-14);
        Near(6.0 / 81, curve.Points[2].Variance, 1e-14);
    }

    [Fact]
    public void Negative_or_missing_weights_are_refused()
    {
        var data = CompetingRisksData.Create([1.0, 2, 3], [1, 2, 0]);
        var negative = Assert.Throws<DataValidationException>(() => CumulativeIncidence.Estimate(data, new CumulativeIncidenceOptions { Weights = [1.0, -1, 1] }));
        Assert.Contains("weight of zero or more", negative.Message, StringComparison.Ordinal);
        Assert.Throws<DataValidationException>(() => CumulativeIncidence.Estimate(data, new CumulativeIncidenceOptions { Weights = [1.0, 1] }));
    }

    /// <summary>A zero weight keeps its time on the curve (as R) but changes no estimate or variance.</summary>
    [Fact]
    public void A_zero_weight_row_moves_nothing()
    {
        var data = CompetingRisksData.Create([1.0, 2, 3, 4, 5], [1, 2, 1, 0, 2]);
        var without = CompetingRisksData.Create([1.0, 2, 4, 5], [1, 2, 0, 2]);
        var a = CumulativeIncidence.Estimate(data, new CumulativeIncidenceOptions { Weights = [1.0, 2, 0, 1.5, 1] });
        var b = CumulativeIncidence.Estimate(without, new CumulativeIncidenceOptions { Weights = [1.0, 2, 1.5, 1] });
        Assert.Equal([1.0, 2, 3, 4, 5], a.Curves[0].Points.Select(p => p.Time));
        foreach (var t in new[] { 1.0, 2, 4, 5 })
        {
            for (var c = 0; c < 2; c++)
            {
                var x = a.Curves[c].At([t])[0];
                var y = b.Curves[c].At([t])[0];
                Near(y.Estimate!.Value, x.Estimate!.Value, 1e-14);
                Near(y.Variance!.Value, x.Variance!.Value, 1e-14);
            }
        }
    }

    /// <summary>Equal to within <paramref name="tolerance"/>, relative to the larger of 1 and |expected| (no rounding to decimal places).</summary>
    private static void Near(double expected, double actual, double tolerance)
        => Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Max(1, Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");
}
