using System.Text.Json;
using GistNotebooks.Notebooks.Documents;
using GistNotebooks.Notebooks.Execution;
using GistNotebooks.Notebooks.Kernel.Jupyter;
using GistNotebooks.Notebooks.Reproduction;
using GistNotebooks.Reporting;

namespace GistNotebooks.Notebooks.Tests.Kernel.Jupyter;

/// <summary>
/// Every kit notebook executed by nbclient through the kit's Jupyter kernel, compared with the headless runner. The
/// notebooks are copied to a temporary folder and the executed copies are written there; the kernel's current
/// directory is notebooks/, so their relative paths resolve as in the runner, and nothing in notebooks/ is written.
/// The kernel is the one each notebook's metadata names, as a front end picks it.
/// </summary>
public sealed class JupyterNotebookTests(JupyterClient jupyter) : IClassFixture<JupyterClient>
{
    private static readonly string Folder = Path.Combine(TestNotebooks.RepositoryRoot, "notebooks");

    [Fact]
    public async Task Every_kit_notebook_runs_through_nbclient_without_error_with_plotly_charts_and_the_runners_claims_and_text()
    {
        Assert.True(jupyter.InstallExitCode == 0, jupyter.InstallOutput);
        var entries = NotebookManifest.Load(Folder).Notebooks;
        var input = Path.Combine(jupyter.Root, "in");
        var output = Path.Combine(jupyter.Root, "out");
        Directory.CreateDirectory(input);
        Directory.CreateDirectory(output);
        foreach (var entry in entries)
        {
            File.Copy(Path.Combine(Folder, entry.File), Path.Combine(input, entry.File));
        }

        var before = entries.ToDictionary(e => e.File, e => File.GetLastWriteTimeUtc(Path.Combine(Folder, e.File)));
        var report = jupyter.Drive(TimeSpan.FromMinutes(30), ["notebooks", JupyterKernelSpec.DefaultName, Folder, output, .. entries.Select(e => Path.Combine(input, e.File))]);

        var problems = new List<string>();
        foreach (var entry in entries)
        {
            problems.AddRange(await Compare(entry, report.GetProperty(entry.File)));
            Assert.True(File.Exists(Path.Combine(output, entry.File)));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.All(entries, e => Assert.Equal(before[e.File], File.GetLastWriteTimeUtc(Path.Combine(Folder, e.File))));
    }

    [Fact]
    public async Task Jupyter_nbconvert_executes_a_notebook_copied_outside_the_checkout_on_the_kernel_its_metadata_names()
    {
        Assert.True(jupyter.InstallExitCode == 0, jupyter.InstallOutput);
        var entry = NotebookManifest.Load(Folder).Notebooks.Single(e => e.File == "02-overall-survival.ipynb");
        // The notebook and the data it reads, laid out as in the repository but with no build of the kit beside them:
        // the kernel serves the kit's libraries itself. nbconvert starts the kernel in the notebook's folder.
        var study = Path.Combine(jupyter.Root, "nbconvert-study");
        Directory.CreateDirectory(Path.Combine(study, "notebooks"));
        File.Copy(Path.Combine(Folder, entry.File), Path.Combine(study, "notebooks", entry.File));
        var data = Path.Combine(study, "data", "nunobe2005");
        Directory.CreateDirectory(data);
        foreach (var file in Directory.GetFiles(Path.Combine(TestNotebooks.RepositoryRoot, "data", "nunobe2005")))
        {
            File.Copy(file, Path.Combine(data, Path.GetFileName(file)));
        }

        var output = Path.Combine(jupyter.Root, "nbconvert-out");
        Directory.CreateDirectory(output);
        var report = jupyter.Drive(TimeSpan.FromMinutes(15), ["nbconvert", output, Path.Combine(study, "notebooks", entry.File)]);

        var problems = await Compare(entry, report.GetProperty(entry.File));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(File.Exists(Path.Combine(output, entry.File)));
    }

    /// <summary>What differs between a notebook executed through Jupyter and the same notebook run by the runner.</summary>
    private static async Task<List<string>> Compare(ManifestEntry entry, JsonElement executed)
    {
        var problems = new List<string>();
        if (executed.GetProperty("error").ValueKind != JsonValueKind.Null)
        {
            return [$"{entry.File}: {executed.GetProperty("error")}"];
        }

        if (executed.GetProperty("invalid").ValueKind != JsonValueKind.Null)
        {
            problems.Add($"{entry.File}: the executed notebook fails nbformat's validation: {executed.GetProperty("invalid")}");
        }

        if (executed.GetProperty("format") is not { ValueKind: JsonValueKind.Array } format || !format.EnumerateArray().Select(v => v.GetInt32()).SequenceEqual([4, 5]))
        {
            problems.Add($"{entry.File}: the executed notebook is nbformat {executed.GetProperty("format")}, not 4.5");
        }

        var cells = executed.GetProperty("cells").EnumerateArray().Select(c => c.EnumerateArray().ToList()).ToList();
        var run = await NotebookRunner.RunAsync(NotebookDocument.Load(Path.Combine(Folder, entry.File)));
        Assert.True(run.Succeeded, run.Failure?.ToString());
        var runnerCells = run.Cells.Where(c => c.Cell.Kind == CellKind.Code).ToList();
        Assert.Equal(runnerCells.Count, cells.Count);
        for (var i = 0; i < cells.Count; i++)
        {
            var where = $"{entry.File}, code cell {i + 1}";
            if (cells[i].FirstOrDefault(o => o.GetProperty("output_type").GetString() == "error") is { ValueKind: JsonValueKind.Object } error)
            {
                problems.Add($"{where}: {error.GetProperty("ename")}: {error.GetProperty("evalue")}");
            }

            var runnerCharts = runnerCells[i].Outputs.Count(o => o.Data.TryGetValue("text/html", out var html) && html.Contains("Plotly.newPlot", StringComparison.Ordinal));
            var charts = cells[i].Where(o => o.GetProperty("data").TryGetProperty(MimeBundle.PlotlyMimeType, out var figure) && figure.GetProperty("data").GetArrayLength() > 0).ToList();
            if (runnerCharts != charts.Count)
            {
                problems.Add($"{where}: the runner drew {runnerCharts} charts, Jupyter received {charts.Count} Plotly bundles with traces");
            }

            var runnerText = string.Concat(runnerCells[i].Outputs.Where(o => o.Kind == OutputKind.Stream).Select(o => o.Text));
            var text = string.Concat(cells[i].Where(o => o.GetProperty("output_type").GetString() == "stream").Select(o => o.GetProperty("text").GetString()));
            if (runnerText != text)
            {
                problems.Add($"{where}: printed text differs.\nrunner:\n{runnerText}\nJupyter:\n{text}");
            }
        }

        var runnerClaims = ClaimCollector.FromRun(run).Select(c => c with { Notebook = null, CellId = null }).ToList();
        // A single check arrives under the record's type, a CheckAll() report as a list of records.
        var claims = cells.SelectMany(c => c)
            .SelectMany(o => o.GetProperty("data").TryGetProperty(ClaimRecord.MimeType, out var one) ? [ClaimRecord.Parse(one.GetRawText())]
                : o.GetProperty("data").TryGetProperty(ClaimRecord.ListMimeType, out var list) ? ClaimRecord.ParseArray(list.GetRawText())
                : [])
            .ToList();
        if (!runnerClaims.SequenceEqual(claims))
        {
            problems.Add($"{entry.File}: claims differ.\nrunner: {string.Join("; ", runnerClaims)}\nJupyter: {string.Join("; ", claims)}");
        }

        if (entry.Claims.Length > 0 && claims.Count == 0)
        {
            problems.Add($"{entry.File}: no claim record arrived through Jupyter");
        }

        return problems;
    }
}
