using System.Text.Json;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Survival.Tests.Regression;

/// <summary>
/// Cox models against R survival 3.5-3 (Reference/*.expected.json, from
/// <c>coxph(Surv(time, event) ~ ..., ties = "efron" | "breslow")</c> and <c>cox.zph(fit, transform = "km" | "identity")</c>).
/// Tolerance: 1e-6 relative (absolute 1e-12 for an expected 0; off-diagonal covariances relative to
/// the product of the standard errors) unless a test says otherwise. Observed: about 1e-14.
/// </summary>
public sealed class CoxRegressionReferenceTests
{
    private const double Tolerance = 1e-6;

    public static TheoryData<string, string> Fits => new()
    {
        { "aml", "efron" }, { "aml", "breslow" },
        { "ovarian", "efron" }, { "ovarian", "breslow" },
        { "veteran", "efron" }, { "veteran", "breslow" },
    };

    public static TheoryData<string> Datasets => new() { "aml", "ovarian", "veteran" };

    internal static string ReferencePath(string name) => Path.Combine(AppContext.BaseDirectory, "Reference", name);

    internal static ModelFrame Frame(string dataset) => dataset switch
    {
        "aml" => ModelFrame.FromTable(ColumnTable.ReadCsv(ReferencePath("aml.csv")), "time", "event", ["x"]),
        "ovarian" => ModelFrame.FromTable(ColumnTable.ReadCsv(ReferencePath("ovarian.csv")), "time", "event", ["age", "ecog.ps", "rx"]),
        "veteran" => ModelFrame.FromTable(ColumnTable.ReadCsv(ReferencePath("veteran.csv")), "time", "event", ["trt", "karno", "age", "celltype"],
            new Dictionary<string, string> { ["celltype"] = "squamous" }),
        _ => throw new ArgumentException(dataset),
    };

    internal static JsonElement Expected(string dataset, string ties)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(ReferencePath(dataset + ".expected.json")));
        return document.RootElement.GetProperty("cox").GetProperty(ties).Clone();
    }

    internal static void Close(double expected, double actual, double tolerance = Tolerance, string what = "")
    {
        var difference = Math.Abs(expected - actual);
        Assert.True(expected == 0 ? difference <= 1e-12 : difference <= tolerance * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R} (relative difference {difference / Math.Abs(expected):E2})");
    }

    private static double[] Numbers(JsonElement element) => [.. element.EnumerateArray().Select(e => e.GetDouble())];

    private static CoxModel FitReference(string dataset, string ties)
        => CoxRegression.Fit(Frame(dataset), new CoxOptions { Ties = ties == "efron" ? TieMethod.Efron : TieMethod.Breslow });

    [Theory]
    [MemberData(nameof(Fits))]
    public void Coefficients_standard_errors_intervals_and_p_values_MatchesRSurvival(string dataset, string ties)
    {
        var expected = Expected(dataset, ties);
        var model = FitReference(dataset, ties);
        var table = expected.GetProperty("coefficients");
        var names = table.GetProperty("term").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(names.Length, model.Coefficients.Length);
        for (var k = 0; k < names.Length; k++)
        {
            var row = model.Coefficients.Single(c => c.Term == names[k]);
            Close(table.GetProperty("coef")[k].GetDouble(), row.Coefficient, what: names[k] + " coef");
            Close(table.GetProperty("se_coef")[k].GetDouble(), row.StandardError, what: names[k] + " se");
            Close(table.GetProperty("exp_coef")[k].GetDouble(), row.HazardRatio, what: names[k] + " HR");
            Close(table.GetProperty("hr_lower_95")[k].GetDouble(), row.Lower!.Value, what: names[k] + " lower");
            Close(table.GetProperty("hr_upper_95")[k].GetDouble(), row.Upper!.Value, what: names[k] + " upper");
            Close(table.GetProperty("z")[k].GetDouble(), row.Z, what: names[k] + " z");
            Close(table.GetProperty("p")[k].GetDouble(), row.P, what: names[k] + " p");
            Assert.False(row.IsInfinite);
        }

        Assert.True(model.Converged);
        Assert.Empty(model.Warnings);
        Assert.Equal(expected.GetProperty("n").GetInt32(), model.N);
        Assert.Equal(expected.GetProperty("nevent").GetInt32(), model.Events);
        Assert.Equal(expected.GetProperty("iterations").GetInt32(), model.Iterations);
    }

    [Theory]
    [MemberData(nameof(Fits))]
    public void Variance_matrix_and_means_MatchesRSurvival(string dataset, string ties)
    {
        var expected = Expected(dataset, ties);
        var model = FitReference(dataset, ties);
        var names = expected.GetProperty("coefficients").GetProperty("term").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var index = names.Select(n => model.Terms.IndexOf(n)).ToArray();
        var matrix = expected.GetProperty("variance_matrix");
        var means = Numbers(expected.GetProperty("means"));
        for (var a = 0; a < names.Length; a++)
        {
            Close(means[a], model.Means[index[a]], what: "mean " + names[a]);
            for (var b = 0; b < names.Length; b++)
            {
                var reference = matrix[a][b].GetDouble();
                var scale = Math.Sqrt(model.Variance[index[a]][index[a]] * model.Variance[index[b]][index[b]]);

                // Off-diagonal covariances are compared relative to the product of standard errors.
                Assert.True(Math.Abs(reference - model.Variance[index[a]][index[b]]) <= Tolerance * scale, $"variance[{names[a]},{names[b]}]: expected {reference:R}, got {model.Variance[index[a]][index[b]]:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Fits))]
    public void Log_likelihoods_and_the_three_tests_MatchesRSurvival(string dataset, string ties)
    {
        var expected = Expected(dataset, ties);
        var model = FitReference(dataset, ties);
        Close(expected.GetProperty("loglik_null").GetDouble(), model.LogLikelihoodNull, what: "null loglik");
        Close(expected.GetProperty("loglik_final").GetDouble(), model.LogLikelihood, what: "final loglik");
        foreach (var (name, test) in new[] { ("likelihood_ratio_test", model.LikelihoodRatioTest), ("wald_test", model.WaldTest), ("score_logrank_test", model.ScoreTest) })
        {
            var reference = expected.GetProperty(name);
            Close(reference.GetProperty("statistic").GetDouble(), test.Statistic, what: name);
            Assert.Equal(reference.GetProperty("df").GetInt32(), test.DegreesOfFreedom);
            Close(reference.GetProperty("p").GetDouble(), test.P, what: name + " p");
        }
    }

    [Theory]
    [MemberData(nameof(Fits))]
    public void Concordance_and_its_standard_error_MatchesRSurvival(string dataset, string ties)
    {
        var expected = Expected(dataset, ties).GetProperty("concordance");
        var model = FitReference(dataset, ties);
        Close(expected.GetProperty("C").GetDouble(), model.Concordance.Estimate!.Value, what: "C");
        Close(expected.GetProperty("se").GetDouble(), model.Concordance.StandardError!.Value, what: "se(C)");
        var counts = expected.GetProperty("counts");
        Assert.Equal(counts.GetProperty("concordant").GetDouble(), model.Concordance.Concordant);
        Assert.Equal(counts.GetProperty("discordant").GetDouble(), model.Concordance.Discordant);
        Assert.Equal(counts.GetProperty("tied.x").GetDouble(), model.Concordance.TiedRisk);
        Assert.Equal(counts.GetProperty("tied.y").GetDouble(), model.Concordance.TiedTime);
        Assert.Equal(counts.GetProperty("tied.xy").GetDouble(), model.Concordance.TiedBoth);
    }

    [Theory]
    [InlineData("aml", "cox_zph", ZphTransform.KaplanMeier)]
    [InlineData("aml", "cox_zph_identity", ZphTransform.Identity)]
    [InlineData("ovarian", "cox_zph", ZphTransform.KaplanMeier)]
    [InlineData("ovarian", "cox_zph_identity", ZphTransform.Identity)]
    [InlineData("veteran", "cox_zph", ZphTransform.KaplanMeier)]
    [InlineData("veteran", "cox_zph_identity", ZphTransform.Identity)]
    public void Proportional_hazards_test_MatchesRSurvival(string dataset, string key, ZphTransform transform)
    {
        var expected = Expected(dataset, "efron").GetProperty(key);
        var frame = Frame(dataset);
        var model = CoxRegression.Fit(frame);
        var result = CoxRegression.TestProportionalHazards(model, frame, transform);
        var names = expected.GetProperty("term").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var rows = result.Terms.Append(result.Global).ToArray();
        Assert.Equal(names.Length, rows.Length);
        for (var k = 0; k < names.Length; k++)
        {
            // aml's single term is named x in R (the factor), matched by position there.
            var row = names[k] == "GLOBAL" ? result.Global : rows.FirstOrDefault(r => r.Term == names[k]) ?? rows[k];
            Close(expected.GetProperty("chisq")[k].GetDouble(), row.ChiSquare, what: names[k] + " chisq");
            Assert.Equal(expected.GetProperty("df")[k].GetInt32(), row.DegreesOfFreedom);
            Close(expected.GetProperty("p")[k].GetDouble(), row.P, what: names[k] + " p");
        }
    }
}
