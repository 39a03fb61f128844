using System.Globalization;
using GistNotebooks.Notebooks.Reproduction;

namespace GistNotebooks.Cli.Infrastructure;

/// <summary>
/// The progress of <c>gistnb run</c> and <c>gistnb reproduce</c> as plain lines on standard error, with elapsed wall
/// times: a line when a notebook starts, one per cell as before, a line with the notebook's time when it ends (seen when
/// the next one starts, or at the end of the run), and a last line with the time of the whole run. On a terminal
/// (<c>live</c>), the cells share one status line that is redrawn in place, with the notebook's time so far, and only
/// the notebooks' lines stay on the screen; a log (standard error redirected) gets every line.
/// </summary>
internal sealed class ProgressLines
{
    private readonly TextWriter error;
    private readonly TimeProvider clock;
    private readonly bool live;
    private readonly long runStart;
    private RunProgress? current;
    private long notebookStart;
    private int notebooks;
    private bool statusShown;

    /// <param name="error">Where the lines go (standard error).</param>
    /// <param name="clock">The clock of the elapsed times (a test's own).</param>
    /// <param name="live">Redraw one status line for the cells (a terminal), rather than a line for each.</param>
    public ProgressLines(TextWriter error, TimeProvider? clock = null, bool live = false)
    {
        this.error = error;
        this.live = live;
        this.clock = clock ?? TimeProvider.System;
        runStart = this.clock.GetTimestamp();
    }

    /// <summary>Writes the line of one progress event, and the end of the previous notebook when this one is new.</summary>
    public void Report(RunProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var prefix = Prefix(progress);
        if (current is null || current.NotebookNumber != progress.NotebookNumber || current.Notebook != progress.Notebook)
        {
            EndNotebook();
            current = progress;
            notebookStart = clock.GetTimestamp();
            notebooks++;
            if (progress.Cell is null)
            {
                WriteLine(prefix);
            }
        }

        if (progress.Cell is { } cell)
        {
            var line = cell.FirstLine.Length > 60 ? cell.FirstLine[..57] + "..." : cell.FirstLine;
            var text = FormattableString.Invariant($"{prefix}  cell {cell.CellNumber}/{cell.CellCount}: {line}");
            if (live)
            {
                // Carriage return, then erase the line: the status line is redrawn where it stands.
                error.Write("\r\u001b[2K" + text + "  (" + Elapsed(clock.GetElapsedTime(notebookStart)) + ")");
                statusShown = true;
            }
            else
            {
                error.WriteLine(text);
            }
        }

        error.Flush();
    }

    /// <summary>Ends the last notebook and writes the run's total time.</summary>
    public void Finish()
    {
        EndNotebook();
        WriteLine(string.Create(CultureInfo.InvariantCulture, $"{notebooks} notebook{(notebooks == 1 ? string.Empty : "s")} in {Elapsed(clock.GetElapsedTime(runStart))}"));
        error.Flush();
    }

    /// <summary>An elapsed time as a reader wants it: 0.4 s, 12.3 s, 2 min 05 s, 1 h 02 min.</summary>
    internal static string Elapsed(TimeSpan time)
    {
        if (time < TimeSpan.FromSeconds(59.95))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, time.TotalSeconds):0.0} s");
        }

        var seconds = (long)Math.Round(time.TotalSeconds, MidpointRounding.AwayFromZero);
        return seconds < 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 60} min {seconds % 60:00} s")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600} h {seconds % 3600 / 60:00} min");
    }

    private static string Prefix(RunProgress progress) => FormattableString.Invariant($"[{progress.NotebookNumber}/{progress.NotebookCount}] {progress.Notebook}");

    private void EndNotebook()
    {
        if (current is not null)
        {
            WriteLine($"{Prefix(current)}  ended after {Elapsed(clock.GetElapsedTime(notebookStart))}");
            current = null;
        }
    }

    /// <summary>A line that stays: on a terminal, it first takes the place of the status line.</summary>
    private void WriteLine(string text)
    {
        if (statusShown)
        {
            error.Write("\r\u001b[2K");
            statusShown = false;
        }

        error.WriteLine(text);
    }
}
