using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GistNotebooks.Notebooks.Kernel;
using GistNotebooks.Notebooks.Kernel.Jupyter;
using GistNotebooks.Survival.Claims;

namespace GistNotebooks.Notebooks.Scaffolding;

/// <summary>One file of a scaffolded study: its path relative to the study's root folder, and its text.</summary>
/// <param name="Path">The path, with forward slashes (e.g. <c>notebooks/gomez2007/manifest.json</c>).</param>
/// <param name="Contents">The file's text.</param>
public sealed record ScaffoldFile(string Path, string Contents);

/// <summary>What a study is scaffolded from.</summary>
/// <param name="Study">The study's folder name (e.g. gomez2007): <c>data/STUDY</c> and <c>notebooks/STUDY</c>.</param>
/// <param name="Claims">The claims, under the reading the notebooks use.</param>
/// <param name="ClaimsText">The claims file's text, copied as it is.</param>
/// <param name="DataFiles">Other files of the data folder (the reconstructed cohort and its provenance), by name.</param>
/// <param name="KitFolder">The folder of the kit's libraries as the notebooks' <c>#r</c> lines name it, relative to the notebook folder or absolute.</param>
public sealed record ScaffoldRequest(string Study, ClaimSet Claims, string ClaimsText, ImmutableArray<ScaffoldFile> DataFiles, string KitFolder)
{
    /// <summary>The date written into the notebooks' first cells (UTC today when null).</summary>
    public DateOnly? Date { get; init; }
}

/// <summary>
/// Scaffolds a study from a claims file: a data folder (the claims, and the cohort given), and a notebook folder with a
/// manifest, a changelog and one notebook per group of claims — the cohort, the main endpoint, each other endpoint,
/// the comparisons, the recorded sentences — each checking its claims against the cohort, after an overview that audits
/// the abstract and checks every claim at once. Column names come from the claims file. Returns the files; writing
/// them is the caller's.
/// </summary>
public static class StudyScaffold
{
    /// <summary>The prose between a notebook's first code cell (<see cref="KitCheck"/>) and its <c>#r</c> lines.</summary>
    public const string ReferencesProse = "The kit's libraries and the packages the notebook uses, each pinned to the version in `Directory.Packages.props`.";

    /// <summary>
    /// The first code cell of every kit notebook: it loads nothing and passes on the kit's kernel (which serves the
    /// kit's libraries itself, built or not) or when the libraries are built; on any other kernel, with the libraries
    /// not built, it stops with one message that names the fix, where the <c>#r</c> lines would fail with CS0006.
    /// </summary>
    /// <param name="kitFolder">The folder of the kit's libraries as the notebook's <c>#r</c> lines name it (e.g. <c>../artifacts/kit</c>).</param>
    public static string KitCheck(string kitFolder)
    {
        ArgumentNullException.ThrowIfNull(kitFolder);
        var library = $"{kitFolder.Replace('\\', '/').TrimEnd('/')}/GistNotebooks.Interactive.dll";
        return $$"""
            // Passes on the kit's kernel, which serves the kit's libraries itself, or once they are built; elsewhere it names the fix.
            if (!(AppContext.TryGetSwitch("{{KitKernel.ServesKitSwitch}}", out var kitKernel) && kitKernel) && !System.IO.File.Exists({{Literal(library)}}))
            {
                throw new System.IO.FileNotFoundException("The kit's libraries are not built ({{library}} is missing) and this is not the kit's kernel. From the repository root run `dotnet run --project src/GistNotebooks.Cli -- kernel install` (VS Code; add --jupyter for Jupyter) and pick \"{{JupyterKernelSpec.DefaultDisplayName}}\", or run `dotnet build` there.");
            }
            """;
    }

    /// <summary>The files of the study, paths relative to its root folder.</summary>
    /// <exception cref="ArgumentException">The study name is not a plain folder name.</exception>
    public static ImmutableArray<ScaffoldFile> Create(ScaffoldRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Study.Length == 0 || request.Study.IndexOfAny(['/', '\\', ':']) >= 0 || request.Study is "." or "..")
        {
            throw new ArgumentException($"'{request.Study}' is not a plain folder name.", nameof(request));
        }

        var claims = request.Claims;
        var data = $"data/{request.Study}";
        var notebooks = $"notebooks/{request.Study}";
        var fromNotebook = $"../../{data}/";
        var date = (request.Date ?? DateOnly.FromDateTime(DateTime.UtcNow)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var hasCohort = request.DataFiles.Any(f => f.Path == "cohort.csv");
        var reads = hasCohort ? $"`{data}/claims.json` (the abstract's figures) and `{data}/cohort.csv` (a reconstructed cohort)" : $"`{data}/claims.json` (the abstract's figures)";
        var context = new Context(claims, request.KitFolder, fromNotebook, hasCohort, date, reads);

        var groups = Groups(claims);
        var entries = new List<(string File, string Title, ImmutableArray<string> Ids)>();
        var files = new List<ScaffoldFile>
        {
            new($"{data}/claims.json", request.ClaimsText),
            new($"{data}/README.md", DataReadme(request)),
        };
        files.AddRange(request.DataFiles.Select(f => f with { Path = $"{data}/{f.Path}" }));

        var overview = ("00-overview.ipynb", "0. The abstract, audited and checked", ImmutableArray<string>.Empty);
        entries.Add(overview);
        files.Add(new($"{notebooks}/{overview.Item1}", Overview(context)));
        var number = 1;
        foreach (var (slug, title, members) in groups)
        {
            var file = string.Create(CultureInfo.InvariantCulture, $"{number:00}-{slug}.ipynb");
            var fullTitle = string.Create(CultureInfo.InvariantCulture, $"{number}. {title}");
            entries.Add((file, fullTitle, [.. members.Select(c => c.Id)]));
            files.Add(new($"{notebooks}/{file}", GroupNotebook(context, fullTitle, members)));
            number++;
        }

        files.Add(new($"{notebooks}/manifest.json", Manifest(request, entries)));
        files.Add(new($"{notebooks}/CHANGELOG.md", $"# Changelog\n\n## {date}\n\n" + string.Concat(entries.Select(e => $"- `{e.File}` 1.0.0: scaffolded by `gistnb new` from `{data}/claims.json`.\n"))));
        return [.. files];
    }

    private sealed record Context(ClaimSet Claims, string Kit, string Data, bool HasCohort, string Date, string Reads);

    /// <summary>The groups of claims, one notebook each, in the order the notebooks run; empty groups are left out.</summary>
    private static List<(string Slug, string Title, List<Claim> Claims)> Groups(ClaimSet claims)
    {
        var result = new List<(string, string, List<Claim>)>
        {
            ("cohort", "The cohort", [.. claims.Claims.Where(c => c is CohortSizeClaim or CategoryCountsClaim or CountClaim or CovariateSummaryClaim or OtherDenominatorClaim)]),
            ("survival", "Overall survival and follow-up", [.. claims.Claims.Where(c => c.Endpoint is null && c is SurvivalAtClaim or MedianSurvivalClaim or FollowUpClaim or SurvivorsBeyondClaim)]),
        };
        foreach (var endpoint in claims.Endpoints.Values.OrderBy(e => claims.Claims.ToList().FindIndex(c => c.Endpoint == e.Name)))
        {
            result.Add((Slug(endpoint.Name), Capitalised(endpoint.Label), [.. claims.Claims.Where(c => c.Endpoint == endpoint.Name && c is SurvivalAtClaim or MedianSurvivalClaim)]));
        }

        result.Add(("comparisons", "Comparisons and predictors", [.. claims.Claims.Where(c => c is GroupComparisonClaim or HazardRatioClaim or NoSignificantPredictorClaim)]));
        result.Add(("recorded", "Sentences recorded but not checkable", [.. claims.Claims.Where(c => c is RecordedClaim)]));
        var placed = result.SelectMany(g => g.Item3).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        result.Add(("other", "Other claims", [.. claims.Claims.Where(c => !placed.Contains(c.Id))]));
        return [.. result.Where(g => g.Item3.Count > 0)];
    }

    private static string Overview(Context context)
    {
        var cells = new List<(bool Code, string Source)>
        {
            (false, $"# 0. The abstract, audited and checked\n\n**Reproduces** every claim at once ({Ids(context.Claims.Claims)}); the notebooks after this one take them group by group.\n**Version** 1.0.0, {context.Date}. **Reads** {context.Reads}.\n\n{Escape(context.Claims.Citation)}"),
            (true, KitCheck(context.Kit)),
            (false, ReferencesProse),
            (true, References(context)),
            (false, "The audit judges each claim from the abstract alone, at the cohort's size: whether some cohort can give it, and why."),
            (true, Setup(context) + "\nvar audit = ClaimAudit.Audit(claims.Claims);\nforeach (var c in audit.Claims) Console.WriteLine($\"{c.Id}  {c.Status}: {c.Reason}\");\n$\"The claims {(audit.Feasible ? \"can\" : \"cannot\")} hold together.\""),
        };
        if (context.HasCohort)
        {
            cells.Add((false, "Every claim checked against the reconstructed cohort at once. A claim the cohort cannot be checked on (another population, a column the cohort lacks, a sentence with nothing to check) is shown as not checkable with its reason."));
            cells.Add((true, "claims.CheckAll()"));
        }

        cells.Add((false, "## Try it\n\nRead the claims file beside the data, change a printed figure and run this notebook again: the audit says at once whether the abstract can still hold together."));
        return Notebook(cells);
    }

    private static string GroupNotebook(Context context, string title, List<Claim> members)
    {
        var cells = new List<(bool Code, string Source)>
        {
            (false, $"# {title}\n\n**Reproduces** {string.Join(", ", members.Select(c => $"{c.Id} ({Escape(c.Description)})"))}.\n**Version** 1.0.0, {context.Date}. **Reads** {context.Reads}."),
            (true, KitCheck(context.Kit)),
            (false, ReferencesProse),
            (true, References(context)),
            (false, "The claims file holds each figure with the precision it was printed at; each is checked against the cohort by the same rules as `gistnb check`."),
            (true, Setup(context) + "\nclaims.Claims.Claims.Length"),
        };
        foreach (var claim in members)
        {
            cells.Add((false, $"**{claim.Id}.** {Escape(claim.Description)}\n\n> {Escape(claim.Sentence)}"));
            cells.Add((true, context.HasCohort ? $"claims.Check({Literal(claim.Id)})" : $"claims.Claims[{Literal(claim.Id)}].Reported"));
        }

        if (context.HasCohort && members.Any(c => c.Endpoint is null && c is SurvivalAtClaim or MedianSurvivalClaim or FollowUpClaim or SurvivorsBeyondClaim))
        {
            cells.Add((false, "The Kaplan–Meier estimate of the cohort's main endpoint, from the time and event columns the claims file names."));
            cells.Add((true, $"KaplanMeier.Estimate(SurvivalData.FromTable(cohort, {Literal(context.Claims.TimeColumn)}, {Literal(context.Claims.EventColumn)}))"));
        }

        cells.Add((false, "## Try it\n\nChange a printed figure in the claims file and run this notebook again to see which checks move."));
        return Notebook(cells);
    }

    private static string References(Context context)
    {
        var kit = context.Kit.Replace('\\', '/').TrimEnd('/');
        return $"#r \"{kit}/GistNotebooks.Survival.dll\"\n#r \"{kit}/GistNotebooks.Reporting.dll\"\n#r \"{kit}/GistNotebooks.Interactive.dll\"";
    }

    private static string Setup(Context context)
    {
        var load = context.HasCohort
            ? $"var claims = NotebookClaims.Load({Literal(context.Data + "claims.json")}, {Literal(context.Data + "cohort.csv")});\nvar cohort = claims.Cohort!;"
            : $"var claims = NotebookClaims.Load({Literal(context.Data + "claims.json")});";
        return "using GistNotebooks.Survival.Claims;\nusing GistNotebooks.Survival.Data;\nusing GistNotebooks.Survival.Estimation;\nusing GistNotebooks.Survival.Reconstruction;\nusing GistNotebooks.Reporting;\n\n" + load;
    }

    private static string Manifest(ScaffoldRequest request, List<(string File, string Title, ImmutableArray<string> Ids)> entries)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("study", request.Claims.Citation);
            json.WriteString("claimsFile", $"../../data/{request.Study}/claims.json");
            json.WriteStartArray("data");
            json.WriteStringValue($"../../data/{request.Study}/claims.json");
            foreach (var file in request.DataFiles)
            {
                json.WriteStringValue($"../../data/{request.Study}/{file.Path}");
            }

            json.WriteEndArray();
            json.WriteStartArray("notebooks");
            foreach (var (file, title, ids) in entries)
            {
                json.WriteStartObject();
                json.WriteString("file", file);
                json.WriteString("title", title);
                json.WriteString("version", "1.0.0");
                json.WriteStartArray("claims");
                foreach (var id in ids)
                {
                    json.WriteStringValue(id);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string DataReadme(ScaffoldRequest request) =>
        $"# {request.Study}\n\n{request.Claims.Citation}\n\n- `claims.json`: every sentence of the abstract as a claim (see docs/claims.md).\n"
        + (request.DataFiles.Any(f => f.Path == "cohort.csv")
            ? "- `cohort.csv`, `cohort.json`: one synthetic cohort reconstructed from the claims (`gistnb reconstruct`), with its provenance. It is not patient data.\n"
            : string.Empty);

    /// <summary>An .ipynb (nbformat 4.5) without outputs: every cell with an id, C# as the kernel.</summary>
    private static string Notebook(List<(bool Code, string Source)> cells)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartArray("cells");
            for (var i = 0; i < cells.Count; i++)
            {
                var (code, source) = cells[i];
                json.WriteStartObject();
                json.WriteString("cell_type", code ? "code" : "markdown");
                json.WriteString("id", string.Create(CultureInfo.InvariantCulture, $"cell-{i + 1:00}"));
                json.WriteStartObject("metadata");
                if (code)
                {
                    json.WriteStartObject("polyglot_notebook");
                    json.WriteString("kernelName", "csharp");
                    json.WriteEndObject();
                }

                json.WriteEndObject();
                json.WriteStartArray("source");
                var lines = source.Split('\n');
                for (var k = 0; k < lines.Length; k++)
                {
                    json.WriteStringValue(k < lines.Length - 1 ? lines[k] + "\n" : lines[k]);
                }

                json.WriteEndArray();
                if (code)
                {
                    json.WriteNull("execution_count");
                    json.WriteStartArray("outputs");
                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("metadata");
            json.WriteStartObject("kernelspec");
            json.WriteString("display_name", JupyterKernelSpec.DefaultDisplayName);
            json.WriteString("language", JupyterKernelSpec.Language);
            json.WriteString("name", JupyterKernelSpec.DefaultName);
            json.WriteEndObject();
            json.WriteStartObject("language_info");
            json.WriteString("name", "polyglot-notebook");
            json.WriteEndObject();
            json.WriteStartObject("polyglot_notebook");
            json.WriteStartObject("kernelInfo");
            json.WriteString("defaultKernelName", "csharp");
            json.WriteStartArray("items");
            json.WriteStartObject();
            json.WriteStartArray("aliases");
            json.WriteEndArray();
            json.WriteString("languageName", "C#");
            json.WriteString("name", "csharp");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteNumber("nbformat", 4);
            json.WriteNumber("nbformat_minor", 5);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string Ids(IEnumerable<Claim> claims) => string.Join(", ", claims.Select(c => c.Id));

    /// <summary>A C# string literal of a text: quotes and backslashes escaped, so a column name from the claims file is used as it is.</summary>
    private static string Literal(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    /// <summary>Text for markdown on one line: line breaks become spaces.</summary>
    private static string Escape(string text) => text.ReplaceLineEndings(" ");

    private static string Slug(string name) => string.Concat(name.Select(c => char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.IsLetterOrDigit(c) ? c.ToString() : "-")).Trim('-');

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
