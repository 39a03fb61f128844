using GistNotebooks.Reporting.Formatting;
using GistNotebooks.Survival.Claims;

namespace GistNotebooks.Reporting.Tests;

/// <summary>A claim that cannot be checked travels as its own status, with its reason, and does not count as a failure.</summary>
public sealed class NotCheckableClaimTests
{
    private static readonly RecordedClaim Recorded = new() { Id = "R1", Description = "a sentence", Sentence = "-", Reason = "no figure is given" };

    [Fact]
    public void A_recorded_sentence_is_not_checkable_with_its_reason_in_records_and_tables()
    {
        var check = ClaimCheck.NotCheckable(Recorded, Recorded.Reason);
        var pass = new ClaimCheck("C1", "a count", "3", "3", Passed: true);

        var record = ClaimRecord.From(check);
        var table = new[] { ClaimRecord.From(pass), record }.ToTable("claims");

        Assert.Equal(ClaimRecord.NotCheckable, record.Status);
        Assert.Equal("not checkable: no figure is given", record.Reproduced);
        Assert.Equal(record, ClaimRecord.Unchecked(Recorded));
        Assert.Equal("○ not checkable", record.StatusText());
        Assert.Equal(["1 of 1 checkable claims pass ✓; 1 not checkable"], table.Notes);
        Assert.True(new ConsistencyReport([pass, check]).AllPassed);
    }

    [Fact]
    public void Every_check_of_a_report_travels_as_one_list_of_records()
    {
        var report = new ConsistencyReport([new ClaimCheck("C1", "a count", "3", "3", Passed: true), ClaimCheck.NotCheckable(Recorded, Recorded.Reason)]);

        var records = ClaimRecord.ParseArray(ClaimRecord.ToJsonArray(report.Checks.Select(ClaimRecord.From)));

        Assert.Equal([ClaimRecord.Pass, ClaimRecord.NotCheckable], records.Select(r => r.Status));
    }
}
