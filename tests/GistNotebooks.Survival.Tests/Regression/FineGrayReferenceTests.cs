using System.Text.Json;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;
using static GistNotebooks.Survival.Tests.Regression.ParametricRegressionReferenceTests;

namespace GistNotebooks.Survival.Tests.Regression;

/// <summary>
/// Fine–Gray regression against cmprsk 2.2-11 (Reference/parametric.expected.json, made by parametric.R:
/// <c>crr(time, status, cov1, failcode)</c> on crcov.csv, x1 + x2 (a factor) + x3, and crsynth.csv, group, for
/// causes 1 and 2, with <c>summary</c> and <c>predict.crr</c>). Tolerance 1e-6 relative (covariances relative
/// to the product of the standard errors); observed about 1e-12.
/// </summary>
public sealed class FineGrayReferenceTests
{
    private static readonly Lazy<JsonElement> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(TestData.Reference("parametric.expected.json"))).RootElement.Clone());

    public static TheoryData<string> Fits()
    {
        var data = new TheoryData<string>();
        foreach (var fit in Document.Value.GetProperty("crr").EnumerateArray())
        {
            data.Add(fit.GetProperty("label").GetString()!);
        }

        return data;
    }

    private static JsonElement Expected(string label) =>
        Document.Value.GetProperty("crr").EnumerateArray().Single(f => f.GetProperty("label").GetString() == label);

    internal static FineGrayModel FitReference(string label)
    {
        var cause = label.EndsWith('2') ? 2 : 1;
        var options = new FineGrayOptions { FailureCode = cause };
        if (label.StartsWith("crcov", StringComparison.Ordinal))
        {
            // Through the table entry point: x2 is a label column, so a factor with reference level a, as model.matrix.
            return FineGray.Fit(ColumnTable.ReadCsv(TestData.Reference("crcov.csv")), "time", "status", ["x1", "x2", "x3"], options: options);
        }

        var synth = CompetingRisksData.FromCsv(TestData.Reference("crsynth.csv"), "time", "status", "group");
        return FineGray.Fit(synth, CovariateMatrix.FromColumn("group", [.. synth.Groups.Select(double.Parse)]), options);
    }

    private static void Matrix(JsonElement expected, FineGrayModel model, Func<FineGrayModel, int, int, double> actual, string what)
    {
        var p = model.Terms.Length;
        for (var a = 0; a < p; a++)
        {
            for (var b = 0; b < p; b++)
            {
                var scale = Math.Sqrt(actual(model, a, a) * actual(model, b, b));
                var reference = expected[a][b].GetDouble();
                Assert.True(Math.Abs(reference - actual(model, a, b)) <= 1e-6 * scale, $"{what}[{a},{b}]: expected {reference:R}, got {actual(model, a, b):R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Fits))]
    public void Coefficients_sandwich_standard_errors_and_p_values_MatchesCmprsk(string label)
    {
        var expected = Expected(label);
        var model = FitReference(label);
        Assert.Equal(expected.GetProperty("terms").EnumerateArray().Select(t => t.GetString()), model.Terms);
        Assert.True(model.Converged);
        Assert.Equal(expected.GetProperty("n").GetInt32(), model.N);
        for (var k = 0; k < model.Terms.Length; k++)
        {
            var row = model.Coefficients[k];
            Close(expected.GetProperty("coef")[k].GetDouble(), row.Coefficient, what: row.Term + " coef");
            Close(expected.GetProperty("se")[k].GetDouble(), row.StandardError, what: row.Term + " se");
            Close(expected.GetProperty("z")[k].GetDouble(), row.Z, what: row.Term + " z");
            Close(expected.GetProperty("p")[k].GetDouble(), row.P, what: row.Term + " p");
            Close(expected.GetProperty("hr_lower_95")[k].GetDouble(), row.Lower, what: row.Term + " lower");
            Close(expected.GetProperty("hr_upper_95")[k].GetDouble(), row.Upper, what: row.Term + " upper");
            Assert.Equal(expected.GetProperty("p_summary_rounded")[k].GetDouble(), double.Parse(row.P.ToString("G2", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [MemberData(nameof(Fits))]
    public void Sandwich_and_naive_variance_MatchesCmprsk(string label)
    {
        var expected = Expected(label);
        var model = FitReference(label);
        Matrix(expected.GetProperty("var"), model, (m, a, b) => m.Variance[a][b], "var");
        Matrix(expected.GetProperty("invinf"), model, (m, a, b) => m.NaiveVariance[a][b], "invinf");
    }

    [Theory]
    [MemberData(nameof(Fits))]
    public void Pseudo_likelihoods_and_tests_MatchesCmprsk(string label)
    {
        var expected = Expected(label);
        var model = FitReference(label);
        Close(expected.GetProperty("loglik").GetDouble(), model.LogPseudoLikelihood, what: "loglik");
        Close(expected.GetProperty("loglik_null").GetDouble(), model.LogPseudoLikelihoodNull, what: "loglik.null");
        Close(expected.GetProperty("pseudo_lr_test").GetDouble(), model.PseudoLikelihoodRatio, what: "pseudo LR");
        var wald = expected.GetProperty("wald_test");
        Close(wald.GetProperty("statistic").GetDouble(), model.WaldTest.Statistic, what: "Wald");
        Close(wald.GetProperty("p").GetDouble(), model.WaldTest.P, what: "Wald p");
    }

    [Theory]
    [MemberData(nameof(Fits))]
    public void Baseline_hazard_and_predicted_cumulative_incidence_MatchesCmprsk(string label)
    {
        var expected = Expected(label);
        var model = FitReference(label);
        var times = Numbers(expected.GetProperty("uftime"));
        var jumps = Numbers(expected.GetProperty("bfitj"));
        Assert.Equal(times, model.EventTimes);
        for (var k = 0; k < jumps.Length; k++)
        {
            Close(jumps[k], model.BaselineHazardJumps[k], what: $"bfitj[{k}]");
        }

        var rows = expected.GetProperty("predict_covariates");
        var cif = expected.GetProperty("predict_cif");
        for (var r = 0; r < rows.GetArrayLength(); r++)
        {
            var prediction = model.CumulativeIncidence(Numbers(rows[r]));
            Assert.Equal(Numbers(expected.GetProperty("predict_time")), prediction.Times);
            for (var k = 0; k < prediction.Times.Length; k++)
            {
                Close(cif[k][r].GetDouble(), prediction.Estimates[k], what: $"CIF row {r} at {prediction.Times[k]}");
            }
        }
    }
}
