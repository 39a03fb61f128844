using GistNotebooks.Cli.Infrastructure;
using GistNotebooks.Notebooks.Execution;
using GistNotebooks.Notebooks.Reproduction;

namespace GistNotebooks.Cli.Tests.Infrastructure;

public class ProgressLinesTests
{
    /// <summary>A clock that moves only when told, in whole milliseconds.</summary>
    private sealed class StepClock : TimeProvider
    {
        public long Milliseconds { get; set; }

        public override long TimestampFrequency => 1000;

        public override long GetTimestamp() => Milliseconds;
    }

    [Fact]
    public void Each_notebook_ends_with_its_elapsed_time_and_the_run_with_the_total()
    {
        var clock = new StepClock();
        using var error = new StringWriter();
        var progress = new ProgressLines(error, clock);

        // Two notebooks: the first starts at 0.2 s and runs 3.24 s; the second runs 61.51 s; the run ends at 64.95 s.
        clock.Milliseconds = 200;
        progress.Report(new RunProgress(1, 2, "01-cohort.ipynb", null));
        clock.Milliseconds = 1200;
        progress.Report(new RunProgress(1, 2, "01-cohort.ipynb", new CellProgress("01-cohort.ipynb", 2, 3, "var claims = NotebookClaims.Load(\"claims.json\");")));
        clock.Milliseconds = 3440;
        progress.Report(new RunProgress(1, 2, "01-cohort.ipynb", null, TimeSpan.FromSeconds(3.24)));
        progress.Report(new RunProgress(2, 2, "02-survival.ipynb", null));
        clock.Milliseconds = 64_950;
        progress.Finish();

        Assert.Equal(
            [
                "[1/2] 01-cohort.ipynb",
                "[1/2] 01-cohort.ipynb  cell 2/3: var claims = NotebookClaims.Load(\"claims.json\");",
                "[1/2] 01-cohort.ipynb  ended after 3.2 s",
                "[2/2] 02-survival.ipynb",
                "[2/2] 02-survival.ipynb  ended after 1 min 02 s",
                "2 notebooks in 1 min 05 s",
            ],
            error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Two_notebooks_running_at_once_keep_their_own_times()
    {
        var clock = new StepClock();
        using var error = new StringWriter();
        var progress = new ProgressLines(error, clock, live: true);
        const string Erase = "\r\u001b[2K";

        progress.Report(new RunProgress(1, 3, "a.ipynb", null));
        clock.Milliseconds = 100;
        progress.Report(new RunProgress(2, 3, "b.ipynb", null));
        clock.Milliseconds = 600;
        progress.Report(new RunProgress(1, 3, "a.ipynb", new CellProgress("a.ipynb", 2, 2, "1")));
        clock.Milliseconds = 900;
        progress.Report(new RunProgress(2, 3, "b.ipynb", new CellProgress("b.ipynb", 2, 2, "2")));
        clock.Milliseconds = 1000;
        progress.Report(new RunProgress(2, 3, "b.ipynb", null, TimeSpan.FromSeconds(0.9)));
        progress.Report(new RunProgress(3, 3, "c.ipynb", null));
        clock.Milliseconds = 3000;
        progress.Finish();

        var nl = Environment.NewLine;
        Assert.Equal(
            "[1/3] a.ipynb" + nl
                + "[2/3] b.ipynb" + nl
                + Erase + "[1/3] a.ipynb  cell 2/2: 1  (0.6 s)"
                + Erase + "[2/3] b.ipynb  cell 2/2: 2  (0.8 s)"
                + Erase + "[2/3] b.ipynb  ended after 0.9 s" + nl
                + "[3/3] c.ipynb" + nl
                + "[1/3] a.ipynb  ended after 3.0 s" + nl
                + "[3/3] c.ipynb  ended after 2.0 s" + nl
                + "3 notebooks in 3.0 s" + nl,
            error.ToString());
    }

    [Fact]
    public void A_notebook_seen_first_through_a_cell_still_gets_its_end_line()
    {
        var clock = new StepClock();
        using var error = new StringWriter();
        var progress = new ProgressLines(error, clock);

        progress.Report(new RunProgress(1, 1, "a.ipynb", new CellProgress("a.ipynb", 1, 1, new string('x', 80))));
        clock.Milliseconds = 400;
        progress.Finish();

        Assert.Equal(
            ["[1/1] a.ipynb  cell 1/1: " + new string('x', 57) + "...", "[1/1] a.ipynb  ended after 0.4 s", "1 notebook in 0.4 s"],
            error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData(0.04, "0.0 s")]
    [InlineData(12.34, "12.3 s")]
    [InlineData(59.94, "59.9 s")]
    [InlineData(59.96, "1 min 00 s")]
    [InlineData(125, "2 min 05 s")]
    [InlineData(3725, "1 h 02 min")]
    public void Elapsed_times_read_in_seconds_minutes_or_hours(double seconds, string text)
        => Assert.Equal(text, ProgressLines.Elapsed(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void On_a_terminal_the_cells_share_one_status_line_and_the_notebooks_lines_stay()
    {
        var clock = new StepClock();
        using var error = new StringWriter();
        var progress = new ProgressLines(error, clock, live: true);
        const string Erase = "\r\u001b[2K";

        progress.Report(new RunProgress(1, 1, "a.ipynb", null));
        clock.Milliseconds = 500;
        progress.Report(new RunProgress(1, 1, "a.ipynb", new CellProgress("a.ipynb", 2, 4, "var x = 1;")));
        clock.Milliseconds = 1500;
        progress.Report(new RunProgress(1, 1, "a.ipynb", new CellProgress("a.ipynb", 4, 4, "x")));
        clock.Milliseconds = 2000;
        progress.Finish();

        var nl = Environment.NewLine;
        Assert.Equal(
            "[1/1] a.ipynb" + nl
                + Erase + "[1/1] a.ipynb  cell 2/4: var x = 1;  (0.5 s)"
                + Erase + "[1/1] a.ipynb  cell 4/4: x  (1.5 s)"
                + Erase + "[1/1] a.ipynb  ended after 2.0 s" + nl
                + "1 notebook in 2.0 s" + nl,
            error.ToString());
    }

    [Fact]
    public void A_writer_other_than_the_process_standard_error_is_never_a_terminal()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.False(new CliConsole(output, error).ErrorIsTerminal);
    }
}
