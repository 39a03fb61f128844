using System.Text.Json;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Tests.Regression;

/// <summary>
/// Reads Reference/coxph.expected.json (made by data/reference/coxph.R with R survival 3.5-3) and the frames its fits
/// were made from, with the derived columns (weights, clusters) built by the same rules as the script.
/// </summary>
internal static class CoxphReference
{
    private static readonly Lazy<JsonElement> Root = new(() =>
    {
        using var document = JsonDocument.Parse(File.ReadAllText(TestData.Reference("coxph.expected.json")));
        return document.RootElement.Clone();
    });

    public static JsonElement Get(params string[] path)
    {
        var element = Root.Value;
        foreach (var name in path)
        {
            element = element.GetProperty(name);
        }

        return element;
    }

    public static double[] Numbers(JsonElement element) => [.. element.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? double.NaN : e.GetDouble())];

    public static double[][] Matrix(JsonElement element) => [.. element.EnumerateArray().Select(Numbers)];

    public static string[] Strings(JsonElement element) => [.. element.EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>The script's fractional weights: 1 + ((row − 1) mod 4)/4 for 1-based rows.</summary>
    public static double[] FractionalWeights(int n) => [.. Enumerable.Range(0, n).Select(i => 1 + ((i % 4) / 4.0))];

    public static ModelFrame Frame(string dataset, IReadOnlyList<string> covariates, string? strata = null)
    {
        var table = ColumnTable.ReadCsv(TestData.Reference(dataset + ".csv"));
        var references = covariates.Contains("celltype") ? new Dictionary<string, string> { ["celltype"] = "squamous" } : null;
        return ModelFrame.FromTable(table, "time", "event", covariates, references, strataColumn: strata);
    }

    public static ModelFrame WithWeights(ModelFrame frame, IReadOnlyList<double> weights)
        => frame with { Data = SurvivalData.Create(frame.Data.Times, frame.Data.Events, weights, strata: frame.Data.StratumArrayOrNull()) };

    private static string[]? StratumArrayOrNull(this SurvivalData data) => data.Strata.IsEmpty ? null : [.. data.Strata];

    /// <summary>Asserts relative agreement (absolute 1e-12 near 0), naming what was compared.</summary>
    public static void Close(double expected, double actual, double tolerance, string what)
    {
        var difference = Math.Abs(expected - actual);
        var scale = Math.Abs(expected);
        Assert.True(scale < 1e-9 ? difference <= 1e-11 : difference <= tolerance * scale, $"{what}: expected {expected:R}, got {actual:R}");
    }

    /// <summary>The column of each expected term name among the model's terms (R orders factor levels as declared, the frame ordinally).</summary>
    public static int[] TermIndex(IReadOnlyList<string> expectedTerms, IReadOnlyList<string> modelTerms)
        => [.. expectedTerms.Select(t => modelTerms.ToList().IndexOf(t))];
}
