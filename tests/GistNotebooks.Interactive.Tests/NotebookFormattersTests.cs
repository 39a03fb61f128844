using System.Text.Json;
using GistNotebooks.Reporting;
using GistNotebooks.Reporting.Formatting;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Inference;
using GistNotebooks.Survival.Regression;
using Microsoft.DotNet.Interactive.Formatting;
using static GistNotebooks.Interactive.Tests.TestData;

namespace GistNotebooks.Interactive.Tests;

// Formatter settings are static for the process: these tests run one at a time.
[CollectionDefinition("Formatter", DisableParallelization = true)]
public class FormatterSettingsAreShared
{
}

[Collection("Formatter")]
public class NotebookFormattersTests
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
    public void Every_result_type_displays_as_a_table_in_notebooks()
    {
        NotebookFormatters.Register();
        var data = Veteran();
        var frame = ModelFrame.FromTable(ColumnTable.ReadCsv(Reference("veteran.csv")), "time", "event", ["trt", "karno"]);
        var curve = KaplanMeier.Estimate(data);
        object[] results =
        [
            NelsonAalen.Estimate(data),
            FisherExact.Test(new[,] { { 3, 1 }, { 1, 3 } }),
            CoxRegression.TestProportionalHazards(CoxRegression.Fit(frame), frame),
            LogRank.TrendTest(data),
            ConditionalSurvival.Estimate(curve, 100, 100),
            curve.RestrictedMean(365),
        ];

        foreach (var result in results)
        {
            var html = result.ToDisplayString("text/html");
            Assert.StartsWith("<div class=\"gistnotebooks-result\">", html, StringComparison.Ordinal);
            Assert.Contains("<caption", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<details", html, StringComparison.Ordinal);
            Assert.DoesNotContain(result.GetType().Name + " {", result.ToDisplayString("text/plain"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_kernel_extension_registers_the_formatters_so_a_notebook_need_not()
    {
        Formatter.ResetToDefault();
        var curve = KaplanMeier.Estimate(Nunobe());
        Assert.NotEqual(ResultFormat.ToHtml(curve), curve.ToDisplayString("text/html"));

        using var kernel = new Microsoft.DotNet.Interactive.CompositeKernel();
        await new FormattersKernelExtension().OnLoadAsync(kernel);

        Assert.Equal(ResultFormat.ToHtml(curve), curve.ToDisplayString("text/html"));
        Assert.Equal(ResultFormat.ToText(curve), curve.ToDisplayString("text/plain"));
    }
}
