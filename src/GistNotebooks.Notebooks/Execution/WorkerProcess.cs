using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GistNotebooks.Notebooks.Documents;

namespace GistNotebooks.Notebooks.Execution;

/// <summary>
/// The parent side of an isolated run: one <see cref="NotebookWorker"/> process that runs the notebooks of a run one
/// after another, a warm worker left by an earlier run when one is free (see <see cref="WarmWorkers"/>), else a child
/// started for this run. When the worker ends in the middle of a notebook, or a cell runs past its time limit (the
/// worker is then killed), the notebook's run ends with that cell's failure and the next notebook gets a new worker.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly NotebookWorkerCommand command;
    private Task<WorkerLink>? linking;

    public WorkerProcess(NotebookWorkerCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        this.command = command;
    }

    /// <summary>Finds or starts the worker now (it is also done on demand), so that its start-up overlaps the caller's.</summary>
    public void Start()
    {
        if (linking is { IsCompleted: false } || (linking is { IsCompletedSuccessfully: true } && linking.Result.IsAlive))
        {
            return;
        }

        Stop();
        linking = Task.Run(() => WarmWorkers.TryConnect(command) ?? ChildWorker.Start(command));
    }

    /// <summary>Runs one notebook in the worker; never throws for what a cell does.</summary>
    public async Task<NotebookRun> RunAsync(NotebookDocument document, TimeSpan? cellTimeLimit, IProgress<CellProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        Start();
        var link = await linking!.ConfigureAwait(false);
        var executed = new List<ExecutedCell>();
        await link.SendAsync(JsonSerializer.Serialize(WorkerProtocol.Request(document), WorkerJson.Default.WorkerRequest), cancellationToken).ConfigureAwait(false);

        NotebookCell? running = null;
        var runningSince = TimeSpan.Zero;
        ImmutableArray<CellOutput> shownSoFar = [];
        WorkerMessage? lastWord = null;
        while (true)
        {
            using var cellClock = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (running is not null && cellTimeLimit is { } limit)
            {
                // The limit runs from the cell's start, not from its last output: a cell that keeps printing is stopped too.
                var left = limit - (clock.Elapsed - runningSince);
                cellClock.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            }

            string line;
            try
            {
                if (!await link.Answers.WaitToReadAsync(cellClock.Token).ConfigureAwait(false) || !link.Answers.TryRead(out line!))
                {
                    var description = await link.ExitDescriptionAsync(lastWord).ConfigureAwait(false);
                    Stop();
                    return Ended(document, executed, running, shownSoFar, description, clock.Elapsed);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Stop();
                var message = FormattableString.Invariant($"the cell ran past the time limit of {cellTimeLimit!.Value.TotalSeconds:0.###} s.");
                var kept = shownSoFar.IsEmpty ? string.Empty : " What it had shown by then is kept above.";
                return Failed(document, executed, running!, shownSoFar, "TimeLimitExceeded", message + " Its process was stopped." + kept, message, clock.Elapsed);
            }
            catch (OperationCanceledException)
            {
                Stop();
                throw;
            }

            var answer = JsonSerializer.Deserialize(line, WorkerJson.Default.WorkerMessage)
                ?? throw new InvalidDataException("the notebook worker sent an empty answer.");
            switch (answer.Kind)
            {
                case WorkerProtocol.CellStarted when answer.Cell is int number:
                    running = document.Cells[number - 1];
                    runningSince = clock.Elapsed;
                    shownSoFar = [];
                    progress?.Report(new CellProgress(document.FileName, number, document.Cells.Length, running.FirstLine));
                    break;
                case WorkerProtocol.CellOutputSoFar when answer.Executed is { } soFar:
                    shownSoFar = WorkerProtocol.Executed(soFar, document).Outputs;
                    break;
                case WorkerProtocol.CellExecuted when answer.Executed is { } cell:
                    executed.Add(WorkerProtocol.Executed(cell, document));
                    running = null;
                    shownSoFar = [];
                    break;
                case WorkerProtocol.NotebookDone when answer.Run is { } run:
                    return WorkerProtocol.Run(run, document);
                case WorkerProtocol.ProcessExiting or WorkerProtocol.ProcessCrashing:
                    lastWord = answer;
                    break;
                default:
                    throw new InvalidDataException("the notebook worker sent an answer this runner does not know: " + answer.Kind);
            }
        }
    }

    /// <summary>Ends the worker (and anything it started) if it is still running: it is in an unknown state.</summary>
    public void Stop()
    {
        if (linking is null)
        {
            return;
        }

        try
        {
            linking.GetAwaiter().GetResult().Kill();
        }
        catch (NotebookException)
        {
            // It never started; nothing to stop.
        }

        linking = null;
    }

    /// <summary>Lets the worker go: a child ends (its input closes), a warm worker waits for the next run.</summary>
    public void Dispose()
    {
        if (linking is null)
        {
            return;
        }

        try
        {
            linking.GetAwaiter().GetResult().Dispose();
        }
        catch (NotebookException)
        {
            // It never started; nothing to let go.
        }

        linking = null;
    }

    /// <summary>
    /// How a worker ended, for the failure of the cell it ended in: its exit code and what it means, and the last lines
    /// it wrote to its standard error.
    /// </summary>
    internal static string Describe(int? code, string? ending, string lastWords)
    {
        var how = ending ?? code switch
        {
            null => " (it stopped answering and was stopped)",
            134 => " (aborted: Environment.FailFast, a stack overflow or an unhandled exception)",
            137 => " (killed)",
            0 => " (the cell called Environment.Exit)",
            _ => string.Empty,
        };
        var words = LastLines(lastWords);
        return string.Create(CultureInfo.InvariantCulture, $"the notebook's process ended during this cell with exit code {code?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}{how}; a cell must not end its process")
            + (words.Length > 0 ? ". Its last words: " + words : ".");
    }

    private static string LastLines(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("at ", StringComparison.Ordinal))
            .ToList();
        var last = string.Join(" | ", lines.TakeLast(3));
        return last.Length > 600 ? last[^600..] : last;
    }

    private static NotebookRun Ended(NotebookDocument document, List<ExecutedCell> executed, NotebookCell? running, ImmutableArray<CellOutput> shownSoFar, string message, TimeSpan duration)
    {
        // Between cells (the kernel starting, or the notebook ending) the next cell not yet reported is named.
        var cell = running
            ?? document.Cells.FirstOrDefault(c => c.Number > (executed.Count == 0 ? 0 : executed[^1].Cell.Number) && c.Kind == CellKind.Code)
            ?? document.Cells.LastOrDefault()
            ?? new NotebookCell(1, "cell-01", CellKind.Code, "csharp", string.Empty);
        return Failed(document, executed, cell, running is null ? [] : shownSoFar, "ProcessEnded", message, message, duration);
    }

    /// <summary>The run up to a cell that did not end by itself: what the cell showed before, then the error that marks how it ended.</summary>
    private static NotebookRun Failed(NotebookDocument document, List<ExecutedCell> executed, NotebookCell cell, ImmutableArray<CellOutput> shownSoFar, string errorName, string outputMessage, string failureMessage, TimeSpan duration)
    {
        var count = executed.Count(c => c.ExecutionCount is not null) + 1;
        executed.RemoveAll(c => c.Cell.Number >= cell.Number);
        executed.Add(new ExecutedCell(cell, [.. shownSoFar, CellOutput.Error(errorName, outputMessage)], cell.Kind == CellKind.Code ? count : null, TimeSpan.Zero));
        return new NotebookRun(document, [.. executed], new CellFailure(document.FileName, cell.Number, cell.FirstLine, failureMessage), [], duration);
    }
}
