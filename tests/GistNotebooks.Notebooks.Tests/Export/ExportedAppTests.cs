using System.Diagnostics;
using System.Text;
using GistNotebooks.Notebooks.Documents;
using GistNotebooks.Notebooks.Execution;
using GistNotebooks.Notebooks.Export;
using GistNotebooks.Notebooks.Reproduction;
using GistNotebooks.Reporting;
using GistNotebooks.Reporting.Formatting;
using Xunit.Abstractions;

namespace GistNotebooks.Notebooks.Tests.Export;

/// <summary>
/// Every notebook of the kit exported as a file-based app and run with <c>dotnet run NAME.cs</c> from the output
/// folder, its printed claim checks compared with the records the runner gathers from the same notebook. Slow: each app
/// is built once (about 20–50 s on a busy 2-core machine), at most two at a time.
/// </summary>
public sealed class ExportedAppTests(ITestOutputHelper output)
{
    private static readonly TimeSpan AppTimeLimit = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Every_kit_notebook_run_as_an_exported_app_prints_the_claim_figures_the_runner_records()
    {
        // Inside the repository's artifacts/, as the default --out is, so the apps also meet its central package versions.
        var root = Path.Combine(TestNotebooks.RepositoryRoot, "artifacts", "test-export", Guid.NewGuid().ToString("N"));
        var apps = new List<ExportedApp>();
        foreach (var (folder, name) in new[] { ("notebooks", "nunobe2005"), (Path.Combine("notebooks", "gomez2007"), "gomez2007") })
        {
            apps.AddRange(FileAppExport.Export(FileAppExport.NotebooksOf(Path.Combine(TestNotebooks.RepositoryRoot, folder)), Path.Combine(root, name)));
        }

        var expected = new Dictionary<string, IReadOnlyList<ClaimRecord>>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        foreach (var app in apps)
        {
            var run = await NotebookRunner.RunAsync(NotebookDocument.Load(app.Notebook));
            Assert.True(run.Succeeded, run.Failure?.ToString());
            expected[app.Notebook] = ClaimCollector.FromRun(run);
        }

        output.WriteLine($"runner: {apps.Count} notebooks in {clock.Elapsed.TotalSeconds:0} s");
        clock.Restart();

        // The first app builds the kit's projects; the others find them built and run two at a time.
        var printed = new Dictionary<string, AppRun> { [apps[0].App] = await RunAppAsync(apps[0].App) };
        using var lanes = new SemaphoreSlim(2);
        var rest = await Task.WhenAll(apps.Skip(1).Select(async app =>
        {
            await lanes.WaitAsync();
            try
            {
                return (app.App, Run: await RunAppAsync(app.App));
            }
            finally
            {
                lanes.Release();
            }
        }));
        foreach (var (app, run) in rest)
        {
            printed[app] = run;
        }

        output.WriteLine($"apps: {apps.Count} built and run in {clock.Elapsed.TotalSeconds:0} s");
        foreach (var app in apps)
        {
            var run = printed[app.App];
            output.WriteLine($"{Path.GetFileName(app.App)}: {run.Seconds:0} s");
            Assert.True(run.ExitCode == 0, $"{Path.GetFileName(app.App)} exited with {run.ExitCode}:\n{run.Output}");
            var lines = run.Output.Split('\n');
            foreach (var claim in expected[app.Notebook])
            {
                Assert.True(
                    lines.Any(l => l.StartsWith(claim.Id + " ", StringComparison.Ordinal) && l.Contains(claim.Reproduced, StringComparison.Ordinal) && l.Contains(claim.StatusText(), StringComparison.Ordinal)),
                    $"{Path.GetFileName(app.App)} does not print {claim.Id} as the runner records it ({claim.Reproduced}, {claim.StatusText()}):\n{run.Output}");
            }

            foreach (var chart in lines.Where(l => l.StartsWith("chart: ", StringComparison.Ordinal)).Select(l => l["chart: ".Length..].Trim()))
            {
                var html = File.ReadAllText(Path.Combine(Path.GetDirectoryName(app.App)!, chart));
                // Drawn offline: plotly.js is written into the page (about 3.6 MB) and no script is loaded from elsewhere.
                Assert.Contains("Plotly.newPlot", html, StringComparison.Ordinal);
                Assert.DoesNotMatch("<script[^>]*\\ssrc=", html);
                Assert.True(html.Length > 1_000_000, $"{chart} does not carry plotly.js");
            }
        }

        Assert.Contains(printed.Values, r => r.Output.Contains("chart: 02-overall-survival.chart-1.html", StringComparison.Ordinal));
        Directory.Delete(root, recursive: true);
    }

    private sealed record AppRun(int ExitCode, string Output, double Seconds);

    private static async Task<AppRun> RunAppAsync(string app)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(app)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("run");
        start.ArgumentList.Add(Path.GetFileName(app));
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(AppTimeLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{app} ran longer than {AppTimeLimit}");
        }

        return new AppRun(process.ExitCode, (await text).Replace("\r\n", "\n", StringComparison.Ordinal) + await errors, clock.Elapsed.TotalSeconds);
    }
}
