using System.Collections.Immutable;
using GistNotebooks.Notebooks.Documents;

namespace GistNotebooks.Notebooks.Execution;

/// <summary>A cell after execution.</summary>
/// <param name="Cell">The cell as written.</param>
/// <param name="Outputs">What it produced, in order; a display updated in place appears once, with its last value.</param>
/// <param name="ExecutionCount">The count shown beside a code cell (1, 2, ...); null for prose and for cells not run.</param>
/// <param name="Duration">How long the cell ran.</param>
public sealed record ExecutedCell(NotebookCell Cell, ImmutableArray<CellOutput> Outputs, int? ExecutionCount, TimeSpan Duration);

/// <summary>The first cell that failed, named as a reader would look for it.</summary>
/// <param name="Notebook">The notebook's file name.</param>
/// <param name="CellNumber">The cell's position, counting from 1.</param>
/// <param name="FirstLine">The cell's first non-empty line.</param>
/// <param name="Message">The error.</param>
public sealed record CellFailure(string Notebook, int CellNumber, string FirstLine, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Notebook}, cell {CellNumber} ({FirstLine}): {Message}";
}

/// <summary>A package that a notebook loaded with <c>#r "nuget:..."</c>.</summary>
/// <param name="Name">The package id.</param>
/// <param name="Version">The version restored.</param>
public sealed record LoadedPackage(string Name, string Version);

/// <summary>One notebook executed by <see cref="NotebookRunner"/>.</summary>
/// <param name="Document">The notebook as read.</param>
/// <param name="Cells">The cells up to and including the last one run (all of them when nothing failed).</param>
/// <param name="Failure">The first failing cell, or null when every cell ran.</param>
/// <param name="Packages">Packages loaded by the notebook, in the order they were added.</param>
/// <param name="Duration">Wall time of the whole notebook, kernel start included.</param>
public sealed record NotebookRun(NotebookDocument Document, ImmutableArray<ExecutedCell> Cells, CellFailure? Failure, ImmutableArray<LoadedPackage> Packages, TimeSpan Duration)
{
    /// <summary>Whether every cell ran without error.</summary>
    public bool Succeeded => Failure is null;
}
