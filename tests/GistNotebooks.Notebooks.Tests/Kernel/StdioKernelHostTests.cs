using System.Diagnostics;
using System.Text.Json;
using GistNotebooks.Notebooks.Documents;
using GistNotebooks.Notebooks.Execution;
using GistNotebooks.Notebooks.Reproduction;
using GistNotebooks.Reporting;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Connection;
using Microsoft.DotNet.Interactive.Events;

namespace GistNotebooks.Notebooks.Tests.Kernel;

/// <summary>The published host, driven through the package's own client as VS Code drives it.</summary>
public sealed class StdioKernelHostTests(PublishedHost published) : IClassFixture<PublishedHost>
{
    private StdIoKernelConnector Connect(string workingDirectory) =>
        new(["dotnet", published.Dll, "kernel", "vscode", "stdio", "--working-dir", workingDirectory], "gistnb", KernelHost.CreateHostUri("gistnb-tests"), new DirectoryInfo(workingDirectory));

    /// <summary>A hung protocol exchange fails the test instead of stalling the suite.</summary>
    private static readonly TimeSpan CellLimit = TimeSpan.FromMinutes(3);

    private static async Task<KernelCommandResult> Submit(Microsoft.DotNet.Interactive.Kernel proxy, string code) =>
        await proxy.SendAsync(new SubmitCode(code)).WaitAsync(CellLimit);

    [Fact]
    public void Install_publishes_the_host_and_points_the_workspace_setting_at_its_dll_keeping_other_settings()
    {
        Assert.True(published.ExitCode == 0, published.InstallOutput);
        Assert.True(File.Exists(published.Dll));
        var settings = JsonDocument.Parse(File.ReadAllText(published.SettingsPath)).RootElement;
        Assert.Equal(13, settings.GetProperty("editor.fontSize").GetInt32());
        Assert.Equal(["{dotnet_path}", published.Dll, "kernel", "vscode", "stdio", "--working-dir", "{working_dir}"], settings.GetProperty("dotnet-interactive.kernelTransportArgs").EnumerateArray().Select(a => a.GetString()));
        Assert.Contains("To undo", published.InstallOutput, StringComparison.Ordinal);
        Assert.Contains("the user's own setting, which install must keep", File.ReadAllText(published.SettingsPath + ".bak"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_submission_returns_its_value_through_the_protocol()
    {
        using var connector = Connect(Path.GetTempPath());
        using var proxy = await connector.CreateProxyKernelAsync("csharp", "csharp-proxy");

        var result = await Submit(proxy, "1+1");

        var value = Assert.Single(result.Events.OfType<ReturnValueProduced>());
        Assert.Contains(value.FormattedValues, v => v.MimeType == "text/plain" && v.Value == "2" || v.Value.Contains(">2<", StringComparison.Ordinal));
        Assert.Single(result.Events.OfType<CommandSucceeded>());
    }

    [Fact]
    public async Task A_plotly_chart_comes_back_as_html_with_the_plot()
    {
        using var connector = Connect(Path.GetTempPath());
        using var proxy = await connector.CreateProxyKernelAsync("csharp", "csharp-proxy");

        var restore = await Submit(proxy, "#r \"nuget: Plotly.NET.Interactive, 6.0.0\"\n#r \"nuget: Plotly.NET.CSharp, 0.14.0\"");
        var chart = await Submit(proxy, "Plotly.NET.CSharp.Chart.Line<int, int, string>(x: new[] { 0, 12, 24 }, y: new[] { 100, 64, 34 })");

        Assert.DoesNotContain(restore.Events, e => e is CommandFailed);
        var html = chart.Events.OfType<DisplayEvent>().SelectMany(e => e.FormattedValues).Single(v => v.MimeType == "text/html").Value;
        Assert.Contains("Plotly.newPlot", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_notebook_whose_kit_is_not_built_gets_the_hosts_own_libraries_and_their_formatters()
    {
        var folder = TestNotebooks.NewFolder();
        using var connector = Connect(folder);
        using var proxy = await connector.CreateProxyKernelAsync("csharp", "csharp-proxy");

        var references = await Submit(proxy, "#r \"../not-built/GistNotebooks.Survival.dll\"\n#r \"../not-built/GistNotebooks.Reporting.dll\"\n#r \"../not-built/GistNotebooks.Interactive.dll\"");
        var curve = await Submit(proxy, "GistNotebooks.Survival.Estimation.KaplanMeier.Estimate(GistNotebooks.Survival.Data.SurvivalData.Create([1.0, 2, 3, 4], [1, 1, 0, 1]))");

        Assert.DoesNotContain(references.Events, e => e is CommandFailed);
        Assert.Single(references.Events.OfType<CommandSucceeded>());
        var html = Assert.Single(curve.Events.OfType<ReturnValueProduced>()).FormattedValues.Single(v => v.MimeType == "text/html").Value;
        Assert.StartsWith("<div class=\"gistnotebooks-result\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cell_that_throws_yields_CommandFailed()
    {
        using var connector = Connect(Path.GetTempPath());
        using var proxy = await connector.CreateProxyKernelAsync("csharp", "csharp-proxy");

        var result = await Submit(proxy, "throw new InvalidOperationException(\"no cohort\");");

        var failed = Assert.Single(result.Events.OfType<CommandFailed>());
        Assert.Contains("no cohort", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_process_ends_after_Quit()
    {
        using var connector = Connect(Path.GetTempPath());
        using var proxy = await connector.CreateProxyKernelAsync("csharp", "csharp-proxy");
        var process = Process.GetProcessById(connector.ProcessId!.Value);

        _ = proxy.SendAsync(new Quit());

        Assert.True(await Exits(process, TimeSpan.FromSeconds(10)), "the host was still running 10 s after Quit");
    }

    [Fact]
    public async Task The_process_ends_when_standard_input_closes()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { published.Dll, "kernel", "stdio" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var firstLine = await process.StandardOutput.ReadLineAsync();
        Assert.Contains("\"eventType\":\"KernelReady\"", firstLine, StringComparison.Ordinal);

        process.StandardInput.Close();

        Assert.True(await Exits(process, TimeSpan.FromSeconds(10)), "the host was still running 10 s after its input closed");
    }

    [Fact]
    public async Task Every_kit_notebook_reproduces_the_same_claims_through_the_host_as_through_the_runner()
    {
        var folder = Path.Combine(TestNotebooks.RepositoryRoot, "notebooks");
        foreach (var entry in NotebookManifest.Load(folder).Notebooks)
        {
            var document = NotebookDocument.Load(Path.Combine(folder, entry.File));
            var headless = ClaimCollector.FromRun(await NotebookRunner.RunAsync(document)).Select(c => (c.Id, c.Status)).ToList();

            using var connector = Connect(folder);
            using var proxy = await connector.CreateProxyKernelAsync("csharp", "csharp-proxy");
            var hosted = new List<(string, string)>();
            foreach (var cell in document.Cells.Where(c => c.Kind == CellKind.Code))
            {
                var result = await proxy.SendAsync(new SubmitCode(cell.Source)).WaitAsync(CellLimit);
                Assert.False(result.Events.OfType<CommandFailed>().Any(), $"{entry.File}, cell {cell.Number}: {result.Events.OfType<CommandFailed>().FirstOrDefault()?.Message}");
                foreach (var value in result.Events.OfType<DisplayEvent>().SelectMany(e => e.FormattedValues))
                {
                    // A single check under the record's type, a CheckAll() report as a list of records.
                    var parsed = value.MimeType == ClaimRecord.MimeType ? [ClaimRecord.Parse(value.Value)]
                        : value.MimeType == ClaimRecord.ListMimeType ? ClaimRecord.ParseArray(value.Value)
                        : [];
                    hosted.AddRange(parsed.Select(r => (r.Id, r.Status)));
                }
            }

            Assert.Equal(headless, hosted);
        }
    }

    private static async Task<bool> Exits(Process process, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return false;
        }
    }
}
