using System.Collections.Immutable;
using System.Diagnostics;
using GistNotebooks.Notebooks.Documents;
using GistNotebooks.Notebooks.Kernel;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;

namespace GistNotebooks.Notebooks.Execution;

/// <summary>
/// Executes a notebook headless, cell by cell, in a fresh kit kernel with the notebook's folder as the current
/// directory, and stops at the first failing cell. The source file is only read.
/// </summary>
/// <remarks>
/// The kernel redirects <see cref="Console"/> for the whole process while a cell runs, so two notebooks must not
/// run at the same time in one process; calls are serialised by a process-wide lock.
/// </remarks>
public static class NotebookRunner
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>Runs every cell of a notebook in order.</summary>
    /// <param name="document">The notebook.</param>
    /// <param name="options">Time limit per cell; defaults to none.</param>
    /// <param name="progress">Told before each code cell runs; may be null.</param>
    /// <param name="cancellationToken">Stops the run between cells.</param>
    /// <returns>The executed cells up to and including the first failure.</returns>
    public static Task<NotebookRun> RunAsync(NotebookDocument document, NotebookRunOptions? options = null, IProgress<CellProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunAsync(document, options, progress, onCellExecuted: null, onOutputSoFar: null, cancellationToken);

    /// <summary>
    /// Runs every cell of a notebook in order, telling <paramref name="onCellExecuted"/> about each cell as it ends and
    /// <paramref name="onOutputSoFar"/>, at most every <see cref="OutputSoFarInterval"/>, about what the running cell
    /// has shown so far (so that a parent which stops the cell keeps it).
    /// </summary>
    internal static async Task<NotebookRun> RunAsync(NotebookDocument document, NotebookRunOptions? options, IProgress<CellProgress>? progress, Action<ExecutedCell>? onCellExecuted, Action<ExecutedCell>? onOutputSoFar, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        options ??= NotebookRunOptions.Default;
        RunnerWarmUp.Start();
        await OneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        var previousDirectory = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = Path.GetDirectoryName(document.Path)!;
            return await RunCellsAsync(document, options, progress, onCellExecuted, onOutputSoFar, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
            OneAtATime.Release();
        }
    }

    /// <summary>How often at most the output of a running cell is reported while it runs.</summary>
    internal static readonly TimeSpan OutputSoFarInterval = TimeSpan.FromMilliseconds(500);

    private static async Task<NotebookRun> RunCellsAsync(NotebookDocument document, NotebookRunOptions options, IProgress<CellProgress>? progress, Action<ExecutedCell>? onCellExecuted, Action<ExecutedCell>? onOutputSoFar, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();

        // Formatters are static: what one notebook registered must not make the next one pass by accident.
        Microsoft.DotNet.Interactive.Formatting.Formatter.ResetToDefault();
        var packages = new List<LoadedPackage>();
        using var kernel = KitKernel.Create(p => packages.Add(new LoadedPackage(p.PackageName, p.PackageVersion)));
        var executed = new List<ExecutedCell>();
        var executionCount = 0;
        var collector = new OutputCollector();
        CellFailure? failure = null;
        foreach (var cell in document.Cells)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (cell.Kind != CellKind.Code)
            {
                // Prose and raw cells are passed through; a raw cell is never sent to a kernel.
                executed.Add(new ExecutedCell(cell, [], null, TimeSpan.Zero));
                onCellExecuted?.Invoke(executed[^1]);
                continue;
            }

            progress?.Report(new CellProgress(document.FileName, cell.Number, document.Cells.Length, cell.FirstLine));
            executionCount++;
            var count = executionCount;
            Action<ImmutableArray<CellOutput>>? soFar = onOutputSoFar is null ? null : o => onOutputSoFar(new ExecutedCell(cell, o, count, TimeSpan.Zero));
            var (outputs, error, duration) = await RunCellAsync(kernel, cell, options, executed, collector, soFar).ConfigureAwait(false);
            executed.Add(new ExecutedCell(cell, outputs, executionCount, duration));
            onCellExecuted?.Invoke(executed[^1]);
            if (error is not null)
            {
                failure = new CellFailure(document.FileName, cell.Number, cell.FirstLine, error);
                break;
            }
        }

        return new NotebookRun(document, [.. executed], failure, [.. packages], clock.Elapsed);
    }

    private static async Task<(ImmutableArray<CellOutput> Outputs, string? Error, TimeSpan Duration)> RunCellAsync(CompositeKernel kernel, NotebookCell cell, NotebookRunOptions options, List<ExecutedCell> earlier, OutputCollector outputCollector, Action<ImmutableArray<CellOutput>>? onOutputSoFar)
    {
        if (MissingLocalReference(cell) is { } missing)
        {
            return ([CellOutput.Error("BuildFirst", missing)], missing, TimeSpan.Zero);
        }

        if (kernel.FindKernelByName(cell.KernelName) is null)
        {
            var message = $"this cell is for the '{cell.KernelName}' kernel; the kit's kernel has only C#, HTML and value cells.";
            return ([CellOutput.Error("UnsupportedKernel", message)], message, TimeSpan.Zero);
        }

        var outputs = new List<CellOutput>();
        string? error = null;
        var gate = new Lock();
        var command = new SubmitCode(cell.Source, cell.KernelName);
        using var subscription = kernel.KernelEvents.Subscribe(e =>
        {
            lock (gate)
            {
                error ??= outputCollector.Collect(e, outputs, earlier);
            }
        });

        var clock = Stopwatch.StartNew();
        var run = kernel.SendAsync(command);
        if (onOutputSoFar is not null)
        {
            // A snapshot only when something new arrived: a quiet cell costs nothing, a loud one a copy per interval.
            var reported = 0L;
            while (await Task.WhenAny(run, Task.Delay(OutputSoFarInterval)).ConfigureAwait(false) != run)
            {
                ImmutableArray<CellOutput>? snapshot = null;
                lock (gate)
                {
                    if (outputCollector.Collected != reported)
                    {
                        reported = outputCollector.Collected;
                        snapshot = outputCollector.Snapshot(outputs);
                    }
                }

                if (snapshot is { } soFar)
                {
                    onOutputSoFar(soFar);
                }
            }
        }

        if (options.CellTimeLimit is { } limit)
        {
            var finished = await Task.WhenAny(run, Task.Delay(limit)).ConfigureAwait(false);
            if (finished != run)
            {
                // Cancel stops code that observes cancellation; a loop that never yields keeps its thread, which
                // ends with the process. The run stops here either way.
                _ = kernel.SendAsync(new Cancel());
                var message = FormattableString.Invariant($"the cell ran past the time limit of {limit.TotalSeconds:0.###} s.");
                lock (gate)
                {
                    outputCollector.Flush(outputs);
                    outputs.Add(CellOutput.Error("TimeLimitExceeded", message));
                    return ([.. outputs], message, clock.Elapsed);
                }
            }
        }

        var result = await run.ConfigureAwait(false);
        lock (gate)
        {
            // The failure is also on the result; take it from there if the event stream did not carry it.
            if (error is null && result.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed)
            {
                error = outputCollector.Collect(failed, outputs, earlier);
            }

            outputCollector.Flush(outputs);
            return ([.. outputs], error, clock.Elapsed);
        }
    }

    /// <summary>
    /// A <c>#r</c> of a local dll that does not exist would fail with the compiler's CS0006; a reader needs to know
    /// the library has not been built yet. The kit's own libraries are not reported: the kernel serves its copies.
    /// </summary>
    private static string? MissingLocalReference(NotebookCell cell)
    {
        foreach (var match in KitKernel.LocalReferences(cell.Source))
        {
            var path = match.Groups["path"].Value;
            if (File.Exists(path) || KitKernel.ServedCopy(path) is not null)
            {
                continue;
            }

            var name = Path.GetFileNameWithoutExtension(path);
            return $"build first: {Path.GetFullPath(path)} does not exist. Run `dotnet build` in the repository "
                + $"(it builds {name} and copies it to artifacts/kit/), then run the notebook again.";
        }

        return null;
    }
}
