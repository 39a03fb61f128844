namespace GistNotebooks.Notebooks.Execution;

/// <summary>Settings of one notebook run.</summary>
/// <param name="CellTimeLimit">
/// The longest a cell may run; a cell that runs past it fails like any other. Null (the default) means no limit.
/// </param>
public sealed record NotebookRunOptions(TimeSpan? CellTimeLimit = null)
{
    /// <summary>No time limit.</summary>
    public static NotebookRunOptions Default { get; } = new();
}

/// <summary>What the runner is doing, for a progress line.</summary>
/// <param name="Notebook">The notebook's file name.</param>
/// <param name="CellNumber">The cell that is about to run (counting from 1).</param>
/// <param name="CellCount">The number of cells in the notebook.</param>
/// <param name="FirstLine">The cell's first non-empty line.</param>
public sealed record CellProgress(string Notebook, int CellNumber, int CellCount, string FirstLine);
