using System.Text.Json;
using CsCheck;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Data;
using GistNotebooks.Testing;
using static GistNotebooks.Reporting.Tests.TestData;

namespace GistNotebooks.Reporting.Tests;

public class ClaimRecordTests
{
    // Text with what JSON and HTML escape (quotes, backslashes, <, &, control characters) and what they need not (≥, –, é).
    private static readonly Gen<string> Text = Gen.String[Gen.Char["\"\\<>&'\n\t ≥–éabcXYZ019%.()"], 0, 40];

    private static readonly string?[] Bases = [null, "assigned", "searched", "redrawn", "independent"];

    private static readonly Gen<ClaimRecord> Records = Gen.Select(
        Gen.Select(Text, Text, Text, Text, Gen.OneOf(ClaimRecord.Pass, ClaimRecord.Fail, ClaimRecord.NotReproduced), Gen.Bool, Text, Text)
            .Select((id, description, reported, reproduced, status, placed, notebook, cell) =>
                new ClaimRecord(id, description, reported, reproduced, status) with { Notebook = placed ? notebook : null, CellId = placed ? cell : null }),
        Gen.Int[0, 4],
        (record, basis) => record with { Basis = Bases[basis] });

    [Fact]
    public void A_record_reads_back_equal_from_its_json()
    {
        Records.SampleFixed(record =>
        {
            var json = record.ToJson();
            Assert.DoesNotContain("\n", json, StringComparison.Ordinal);
            Assert.DoesNotContain("<", json, StringComparison.Ordinal);
            Assert.Equal(record, ClaimRecord.Parse(json));
        }, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void A_list_of_records_reads_back_equal_from_the_array_written_into_an_indented_document()
    {
        Records.Array[0, 12].SampleFixed(records =>
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                writer.WritePropertyName("claims");
                ClaimRecord.WriteArray(writer, records);
                writer.WriteEndObject();
            }

            using var document = JsonDocument.Parse(buffer.ToArray());
            Assert.Equal(records, ClaimRecord.ParseArray(document.RootElement.GetProperty("claims").GetRawText()));
        }, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void A_check_becomes_a_record_with_the_field_names_of_claims_json_and_no_place_until_the_runner_gives_one()
    {
        var check = new ClaimCheck("C06", "3-year survival ≥ 60%", "63.7%", "63.73%", Passed: true);

        var record = ClaimRecord.From(check);
        var json = JsonDocument.Parse(record.ToJson()).RootElement;
        Assert.Equal(["id", "description", "reported", "reproduced", "status"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(new ClaimRecord("C06", "3-year survival ≥ 60%", "63.7%", "63.73%", "pass"), record);
        Assert.Contains("≥", record.ToJson(), StringComparison.Ordinal);

        var placed = JsonDocument.Parse((record with { Notebook = "02-overall-survival.ipynb", CellId = "overall-7" }).ToJson()).RootElement;
        Assert.Equal(["id", "description", "reported", "reproduced", "status", "notebook", "cellId"], placed.EnumerateObject().Select(p => p.Name));
        Assert.Equal("fail", ClaimRecord.From(check with { Passed = false }).Status);
    }

    [Fact]
    public void Every_check_of_the_shipped_cohort_survives_the_trip_through_json()
    {
        var report = ConsistencyCheck.Check(ClaimSet.Load(NunobeClaims), ColumnTable.ReadCsv(NunobeCohort));

        var records = report.Checks.Select(ClaimRecord.From).ToList();
        Assert.Equal(records, records.Select(r => ClaimRecord.Parse(r.ToJson())));
        Assert.All(records, r => Assert.True(r.Passed));
    }

    [Fact]
    public void An_unchecked_claim_keeps_its_description_and_reported_figure()
    {
        var claim = ClaimSet.Load(NunobeClaims)["C06"];

        var record = ClaimRecord.Unchecked(claim);

        Assert.Equal(new ClaimRecord("C06", claim.Description, claim.Reported, string.Empty, ClaimRecord.NotReproduced), record);
        Assert.False(record.Passed);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"id":"C01","description":"d","reported":"1","reproduced":"1"}""")]
    [InlineData("""{"id":"C01","description":"d","reported":"1","reproduced":null,"status":"pass"}""")]
    [InlineData("""{"id":"C01","description":"d","reported":1,"reproduced":"1","status":"pass"}""")]
    [InlineData("null")]
    public void A_record_with_a_missing_null_or_mistyped_field_is_refused(string json) =>
        Assert.ThrowsAny<JsonException>(() => ClaimRecord.Parse(json));

    [Fact]
    public void The_verdict_counts_consistent_claims_by_basis_and_keeps_reproduced_for_independent_ones()
    {
        ClaimRecord Record(string id, string status, string? basis) => new ClaimRecord(id, "-", "1", "1", status) with { Basis = basis };
        ClaimRecord[] records =
        [
            Record("C01", ClaimRecord.Pass, "assigned"), Record("C02", ClaimRecord.Pass, "assigned"), Record("C06", ClaimRecord.Pass, "searched"),
            Record("C12", ClaimRecord.Pass, "redrawn"), Record("X1", ClaimRecord.Pass, "independent"), Record("X2", ClaimRecord.Fail, "independent"),
            Record("X3", ClaimRecord.NotReproduced, "independent"),
        ];

        Assert.Equal("5 of 7 claims consistent: 2 assigned, 1 searched, 1 redrawn, 1 reproduced (independent); 1 fail; 1 not checked", ClaimRecord.Verdict(records));
        Assert.Equal("1 of 2 claims pass", ClaimRecord.Verdict([Record("C01", ClaimRecord.Pass, null), Record("C02", ClaimRecord.Fail, null)]));
    }

    [Fact]
    public void A_check_carries_its_basis_into_the_record_and_its_json()
    {
        var check = new ClaimCheck("C06", "3-year survival", "63.7%", "63.73%", Passed: true) { Basis = ClaimBasis.Searched };

        var record = ClaimRecord.From(check);

        Assert.Equal("searched", record.Basis);
        Assert.Contains("\"basis\":\"searched\"", record.ToJson(), StringComparison.Ordinal);
        Assert.DoesNotContain("basis", ClaimRecord.From(check with { Basis = null }).ToJson(), StringComparison.Ordinal);
    }
}
