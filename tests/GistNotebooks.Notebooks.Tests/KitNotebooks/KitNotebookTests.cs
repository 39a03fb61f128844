using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using GistNotebooks.Notebooks.Documents;
using GistNotebooks.Notebooks.Execution;
using GistNotebooks.Notebooks.Kernel.Jupyter;
using GistNotebooks.Notebooks.Reproduction;
using GistNotebooks.Notebooks.Scaffolding;
using GistNotebooks.Survival.Claims;

namespace GistNotebooks.Notebooks.Tests.KitNotebooks;

/// <summary>The kit's own notebooks: how they are written, and that each runs and reproduces its claims.</summary>
public sealed partial class KitNotebookTests
{
    private static readonly string Folder = Path.Combine(TestNotebooks.RepositoryRoot, "notebooks");

    private static NotebookManifest Manifest => NotebookManifest.Load(Folder);

    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var entry in NotebookManifest.Load(Folder).Notebooks)
        {
            data.Add(entry.File);
        }

        return data;
    }

    private static JsonElement[] RawCells(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, file)));
        return [.. json.RootElement.GetProperty("cells").EnumerateArray().Select(c => c.Clone())];
    }

    [Fact]
    public void The_manifest_lists_every_notebook_of_the_folder_once_and_in_file_name_order()
    {
        var listed = Manifest.Notebooks.Select(n => n.File).ToList();
        var present = Directory.GetFiles(Folder, "*.ipynb").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(present, listed);
    }

    [Fact]
    public void Every_claim_of_the_claims_file_is_assigned_to_a_notebook()
    {
        var claims = ClaimSet.Load(Manifest.ClaimsFile);
        var assigned = Manifest.Notebooks.SelectMany(n => n.Claims).ToHashSet(StringComparer.Ordinal);

        var unassigned = claims.Claims.Select(c => c.Id).Where(id => !assigned.Contains(id)).ToList();
        var unknown = assigned.Where(id => claims.Claims.All(c => c.Id != id)).ToList();
        Assert.True(unassigned.Count == 0, "no notebook reproduces " + string.Join(", ", unassigned));
        Assert.True(unknown.Count == 0, "the manifest names claims that claims.json lacks: " + string.Join(", ", unknown));
    }

    [Fact]
    public void Every_notebook_version_has_a_changelog_entry()
    {
        var changelog = File.ReadAllText(Path.Combine(Folder, "CHANGELOG.md"));

        foreach (var entry in Manifest.Notebooks)
        {
            Assert.Matches(new Regex($@"{Regex.Escape(Path.GetFileNameWithoutExtension(entry.File))}.*{Regex.Escape(entry.Version)}|{Regex.Escape(entry.Version)}.*{Regex.Escape(Path.GetFileNameWithoutExtension(entry.File))}"), changelog);
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void A_notebook_names_the_kits_jupyter_kernel_and_keeps_the_polyglot_metadata_vs_code_reads(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, file)));
        var metadata = json.RootElement.GetProperty("metadata");

        var kernelspec = metadata.GetProperty("kernelspec");
        Assert.Equal(JupyterKernelSpec.DefaultName, kernelspec.GetProperty("name").GetString());
        Assert.Equal(JupyterKernelSpec.DefaultDisplayName, kernelspec.GetProperty("display_name").GetString());
        Assert.Equal(JupyterKernelSpec.Language, kernelspec.GetProperty("language").GetString());
        Assert.Equal("polyglot-notebook", metadata.GetProperty("language_info").GetProperty("name").GetString());
        Assert.Equal("csharp", metadata.GetProperty("polyglot_notebook").GetProperty("kernelInfo").GetProperty("defaultKernelName").GetString());
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void A_committed_notebook_has_no_outputs(string file)
    {
        foreach (var cell in RawCells(file).Where(c => c.GetProperty("cell_type").GetString() == "code"))
        {
            Assert.Equal(0, cell.GetProperty("outputs").GetArrayLength());
            Assert.Equal(JsonValueKind.Null, cell.GetProperty("execution_count").ValueKind);
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void A_notebook_pins_every_package_to_the_version_in_Directory_Packages_props(string file)
    {
        var pinned = XDocument.Load(Path.Combine(TestNotebooks.RepositoryRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .ToDictionary(p => (string)p.Attribute("Include")!, p => (string)p.Attribute("Version")!, StringComparer.OrdinalIgnoreCase);
        var document = NotebookDocument.Load(Path.Combine(Folder, file));

        var references = document.Cells.SelectMany(c => NugetReference().Matches(c.Source)).ToList();

        Assert.NotEmpty(references);
        foreach (var reference in references)
        {
            var name = reference.Groups["name"].Value;
            Assert.True(pinned.ContainsKey(name), $"{file} loads {name}, which Directory.Packages.props does not pin");
            Assert.Equal(pinned[name], reference.Groups["version"].Value);
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void A_notebook_opens_with_its_title_claims_version_and_data_then_the_kit_check_then_its_references_then_prose_before_every_code_cell(string file)
    {
        var entry = Manifest.Notebooks.Single(n => n.File == file);
        var cells = NotebookDocument.Load(Path.Combine(Folder, file)).Cells;

        Assert.Equal(CellKind.Markdown, cells[0].Kind);
        Assert.StartsWith("# ", cells[0].Source, StringComparison.Ordinal);
        Assert.Contains($"**Version** {entry.Version}", cells[0].Source, StringComparison.Ordinal);
        Assert.Contains("**Reads**", cells[0].Source, StringComparison.Ordinal);
        var named = NamedClaims(cells[0].Source);
        foreach (var id in entry.Claims)
        {
            Assert.True(named.Contains(id), $"{file}: the first cell does not name {id}");
        }

        Assert.Equal(CellKind.Code, cells[1].Kind);
        Assert.Equal(StudyScaffold.KitCheck("../artifacts/kit"), cells[1].Source);
        Assert.Equal(CellKind.Code, cells[3].Kind);
        Assert.All(cells[3].Source.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.StartsWith("#r ", line, StringComparison.Ordinal));
        Assert.Contains("#r \"../artifacts/kit/GistNotebooks.Interactive.dll\"", cells[3].Source, StringComparison.Ordinal);
        Assert.DoesNotContain(cells, c => c.Source.Contains("NotebookFormatters", StringComparison.Ordinal));
        for (var i = 2; i < cells.Length; i++)
        {
            if (cells[i].Kind == CellKind.Code)
            {
                Assert.True(cells[i - 1].Kind == CellKind.Markdown, $"{file}: cell {i + 1} has no prose before it");
            }
        }

        Assert.Contains("## Try it", cells[^1].Source, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task A_notebook_runs_to_the_end_and_every_claim_it_owns_passes(string file)
    {
        var entry = Manifest.Notebooks.Single(n => n.File == file);

        var run = await NotebookRunner.RunAsync(NotebookDocument.Load(Path.Combine(Folder, file)));

        Assert.True(run.Succeeded, run.Failure?.ToString());
        var claims = ClaimCollector.FromRun(run);
        Assert.All(claims, c => Assert.True(c.Passed, $"{c.Id}: reported {c.Reported}, reproduced {c.Reproduced}"));
        var missing = entry.Claims.Where(id => claims.All(c => c.Id != id)).ToList();
        Assert.True(missing.Count == 0, $"{file} does not check {string.Join(", ", missing)}");
    }

    /// <summary>Claim ids a text names, singly (C06) or as a range (C01–C12).</summary>
    private static HashSet<string> NamedClaims(string text)
    {
        var ids = ClaimId().Matches(text).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        foreach (Match range in ClaimRange().Matches(text))
        {
            for (var i = int.Parse(range.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture); i <= int.Parse(range.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture); i++)
            {
                ids.Add($"C{i:D2}");
            }
        }

        return ids;
    }

    [GeneratedRegex(@"C\d\d")]
    private static partial Regex ClaimId();

    [GeneratedRegex(@"C(\d\d)\s*[–-]\s*C(\d\d)")]
    private static partial Regex ClaimRange();

    [GeneratedRegex(@"#r\s+""nuget:\s*(?<name>[^,""]+?)\s*,\s*(?<version>[^""]+?)\s*""")]
    private static partial Regex NugetReference();
}
