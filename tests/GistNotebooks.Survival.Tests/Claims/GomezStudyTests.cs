using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Reconstruction;

namespace GistNotebooks.Survival.Tests.Claims;

/// <summary>The second shipped study (Gomez et al., HPB 2007): its audit, and its cohort regenerated from its claims.</summary>
public sealed class GomezStudyTests
{
    private static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Gomez2007", name);

    [Fact]
    public void The_abstract_holds_together_and_fixes_the_events_of_each_endpoint()
    {
        // 91% of 11 at 2 and 5 years is 10/11: one death by 2 years and none after; 30% and 10% disease-free at 2 and 5
        // years of 11 leave 7 and 9 events by then.
        var audit = ClaimAudit.Audit(ClaimSet.Load(PathOf("claims.json")));
        QuantityRange Deaths(string id) => audit.Claims.Single(c => c.Id == id).DeathsByTime!;

        Assert.True(audit.Feasible);
        Assert.Equal(6, audit.Claims.Count(c => c.Status == AuditStatus.NotCheckable));
        Assert.DoesNotContain(audit.Claims, c => c.Status == AuditStatus.Unattainable);
        Assert.Equal((1.0, 1.0), (Deaths("G08").Minimum, Deaths("G08").Maximum));
        Assert.Equal((1.0, 1.0), (Deaths("G09").Minimum, Deaths("G09").Maximum));
        Assert.Equal((7.0, 7.0), (Deaths("G10").Minimum, Deaths("G10").Maximum));
        Assert.Equal((9.0, 9.0), (Deaths("G11").Minimum, Deaths("G11").Maximum));
    }

    [Fact]
    public void The_default_seed_regenerates_the_shipped_cohort_and_it_passes_every_claim_it_can_be_checked_on()
    {
        var claims = ClaimSet.Load(PathOf("claims.json"));

        var result = CohortReconstruction.Reconstruct(claims);
        var files = ReconstructionFiles.Contents(result, claims, includeEnsembleCohorts: false);
        var report = ConsistencyCheck.Check(claims, ColumnTable.ReadCsv(PathOf("cohort.csv")));

        Assert.Equal(File.ReadAllText(PathOf("cohort.csv")), files.Single(f => f.Name == "cohort.csv").Contents);
        Assert.True(report.AllPassed);
        Assert.Equal(12, report.Checks.Count(c => c.Passed)); // 17 checkable claims, 5 of them on endpoints the cohort lacks
        Assert.Equal(["G08", "G09", "G10", "G11", "G12"], report.Checks.Where(c => c.NotCheckableReason?.StartsWith("the cohort has no column", StringComparison.Ordinal) == true).Select(c => c.Id));
    }
}
