using System.Collections.Immutable;
using System.Text.Json.Serialization;
using GistNotebooks.Notebooks.Documents;

namespace GistNotebooks.Notebooks.Execution;

/// <summary>
/// The lines a notebook worker and its parent exchange, one JSON object per line: the parent sends a
/// <see cref="WorkerRequest"/> per notebook; the worker answers with a <see cref="WorkerMessage"/> when a cell starts
/// (<c>cell</c>), with what a running cell has shown so far (<c>partial</c>, repeated while it runs and shows more),
/// when it ends (<c>executed</c>), and once with the whole run (<c>done</c>).
/// </summary>
internal static class WorkerProtocol
{
    public const string CellStarted = "cell";
    public const string CellOutputSoFar = "partial";
    public const string CellExecuted = "executed";
    public const string NotebookDone = "done";

    /// <summary>The process is exiting (a cell called <see cref="Environment.Exit"/>), with its exit code.</summary>
    public const string ProcessExiting = "exit";

    /// <summary>An exception no code caught is ending the process, with its text.</summary>
    public const string ProcessCrashing = "crash";

    public static WorkerRequest Request(NotebookDocument document) =>
        new(document.Path, document.ContentHash, [.. document.Cells.Select(c => new WorkerCell(c.Number, c.Id, c.Kind, c.KernelName, c.Source))]);

    public static NotebookDocument Document(WorkerRequest request) =>
        new(request.Path, [.. request.Cells.Select(c => new NotebookCell(c.Number, c.Id, c.Kind, c.KernelName, c.Source))], request.ContentHash);

    public static WorkerExecutedCell Executed(ExecutedCell cell) =>
        new(cell.Cell.Number, [.. cell.Outputs.Select(o => new WorkerOutput(o.Kind, o.Data.ToDictionary(StringComparer.Ordinal), o.Text, o.Name, o.ValueId))], cell.ExecutionCount, cell.Duration.TotalSeconds);

    public static ExecutedCell Executed(WorkerExecutedCell cell, NotebookDocument document) =>
        new(
            document.Cells[cell.Number - 1],
            [.. cell.Outputs.Select(o => new CellOutput(o.Kind, o.Data.ToImmutableDictionary(StringComparer.Ordinal), o.Text, o.Name, o.ValueId))],
            cell.ExecutionCount,
            TimeSpan.FromSeconds(cell.Seconds));

    public static WorkerRun Run(NotebookRun run) =>
        new([.. run.Cells.Select(Executed)], run.Failure, [.. run.Packages], run.Duration.TotalSeconds);

    public static NotebookRun Run(WorkerRun run, NotebookDocument document) =>
        new(document, [.. run.Cells.Select(c => Executed(c, document))], run.Failure, [.. run.Packages], TimeSpan.FromSeconds(run.Seconds));
}

/// <summary>One notebook for the worker to run; the cells travel with it, so the worker runs exactly what the parent read.</summary>
internal sealed record WorkerRequest(string Path, string ContentHash, WorkerCell[] Cells);

/// <summary>A cell as the worker needs it.</summary>
internal sealed record WorkerCell(int Number, string Id, CellKind Kind, string KernelName, string Source);

/// <summary>One output of an executed cell.</summary>
internal sealed record WorkerOutput(OutputKind Kind, Dictionary<string, string> Data, string Text, string Name, string? ValueId);

/// <summary>An executed cell, named by its number.</summary>
internal sealed record WorkerExecutedCell(int Number, WorkerOutput[] Outputs, int? ExecutionCount, double Seconds);

/// <summary>A whole notebook run.</summary>
internal sealed record WorkerRun(WorkerExecutedCell[] Cells, CellFailure? Failure, LoadedPackage[] Packages, double Seconds);

/// <summary>
/// What the worker says: a cell started (<see cref="Cell"/>), a cell ended (<see cref="Executed"/>), the notebook ended
/// (<see cref="Run"/>), or the process is ending (<see cref="ExitCode"/>, or an uncaught exception's <see cref="Text"/>).
/// </summary>
internal sealed record WorkerMessage(string Kind, int? Cell = null, WorkerExecutedCell? Executed = null, WorkerRun? Run = null, int? ExitCode = null, string? Text = null);

/// <summary>
/// The first line a run sends a warm worker: the run's environment variables, which the worker takes on for the
/// notebooks it runs next; or a request to stop.
/// </summary>
internal sealed record WorkerHello(Dictionary<string, string> Environment, bool Stop = false);

/// <summary>A warm worker's answer to <see cref="WorkerHello"/>: its process id, by which a run stops it when a cell runs too long.</summary>
internal sealed record WorkerWelcome(int ProcessId);

[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WorkerRequest))]
[JsonSerializable(typeof(WorkerMessage))]
[JsonSerializable(typeof(WorkerHello))]
[JsonSerializable(typeof(WorkerWelcome))]
internal sealed partial class WorkerJson : JsonSerializerContext;
