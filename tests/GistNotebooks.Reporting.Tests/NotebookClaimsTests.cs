using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using static GistNotebooks.Reporting.Tests.TestData;

namespace GistNotebooks.Reporting.Tests;

public class NotebookClaimsTests
{
    [Fact]
    public void Notebook_claims_check_a_printed_value_and_a_cohort_claim_as_the_consistency_check_does()
    {
        var claims = NotebookClaims.Load(NunobeClaims, NunobeCohort);
        var curve = KaplanMeier.Estimate(Nunobe());
        // The shipped cohort has its reconstruction's provenance beside it, so each check carries the reconstruction's basis.
        var set = ClaimSet.Load(NunobeClaims);
        Assert.True(GistNotebooks.Survival.Reconstruction.ReconstructionFiles.IsReconstructed(NunobeCohort));
        var report = ConsistencyCheck.Check(set, ColumnTable.ReadCsv(NunobeCohort))
            .WithBases(GistNotebooks.Survival.Reconstruction.ReconstructionFiles.Bases(set, reconstructed: true));

        var c06 = claims.Check("C06", 100 * curve.SurvivalAtTime(36));
        Assert.Equal(ClaimBasis.Searched, c06.Basis);
        Assert.Equal(report.Checks.Single(c => c.Id == "C06"), c06);
        foreach (var id in new[] { "C02", "C08", "C12" })
        {
            Assert.Equal(report.Checks.Single(c => c.Id == id), claims.Check(id));
        }

        Assert.Equal(report.Checks.ToArray(), claims.CheckAll().Checks.ToArray());
        Assert.Throws<KeyNotFoundException>(() => claims.Check("C99"));
        Assert.Throws<InvalidOperationException>(() => NotebookClaims.Load(NunobeClaims).Check("C02"));
    }
}
