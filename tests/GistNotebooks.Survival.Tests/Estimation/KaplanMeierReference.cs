using System.Text.Json;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Tests.Estimation;

/// <summary>Loads the R reference data sets and their <c>kaplan_meier</c> expectations.</summary>
internal static class KaplanMeierReference
{
    /// <summary>Relative tolerance: R wrote 15 significant digits.</summary>
    public const double Relative = 1e-9;

    /// <summary>Absolute tolerance near zero.</summary>
    public const double Absolute = 1e-12;

    public static readonly IReadOnlyDictionary<string, string> GroupColumn = new Dictionary<string, string>
    {
        ["aml"] = "x",
        ["ovarian"] = "rx",
        ["veteran"] = "trt",
    };

    private static readonly Dictionary<string, JsonDocument> Documents = [];

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Reference", name);

    public static SurvivalData LoadData(string dataset)
        => SurvivalData.FromCsv(PathOf(dataset + ".csv"), "time", "event", groupColumn: GroupColumn[dataset]);

    public static JsonElement Root(string dataset)
    {
        lock (Documents)
        {
            if (!Documents.TryGetValue(dataset, out var document))
            {
                document = JsonDocument.Parse(File.ReadAllText(PathOf(dataset + ".expected.json")));
                Documents[dataset] = document;
            }

            return document.RootElement;
        }
    }

    /// <summary>The expected curve: stratum −1 is the overall curve, otherwise the index into <c>by_group.strata</c>.</summary>
    public static JsonElement ExpectedCurve(string dataset, int stratum)
    {
        var km = Root(dataset).GetProperty("kaplan_meier");
        return stratum < 0 ? km.GetProperty("overall") : km.GetProperty("by_group").GetProperty("strata")[stratum];
    }

    public static double? Number(JsonElement element) => element.ValueKind == JsonValueKind.Null ? null : element.GetDouble();

    public static double?[] Numbers(JsonElement element, string property)
        => [.. element.GetProperty(property).EnumerateArray().Select(Number)];

    public static void Close(double? expected, double? actual, string what, double relative = Relative, double absolute = Absolute)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{what}: expected {Show(expected)}, got {Show(actual)}");
            return;
        }

        var difference = Math.Abs(expected.Value - actual.Value);
        Assert.True(
            difference <= absolute || difference <= relative * Math.Abs(expected.Value),
            $"{what}: expected {Show(expected)}, got {Show(actual)} (difference {difference:R})");
    }

    public static double RelativeDifference(double? expected, double? actual)
    {
        if (expected is null || actual is null || expected.Value == actual.Value)
        {
            return 0;
        }

        var difference = Math.Abs(expected.Value - actual.Value);
        return expected.Value == 0 ? difference : difference / Math.Abs(expected.Value);
    }

    private static string Show(double? value) => value is null ? "null" : value.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
