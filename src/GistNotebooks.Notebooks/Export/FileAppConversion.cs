using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using GistNotebooks.Notebooks.Documents;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace GistNotebooks.Notebooks.Export;

/// <summary>How an exported app references the kit: its source projects in a checkout, or its packages.</summary>
/// <param name="ProjectFolders">Per kit assembly name (for example <c>GistNotebooks.Reporting</c>), the folder of its
/// project relative to the app's folder, written as <c>#:project</c>; empty when the kit comes as packages.</param>
/// <param name="PackageVersion">The version of the kit's packages, written as <c>#:package NAME@VERSION</c> for a kit
/// assembly that has no project folder.</param>
public sealed record KitReference(ImmutableDictionary<string, string> ProjectFolders, string PackageVersion);

/// <summary>What the conversion of one notebook needs to know besides its cells.</summary>
/// <param name="NotebookFolderFromApp">The notebook's folder relative to the app's folder ('/' separated): the app makes
/// it the current directory, so the notebook's relative paths resolve as they do in the notebook.</param>
/// <param name="Kit">How the kit is referenced.</param>
/// <param name="PackageVersions">The pinned version of each package (<c>Directory.Packages.props</c>); a package not
/// listed keeps the version its <c>#r "nuget:..."</c> line names.</param>
/// <param name="InsideRepository">Whether the app's folder lies under a <c>Directory.Packages.props</c> with central
/// package versions, which an app must turn off to name its own versions.</param>
public sealed record FileAppContext(
    string NotebookFolderFromApp,
    KitReference Kit,
    ImmutableDictionary<string, string> PackageVersions,
    bool InsideRepository);

/// <summary>A notebook converted to a .NET 10 file-based app.</summary>
/// <param name="FileName">The app's file name: the notebook's name with <c>.cs</c>.</param>
/// <param name="Text">The app's source.</param>
/// <param name="Notes">What could not be converted, one line each (a cell for another kernel, an unknown <c>#r</c>).</param>
public sealed record FileAppSource(string FileName, string Text, ImmutableArray<string> Notes);

/// <summary>
/// Turns a notebook into the source of a .NET 10 file-based app (<c>dotnet run NAME.cs</c>): prose as <c>//</c>
/// comments; <c>#r "nuget: P, V"</c> as <c>#:package P@V</c> pinned as in <c>Directory.Packages.props</c>; <c>#r</c>
/// of a kit assembly as <c>#:project</c> or <c>#:package</c> (<see cref="KitReference"/>); <c>using</c> directives
/// hoisted above the code and type declarations moved below it, as a C# program requires; every <c>display(x)</c> and
/// every cell's trailing expression shown through <c>FileApp.Show</c> (text tables, charts saved as offline HTML).
/// </summary>
/// <remarks>
/// Cells are recognised by their content, not their position: a <c>NotebookFormatters.Register();</c> statement is
/// dropped (an app has no formatters), and a cell that only checks that the kit is loaded (it declares nothing, throws,
/// and names the kit) is replaced by a comment, since an app references the kit when it is built. Each code cell is
/// parsed as C# script with Roslyn, so a trailing expression spread over several lines is found whole.
/// </remarks>
public static partial class FileAppConversion
{
    /// <summary>Packages that only plug into a notebook kernel, and the library an app uses instead.</summary>
    private static readonly ImmutableDictionary<string, string> KernelOnlyPackages =
        ImmutableDictionary.CreateRange(StringComparer.OrdinalIgnoreCase, [new KeyValuePair<string, string>("Plotly.NET.Interactive", "Plotly.NET")]);

    /// <summary>The kit's notebook package: its formatters register with a notebook kernel, which an app does not have.</summary>
    private const string NotebookPackage = "GistNotebooks.Interactive";

    private static readonly CSharpParseOptions ScriptOptions = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    /// <summary>Converts one notebook.</summary>
    /// <param name="notebook">The notebook.</param>
    /// <param name="context">Where the app goes and how it references the kit and its packages.</param>
    public static FileAppSource Convert(NotebookDocument notebook, FileAppContext context)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        ArgumentNullException.ThrowIfNull(context);
        var references = new References(context);
        var usings = new List<string>();
        var types = new List<string>();
        var notes = new List<string>();
        var body = new StringBuilder();
        foreach (var cell in notebook.Cells)
        {
            body.Append('\n');
            if (cell.Kind != CellKind.Code)
            {
                AppendComment(body, cell.Source);
                continue;
            }

            if (!IsCSharp(cell.KernelName))
            {
                notes.Add($"cell {cell.Number}: a {cell.KernelName} cell, kept as a comment");
                AppendComment(body, $"Cell {cell.Number} runs in the {cell.KernelName} kernel and is not part of the app:\n\n{cell.Source}");
                continue;
            }

            var code = references.TakeDirectives(cell, notes);
            if (code.Trim().Length == 0)
            {
                continue;
            }

            ConvertCode(cell.Number, code, body, usings, types);
        }

        var text = new StringBuilder();
        foreach (var directive in references.Directives())
        {
            text.Append(directive).Append('\n');
        }

        text.Append('\n');
        text.Append("// ").Append(notebook.FileName).Append(" as a .NET 10 file-based app, written by gistnb export: run it with\n");
        text.Append("// `dotnet run ").Append(Path.GetFileNameWithoutExtension(notebook.FileName)).Append(".cs`. Values the notebook displays are\n");
        text.Append("// printed as text; charts are saved as HTML beside this file.\n");
        foreach (var line in usings.Prepend("using GistNotebooks.Reporting;").Distinct(StringComparer.Ordinal))
        {
            text.Append(line).Append('\n');
        }

        text.Append('\n');
        text.Append("// The notebook's relative paths are read from the notebook's own folder, wherever this app is run from.\n");
        text.Append("Directory.SetCurrentDirectory(Path.GetFullPath(Path.Combine((string)AppContext.GetData(\"EntryPointFileDirectoryPath\")!, ")
            .Append(Literal(context.NotebookFolderFromApp)).Append(")));\n");
        text.Append(body);
        foreach (var type in types)
        {
            text.Append('\n').Append(type).Append('\n');
        }

        return new FileAppSource(Path.GetFileNameWithoutExtension(notebook.FileName) + ".cs", text.ToString(), [.. notes]);
    }

    private static bool IsCSharp(string kernelName) =>
        kernelName.Equals("csharp", StringComparison.OrdinalIgnoreCase) || kernelName.Equals("c#", StringComparison.OrdinalIgnoreCase);

    private static void ConvertCode(int cellNumber, string code, StringBuilder body, List<string> usings, List<string> types)
    {
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(code, ScriptOptions).GetRoot();
        var edits = new List<(TextSpan Span, string Replacement)>();
        foreach (var directive in root.Usings)
        {
            usings.Add(directive.WithoutTrivia().ToFullString());
            edits.Add((directive.FullSpan, string.Empty));
        }

        if (IsLoadGuard(root))
        {
            body.Append("// Cell ").Append(cellNumber.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Append(" checked that the kit is loaded; an app references it when it is built.\n");
            return;
        }

        foreach (var member in root.Members)
        {
            if (member is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax)
            {
                types.Add(member.ToString());
                edits.Add((member.FullSpan, string.Empty));
            }
        }

        foreach (var statement in root.Members.OfType<GlobalStatementSyntax>())
        {
            if (statement.Statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call } && IsFormatterRegistration(call))
            {
                edits.Add((statement.FullSpan, string.Empty));
            }
        }

        foreach (var call in root.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (call.Expression is IdentifierNameSyntax { Identifier.ValueText: "display" } name)
            {
                edits.Add((name.Span, "FileApp.Show"));
            }
        }

        if (root.Members.LastOrDefault() is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } trailing }
            && trailing.Expression is not InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "display" } })
        {
            edits.Add((new TextSpan(trailing.Expression.SpanStart, 0), "FileApp.Show("));
            edits.Add((new TextSpan(trailing.Expression.Span.End, 0), ");"));
        }

        var converted = new StringBuilder(code);
        foreach (var (span, replacement) in edits.OrderByDescending(e => e.Span.Start).ThenByDescending(e => e.Span.Length))
        {
            converted.Remove(span.Start, span.Length).Insert(span.Start, replacement);
        }

        body.Append(converted.ToString().Trim('\n', '\r')).Append('\n');
    }

    /// <summary><c>NotebookFormatters.Register()</c>, however qualified.</summary>
    private static bool IsFormatterRegistration(InvocationExpressionSyntax call) =>
        call.ArgumentList.Arguments.Count == 0
        && call.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Register" } access
        && access.Expression.ToString().Split('.')[^1] == "NotebookFormatters";

    /// <summary>A cell that declares nothing, can throw, and names the kit: it checks that the kit is loaded.</summary>
    private static bool IsLoadGuard(CompilationUnitSyntax root)
    {
        var declares = root.Members.Any(m => m is not GlobalStatementSyntax)
            || root.Members.OfType<GlobalStatementSyntax>().Any(s => s.Statement is LocalDeclarationStatementSyntax or LocalFunctionStatementSyntax);
        var throws = root.DescendantNodes().Any(n => n is ThrowStatementSyntax or ThrowExpressionSyntax);
        return !declares && throws && root.ToString().Contains("GistNotebooks", StringComparison.Ordinal);
    }

    private static void AppendComment(StringBuilder body, string text)
    {
        foreach (var line in text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n'))
        {
            body.Append(line.Length == 0 ? "//" : "// " + line).Append('\n');
        }
    }

    private static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

    [GeneratedRegex("""^\s*#r\s+"nuget:\s*(?<name>[^,"\s]+)\s*(,\s*(?<version>[^"\s]+)\s*)?"\s*$""")]
    private static partial Regex NuGetReference();

    [GeneratedRegex("""^\s*#r\s+"(?<path>[^"]+)"\s*$""")]
    private static partial Regex FileReference();

    /// <summary>The app's <c>#:</c> directives, gathered from every cell's <c>#r</c> lines.</summary>
    private sealed class References(FileAppContext context)
    {
        private readonly List<string> projects = [];
        private readonly List<string> packages = [];

        /// <summary>Removes the cell's <c>#r</c> and <c>#!</c> lines, remembering what they reference; returns the rest.</summary>
        public string TakeDirectives(NotebookCell cell, List<string> notes)
        {
            var code = new StringBuilder();
            foreach (var line in cell.Source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
            {
                if (NuGetReference().Match(line) is { Success: true } nuget)
                {
                    AddPackage(nuget.Groups["name"].Value, nuget.Groups["version"].Success ? nuget.Groups["version"].Value : null, cell, notes);
                    code.Append('\n');
                }
                else if (FileReference().Match(line) is { Success: true } file)
                {
                    AddAssembly(file.Groups["path"].Value, cell, notes);
                    code.Append('\n');
                }
                else if (line.TrimStart().StartsWith("#!", StringComparison.Ordinal) || line.TrimStart().StartsWith("#r ", StringComparison.Ordinal) || line.TrimStart().StartsWith("#i ", StringComparison.Ordinal))
                {
                    var magic = line.Trim();
                    if (magic is not ("#!csharp" or "#!c#"))
                    {
                        notes.Add($"cell {cell.Number}: {magic} has no counterpart in an app; kept as a comment");
                        code.Append("// ").Append(magic);
                    }

                    code.Append('\n');
                }
                else
                {
                    code.Append(line).Append('\n');
                }
            }

            return code.ToString();
        }

        public IEnumerable<string> Directives()
        {
            foreach (var project in projects)
            {
                yield return project;
            }

            foreach (var package in packages)
            {
                yield return package;
            }

            if (context.InsideRepository)
            {
                // The repository pins versions centrally; an app names its own with #:package.
                yield return "#:property ManagePackageVersionsCentrally=false";
            }
        }

        private void AddPackage(string name, string? version, NotebookCell cell, List<string> notes)
        {
            if (KernelOnlyPackages.TryGetValue(name, out var library))
            {
                name = library;
                version = null;
            }

            version = context.PackageVersions.TryGetValue(name, out var pinned) ? pinned : version;
            if (version is null)
            {
                notes.Add($"cell {cell.Number}: the package {name} has no version in the notebook or Directory.Packages.props; the app takes the newest");
            }

            Add(packages, version is null ? $"#:package {name}" : $"#:package {name}@{version}");
        }

        private void AddAssembly(string path, NotebookCell cell, List<string> notes)
        {
            var name = Path.GetFileNameWithoutExtension(path.Replace('\\', '/').Split('/')[^1]);
            if (!name.StartsWith("GistNotebooks.", StringComparison.Ordinal))
            {
                notes.Add($"cell {cell.Number}: #r \"{path}\" is not an assembly of the kit; reference it in the app yourself");
                return;
            }

            if (context.Kit.ProjectFolders.TryGetValue(name, out var folder))
            {
                Add(projects, $"#:project {folder}");
            }
            else if (name == NotebookPackage)
            {
                // The notebook formatters serve a notebook kernel only; a program prints through FileApp, and the
                // package is a preview that a #:package at the kit's version would not find.
                return;
            }
            else
            {
                Add(packages, $"#:package {name}@{context.Kit.PackageVersion}");
            }
        }

        private static void Add(List<string> list, string directive)
        {
            if (!list.Contains(directive, StringComparer.Ordinal))
            {
                list.Add(directive);
            }
        }
    }
}
