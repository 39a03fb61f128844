using System.Text.Json;
using GistNotebooks.Reporting.Charts;
using GistNotebooks.Survival.Data;
using Plotly.NET;

namespace GistNotebooks.Reporting.Tests;

/// <summary>Paths of the files the tests read, copied beside the test assembly, and helpers to read chart JSON.</summary>
internal static class TestData
{
    public static string Reference(string name) => Path.Combine(AppContext.BaseDirectory, "Reference", name);

    public static string NunobeClaims => Path.Combine(AppContext.BaseDirectory, "Nunobe2005", "claims.json");

    public static string NunobeCohort => Path.Combine(AppContext.BaseDirectory, "Nunobe2005", "cohort.csv");

    public static SurvivalData Veteran(bool byTreatment = true) =>
        SurvivalData.FromCsv(Reference("veteran.csv"), "time", "event", byTreatment ? "trt" : null);

    public static SurvivalData Nunobe() => SurvivalData.FromCsv(NunobeCohort, "followUpMonths", "death");

    /// <summary>Where the rendered chart pages go (inspected by eye in a browser).</summary>
    public static string OutputPath(string fileName)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "rendered");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, fileName);
    }

    public static JsonElement Figure(GenericChart chart) => JsonDocument.Parse(chart.ToFigureJson()).RootElement.Clone();

    public static JsonElement[] Traces(GenericChart chart) => [.. Figure(chart).GetProperty("data").EnumerateArray()];

    public static JsonElement[] TracesWithMeta(GenericChart chart, string meta) =>
        [.. Traces(chart).Where(t => t.TryGetProperty("meta", out var m) && m.GetString() == meta)];

    public static double[] Numbers(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetDouble())];

    public static string[] Texts(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
