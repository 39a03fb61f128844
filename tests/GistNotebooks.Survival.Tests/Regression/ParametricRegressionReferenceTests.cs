using System.Globalization;
using System.Text.Json;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Inference;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Survival.Tests.Regression;

/// <summary>
/// Parametric models against R survival 3.5-3 (Reference/parametric.expected.json, made by parametric.R:
/// <c>survreg(Surv(time, event) ~ ..., dist = ...)</c> on lung, ovarian and veteran for every distribution, with
/// <c>summary</c>, <c>AIC</c>, <c>BIC</c> and <c>predict(..., se.fit = TRUE)</c>). Tolerance 1e-6 relative
/// (covariances relative to the product of the standard errors); observed about 1e-12.
/// </summary>
public sealed class ParametricRegressionReferenceTests
{
    private const double Tolerance = 1e-6;

    private static readonly Lazy<JsonElement> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(TestData.Reference("parametric.expected.json"))).RootElement.Clone());

    public static TheoryData<string, string> Fits()
    {
        var data = new TheoryData<string, string>();
        foreach (var fit in Document.Value.GetProperty("survreg").EnumerateArray())
        {
            data.Add(fit.GetProperty("label").GetString()!, fit.GetProperty("dist").GetString()!);
        }

        return data;
    }

    internal static JsonElement Expected(string label, string dist) =>
        Document.Value.GetProperty("survreg").EnumerateArray().Single(f => f.GetProperty("label").GetString() == label && f.GetProperty("dist").GetString() == dist);

    internal static ParametricModel FitReference(string label, string dist)
    {
        var options = new ParametricOptions { Distribution = ParametricRegression.ParseDistribution(dist) };
        return label switch
        {
            "lung" => ParametricRegression.Fit(Frame("lung"), options),
            "ovarian" => ParametricRegression.Fit(Frame("ovarian"), options),
            "veteran" => ParametricRegression.Fit(Frame("veteran"), options),
            "lung-intercept" => ParametricRegression.Fit(SurvivalData.FromCsv(TestData.Reference("lung.csv"), "time", "event"), null, options),
            _ => throw new ArgumentException(label),
        };
    }

    internal static ModelFrame Frame(string dataset) => dataset switch
    {
        "lung" => ModelFrame.FromTable(ColumnTable.ReadCsv(TestData.Reference("lung.csv")), "time", "event", ["age", "sex", "ph.ecog"], new Dictionary<string, string> { ["ph.ecog"] = "0" }),
        "ovarian" => ModelFrame.FromTable(ColumnTable.ReadCsv(TestData.Reference("ovarian.csv")), "time", "event", ["age", "ecog.ps", "rx"]),
        "veteran" => ModelFrame.FromTable(ColumnTable.ReadCsv(TestData.Reference("veteran.csv")), "time", "event", ["trt", "karno", "age", "celltype"], new Dictionary<string, string> { ["celltype"] = "squamous" }),
        _ => throw new ArgumentException(dataset),
    };

    internal static void Close(double expected, double actual, double tolerance = Tolerance, string what = "")
    {
        var difference = Math.Abs(expected - actual);
        Assert.True(expected == 0 ? difference <= 1e-12 : difference <= tolerance * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R} (relative difference {difference / Math.Abs(expected):E2})");
    }

    internal static double[] Numbers(JsonElement element) => [.. element.EnumerateArray().Select(e => e.GetDouble())];

    private static string[] Names(JsonElement element) => [.. element.EnumerateArray().Select(e => e.GetString()!)];

    [Theory]
    [MemberData(nameof(Fits))]
    public void Summary_table_scale_and_iterations_MatchesRSurvival(string label, string dist)
    {
        var expected = Expected(label, dist);
        var model = FitReference(label, dist);
        var terms = Names(expected.GetProperty("terms"));
        var rows = model.Coefficients.Concat(model.LogScale is null ? [] : [model.LogScale]).ToArray();
        Assert.Equal(terms.Length, rows.Length);
        Assert.Equal(ParametricModel.InterceptTerm, rows[0].Term);
        for (var k = 0; k < terms.Length; k++)
        {
            var row = rows.Single(r => r.Term == terms[k]);
            Close(expected.GetProperty("value")[k].GetDouble(), row.Coefficient, what: terms[k] + " value");
            Close(expected.GetProperty("se")[k].GetDouble(), row.StandardError, what: terms[k] + " se");
            Close(expected.GetProperty("z")[k].GetDouble(), row.Z, what: terms[k] + " z");
            Close(expected.GetProperty("p")[k].GetDouble(), row.P, what: terms[k] + " p");
        }

        Close(expected.GetProperty("scale").GetDouble(), model.Scale, what: "scale");
        Assert.Equal(dist == "exponential", model.IsScaleFixed);
        Assert.True(model.Converged);
        Assert.Empty(model.Warnings);
        Assert.Equal(expected.GetProperty("iter").GetInt32(), model.Iterations);
        Assert.Equal(expected.GetProperty("n").GetInt32(), model.N);
        Assert.Equal(expected.GetProperty("events").GetInt32(), model.Events);
        Assert.Equal(expected.GetProperty("dropped_csv_rows_1based").EnumerateArray().Select(e => e.GetInt32()), model.DroppedRows);
    }

    [Theory]
    [MemberData(nameof(Fits))]
    public void Variance_matrix_MatchesRSurvival(string label, string dist)
    {
        var expected = Expected(label, dist);
        var model = FitReference(label, dist);
        var names = Names(expected.GetProperty("terms"));
        var ours = model.Terms.Add(ParametricModel.LogScaleTerm);
        var index = names.Select(n => ours.IndexOf(n)).ToArray();
        var matrix = expected.GetProperty("var");
        Assert.Equal(names.Length, model.Variance.Length);
        for (var a = 0; a < names.Length; a++)
        {
            for (var b = 0; b < names.Length; b++)
            {
                var reference = matrix[a][b].GetDouble();
                var actual = model.Variance[index[a]][index[b]];
                var scale = Math.Sqrt(model.Variance[index[a]][index[a]] * model.Variance[index[b]][index[b]]);
                Assert.True(Math.Abs(reference - actual) <= Tolerance * scale, $"var[{names[a]},{names[b]}]: expected {reference:R}, got {actual:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Fits))]
    public void Log_likelihoods_information_criteria_and_tests_MatchesRSurvival(string label, string dist)
    {
        var expected = Expected(label, dist);
        var model = FitReference(label, dist);
        var loglik = Numbers(expected.GetProperty("loglik"));
        Close(loglik[0], model.LogLikelihoodInterceptOnly, what: "intercept-only loglik");
        Close(loglik[1], model.LogLikelihood, what: "loglik");
        Close(expected.GetProperty("aic").GetDouble(), model.Aic, what: "AIC");
        Close(expected.GetProperty("bic").GetDouble(), model.Bic, what: "BIC");
        Assert.Equal(expected.GetProperty("df").GetInt32(), model.ParameterCount);

        var lr = expected.GetProperty("lr_test");
        Assert.Equal(lr.GetProperty("df").GetInt32(), model.LikelihoodRatioTest.DegreesOfFreedom);
        if (model.LikelihoodRatioTest.DegreesOfFreedom > 0)
        {
            Close(lr.GetProperty("statistic").GetDouble(), model.LikelihoodRatioTest.Statistic, what: "LR statistic");
            Close(lr.GetProperty("p").GetDouble(), model.LikelihoodRatioTest.P, what: "LR p");
            var wald = expected.GetProperty("wald_test");
            Close(wald.GetProperty("statistic").GetDouble(), model.WaldTest!.Statistic, what: "Wald statistic");
            Assert.Equal(wald.GetProperty("df").GetInt32(), model.WaldTest.DegreesOfFreedom);
            Close(wald.GetProperty("p").GetDouble(), model.WaldTest.P, what: "Wald p");
        }
        else
        {
            Assert.Null(model.WaldTest);
        }
    }

    [Theory]
    [MemberData(nameof(Fits))]
    public void Predicted_linear_predictor_quantiles_and_survival_MatchesRSurvival(string label, string dist)
    {
        var expected = Expected(label, dist);
        var model = FitReference(label, dist);
        var critical = Distributions.NormalQuantile(0.975);
        var logTime = dist is not ("gaussian" or "logistic");
        foreach (var prediction in expected.GetProperty("predictions").EnumerateArray())
        {
            var values = prediction.GetProperty("covariates").EnumerateObject()
                .Where(p => p.Name != "row")
                .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetDouble().ToString("R", CultureInfo.InvariantCulture));
            var row = model.CovariateRow(values);
            var design = Numbers(prediction.GetProperty("design"));
            var ours = model.Terms.Select((t, j) => j == 0 ? 1.0 : row[j - 1]).ToArray();
            Assert.Equal(design.Length, ours.Length);

            var lp = model.LinearPredictor(row);
            Close(prediction.GetProperty("lp").GetDouble(), lp.Estimate, what: "lp");
            Close(prediction.GetProperty("lp_se").GetDouble(), lp.StandardError, what: "lp se");

            var probabilities = Numbers(prediction.GetProperty("quantile_p"));
            var quantiles = model.Quantiles(row, probabilities);
            for (var k = 0; k < probabilities.Length; k++)
            {
                var uq = prediction.GetProperty("uquantile")[k].GetDouble();
                var uqSe = prediction.GetProperty("uquantile_se")[k].GetDouble();
                Close(prediction.GetProperty("quantile")[k].GetDouble(), quantiles[k].Time, what: $"quantile {probabilities[k]}");
                Close(prediction.GetProperty("quantile_se")[k].GetDouble(), quantiles[k].StandardError, what: $"quantile se {probabilities[k]}");
                Close(logTime ? Math.Exp(uq - (critical * uqSe)) : uq - (critical * uqSe), quantiles[k].Lower, what: $"quantile lower {probabilities[k]}");
                Close(logTime ? Math.Exp(uq + (critical * uqSe)) : uq + (critical * uqSe), quantiles[k].Upper, what: $"quantile upper {probabilities[k]}");
            }

            var times = Numbers(prediction.GetProperty("survival_time"));
            var survival = model.SurvivalAt(row, times);
            for (var k = 0; k < times.Length; k++)
            {
                Close(prediction.GetProperty("survival")[k].GetDouble(), survival[k].Survival, what: $"S({times[k]})");
                Close(prediction.GetProperty("survival_se")[k].GetDouble(), survival[k].StandardError, what: $"se S({times[k]})");
                Close(prediction.GetProperty("survival_lower")[k].GetDouble(), survival[k].Lower, what: $"lower S({times[k]})");
                Close(prediction.GetProperty("survival_upper")[k].GetDouble(), survival[k].Upper, what: $"upper S({times[k]})");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Fits))]
    public void Restricted_mean_of_the_fitted_curve_MatchesRSurvival(string label, string dist)
    {
        var expected = Expected(label, dist);
        var model = FitReference(label, dist);
        foreach (var prediction in expected.GetProperty("predictions").EnumerateArray())
        {
            var row = model.CovariateRow(prediction.GetProperty("covariates").EnumerateObject()
                .Where(p => p.Name != "row")
                .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetDouble().ToString("R", CultureInfo.InvariantCulture)));
            var taus = Numbers(prediction.GetProperty("rmst_tau"));
            for (var k = 0; k < taus.Length; k++)
            {
                var mean = model.RestrictedMean(row, taus[k]);
                Close(prediction.GetProperty("rmst")[k].GetDouble(), mean.Estimate, 1e-8, $"RMST({taus[k]})");
                Close(prediction.GetProperty("rmst_se")[k].GetDouble(), mean.StandardError, 1e-7, $"se RMST({taus[k]})");
            }
        }
    }

    [Fact]
    public void Comparison_ranks_the_distributions_by_R_s_AIC()
    {
        var comparison = ParametricRegression.Compare(Frame("veteran"), Enum.GetValues<ParametricDistribution>());
        var expected = Document.Value.GetProperty("survreg").EnumerateArray().Where(f => f.GetProperty("label").GetString() == "veteran")
            .ToDictionary(f => ParametricRegression.ParseDistribution(f.GetProperty("dist").GetString()!), f => f.GetProperty("aic").GetDouble());

        Assert.Equal(expected.OrderBy(e => e.Value).Select(e => e.Key), comparison.Rows.Select(r => r.Distribution));
        foreach (var row in comparison.Rows)
        {
            Close(expected[row.Distribution], row.Aic, what: "AIC " + row.Distribution);
            Close(expected[row.Distribution] - expected.Values.Min(), row.DeltaAic, what: "delta AIC " + row.Distribution);
        }

        Assert.Equal(ParametricDistribution.LogLogistic, comparison.Best.Distribution);
        Assert.Equal(1, comparison.Rows.Sum(r => r.AkaikeWeight), 12);
        Assert.Same(comparison.Rows[2].Model, comparison[comparison.Rows[2].Distribution]);
    }

    [Theory]
    [MemberData(nameof(Fits))]
    public void Weibull_and_exponential_hazard_ratios_MatchesRSurvival(string label, string dist)
    {
        var expected = Expected(label, dist);
        var model = FitReference(label, dist);
        if (!expected.TryGetProperty("hazard_ratios", out var ratios))
        {
            if (dist is not ("weibull" or "exponential"))
            {
                Assert.Throws<InvalidOperationException>(() => model.HazardRatios());
            }

            return;
        }

        var ours = model.HazardRatios();
        var terms = Names(ratios.GetProperty("term"));
        for (var k = 0; k < terms.Length; k++)
        {
            var row = ours.Single(r => r.Term == terms[k]);
            Close(ratios.GetProperty("log_hr")[k].GetDouble(), row.LogHazardRatio, what: terms[k] + " log HR");
            Close(ratios.GetProperty("se")[k].GetDouble(), row.StandardError, what: terms[k] + " se");
            Close(Math.Exp(row.LogHazardRatio - (1.959963984540054 * row.StandardError)), row.Lower, what: terms[k] + " lower");
        }
    }

    [Fact]
    public void Case_weights_MatchesRSurvival()
    {
        var expected = Document.Value.GetProperty("survreg_weighted");
        var frame = ModelFrame.FromTable(ColumnTable.ReadCsv(TestData.Reference("ovarian.csv")), "time", "event", ["age", "rx"], weightColumn: "ecog.ps");
        var model = ParametricRegression.Fit(frame);
        var terms = Names(expected.GetProperty("terms"));
        var rows = model.Coefficients.Append(model.LogScale!).ToArray();
        for (var k = 0; k < terms.Length; k++)
        {
            Close(expected.GetProperty("value")[k].GetDouble(), rows[k].Coefficient, what: terms[k]);
            Close(expected.GetProperty("se")[k].GetDouble(), rows[k].StandardError, what: terms[k] + " se");
        }

        var loglik = Numbers(expected.GetProperty("loglik"));
        Close(loglik[0], model.LogLikelihoodInterceptOnly, what: "intercept-only loglik");
        Close(loglik[1], model.LogLikelihood, what: "loglik");
        Assert.Equal(expected.GetProperty("iter").GetInt32(), model.Iterations);
    }
}
