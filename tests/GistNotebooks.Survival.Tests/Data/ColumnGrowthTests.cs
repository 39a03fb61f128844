using System.Globalization;
using System.Text;
using CsCheck;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Reconstruction;
using GistNotebooks.Testing;

namespace GistNotebooks.Survival.Tests.Data;

/// <summary>
/// A column's storage starts small and grows to full chunks: every length, across the boundaries where the first chunk
/// doubles and where a second chunk starts, reads back cell for cell, whether the column stays numbers or turns to labels.
/// </summary>
public class ColumnGrowthTests
{
    private static readonly int[] Boundaries = [1, 2, 63, 64, 65, 127, 128, 129, 4_096, 65_535, 65_536, 65_537, 131_073];

    [Fact]
    public void Every_length_across_the_growth_boundaries_reads_back_cell_for_cell()
    {
        foreach (var length in Boundaries)
        {
            foreach (var turnAt in new int?[] { null, 0, length / 2, length - 1 })
            {
                var cells = Cells(length, turnAt, missingEvery: 7);
                AssertReadsBack(cells, turnAt is null ? ColumnKind.Numbers : ColumnKind.Labels);
            }
        }
    }

    [Fact]
    public void Random_columns_read_back_cell_for_cell()
    {
        Gen.Select(Gen.Int[1, 700], Gen.Int[0, 800], Gen.Int[2, 9]).SampleFixed(
            (length, turn, missingEvery) =>
            {
                int? turnAt = turn < length ? turn : null;
                AssertReadsBack(Cells(length, turnAt, missingEvery), turnAt is null ? ColumnKind.Numbers : ColumnKind.Labels);
            },
            seed: "0N0XIzNsQ0O2",
            iter: 200);
    }

    [Fact]
    public void A_reconstructed_cohort_takes_kilobytes_not_megabytes()
    {
        // Each of an ensemble's hundreds of cohorts becomes a table; with a full 65,536-row chunk per column, 18 rows
        // took over half a megabyte a column.
        var claims = ClaimSet.Load(TestData.NunobeClaims);
        var cohort = CohortReconstruction.Reconstruct(claims, new ReconstructionOptions { Seed = 3, Count = 1 }).Cohorts[0];
        cohort.ToTable();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var table = cohort.ToTable();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(cohort.RowCount, table.RowCount);
        Assert.True(allocated < 4_096 * cohort.Columns.Length, $"{allocated:N0} bytes for {cohort.Columns.Length} columns of {cohort.RowCount} rows");
    }

    private static string?[] Cells(int length, int? turnAt, int missingEvery)
    {
        var cells = new string?[length];
        for (var i = 0; i < length; i++)
        {
            cells[i] = turnAt is int t && i == t ? "label " + i.ToString(CultureInfo.InvariantCulture)
                : i % missingEvery == 3 ? null
                : (i % 5 == 0 ? (i / 4.0).ToString("0.00", CultureInfo.InvariantCulture) : (i * 0.5).ToString(CultureInfo.InvariantCulture));
        }

        return cells;
    }

    private static void AssertReadsBack(string?[] cells, ColumnKind kind)
    {
        var text = new StringBuilder("x\n");
        foreach (var cell in cells)
        {
            text.Append(cell ?? "NA").Append('\n');
        }

        var table = ColumnTable.ParseCsv(text.ToString(), "growth");
        Assert.Equal(cells.Length, table.RowCount);
        Assert.Equal(kind, table.KindOf("x"));
        Assert.Equal(cells, table.GetText("x"));
        for (var i = 0; i < cells.Length; i++)
        {
            Assert.Equal(cells[i] is null, table.IsMissing("x", i));
        }
    }
}
