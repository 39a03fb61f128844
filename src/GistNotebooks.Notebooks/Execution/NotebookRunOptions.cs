namespace GistNotebooks.Notebooks.Execution;

/// <summary>Settings of one notebook run.</summary>
/// <param name="CellTimeLimit">
/// The longest a cell may run; a cell that runs past it fails like any other. Null (the default) means no limit.
/// </param>
public sealed record NotebookRunOptions(TimeSpan? CellTimeLimit = null)
{
    /// <summary>
    /// The command that starts a notebook worker process (see <see cref="NotebookWorker"/>). When set, a run's notebooks
    /// execute in such child processes (one for a single run, <see cref="Workers"/> for a reproduction, each taking
    /// notebook after notebook), so that a cell which ends its process (for example
    /// with <see cref="Environment.Exit(int)"/>, <see cref="Environment.FailFast(string)"/>, a stack overflow or an
    /// exception left unhandled on another thread) becomes the failure of that cell, and a cell past its time limit is
    /// stopped by ending the process. Null (the default) runs the notebooks in the calling process.
    /// </summary>
    public NotebookWorkerCommand? Worker { get; init; }

    /// <summary>
    /// How many worker processes a reproduction runs its notebooks in at once (each notebook still gets a fresh kernel);
    /// null (the default) means two on a machine with two or more cores, else one. Used only with <see cref="Worker"/>:
    /// notebooks that run in the calling process share its <see cref="Console"/>, so they run one at a time.
    /// </summary>
    public int? Workers { get; init; }

    /// <summary>No time limit.</summary>
    public static NotebookRunOptions Default { get; } = new();
}

/// <summary>What the runner is doing, for a progress line.</summary>
/// <param name="Notebook">The notebook's file name.</param>
/// <param name="CellNumber">The cell that is about to run (counting from 1).</param>
/// <param name="CellCount">The number of cells in the notebook.</param>
/// <param name="FirstLine">The cell's first non-empty line.</param>
public sealed record CellProgress(string Notebook, int CellNumber, int CellCount, string FirstLine);

/// <summary>How to start a notebook worker process: a program and its arguments, passed through unchanged.</summary>
/// <param name="FileName">The program, for example the <c>gistnb</c> executable or <c>dotnet</c>.</param>
/// <param name="Arguments">Its arguments, ending with <see cref="NotebookWorker.Argument"/>.</param>
public sealed record NotebookWorkerCommand(string FileName, IReadOnlyList<string> Arguments);
