using System.Diagnostics;
using System.Text.Json;
using GistNotebooks.Notebooks.Documents;
using GistNotebooks.Notebooks.Execution;
using GistNotebooks.Notebooks.Tests.Kernel.Jupyter;

namespace GistNotebooks.Notebooks.Tests.Documents;

public sealed class JupyterWriterTests
{
    [Fact]
    public async Task An_executed_chart_carries_its_plotly_figure_beside_its_html_and_the_notebook_validates_against_nbformat_4_5()
    {
        var run = await NotebookRunner.RunAsync(TestNotebooks.Load("chart.ipynb"));
        Assert.True(run.Succeeded, run.Failure?.ToString());
        var path = Path.Combine(TestNotebooks.NewFolder(), "chart.ipynb");
        await File.WriteAllTextAsync(path, JupyterWriter.ToJson(run));

        using var written = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var output = written.RootElement.GetProperty("cells")[2].GetProperty("outputs").EnumerateArray().Single();
        var data = output.GetProperty("data");
        Assert.Contains("Plotly.newPlot", string.Concat(data.GetProperty("text/html").EnumerateArray().Select(l => l.GetString())), StringComparison.Ordinal);
        var figure = data.GetProperty(PlotlyFigure.MimeType);
        Assert.Equal(JsonValueKind.Object, figure.ValueKind);
        var trace = Assert.Single(figure.GetProperty("data").EnumerateArray());
        Assert.Equal([100, 64, 34], trace.GetProperty("y").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(JsonValueKind.Object, figure.GetProperty("layout").ValueKind);

        Assert.Equal(string.Empty, ValidateWithNbformat(path));
    }

    /// <summary>Jupyter's own validator (python3-nbformat, which comes with python3-nbclient); returns its complaint, or empty.</summary>
    private static string ValidateWithNbformat(string path)
    {
        Assert.True(File.Exists(JupyterClient.Python), $"{JupyterClient.Python} is missing: install python3-nbclient (.ci/run does).");
        var start = new ProcessStartInfo(JupyterClient.Python) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import sys, nbformat\nnb = nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT)\nassert (nb.nbformat, nb.nbformat_minor) == (4, 5), (nb.nbformat, nb.nbformat_minor)\nnbformat.validate(nb)");
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "nbformat did not finish within a minute");
        process.WaitForExit();
        return process.ExitCode == 0 ? string.Empty : $"exit {process.ExitCode}: {stdout.Result}{stderr.Result}";
    }
}
