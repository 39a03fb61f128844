using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.DotNet.Interactive;

namespace GistNotebooks.Notebooks.Kernel.Jupyter;

/// <summary>Positions in a cell's code as Jupyter counts them (Unicode code points, protocol 5.2 on) and as the kernel does (line and UTF-16 column).</summary>
internal static class CodeText
{
    /// <summary>The line and column of the code point at <paramref name="codePoints"/> (clamped to the code's length).</summary>
    public static LinePosition ToLinePosition(string code, int codePoints)
    {
        var line = 0;
        var column = 0;
        var seen = 0;
        for (var i = 0; i < code.Length && seen < codePoints; i++, seen++)
        {
            if (code[i] == '\n')
            {
                line++;
                column = 0;
                continue;
            }

            if (char.IsHighSurrogate(code[i]) && i + 1 < code.Length && char.IsLowSurrogate(code[i + 1]))
            {
                i++;
                column++;
            }

            column++;
        }

        return new LinePosition(line, column);
    }

    /// <summary>The code-point offset of a line and UTF-16 column.</summary>
    public static int ToCodePoints(string code, int line, int column)
    {
        var index = 0;
        for (var l = 0; l < line && index < code.Length; l++)
        {
            var next = code.IndexOf('\n', index);
            index = next < 0 ? code.Length : next + 1;
        }

        var end = Math.Min(code.Length, index + column);
        return CodePointsBefore(code, end);
    }

    /// <summary>The number of code points in <c>code[..utf16Index]</c>.</summary>
    public static int CodePointsBefore(string code, int utf16Index)
    {
        var count = 0;
        for (var i = 0; i < utf16Index && i < code.Length; i++, count++)
        {
            if (char.IsHighSurrogate(code[i]) && i + 1 < code.Length && char.IsLowSurrogate(code[i + 1]))
            {
                i++;
            }
        }

        return count;
    }

    /// <summary>
    /// Whether a C# submission is complete, as Roslyn's script parser decides (an open brace, string or statement makes it
    /// incomplete); magic-command lines (<c>#!...</c>) are left out first.
    /// </summary>
    public static bool IsCompleteSubmission(string code)
    {
        var lines = code.Split('\n').Where(l => !l.TrimStart().StartsWith("#!", StringComparison.Ordinal));
        var source = string.Join('\n', lines);
        if (string.IsNullOrWhiteSpace(source))
        {
            return true;
        }

        var tree = CSharpSyntaxTree.ParseText(source, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script));
        return SyntaxFactory.IsCompleteSubmission(tree);
    }
}
