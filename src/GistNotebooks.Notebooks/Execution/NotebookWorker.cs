using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GistNotebooks.Notebooks.Execution;

/// <summary>
/// The child side of an isolated run: a process that reads notebooks from its standard input, runs each one with
/// <see cref="NotebookRunner"/>, and reports every cell on its standard output, so that a cell which ends the process
/// ends only the worker and its parent can name the cell.
/// </summary>
/// <remarks>
/// The worker's standard output carries only the protocol: while it serves, <see cref="Console.Out"/> is pointed at
/// standard error (which the parent reads and keeps the end of, to explain a crash), so that text a cell prints from
/// another thread can neither corrupt the protocol nor reach the parent's own output; <see cref="Console.In"/> is empty.
/// Every thread of the worker formats with the invariant culture, so notebooks print the same numbers for every user.
/// </remarks>
public static class NotebookWorker
{
    /// <summary>The argument by which a program is asked to serve as a notebook worker.</summary>
    public const string Argument = "__notebook-worker";

    /// <summary>Serves notebooks until <paramref name="input"/> ends; returns the process exit code (0).</summary>
    /// <param name="input">The parent's requests, one JSON line per notebook (the process's standard input).</param>
    /// <param name="output">The answers (the process's standard output, opened before anything else writes to it).</param>
    public static async Task<int> ServeAsync(Stream input, Stream output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        RunnerWarmUp.StartCompiler();

        // Notebooks print the same numbers under any user's culture ("63.7%", never "63,7%").
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        Console.SetOut(Console.Error);
        Console.SetIn(TextReader.Null);
        using var requests = new StreamReader(input, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        using var answers = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = false, NewLine = "\n" };
        var gate = new Lock();
        void Send(WorkerMessage message)
        {
            lock (gate)
            {
                answers.WriteLine(JsonSerializer.Serialize(message, WorkerJson.Default.WorkerMessage));
                answers.Flush();
            }
        }

        while (await requests.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var request = JsonSerializer.Deserialize(line, WorkerJson.Default.WorkerRequest)
                ?? throw new InvalidDataException("the notebook worker was sent an empty request.");
            var document = WorkerProtocol.Document(request);
            var progress = new ImmediateProgress<CellProgress>(c => Send(new WorkerMessage(WorkerProtocol.CellStarted, Cell: c.CellNumber)));
            var run = await NotebookRunner.RunAsync(
                document,
                NotebookRunOptions.Default,
                progress,
                cell => Send(new WorkerMessage(WorkerProtocol.CellExecuted, Executed: WorkerProtocol.Executed(cell))),
                cell => Send(new WorkerMessage(WorkerProtocol.CellOutputSoFar, Executed: WorkerProtocol.Executed(cell))),
                CancellationToken.None).ConfigureAwait(false);
            Send(new WorkerMessage(WorkerProtocol.NotebookDone, Run: WorkerProtocol.Run(run)));
        }

        return 0;
    }

    private sealed class ImmediateProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
