using System.Diagnostics;
using System.Globalization;
using System.Text;
using GistNotebooks.Cli.Commands;
using GistNotebooks.Survival.Data;
using static GistNotebooks.Cli.Tests.Gistnb;

namespace GistNotebooks.Cli.Tests.Faults;

/// <summary>
/// The fault corpus of work that would not end or not fit: a group, strata or factor column with too many levels is
/// refused at once with a message that counts them (and suspects an identifier), and an array too large for .NET or
/// for the machine is refused before it is allocated, with the estimate.
/// </summary>
public sealed class BoundedWorkTests
{
    /// <summary>A file of <paramref name="rows"/> subjects in <paramref name="groups"/> groups, with a competing-risks status.</summary>
    private static string Groups(int rows, int groups)
    {
        var path = Path.Combine(FaultNotebooks.NewFolder(), FormattableString.Invariant($"groups-{groups}.csv"));
        var text = new StringBuilder("time,event,status,group,age\n");
        var random = new Random(20051130);
        for (var i = 0; i < rows; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{1 + random.Next(1000) / 10.0},{random.Next(2)},{random.Next(3)},g{i % groups},{40 + random.Next(40)}\n");
        }

        File.WriteAllText(path, text.ToString());
        return path;
    }

    [Fact]
    public void A_log_rank_test_over_an_identifier_column_is_refused_at_once()
    {
        var file = Groups(50_000, 50_000);
        var clock = Stopwatch.StartNew();

        var (exit, _, error) = Run("analyze", "logrank", "--data", file, "--time", "time", "--event", "event", "--group", "group");

        Assert.Equal(2, exit);
        Assert.Contains("the group column has 50,000 distinct values in 50,000 rows; the log-rank test allows at most 1,000", error, StringComparison.Ordinal);
        Assert.Contains("is it an identifier rather than a group column?", error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "refusing took " + clock.Elapsed);
    }

    [Fact]
    public void Strata_past_the_limit_are_refused()
    {
        var file = Groups(3_000, 1_001);

        var (exit, _, error) = Run("analyze", "logrank", "--data", file, "--time", "time", "--event", "event", "--group", "event", "--strata", "group");

        Assert.Equal(2, exit);
        Assert.Contains("the strata column has 1,001 distinct values in 3,000 rows; the stratified log-rank test allows at most 1,000", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Grays_test_over_more_than_a_hundred_groups_is_refused_rather_than_left_running()
    {
        var file = Groups(3_000, 101);

        var (exit, _, error) = Run("analyze", "cif", "--data", file, "--time", "time", "--status", "status", "--group", "group");

        Assert.Equal(2, exit);
        Assert.Contains("the group column has 101 distinct values in 3,000 rows; Gray's test allows at most 100", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cox_factor_with_thousands_of_levels_is_refused_with_the_column_named()
    {
        var file = Groups(3_000, 3_000);

        var (exit, _, error) = Run("analyze", "cox", "--data", file, "--time", "time", "--event", "event", "--covariates", "group");

        Assert.Equal(2, exit);
        Assert.Contains("column 'group': the factor column has 3,000 distinct values in 3,000 rows; a model allows at most 1,000", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_array_beyond_what_dotnet_or_the_machine_can_hold_is_refused_with_its_estimate_and_sizes_are_64_bit()
    {
        // 50,000 × 50,000 overflows a 32-bit count (2.5 × 10⁹); the check multiplies in 64 bits.
        var e = Assert.Throws<DataValidationException>(() => LevelLimit.CheckSize("the variance matrix", 50_000, 50_000));

        Assert.Contains("the variance matrix would hold 50,000 rows × 50,000 columns, about 18.6 GB", e.Message, StringComparison.Ordinal);
        LevelLimit.CheckSize("a small matrix", 1_000, 1_000);
    }

    [Fact]
    public async Task A_file_larger_than_the_memory_it_may_use_is_refused_before_a_row_is_read_with_the_estimate()
    {
        // A two-gigabyte file on a small machine, scaled down: 200,000 rows against a budget of one megabyte, in a
        // process of its own so that the budget reaches no other test. Only the columns km reads (time, event) count.
        var file = Groups(200_000, 2);
        var command = NotebookCommands.WorkerCommand();
        var start = new ProcessStartInfo(command.FileName) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in command.Arguments.SkipLast(1).Concat(["analyze", "km", "--data", file, "--time", "time", "--event", "event"]))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GISTNB_MEMORY_BUDGET"] = "1000000";
        using var gistnb = Process.Start(start)!;
        var output = gistnb.StandardOutput.ReadToEndAsync();
        var error = await gistnb.StandardError.ReadToEndAsync();
        await gistnb.WaitForExitAsync();

        Assert.Equal(2, gistnb.ExitCode);
        Assert.Empty(await output);
        Assert.Matches(@"^gistnb: .*groups-2\.csv: reading it needs about [0-9.]+ MB of memory \([0-9.]+ MB of text, about [0-9,]+ rows × 2 columns kept × 28 bytes per cell\), more than the 976\.6 KB available; nothing was read\.", error.Trim());
    }
}
