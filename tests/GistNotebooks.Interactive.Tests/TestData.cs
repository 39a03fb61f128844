using GistNotebooks.Survival.Data;

namespace GistNotebooks.Interactive.Tests;

/// <summary>Paths of the files the tests read, copied beside the test assembly.</summary>
internal static class TestData
{
    public static string Reference(string name) => Path.Combine(AppContext.BaseDirectory, "Reference", name);

    public static SurvivalData Veteran() => SurvivalData.FromCsv(Reference("veteran.csv"), "time", "event", "trt");

    public static SurvivalData Nunobe() =>
        SurvivalData.FromCsv(Path.Combine(AppContext.BaseDirectory, "Nunobe2005", "cohort.csv"), "followUpMonths", "death");
}
