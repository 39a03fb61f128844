using System.Collections.Immutable;

namespace GistNotebooks.Notebooks.Execution;

/// <summary>What kind of output a cell produced, as nbformat names them.</summary>
public enum OutputKind
{
    /// <summary>Text written to standard output or standard error (<c>stream</c>).</summary>
    Stream,

    /// <summary>A value the cell displayed (<c>display_data</c>).</summary>
    Display,

    /// <summary>The value of the cell's last expression (<c>execute_result</c>).</summary>
    Result,

    /// <summary>The error that stopped the cell (<c>error</c>).</summary>
    Error,
}

/// <summary>One output of an executed cell.</summary>
/// <param name="Kind">Stream, display, result or error.</param>
/// <param name="Data">For displays and results: the value formatted per mime type (text/html, text/plain, ...).</param>
/// <param name="Text">For streams: the text; for errors: the message.</param>
/// <param name="Name">For streams: <c>stdout</c> or <c>stderr</c>; for errors: the error's name.</param>
/// <param name="ValueId">For displays: the id by which later updates replace this output in place.</param>
public sealed record CellOutput(OutputKind Kind, ImmutableDictionary<string, string> Data, string Text, string Name, string? ValueId)
{
    /// <summary>A stream output.</summary>
    public static CellOutput Stream(string name, string text) => new(OutputKind.Stream, ImmutableDictionary<string, string>.Empty, text, name, null);

    /// <summary>An error output.</summary>
    public static CellOutput Error(string name, string message) => new(OutputKind.Error, ImmutableDictionary<string, string>.Empty, message, name, null);
}
