using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using GistNotebooks.Notebooks.Documents;

namespace GistNotebooks.Notebooks.Execution;

/// <summary>
/// The parent side of an isolated run: one <see cref="NotebookWorker"/> child process that runs the notebooks of a run
/// one after another. When the child ends in the middle of a notebook, or a cell runs past its time limit (the child
/// is then killed), the notebook's run ends with that cell's failure and the next notebook gets a new child.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private const int LastWordsLength = 4096;
    private readonly NotebookWorkerCommand command;
    private Process? process;
    private Channel<string>? answers;
    private Task? errorPump;
    private readonly StringBuilder lastWords = new();

    public WorkerProcess(NotebookWorkerCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        this.command = command;
    }

    /// <summary>Starts the child now (it is also started on demand), so that its start-up overlaps the caller's.</summary>
    public void Start()
    {
        if (process is { HasExited: false })
        {
            return;
        }

        Stop();
        var start = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardErrorEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        };
        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A worker spends its first seconds compiling (the runtime compiling Roslyn, Roslyn compiling cells), and the
        // runtime's default of re-compiling hot methods optimised after 100 ms without new methods then keeps the second
        // core busy with methods soon left behind. One second defers that until compiling quietens; code that runs long
        // (a simulation, a large fit) is still optimised after it. Measured on two workers, a warm reproduction's
        // processor time fell by about a sixth (28–33 s to 24–28 s). The value is hexadecimal, as the runtime reads it;
        // a value the user set is kept.
        start.Environment.TryAdd("DOTNET_TC_CallCountingDelayMs", "3E8");

        try
        {
            process = Process.Start(start) ?? throw new NotebookException($"{command.FileName}: the notebook worker process could not be started.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new NotebookException($"{command.FileName}: the notebook worker process could not be started ({e.Message}).", e);
        }

        process.StandardInput.NewLine = "\n";
        lock (lastWords)
        {
            lastWords.Clear();
        }

        var channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        answers = channel;
        var output = process.StandardOutput;
        _ = Task.Run(async () =>
        {
            try
            {
                while (await output.ReadLineAsync().ConfigureAwait(false) is { } line)
                {
                    await channel.Writer.WriteAsync(line).ConfigureAwait(false);
                }
            }
            catch (IOException)
            {
                // The child was killed; the end of its answers is what the reader needs to know.
            }
            finally
            {
                channel.Writer.TryComplete();
            }
        });
        var error = process.StandardError;
        errorPump = Task.Run(() => KeepLastWordsAsync(error));
    }

    /// <summary>Runs one notebook in the child; never throws for what a cell does.</summary>
    public async Task<NotebookRun> RunAsync(NotebookDocument document, TimeSpan? cellTimeLimit, IProgress<CellProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        Start();
        var executed = new List<ExecutedCell>();
        try
        {
            await process!.StandardInput.WriteLineAsync(JsonSerializer.Serialize(WorkerProtocol.Request(document), WorkerJson.Default.WorkerRequest)).ConfigureAwait(false);
            await process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The child ended before it could take the notebook; the read below reports how it ended.
        }

        NotebookCell? running = null;
        var runningSince = TimeSpan.Zero;
        ImmutableArray<CellOutput> shownSoFar = [];
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
                if (!await answers!.Reader.WaitToReadAsync(cellClock.Token).ConfigureAwait(false) || !answers.Reader.TryRead(out line!))
                {
                    return Ended(document, executed, running, shownSoFar, await ExitDescriptionAsync().ConfigureAwait(false), clock.Elapsed);
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
                default:
                    throw new InvalidDataException("the notebook worker sent an answer this runner does not know: " + answer.Kind);
            }
        }
    }

    /// <summary>Ends the child (and anything it started) if it is still running.</summary>
    public void Stop()
    {
        if (process is null)
        {
            return;
        }

        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit(5000);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // It ended on its own between the check and the kill.
        }

        process.Dispose();
        process = null;
    }

    /// <summary>Closes the child's input, which ends it, and waits a little for it to go.</summary>
    public void Dispose()
    {
        if (process is not null)
        {
            try
            {
                process.StandardInput.Close();
                process.WaitForExit(2000);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                // Stop below ends it either way.
            }
        }

        Stop();
    }

    private async Task KeepLastWordsAsync(StreamReader error)
    {
        var buffer = new char[4096];
        try
        {
            int read;
            while ((read = await error.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                lock (lastWords)
                {
                    lastWords.Append(buffer, 0, read);
                    if (lastWords.Length > 2 * LastWordsLength)
                    {
                        lastWords.Remove(0, lastWords.Length - LastWordsLength);
                    }
                }
            }
        }
        catch (IOException)
        {
            // The child was killed.
        }
    }

    private async Task<string> ExitDescriptionAsync()
    {
        var child = process!;
        int? code = null;
        try
        {
            // A child that closed its output without exiting is stopped; one that exited has its error text read to the end.
            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            code = child.ExitCode;
            if (errorPump is { } pump)
            {
                await pump.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            }
        }
        catch (TimeoutException)
        {
            // Reported with what is known.
        }

        string words;
        lock (lastWords)
        {
            words = LastLines(lastWords.ToString());
        }

        Stop();
        var how = code switch
        {
            null => " (it stopped answering and was stopped)",
            134 => " (aborted: Environment.FailFast, a stack overflow or an unhandled exception)",
            137 => " (killed)",
            0 => " (the cell called Environment.Exit)",
            _ => string.Empty,
        };
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
