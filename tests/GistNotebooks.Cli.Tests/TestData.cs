namespace GistNotebooks.Cli.Tests;

/// <summary>Paths of the files the tests read, copied beside the test assembly.</summary>
internal static class TestData
{
    public static string Reference(string name) => Path.Combine(AppContext.BaseDirectory, "Reference", name);

    public static string NunobeClaims => Path.Combine(AppContext.BaseDirectory, "Nunobe2005", "claims.json");

    public static string NunobeCohort => Path.Combine(AppContext.BaseDirectory, "Nunobe2005", "cohort.csv");
}
