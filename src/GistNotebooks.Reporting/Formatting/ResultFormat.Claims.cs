using System.Globalization;
using GistNotebooks.Survival.Claims;

namespace GistNotebooks.Reporting.Formatting;

/// <content>Claim checks: one check, a consistency report, or the records a reproduction gathered.</content>
public static partial class ResultFormat
{
    /// <summary>The mark and word of a claim check: "✓ pass" or "✗ fail".</summary>
    public static string StatusText(this ClaimCheck check) => ClaimRecord.From(check).StatusText();

    /// <summary>The mark and word of a claim record: "✓ pass", "✗ fail", "– not reproduced" or "○ not checkable".</summary>
    public static string StatusText(this ClaimRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Status switch
        {
            ClaimRecord.Pass => "✓ pass",
            ClaimRecord.Fail => "✗ fail",
            ClaimRecord.NotReproduced => "– not reproduced",
            ClaimRecord.NotCheckable => "○ not checkable",
            _ => record.Status,
        };
    }

    /// <summary>One claim check as HTML: reported, reproduced, and pass or fail with a mark.</summary>
    public static string ToHtml(this ClaimCheck check) => ResultTable.Html([SingleCheck(check)]);

    /// <summary>One claim check as text.</summary>
    public static string ToText(this ClaimCheck check) => ResultTable.Text([SingleCheck(check)]);

    /// <summary>A consistency report as HTML: every claim with its status, and how many pass.</summary>
    public static string ToHtml(this ConsistencyReport report) => ResultTable.Html([report.ToTable()]);

    /// <summary>A consistency report as text.</summary>
    public static string ToText(this ConsistencyReport report) => ResultTable.Text([report.ToTable()]);

    /// <summary>The table of <see cref="ToHtml(ConsistencyReport)"/>.</summary>
    /// <param name="report">The report.</param>
    /// <param name="descriptions">Whether to show each claim's description (the default); a terminal may have no room for it.</param>
    public static ResultTable ToTable(this ConsistencyReport report, bool descriptions = true)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Checks.Select(ClaimRecord.From).ToTable("Claims checked against the cohort", descriptions);
    }

    /// <summary>
    /// Claim records as one table: id, description, reported, reproduced, status with its mark, the basis when any record
    /// has one, and the notebook that checked each claim when any record names one; a note under it says how many pass
    /// and, with bases, how each came to be consistent (<see cref="ClaimRecord.Verdict"/>).
    /// </summary>
    /// <param name="records">The records, in the order to show them.</param>
    /// <param name="caption">What the table shows.</param>
    /// <param name="descriptions">Whether to show each claim's description (the default).</param>
    public static ResultTable ToTable(this IEnumerable<ClaimRecord> records, string caption, bool descriptions = true)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(caption);
        var list = records.ToList();
        var notebooks = list.Any(r => r.Notebook is not null);
        var bases = list.Any(r => r.Basis is not null);
        List<string> headers = descriptions ? ["claim", "description", "reported", "reproduced", "status"] : ["claim", "reported", "reproduced", "status"];
        if (bases)
        {
            headers.Add("basis");
        }

        if (notebooks)
        {
            headers.Add("notebook");
        }

        var passed = list.Count(r => r.Passed);
        var notCheckable = list.Count(r => r.IsNotCheckable);
        return new ResultTable(
            caption,
            headers,
            [.. list.Select(r =>
            {
                List<string> cells = descriptions ? [r.Id, r.Description, r.Reported, r.Reproduced, r.StatusText()] : [r.Id, r.Reported, r.Reproduced, r.StatusText()];
                if (bases)
                {
                    cells.Add(r.Basis ?? string.Empty);
                }

                if (notebooks)
                {
                    cells.Add(r.Notebook ?? string.Empty);
                }

                return (IReadOnlyList<string>)cells;
            })],
            [.. new[] { notCheckable == 0
                ? $"{passed.ToString(CultureInfo.InvariantCulture)} of {list.Count.ToString(CultureInfo.InvariantCulture)} claims pass" + (passed == list.Count ? " ✓" : " ✗")
                : $"{passed.ToString(CultureInfo.InvariantCulture)} of {(list.Count - notCheckable).ToString(CultureInfo.InvariantCulture)} checkable claims pass" + (passed == list.Count - notCheckable ? " ✓" : " ✗")
                    + $"; {notCheckable.ToString(CultureInfo.InvariantCulture)} not checkable" }
                .Concat(bases ? [ClaimRecord.Verdict(list), .. BasisLegend] : [])])
        {
            Numeric = false,
        };
    }

    /// <summary>What the bases mean, under a table that shows them.</summary>
    private static readonly string[] BasisLegend =
    [
        "assigned: set directly by the reconstruction; searched: made to hold by the order search;",
        "redrawn: cohorts failing it were rejected; independent: the cohort was not built to meet it",
    ];

    private static ResultTable SingleCheck(ClaimCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return new[] { ClaimRecord.From(check) }.ToTable("Claim " + check.Id) with { Notes = [] };
    }
}
