using GistNotebooks.Notebooks.Documents;
using GistNotebooks.Notebooks.Reproduction;
using GistNotebooks.Notebooks.Scaffolding;
using GistNotebooks.Reporting;

namespace GistNotebooks.Notebooks.Tests.Scaffolding;

/// <summary>The second shipped study's notebooks: written as the kit's notebooks are, and reproduced by the runner.</summary>
public sealed class GomezStudyNotebookTests
{
    private static readonly string Folder = Path.Combine(TestNotebooks.RepositoryRoot, "notebooks", "gomez2007");

    [Fact]
    public void Every_notebook_of_the_folder_is_in_the_manifest_and_opens_with_its_title_version_and_data_then_the_kit_check_then_its_references()
    {
        var manifest = NotebookManifest.Load(Folder);
        var changelog = File.ReadAllText(Path.Combine(Folder, "CHANGELOG.md"));

        Assert.Equal(Directory.GetFiles(Folder, "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal), manifest.Notebooks.Select(n => n.File));
        foreach (var entry in manifest.Notebooks)
        {
            var cells = NotebookDocument.Load(Path.Combine(Folder, entry.File)).Cells;
            Assert.StartsWith("# ", cells[0].Source, StringComparison.Ordinal);
            Assert.Contains($"**Version** {entry.Version}", cells[0].Source, StringComparison.Ordinal);
            Assert.Contains("**Reads**", cells[0].Source, StringComparison.Ordinal);
            Assert.All(entry.Claims, id => Assert.Contains(id, cells[0].Source, StringComparison.Ordinal));
            Assert.Equal(StudyScaffold.KitCheck("../../artifacts/kit"), cells[1].Source);
            Assert.All(cells[3].Source.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.StartsWith("#r ", line, StringComparison.Ordinal));
            Assert.DoesNotContain(cells, c => c.Source.Contains("NotebookFormatters", StringComparison.Ordinal));
            Assert.Contains($"`{entry.File}` {entry.Version}", changelog, StringComparison.Ordinal);
            Assert.Contains("## Try it", cells[^1].Source, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_study_is_reproduced_every_checkable_claim_passes_and_every_sentence_is_in_the_claims_table()
    {
        var output = TestNotebooks.NewFolder();

        var result = await Reproducer.ReproduceAsync(Folder, output);

        Assert.True(result.Notebooks.All(n => n.Run.Succeeded), string.Join("; ", result.Failures));
        Assert.Equal(Enumerable.Range(1, 23).Select(i => $"G{i:00}"), result.Claims.Select(c => c.Id));
        Assert.Equal(12, result.Claims.Count(c => c.Status == ClaimRecord.Pass));
        Assert.Equal(11, result.Claims.Count(c => c.Status == ClaimRecord.NotCheckable));
        Assert.True(result.Succeeded);
        Assert.True(File.Exists(Path.Combine(output, "report.html")));
    }
}
