using System.Text.Json;
using GistNotebooks.Notebooks.Reproduction;
using GistNotebooks.Reporting;
using GistNotebooks.Survival.Claims;

namespace GistNotebooks.Notebooks.Tests.Reproduction;

/// <summary>The claim records a notebook displays, as the runner collects them into claims.json and the report.</summary>
public sealed class ClaimCollectorTests
{
    [Fact]
    public async Task The_record_a_notebook_displays_is_the_record_in_claims_json_and_the_report()
    {
        var source = Path.Combine(TestNotebooks.Folder, "claim-records");
        var folder = TestNotebooks.NewFolder();

        var result = await Reproducer.ReproduceAsync(source, folder);

        Assert.True(result.Succeeded, string.Join("; ", result.Failures));
        // What the executed notebook holds under the record's mime type, cell by cell.
        using var executed = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "notebooks", "checks.ipynb")));
        var emitted = (
            from cell in executed.RootElement.GetProperty("cells").EnumerateArray()
            where cell.TryGetProperty("outputs", out _)
            from output in cell.GetProperty("outputs").EnumerateArray()
            where output.TryGetProperty("data", out var data) && data.TryGetProperty(ClaimRecord.MimeType, out _)
            select ClaimRecord.Parse(output.GetProperty("data").GetProperty(ClaimRecord.MimeType).GetRawText()) with
            {
                Notebook = "checks.ipynb",
                CellId = cell.GetProperty("id").GetString(),
            }).ToArray();
        using var claimsFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "claims.json")));
        var written = ClaimRecord.ParseArray(claimsFile.RootElement.GetProperty("claims").GetRawText()).ToArray();

        Assert.Equal(2, emitted.Length);
        // The data are not a reconstruction (no provenance file among them), so the reproducer marks every claim independent.
        Assert.All(written, r => Assert.Equal("independent", r.Basis));
        Assert.Equal(emitted, written.Select(r => r with { Basis = null }));
        Assert.Equal(written, result.Claims.ToArray());
        Assert.Equal(1, claimsFile.RootElement.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(["checks-3", "checks-4"], written.Select(r => r.CellId));

        // The notebook displayed exactly what the library's check gives, escaping and all.
        var claims = ClaimSet.Load(Path.Combine(source, "claims.json"));
        Assert.Equal(ClaimRecord.From(ConsistencyCheck.CheckValue(claims["C01"], 4)), written[0] with { Notebook = null, CellId = null, Basis = null });
        Assert.Equal(ClaimRecord.From(ConsistencyCheck.CheckValue(claims["C02"], 75.04)), written[1] with { Notebook = null, CellId = null, Basis = null });
        var report = File.ReadAllText(Path.Combine(folder, "report.html"));
        Assert.Contains(System.Net.WebUtility.HtmlEncode(written[0].Description), report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_claim_no_notebook_checked_is_written_without_a_place()
    {
        var folder = TestNotebooks.NewFolder();
        var notebooks = Path.Combine(folder, "notebooks");
        Directory.CreateDirectory(notebooks);
        var source = Path.Combine(TestNotebooks.Folder, "reproduction");
        File.Copy(Path.Combine(source, "first.ipynb"), Path.Combine(notebooks, "first.ipynb"));
        File.Copy(Path.Combine(source, "claims.json"), Path.Combine(notebooks, "claims.json"));
        File.WriteAllText(Path.Combine(notebooks, "manifest.json"), """{ "claimsFile": "claims.json", "notebooks": [ { "file": "first.ipynb", "version": "1.0.0", "claims": ["C01"] } ] }""");

        var result = await Reproducer.ReproduceAsync(notebooks, Path.Combine(folder, "out"));

        using var claimsFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "out", "claims.json")));
        var notChecked = claimsFile.RootElement.GetProperty("claims")[1];
        Assert.Equal(["id", "description", "reported", "reproduced", "status", "basis"], notChecked.EnumerateObject().Select(p => p.Name));
        Assert.Equal(ClaimRecord.NotReproduced, notChecked.GetProperty("status").GetString());
        Assert.Equal(result.Claims[1], ClaimRecord.Parse(notChecked.GetRawText()));
    }
}
