using System.Text.Json;
using GistNotebooks.Reporting.Formatting;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using Microsoft.DotNet.Interactive.Formatting;
using static GistNotebooks.Reporting.Tests.TestData;

namespace GistNotebooks.Reporting.Tests;

// Formatter settings are static for the process: these tests run one at a time.
[CollectionDefinition("Formatter", DisableParallelization = true)]
public class FormatterSettingsAreShared
{
}

[Collection("Formatter")]
public class NotebookTests
{
    [Fact]
    public void A_claim_check_displays_as_html_text_and_a_claim_record()
    {
        NotebookFormatters.Register();
        NotebookFormatters.Register();
        var check = new ClaimCheck("C06", "3-year \"overall\" survival", "63.7%", "63.68%", Passed: true);

        Assert.Equal(["text/html", "text/plain", ClaimRecord.MimeType], Formatter.GetPreferredMimeTypesFor(typeof(ClaimCheck)));
        Assert.Contains("✓ pass", check.ToDisplayString("text/html"), StringComparison.Ordinal);
        Assert.Contains("✓ pass", check.ToDisplayString("text/plain"), StringComparison.Ordinal);

        var json = check.ToDisplayString(ClaimRecord.MimeType);
        Assert.DoesNotContain("\n", json, StringComparison.Ordinal);
        var record = JsonDocument.Parse(json).RootElement;
        Assert.Equal(["id", "description", "reported", "reproduced", "status"], record.EnumerateObject().Select(p => p.Name));
        Assert.Equal("C06", record.GetProperty("id").GetString());
        Assert.Equal(check.Description, record.GetProperty("description").GetString());
        Assert.Equal("63.68%", record.GetProperty("reproduced").GetString());
        Assert.Equal("pass", record.GetProperty("status").GetString());
    }

    [Fact]
    public void Results_display_as_their_tables_and_registration_survives_a_reset()
    {
        Formatter.ResetToDefault();
        NotebookFormatters.Register();
        var curve = KaplanMeier.Estimate(Nunobe());
        Assert.Equal(ResultFormat.ToHtml(curve), curve.ToDisplayString("text/html"));

        Formatter.ResetToDefault();
        Assert.NotEqual(ResultFormat.ToHtml(curve), curve.ToDisplayString("text/html"));
        NotebookFormatters.Register();
        Assert.Equal(ResultFormat.ToHtml(curve), curve.ToDisplayString("text/html"));
    }

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
