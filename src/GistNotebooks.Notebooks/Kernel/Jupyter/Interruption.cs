using System.ComponentModel;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GistNotebooks.Notebooks.Kernel.Jupyter;

/// <summary>
/// Lets a Jupyter interrupt stop a cell that loops without ever waiting. .NET cannot abort a thread, and the kernel's
/// <c>Cancel</c> only reaches code that observes a cancellation token; so before a cell runs, the Jupyter kernel puts a
/// call to <see cref="ThrowIfRequested"/> at the top of every loop body in it, which throws once an interrupt arrived.
/// </summary>
/// <remarks>
/// The check reads one volatile field (about a nanosecond per iteration). The inserted text stays on the lines it
/// belongs to, so compiler messages keep their line numbers. Loops inside already compiled libraries are not checked:
/// a cell stops at its next own loop iteration.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Interruption
{
    private const string Check = "global::GistNotebooks.Notebooks.Kernel.Jupyter.Interruption.ThrowIfRequested();";

    private static volatile bool requested;

    /// <summary>Throws <see cref="OperationCanceledException"/> when the running cell has been interrupted; called by instrumented cells.</summary>
    /// <exception cref="OperationCanceledException">An interrupt arrived since the cell started.</exception>
    public static void ThrowIfRequested()
    {
        if (requested)
        {
            throw new OperationCanceledException("the cell was interrupted.");
        }
    }

    /// <summary>Marks the running cell as interrupted.</summary>
    internal static void Request() => requested = true;

    /// <summary>Clears the mark before the next cell runs.</summary>
    internal static void Reset() => requested = false;

    /// <summary>
    /// The cell's code with <see cref="ThrowIfRequested"/> at the top of every <c>while</c>, <c>do</c>, <c>for</c> and
    /// <c>foreach</c> body; unchanged when the code does not parse (the compiler then reports the user's own text).
    /// </summary>
    internal static string Instrument(string code)
    {
        // Magic-command lines (#!...) are not C#; blank them for the parser and keep every position.
        var parsed = string.Join('\n', code.Split('\n').Select(l => l.TrimStart().StartsWith("#!", StringComparison.Ordinal) ? new string(' ', l.Length) : l));
        var tree = CSharpSyntaxTree.ParseText(parsed, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Preview));
        if (tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return code;
        }

        var edits = new List<(int Position, string Text)>();
        foreach (var node in tree.GetRoot().DescendantNodes())
        {
            var body = node switch
            {
                WhileStatementSyntax s => s.Statement,
                DoStatementSyntax s => s.Statement,
                ForStatementSyntax s => s.Statement,
                CommonForEachStatementSyntax s => s.Statement,
                _ => null,
            };
            if (body is BlockSyntax block)
            {
                edits.Add((block.OpenBraceToken.Span.End, " " + Check));
            }
            else if (body is not null)
            {
                edits.Add((body.SpanStart, "{ " + Check + " "));
                edits.Add((body.Span.End, " }"));
            }
        }

        var text = new System.Text.StringBuilder(code);
        foreach (var (position, insert) in edits.OrderByDescending(e => e.Position))
        {
            text.Insert(position, insert);
        }

        return text.ToString();
    }
}
