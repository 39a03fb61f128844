using System.Diagnostics;
using System.Text.Json.Nodes;
using static GistNotebooks.Cli.Tests.Gistnb;

namespace GistNotebooks.Cli.Tests.Faults;

/// <summary>
/// A report built from hostile notebooks is opened in headless Chromium, and nothing in the notebooks' Markdown runs:
/// raw HTML is shown as text and <c>javascript:</c> addresses are removed. A page with a real script, opened the same
/// way, shows that the check would see a script that ran. CI installs Chromium (.ci/run).
/// </summary>
public sealed class ReportScriptTests
{
    private const string Hostile = """
        # Hostile prose

        <script>document.documentElement.setAttribute('data-ran', 'script')</script>

        <img src="missing.png" onerror="document.documentElement.setAttribute('data-ran', 'img')">

        <svg onload="document.documentElement.setAttribute('data-ran', 'svg')"></svg>

        <a href="javascript:document.documentElement.setAttribute('data-ran', 'raw-link')" id="raw">raw link</a>

        [a link](javascript:document.documentElement.setAttribute('data-ran','link')) and [another](JaVa&#x09;ScRiPt:alert(1))
        and ![an image](javascript:alert(2)) and [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
        and <javascript:alert(3)> and [a fine link](https://example.org/) and [an anchor](#claims).
        """;

    private static string Chromium()
    {
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome" })
        {
            foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
            {
                var path = Path.Combine(folder, name);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        throw new InvalidOperationException("Chromium is needed for this test: install it (apt-get install -y chromium); .ci/run does.");
    }

    /// <summary>The document as Chromium has it after loading the page and running its scripts.</summary>
    private static string DumpDom(string page)
    {
        var start = new ProcessStartInfo(Chromium()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--virtual-time-budget=2000", "--user-data-dir=" + Path.Combine(Path.GetTempPath(), "gistnb-chromium-" + Guid.NewGuid().ToString("N")), "--dump-dom", new Uri(page).AbsoluteUri })
        {
            start.ArgumentList.Add(argument);
        }

        using var chromium = Process.Start(start)!;
        var error = chromium.StandardError.ReadToEndAsync();
        var dom = chromium.StandardOutput.ReadToEnd();
        Assert.True(chromium.WaitForExit(120_000), "Chromium did not finish");
        Assert.True(dom.Contains("</html>", StringComparison.Ordinal), "Chromium gave no document: " + error.Result);
        return dom;
    }

    [Fact]
    public void The_check_sees_a_script_that_runs()
    {
        var folder = FaultNotebooks.NewFolder();
        var page = Path.Combine(folder, "control.html");
        File.WriteAllText(page, "<!DOCTYPE html><html><body><script>document.documentElement.setAttribute('data-ran', 'control')</script></body></html>");

        Assert.Contains("data-ran=\"control\"", DumpDom(page), StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_in_a_hostile_notebooks_markdown_runs_when_its_report_is_opened()
    {
        var folder = FaultNotebooks.NewFolder();
        var path = FaultNotebooks.Write(folder, "hostile", [FaultNotebooks.Cell("markdown", Hostile), FaultNotebooks.Cell("code", "1")], new JsonObject());
        var outFolder = Path.Combine(folder, "out");

        var (exit, _, error) = Run("run", path, "--out", outFolder);

        Assert.True(exit == 0, error);
        var report = Path.Combine(outFolder, "hostile.html");
        var html = File.ReadAllText(report);
        Assert.DoesNotContain("<script>document", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("(?i)href=\"\\s*(javascript|data|vbscript):", html);
        Assert.DoesNotMatch("(?i)src=\"\\s*javascript:", html);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.org/\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"#claims\"", html, StringComparison.Ordinal);

        var dom = DumpDom(report);
        Assert.DoesNotContain("data-ran=\"", dom, StringComparison.Ordinal);
        Assert.DoesNotMatch("(?i)<(a|img|iframe|svg)\\b[^>]*(href|src)=\"\\s*(javascript|data|vbscript):", dom);
        Assert.DoesNotMatch("(?i)<(img|svg)\\b[^>]*\\bon[a-z]+=", dom);
    }
}
