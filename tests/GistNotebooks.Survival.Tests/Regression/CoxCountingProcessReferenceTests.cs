using System.Text.Json;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;
using static GistNotebooks.Survival.Tests.Regression.CoxphReference;

namespace GistNotebooks.Survival.Tests.Regression;

/// <summary>
/// Cox fits to counting-process (start, stop] data against R survival 3.5-3: the Stanford heart transplant data with
/// transplant as a time-dependent covariate (Reference/startstop.expected.json and heart.csv from
/// data/reference/startstop.R). Tolerance 1e-8 relative.
/// </summary>
public sealed class CoxCountingProcessReferenceTests
{
    private const double Tolerance = 1e-8;

    private static readonly Lazy<JsonElement> Root = new(() =>
    {
        using var document = JsonDocument.Parse(File.ReadAllText(TestData.Reference("startstop.expected.json")));
        return document.RootElement.Clone();
    });

    internal static JsonElement Expected(string name) => Root.Value.GetProperty(name);

    internal static ColumnTable Heart() => ColumnTable.ReadCsv(TestData.Reference("heart.csv"));

    /// <summary>The script's integer weights: 1 + ((row − 1) mod 3) for 1-based rows.</summary>
    internal static double[] HeartWeights(int n) => [.. Enumerable.Range(0, n).Select(i => 1.0 + (i % 3))];

    internal static (CountingProcessData Data, CovariateMatrix Covariates) HeartData(IReadOnlyList<string> terms, bool weighted = false, string? strata = null)
    {
        var table = Heart();
        var data = CountingProcessData.Create(
            table.GetNumbers("start"),
            table.GetNumbers("stop"),
            [.. table.GetNumbers("event").Select(e => (int)e)],
            weighted ? HeartWeights(table.RowCount) : null,
            strata is null ? null : [.. table.GetNumbers(strata).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        var covariates = CovariateMatrix.FromColumns(terms, [.. terms.Select(t => (IReadOnlyList<double>)table.GetNumbers(t))]);
        return (data, covariates);
    }

    private static void AssertFit(JsonElement expected, CoxModel model, string what)
    {
        var index = TermIndex(Strings(expected.GetProperty("terms")), model.Terms);
        var coef = Numbers(expected.GetProperty("coef"));
        var se = Numbers(expected.GetProperty("se"));
        var variance = Matrix(expected.GetProperty("var"));
        for (var j = 0; j < index.Length; j++)
        {
            Close(coef[j], model.Coefficients[index[j]].Coefficient, Tolerance, $"{what} coef {j}");
            Close(se[j], model.Coefficients[index[j]].StandardError, Tolerance, $"{what} se {j}");
            for (var k = 0; k < index.Length; k++)
            {
                Close(variance[j][k], model.Variance[index[j]][index[k]], Tolerance, $"{what} var {j},{k}");
            }
        }

        var loglik = Numbers(expected.GetProperty("loglik"));
        Close(loglik[0], model.LogLikelihoodNull, Tolerance, what + " loglik null");
        Close(loglik[1], model.LogLikelihood, Tolerance, what + " loglik");
        Close(expected.GetProperty("wald").GetDouble(), model.WaldTest.Statistic, Tolerance, what + " wald");
        Close(expected.GetProperty("score").GetDouble(), model.ScoreTest.Statistic, Tolerance, what + " score");
        Assert.Equal(expected.GetProperty("iter").GetInt32(), model.Iterations);
        Assert.Equal(expected.GetProperty("n").GetInt32(), model.N);
        Assert.Equal(expected.GetProperty("nevent").GetInt32(), model.Events);
        Close(Numbers(expected.GetProperty("concordance"))[0], model.Concordance.Estimate!.Value, Tolerance, what + " concordance");
        Close(Numbers(expected.GetProperty("concordance"))[1], model.Concordance.StandardError!.Value, Tolerance, what + " concordance se");
        Assert.False(model.IsRobust);
    }

    private static readonly string[] HeartTerms = ["age", "year", "surgery", "transplant"];

    [Theory]
    [InlineData("heart_efron", TieMethod.Efron, false)]
    [InlineData("heart_breslow", TieMethod.Breslow, false)]
    [InlineData("heart_weighted_efron", TieMethod.Efron, true)]
    [InlineData("heart_weighted_breslow", TieMethod.Breslow, true)]
    public void HeartTransplant_TimeDependentCovariate_MatchesRSurvival(string name, TieMethod ties, bool weighted)
    {
        var (data, covariates) = HeartData(HeartTerms, weighted);
        var model = CoxRegression.Fit(data, covariates, new CoxOptions { Ties = ties });
        AssertFit(Expected(name), model, name);
    }

    [Fact]
    public void HeartTransplant_Stratified_MatchesRSurvival()
    {
        var (data, covariates) = HeartData(["age", "year", "transplant"], strata: "surgery");
        var model = CoxRegression.Fit(data, covariates);
        AssertFit(Expected("heart_strata_efron"), model, "heart_strata_efron");
    }
}
