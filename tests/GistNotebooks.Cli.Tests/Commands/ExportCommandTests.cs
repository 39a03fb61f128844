namespace GistNotebooks.Cli.Tests.Commands;

/// <summary><c>gistnb export</c> on the command line: what it asks for, what it writes, what it refuses.</summary>
public sealed class ExportCommandTests
{
    private const string Notebook = """
        {"cells": [
          {"cell_type": "markdown", "metadata": {}, "source": "# A study"},
          {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": "var n = 18;\nn"}],
         "metadata": {"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"}},
         "nbformat": 4, "nbformat_minor": 5}
        """;

    [Fact]
    public void Export_takes_one_notebook_or_all_of_a_folder_never_both_nor_neither()
    {
        var folder = NewStudy();

        var neither = Gistnb.Run("export", "--out", Path.Combine(folder, "a"));
        var both = Gistnb.Run("export", Path.Combine(folder, "notebooks", "01-first.ipynb"), "--all", "--notebooks", Path.Combine(folder, "notebooks"), "--out", Path.Combine(folder, "b"));

        Assert.Equal(2, neither.Exit);
        Assert.Equal(2, both.Exit);
        Assert.Contains("one NOTEBOOK or --all", neither.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder, "a")));
        Assert.False(Directory.Exists(Path.Combine(folder, "b")));
    }

    [Fact]
    public void Export_all_writes_one_app_per_notebook_and_refuses_to_write_into_it_again_without_force()
    {
        var folder = NewStudy();
        var apps = Path.Combine(folder, "apps");
        string[] all = ["export", "--all", "--notebooks", Path.Combine(folder, "notebooks"), "--out", apps];

        var first = Gistnb.Run(all);
        var again = Gistnb.Run(all);
        var forced = Gistnb.Run([.. all, "--force"]);

        Assert.Equal(0, first.Exit);
        Assert.Equal(["01-first.cs", "02-second.cs"], Directory.GetFiles(apps).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("FileApp.Show(n);", File.ReadAllText(Path.Combine(apps, "01-first.cs")), StringComparison.Ordinal);
        Assert.Contains("// # A study", File.ReadAllText(Path.Combine(apps, "02-second.cs")), StringComparison.Ordinal);
        Assert.Equal(2, again.Exit);
        Assert.Contains("--force", again.Error, StringComparison.Ordinal);
        Assert.Equal(0, forced.Exit);
    }

    private static string NewStudy()
    {
        var folder = Path.Combine(Path.GetTempPath(), "gistnb-export-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "notebooks"));
        File.WriteAllText(Path.Combine(folder, "notebooks", "01-first.ipynb"), Notebook);
        File.WriteAllText(Path.Combine(folder, "notebooks", "02-second.ipynb"), Notebook);
        return folder;
    }
}
