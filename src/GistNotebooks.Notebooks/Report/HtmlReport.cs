using System.Globalization;
using System.Net;
using System.Text;
using GistNotebooks.Notebooks.Documents;
using GistNotebooks.Notebooks.Execution;
using GistNotebooks.Notebooks.Reproduction;
using GistNotebooks.Reporting;
using GistNotebooks.Reporting.Formatting;
using GistNotebooks.Survival.Reconstruction;
using Markdig;

namespace GistNotebooks.Notebooks.Report;

/// <summary>A notebook as the report shows it.</summary>
/// <param name="Run">The executed notebook.</param>
/// <param name="Title">The heading to show; the notebook's file name when empty.</param>
/// <param name="Version">The notebook's version, or empty.</param>
public sealed record ReportNotebook(NotebookRun Run, string Title, string Version);

/// <summary>
/// Renders a run as one self-contained HTML file that opens offline: provenance and the claims table first (each
/// row linking to the cell that reproduces it), then every executed notebook with Markdown rendered, code, outputs
/// and charts. plotly.js is included once, from the copy inside Plotly.NET, never loaded from the web. Nothing a
/// notebook holds runs in the report: Markdown is rendered with raw HTML escaped, HTML a cell displayed is sanitised,
/// a chart is redrawn from its JSON by a script the report writes, and a content security policy lets only the
/// report's own scripts run and loads nothing from the network (<see cref="SafeHtml"/>).
/// </summary>
public static class HtmlReport
{
    /// <summary>The report's HTML.</summary>
    /// <param name="title">The report's title.</param>
    /// <param name="provenance">When, where and with what the run happened.</param>
    /// <param name="claims">The claims table, in the claims file's order.</param>
    /// <param name="notebooks">The notebooks in the order they ran.</param>
    /// <param name="findings">What the claims fix and what the reconstruction chose, for the sections "What the abstract fixes" and "What the reconstruction chose"; none when null.</param>
    /// <param name="articles">
    /// The notebooks' sections as <see cref="RenderArticle"/> wrote them, in the same order, when they were rendered
    /// ahead (while later notebooks ran); null renders them here.
    /// </param>
    public static string Render(string title, Provenance provenance, IReadOnlyList<ClaimRecord> claims, IReadOnlyList<ReportNotebook> notebooks, AbstractFindings? findings = null, IReadOnlyList<string>? articles = null)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(notebooks);
        if (articles is not null && articles.Count != notebooks.Count)
        {
            throw new ArgumentException($"{articles.Count} rendered sections for {notebooks.Count} notebooks.", nameof(articles));
        }

        var html = new StringBuilder(1 << 20);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(SafeHtml.ContentSecurityPolicy)
            .Append("\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<title>").Append(Encode(title)).Append("</title>\n<style>").Append(Style).Append("</style>\n");
        if (notebooks.Any(n => n.Run.Cells.Any(c => c.Outputs.Any(IsPlotlyChart))))
        {
            html.Append("<script nonce=\"").Append(SafeHtml.Nonce).Append("\">").Append(PlotlyScript.Inline.Value).Append("</script>\n");
            html.Append("<script nonce=\"").Append(SafeHtml.Nonce).Append("\">").Append(PlotlyScript.RequireShim).Append("</script>\n");
        }

        html.Append("</head>\n<body>\n<header>\n<h1>").Append(Encode(title)).Append("</h1>\n");
        AppendSummary(html, claims);
        html.Append("</header>\n<main>\n");
        if (claims.Count > 0)
        {
            AppendClaims(html, claims);
        }

        if (findings is not null)
        {
            AppendFindings(html, findings);
        }

        AppendContents(html, notebooks);
        for (var i = 0; i < notebooks.Count; i++)
        {
            if (articles is null)
            {
                AppendNotebook(html, notebooks[i]);
            }
            else
            {
                html.Append(articles[i]);
            }
        }

        AppendProvenance(html, provenance);
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>
    /// Compiles the renderer's code paths and loads plotly.js ahead of the first report, so that a run can do it on
    /// another core while its notebooks execute (see <see cref="Execution.RunnerWarmUp"/>). Renders nothing that is kept.
    /// </summary>
    internal static void WarmUp()
    {
        _ = SafeMarkdown.ToHtml("# Title\n\nProse with *emphasis*, `code`, a [link](#x) and a list:\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        _ = Encode("<warm & up>");
        _ = PlotlyScript.Inline.Value;
    }

    /// <summary>One notebook's section of the report (its cells, outputs and charts), for <see cref="Render"/>.</summary>
    /// <param name="notebook">The notebook as run.</param>
    public static string RenderArticle(ReportNotebook notebook)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        var html = new StringBuilder(1 << 16);
        AppendNotebook(html, notebook);
        return html.ToString();
    }

    /// <summary>The anchor of a notebook's cell in the report.</summary>
    public static string Anchor(string notebook, string cellId) => Slug(Path.GetFileNameWithoutExtension(notebook)) + "--" + Slug(cellId);

    private static void AppendSummary(StringBuilder html, IReadOnlyList<ClaimRecord> claims)
    {
        if (claims.Count == 0)
        {
            html.Append("<p class=\"summary\">No claims are checked in this run. Provenance (versions, hashes, run times) is at the <a href=\"#provenance\">end of this report</a>.</p>\n");
            return;
        }

        var passed = claims.Count(c => c.Passed);
        var notCheckable = claims.Count(c => c.IsNotCheckable);
        var checkable = claims.Count - notCheckable;
        var verdict = claims.Any(c => c.Basis is not null)
            ? ClaimRecord.Verdict([.. claims])
            : Invariant($"{passed} of {checkable} {(notCheckable == 0 ? "claims" : "checkable claims")} pass: ")
                + (passed == checkable ? "every claim agrees with the paper" : Invariant($"{checkable - passed} of {checkable} do not"))
                + (notCheckable > 0 ? Invariant($"; {notCheckable} not checkable, each with its reason") : string.Empty);
        html.Append("<p class=\"summary\">").Append(Encode(verdict))
            .Append(". A claim the cohort was built to meet (assigned, searched or redrawn) is consistent, not reproduced; only a figure computed from data not built to match it is reproduced. Provenance (versions, hashes, run times) is at the <a href=\"#provenance\">end of this report</a>.</p>\n");
    }

    private static void AppendClaims(StringBuilder html, IReadOnlyList<ClaimRecord> claims)
    {
        html.Append("<section id=\"claims\">\n<h2>Claims</h2>\n<table class=\"claims\">\n<caption>Each figure of the abstract: as reported, as computed from the cohort, whether they agree at the reported precision, and how the cohort came to meet it.</caption>\n");
        html.Append("<thead><tr><th scope=\"col\">Claim</th><th scope=\"col\">Statement</th><th scope=\"col\">Reported</th><th scope=\"col\">Reproduced</th><th scope=\"col\">Status</th><th scope=\"col\">Basis</th><th scope=\"col\">Where</th></tr></thead>\n<tbody>\n");
        foreach (var claim in claims)
        {
            var mark = claim.StatusText();
            var css = claim.Passed ? "pass" : claim.IsNotCheckable ? "not-checkable" : "fail";
            html.Append("<tr><th scope=\"row\">").Append(Encode(claim.Id)).Append("</th><td>").Append(Encode(claim.Description))
                .Append("</td><td>").Append(Encode(claim.Reported)).Append("</td><td>").Append(Encode(claim.Reproduced))
                .Append("</td><td class=\"").Append(css).Append("\">").Append(Encode(mark)).Append("</td><td>").Append(Encode(claim.Basis ?? string.Empty)).Append("</td><td class=\"where\">");
            if (claim is { Notebook: { Length: > 0 } notebook, CellId: { } cellId })
            {
                html.Append("<a href=\"#").Append(Anchor(notebook, cellId)).Append("\">").Append(Encode(notebook)).Append("</a>");
            }

            html.Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void AppendFindings(StringBuilder html, AbstractFindings findings)
    {
        var reading = findings.Reading is null ? string.Empty : " under the reading " + findings.Reading;
        html.Append("<section id=\"fixed\">\n<h2>What the abstract fixes</h2>\n<p>")
            .Append(Encode(Invariant($"These quantities are the same in every cohort consistent with the claims{reading}: they were found over the {findings.SequencesExamined} consistent death/censoring sequences ({findings.Sequences.Count:G6} in all{(findings.Sequences.IsExact ? ", counted exactly" : ", estimated")}), not read from one cohort. They are what the reproduction can show.")))
            .Append("</p>\n<table class=\"findings\">\n<thead><tr><th scope=\"col\">Quantity</th><th scope=\"col\">Value</th></tr></thead>\n<tbody>\n");
        foreach (var figure in findings.Fixed)
        {
            html.Append("<tr><td>").Append(Encode(figure.Figure)).Append("</td><td>").Append(Encode(figure.Value)).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n</section>\n<section id=\"chosen\">\n<h2>What the reconstruction chose</h2>\n<p>")
            .Append(Encode(Invariant($"Every other figure depends on choices the abstract does not constrain (which sequence, the exact times, which patient has which characteristic). Each is given with its range over {findings.Cohorts} consistent cohorts drawn under the readings ")
                + string.Join(", ", findings.Readings.Select(r => Invariant($"{r.Key} ({r.Value.Count:G6} sequences)"))) + "; the notebooks show the shipped cohort's value beside the same range. None of these is a finding about the patients."))
            .Append("</p>\n<table class=\"findings\">\n<thead><tr><th scope=\"col\">Figure</th><th scope=\"col\">Over all readings</th><th scope=\"col\">Under each reading</th></tr></thead>\n<tbody>\n");
        foreach (var figure in findings.Chosen)
        {
            var format = figure.Figure.StartsWith("log-rank p", StringComparison.Ordinal) ? "0.000" : figure.Figure.StartsWith("survival at", StringComparison.Ordinal) ? "0.00" : "0.0";
            html.Append("<tr><td>").Append(Encode(figure.Figure)).Append("</td><td>").Append(Encode(figure.Text(format)))
                .Append("</td><td>").Append(Encode(figure.TextByReading(format))).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void AppendContents(StringBuilder html, IReadOnlyList<ReportNotebook> notebooks)
    {
        html.Append("<nav aria-label=\"Notebooks\">\n<h2>Notebooks</h2>\n<ol>\n");
        foreach (var notebook in notebooks)
        {
            var name = notebook.Run.Document.FileName;
            html.Append("<li><a href=\"#").Append(Slug(Path.GetFileNameWithoutExtension(name))).Append("\">").Append(Encode(TitleOf(notebook))).Append("</a> <span class=\"meta\">")
                .Append(Encode(name)).Append(notebook.Version.Length > 0 ? ", version " + Encode(notebook.Version) : string.Empty)
                .Append(notebook.Run.Failure is null ? string.Empty : " — stopped at cell " + notebook.Run.Failure.CellNumber.ToString(CultureInfo.InvariantCulture))
                .Append("</span></li>\n");
        }

        html.Append("</ol>\n</nav>\n");
    }

    private static void AppendNotebook(StringBuilder html, ReportNotebook notebook)
    {
        var run = notebook.Run;
        var name = run.Document.FileName;
        html.Append("<article class=\"notebook\" id=\"").Append(Slug(Path.GetFileNameWithoutExtension(name))).Append("\">\n");
        if (!StartsWithHeading(run))
        {
            // A notebook's first cell is usually its own title; only a notebook without one gets a heading here.
            html.Append("<h2 class=\"notebook-title\">").Append(Encode(TitleOf(notebook))).Append("</h2>\n");
        }

        html.Append("<p class=\"meta\">").Append(Encode(name))
            .Append(notebook.Version.Length > 0 ? ", version " + Encode(notebook.Version) : string.Empty)
            .Append(Invariant($", ran in {run.Duration.TotalSeconds:0.0} s")).Append("</p>\n");
        if (run.Failure is { } failure)
        {
            html.Append("<p class=\"failure\" role=\"alert\">Stopped at cell ").Append(failure.CellNumber.ToString(CultureInfo.InvariantCulture))
                .Append(" (<code>").Append(Encode(failure.FirstLine)).Append("</code>): ").Append(Encode(failure.Message)).Append("</p>\n");
        }

        foreach (var cell in run.Cells)
        {
            AppendCell(html, name, cell);
        }

        html.Append("</article>\n");
    }

    private static void AppendCell(StringBuilder html, string notebook, ExecutedCell executed)
    {
        var cell = executed.Cell;
        html.Append("<section class=\"cell ").Append(cell.Kind == CellKind.Code ? "code" : "prose").Append("\" id=\"").Append(Anchor(notebook, cell.Id)).Append("\">\n");
        if (cell.Kind == CellKind.Markdown)
        {
            html.Append(SafeMarkdown.ToHtml(cell.Source));
        }
        else if (cell.Kind == CellKind.Raw)
        {
            html.Append("<pre>").Append(Encode(cell.Source)).Append("</pre>\n");
        }
        else
        {
            html.Append("<div class=\"input\"><span class=\"prompt\">[").Append(executed.ExecutionCount?.ToString(CultureInfo.InvariantCulture) ?? " ")
                .Append("]</span><pre><code class=\"language-").Append(Encode(cell.KernelName)).Append("\">").Append(Encode(cell.Source)).Append("</code></pre></div>\n");
            for (var index = 0; index < executed.Outputs.Length; index++)
            {
                AppendOutput(html, executed.Outputs[index], Anchor(notebook, cell.Id) + "-output-" + index.ToString(CultureInfo.InvariantCulture));
            }
        }

        html.Append("</section>\n");
    }

    /// <summary>One output of a code cell; HTML from the cell is never copied as it is (<see cref="SafeHtml"/>).</summary>
    private static void AppendOutput(StringBuilder html, CellOutput output, string chartId)
    {
        switch (output.Kind)
        {
            case OutputKind.Stream:
                html.Append("<pre class=\"output ").Append(output.Name == "stderr" ? "stderr" : "stdout").Append("\">").Append(Encode(output.Text)).Append("</pre>\n");
                break;
            case OutputKind.Error:
                html.Append("<pre class=\"output error\" role=\"alert\">").Append(Encode(output.Name)).Append(": ").Append(Encode(output.Text)).Append("</pre>\n");
                break;
            default:
                if (output.Data.TryGetValue("text/html", out var markup))
                {
                    html.Append("<div class=\"output html\">").Append(SafeHtml.ToReportHtml(markup, chartId)).Append("</div>\n");
                }
                else if (output.Data.TryGetValue("text/markdown", out var markdown))
                {
                    html.Append("<div class=\"output html\">").Append(SafeMarkdown.ToHtml(markdown)).Append("</div>\n");
                }
                else if (output.Data.TryGetValue("text/plain", out var text))
                {
                    html.Append("<pre class=\"output\">").Append(Encode(text)).Append("</pre>\n");
                }

                break;
        }
    }

    private static void AppendProvenance(StringBuilder html, Provenance provenance)
    {
        html.Append("<section id=\"provenance\">\n<h2>Provenance</h2>\n<table class=\"provenance\">\n<caption>When, where and with what this report was made.</caption>\n<tbody>\n");
        void Row(string name, string value) => html.Append("<tr><th scope=\"row\">").Append(Encode(name)).Append("</th><td>").Append(Encode(value)).Append("</td></tr>\n");
        Row("Run started (UTC)", provenance.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        Row("Host", provenance.Host);
        Row("Kit version", provenance.KitVersion);
        Row("Git commit", provenance.GitCommit);
        Row(".NET SDK", provenance.DotnetSdk);
        Row(".NET runtime", provenance.Runtime);
        Row("Operating system", provenance.OperatingSystem);
        html.Append("</tbody>\n</table>\n");
        html.Append("<table class=\"provenance\">\n<caption>Notebooks</caption>\n<thead><tr><th scope=\"col\">Notebook</th><th scope=\"col\">Version</th><th scope=\"col\">SHA-256</th><th scope=\"col\">Run time</th><th scope=\"col\">Status</th></tr></thead>\n<tbody>\n");
        foreach (var notebook in provenance.Notebooks)
        {
            html.Append("<tr><td>").Append(Encode(notebook.File)).Append("</td><td>").Append(Encode(notebook.Version)).Append("</td><td><code>").Append(notebook.Sha256)
                .Append("</code></td><td>").Append(Invariant($"{notebook.Seconds:0.0} s")).Append("</td><td>").Append(Encode(notebook.Status)).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n<table class=\"provenance\">\n<caption>Data files</caption>\n<thead><tr><th scope=\"col\">File</th><th scope=\"col\">SHA-256</th></tr></thead>\n<tbody>\n");
        foreach (var file in provenance.DataFiles)
        {
            html.Append("<tr><td>").Append(Encode(file.Path)).Append("</td><td>")
                .Append(file.Problem is null ? "<code>" + file.Sha256 + "</code>" : "<strong>" + Encode(file.Problem) + "</strong>").Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n<table class=\"provenance\">\n<caption>Packages loaded</caption>\n<thead><tr><th scope=\"col\">Package</th><th scope=\"col\">Version</th></tr></thead>\n<tbody>\n");
        foreach (var package in provenance.Packages)
        {
            html.Append("<tr><td>").Append(Encode(package.Name)).Append("</td><td>").Append(Encode(package.Version)).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static string TitleOf(ReportNotebook notebook)
    {
        if (notebook.Title.Length > 0)
        {
            return notebook.Title;
        }

        var heading = notebook.Run.Document.Cells.FirstOrDefault(c => c.Kind == CellKind.Markdown)?.Source.Split('\n').FirstOrDefault(l => l.StartsWith('#'));
        return heading?.TrimStart('#').Trim() ?? notebook.Run.Document.FileName;
    }

    private static bool StartsWithHeading(NotebookRun run) =>
        run.Document.Cells.FirstOrDefault() is { Kind: CellKind.Markdown } first && first.Source.TrimStart().StartsWith('#');

    private static bool IsPlotlyChart(CellOutput output) =>
        output.Data.TryGetValue("text/html", out var html) && SafeHtml.IsPlotlyChart(html);

    private static string Slug(string text)
    {
        var slug = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            slug.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }

        return slug.ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private const string Style = """
        :root { --ink: #1b1b1b; --muted: #5a5a5a; --rule: #d0d0d0; --pass: #1a7f37; --fail: #b42318; --code: #f6f8fa; }
        body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); max-width: 1100px; margin: 0 auto; padding: 1.5rem; }
        h1 { font-size: 1.8rem; margin-bottom: .25rem; } h2 { border-bottom: 1px solid var(--rule); padding-bottom: .2rem; margin-top: 2.5rem; }
        table { border-collapse: collapse; margin: 1rem 0; font-variant-numeric: tabular-nums; }
        caption { text-align: left; color: var(--muted); padding-bottom: .3rem; }
        th, td { border-bottom: 1px solid var(--rule); padding: .3rem .6rem; text-align: left; vertical-align: top; }
        td.pass { color: var(--pass); font-weight: 600; white-space: nowrap; } td.fail { color: var(--fail); font-weight: 600; white-space: nowrap; } td.not-checkable { white-space: nowrap; }
        td.where { white-space: nowrap; }
        .summary { font-size: 1.1rem; } .meta { color: var(--muted); font-size: .9rem; }
        .failure, pre.error { color: var(--fail); }
        .cell { margin: .8rem 0; } .input { display: flex; gap: .5rem; }
        .prompt { color: var(--muted); font-family: ui-monospace, monospace; min-width: 2.5rem; text-align: right; padding-top: .5rem; }
        pre { background: var(--code); padding: .5rem .75rem; overflow-x: auto; margin: .3rem 0; flex: 1; white-space: pre-wrap; overflow-wrap: anywhere; }
        pre.output { background: none; border-left: 3px solid var(--rule); margin-left: 3rem; }
        div.output { margin-left: 3rem; overflow-x: auto; }
        code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9em; }
        article.notebook { margin-top: 3rem; border-top: 3px solid var(--rule); padding-top: .5rem; }
        article.notebook h1 { font-size: 1.5rem; }
        """;
}
