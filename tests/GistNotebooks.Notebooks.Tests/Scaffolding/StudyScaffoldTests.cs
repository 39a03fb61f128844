using System.Collections.Immutable;
using System.Text;
using GistNotebooks.Notebooks.Documents;
using GistNotebooks.Notebooks.Reproduction;
using GistNotebooks.Notebooks.Scaffolding;
using GistNotebooks.Reporting;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Reconstruction;

namespace GistNotebooks.Notebooks.Tests.Scaffolding;

/// <summary>A study scaffolded from a claims file runs at once, and its claims appear in the run's claims table.</summary>
public sealed class StudyScaffoldTests
{
    // Column names the kit has never seen, so that nothing in the notebooks can be hard-coded: every kind a scaffold
    // groups, an endpoint the reconstructed cohort lacks, a median (range) of a column it draws and a recorded sentence.
    private const string ClaimsText = """
        { "study": { "id": "scaffolded", "citation": "A small series (test).", "timeUnit": "weeks", "timeColumn": "weeksObserved", "eventColumn": "died", "idColumn": "case",
                     "endpoints": { "localControl": { "label": "local control", "timeColumn": "weeksToRelapse", "eventColumn": "relapsed" } } },
          "claims": [
            { "id": "S1", "kind": "cohortSize", "description": "10 cases", "sentence": "Ten cases were treated.", "count": 10 },
            { "id": "S2", "kind": "count", "description": "Complications 30%", "sentence": "Complications occurred in 30%.", "column": "complication", "level": "yes", "percent": { "value": 30, "decimals": 0 } },
            { "id": "S3", "kind": "covariateSummary", "description": "Median age 60 (41-77)", "sentence": "Median age was 60 (41-77) years.", "column": "ageYears", "median": { "value": 60, "decimals": 0 }, "minimum": { "value": 41, "decimals": 0 }, "maximum": { "value": 77, "decimals": 0 } },
            { "id": "S4", "kind": "survivalAt", "description": "1-year survival 70%", "sentence": "One-year survival was 70%.", "time": 52, "percent": { "value": 70, "decimals": 0 } },
            { "id": "S5", "kind": "followUp", "description": "Follow-up 60 weeks", "sentence": "Median follow-up was 60 weeks.", "median": { "value": 60, "decimals": 0 }, "timeDecimals": 0 },
            { "id": "S6", "kind": "survivalAt", "description": "1-year local control 80%", "sentence": "Local control at one year was 80%.", "endpoint": "localControl", "time": 52, "percent": { "value": 80, "decimals": 0 } },
            { "id": "S7", "kind": "recorded", "description": "Quality of life", "sentence": "Quality of life was preserved.", "reason": "no measure or figure is given" } ] }
        """;

    private static ImmutableArray<ScaffoldFile> Scaffold(ClaimSet claims, string kit)
    {
        var cohort = CohortReconstruction.Reconstruct(claims);
        var data = ReconstructionFiles.Contents(cohort, claims, includeEnsembleCohorts: false).Select(f => new ScaffoldFile(f.Name, f.Contents));
        return StudyScaffold.Create(new ScaffoldRequest("scaffolded", claims, ClaimsText, [.. data], kit) { Date = new DateOnly(2026, 11, 30) });
    }

    [Fact]
    public void A_scaffold_has_the_data_a_manifest_and_one_notebook_per_group_built_from_the_claim_kinds()
    {
        var claims = ClaimSet.Parse(Encoding.UTF8.GetBytes(ClaimsText), "claims.json");

        var files = Scaffold(claims, "../../kit");
        var paths = files.Select(f => f.Path).ToList();

        Assert.Equal(
            [
                "data/scaffolded/claims.json", "data/scaffolded/README.md", "data/scaffolded/cohort.csv", "data/scaffolded/cohort.json",
                "notebooks/scaffolded/00-overview.ipynb", "notebooks/scaffolded/01-cohort.ipynb", "notebooks/scaffolded/02-survival.ipynb",
                "notebooks/scaffolded/03-local-control.ipynb", "notebooks/scaffolded/04-recorded.ipynb",
                "notebooks/scaffolded/manifest.json", "notebooks/scaffolded/CHANGELOG.md",
            ],
            paths);
        Assert.Equal(ClaimsText, files[0].Contents);
        var survival = files.Single(f => f.Path.EndsWith("02-survival.ipynb", StringComparison.Ordinal)).Contents;
        Assert.Contains("\\\"weeksObserved\\\", \\\"died\\\"", survival, StringComparison.Ordinal);
        Assert.Contains("#r \\\"../../kit/GistNotebooks.Reporting.dll\\\"", survival, StringComparison.Ordinal);
        Assert.Contains("#r \\\"../../kit/GistNotebooks.Interactive.dll\\\"", survival, StringComparison.Ordinal);
        Assert.DoesNotContain("NotebookFormatters", survival, StringComparison.Ordinal);
        Assert.Contains("\"name\": \".net-csharp-gistnb\"", survival, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scaffolded_study_runs_through_the_runner_and_its_claims_fill_the_claims_table()
    {
        var root = TestNotebooks.NewFolder();
        var claims = ClaimSet.Parse(Encoding.UTF8.GetBytes(ClaimsText), "claims.json");
        var notebooks = Path.Combine(root, "notebooks", "scaffolded");
        var kit = Path.GetRelativePath(notebooks, Path.GetDirectoryName(typeof(NotebookClaims).Assembly.Location)!);
        foreach (var file in Scaffold(claims, kit))
        {
            var path = Path.Combine(root, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, file.Contents);
        }

        var result = await Reproducer.ReproduceAsync(notebooks, Path.Combine(root, "out"));

        Assert.True(result.Notebooks.All(n => n.Run.Succeeded), string.Join("; ", result.Failures));
        Assert.Equal(["S1", "S2", "S3", "S4", "S5", "S6", "S7"], result.Claims.Select(c => c.Id));
        Assert.Equal(
            [ClaimRecord.Pass, ClaimRecord.Pass, ClaimRecord.Pass, ClaimRecord.Pass, ClaimRecord.Pass, ClaimRecord.NotCheckable, ClaimRecord.NotCheckable],
            result.Claims.Select(c => c.Status));
        Assert.Equal("not checkable: no measure or figure is given", result.Claims[^1].Reproduced);
        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task The_records_of_CheckAll_count_in_a_runs_claims_table_like_single_checks()
    {
        // A notebook that checks nothing one by one, only every claim at once.
        var root = TestNotebooks.NewFolder();
        var claims = ClaimSet.Parse(Encoding.UTF8.GetBytes(ClaimsText), "claims.json");
        var notebooks = Path.Combine(root, "notebooks", "scaffolded");
        var kit = Path.GetRelativePath(notebooks, Path.GetDirectoryName(typeof(NotebookClaims).Assembly.Location)!);
        foreach (var file in Scaffold(claims, kit).Where(f => !f.Path.Contains("/0", StringComparison.Ordinal) || f.Path.EndsWith("00-overview.ipynb", StringComparison.Ordinal)))
        {
            var path = Path.Combine(root, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, file.Contents);
        }

        var run = await GistNotebooks.Notebooks.Execution.NotebookRunner.RunAsync(NotebookDocument.Load(Path.Combine(notebooks, "00-overview.ipynb")));
        var records = ClaimCollector.FromRun(run);

        Assert.True(run.Succeeded, run.Failure?.ToString());
        Assert.Equal(["S1", "S2", "S3", "S4", "S5", "S6", "S7"], records.Select(r => r.Id));
        Assert.All(records, r => Assert.Equal("00-overview.ipynb", r.Notebook));
    }
}
