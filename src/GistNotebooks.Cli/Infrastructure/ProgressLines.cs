using System.Globalization;
using GistNotebooks.Notebooks.Reproduction;

namespace GistNotebooks.Cli.Infrastructure;

/// <summary>
/// The progress of <c>gistnb run</c> and <c>gistnb reproduce</c> as plain lines on standard error, with elapsed wall
/// times: a line when a notebook starts, one per cell as before, a line with the notebook's time when it ends, and a
/// last line with the time of the whole run. Two notebooks may run at once; every line names its notebook. On a
/// terminal (<c>live</c>), the cells share one status line that is redrawn in place, with the notebook's time so far,
/// and only the notebooks' lines stay on the screen; a log (standard error redirected) gets every line.
/// </summary>
internal sealed class ProgressLines
{
    private readonly TextWriter error;
    private readonly TimeProvider clock;
    private readonly bool live;
    private readonly long runStart;

    // The notebooks started and not yet ended, by number, with the time each started.
    private readonly SortedDictionary<int, (RunProgress Progress, long Start)> running = [];
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

    /// <summary>Writes the line of one progress event: a notebook's start, a cell, or a notebook's end.</summary>
    public void Report(RunProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var prefix = Prefix(progress);
        (RunProgress Progress, long Start) entry = default;
        if (progress.Ended is { } ran)
        {
            running.Remove(progress.NotebookNumber);
            WriteLine($"{prefix}  ended after {Elapsed(ran)}");
        }
        else if (!running.TryGetValue(progress.NotebookNumber, out entry))
        {
            entry = (progress, clock.GetTimestamp());
            running[progress.NotebookNumber] = entry;
            notebooks++;
            if (progress.Cell is null)
            {
                WriteLine(prefix);
            }
        }

        if (progress.Ended is null && progress.Cell is { } cell)
        {
            var line = cell.FirstLine.Length > 60 ? cell.FirstLine[..57] + "..." : cell.FirstLine;
            var text = FormattableString.Invariant($"{prefix}  cell {cell.CellNumber}/{cell.CellCount}: {line}");
            if (live)
            {
                // Carriage return, then erase the line: the status line is redrawn where it stands.
                error.Write("\r\u001b[2K" + text + "  (" + Elapsed(clock.GetElapsedTime(entry.Start)) + ")");
                statusShown = true;
            }
            else
            {
                error.WriteLine(text);
            }
        }

        error.Flush();
    }

    /// <summary>Ends the notebooks whose end was not reported (with their time so far) and writes the run's total time.</summary>
    public void Finish()
    {
        foreach (var (progress, start) in running.Values)
        {
            WriteLine($"{Prefix(progress)}  ended after {Elapsed(clock.GetElapsedTime(start))}");
        }

        running.Clear();
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
