using GistNotebooks.Notebooks.Report;
using GistNotebooks.Notebooks.Reproduction;
using GistNotebooks.Reporting;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Reconstruction;

namespace GistNotebooks.Notebooks.Tests.Report;

public sealed class HtmlReportFindingsTests
{
    private static readonly Provenance Empty = new(DateTimeOffset.UnixEpoch, "host", "0.0.0", "none", "sdk", "runtime", "os", [], [], []);

    [Fact]
    public void The_report_counts_claims_by_basis_and_sets_what_the_abstract_fixes_apart_from_what_the_reconstruction_chose()
    {
        var claims = ClaimSet.Load(Path.Combine(TestNotebooks.RepositoryRoot, "data", "nunobe2005", "claims.json"));
        var findings = AbstractFindings.Compute(claims, new CohortEnsembleOptions { CohortsPerReading = 3, Seed = 7 });
        var bases = CohortReconstruction.Bases(claims);
        ClaimRecord[] records = [.. claims.Claims.Select(c => new ClaimRecord(c.Id, c.Description, c.Reported, c.Reported, ClaimRecord.Pass) { Basis = bases[c.Id].Name() })];

        var html = HtmlReport.Render("Reproduction", Empty, records, [], findings);

        Assert.Contains("12 of 12 claims consistent: 7 assigned, 4 searched, 1 redrawn", html, StringComparison.Ordinal);
        Assert.DoesNotContain("every claim reproduced", html, StringComparison.Ordinal);
        var fixedAt = html.IndexOf("<h2>What the abstract fixes</h2>", StringComparison.Ordinal);
        var chosenAt = html.IndexOf("<h2>What the reconstruction chose</h2>", StringComparison.Ordinal);
        Assert.True(fixedAt > 0 && chosenAt > fixedAt);
        Assert.Contains("<td>Kaplan–Meier survival at 36 months (%)</td><td>63.73</td>", html[fixedAt..chosenAt], StringComparison.Ordinal);
        Assert.Contains("<td>deaths by 36 months</td><td>6</td>", html[fixedAt..chosenAt], StringComparison.Ordinal);
        Assert.Contains("<td>Kaplan–Meier median survival (months)</td>", html[chosenAt..], StringComparison.Ordinal);
        Assert.Contains("at-least-5-years:", html[chosenAt..], StringComparison.Ordinal);
    }
}
