using System.Text.RegularExpressions;

namespace GistNotebooks.Survival.Tests;

/// <summary>
/// The statistics library returns contents (text, records) and never writes a file: no source line of
/// <c>src/GistNotebooks.Survival</c> calls a .NET API that creates, changes, moves or deletes a file or folder.
/// Reading (<c>File.Exists</c>, <c>File.ReadAllBytes</c>, <c>File.OpenRead</c>) is allowed. The layer that owns a
/// file writes it, through <c>GistNotebooks.Reporting.Files.AtomicFile</c>.
/// </summary>
/// <remarks>
/// A line-by-line search of the source, not an analysis of the compiled code: it names the writing members of
/// <c>File</c>, <c>Directory</c>, <c>FileStream</c> modes and writers, and skips comment lines. The two theories
/// below show that it recognises each kind of write and lets reading through.
/// </remarks>
public sealed partial class LibraryWritesNoFilesTests
{
    [Fact]
    public void No_source_file_of_the_statistics_library_writes_to_disk()
    {
        var folder = Path.Combine(RepositoryRoot(), "src", "GistNotebooks.Survival");
        var sources = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(Path.GetRelativePath(folder, f)))
            .ToList();
        Assert.Contains(sources, f => f.EndsWith(Path.Combine("Estimation", "KaplanMeier.cs"), StringComparison.Ordinal));

        var writes = sources
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (File: file, Number: i + 1, Line: line)))
            .Where(l => Writes(l.Line))
            .Select(l => $"{Path.GetRelativePath(folder, l.File)}:{l.Number}: {l.Line.Trim()}");

        Assert.Empty(writes);
    }

    [Theory]
    [InlineData("File.WriteAllText(path, text);")]
    [InlineData("File.WriteAllBytes(path, bytes);")]
    [InlineData("File.AppendAllLines(path, lines);")]
    [InlineData("using var stream = File.Create(path);")]
    [InlineData("File.Move(temporary, path, overwrite: true);")]
    [InlineData("File.Copy(path, backup);")]
    [InlineData("File.Delete(path);")]
    [InlineData("using var stream = File.OpenWrite(path);")]
    [InlineData("Directory.CreateDirectory(folder);")]
    [InlineData("Directory.Delete(folder, recursive: true);")]
    [InlineData("using var stream = new FileStream(path, FileMode.Create);")]
    [InlineData("using var stream = File.Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite);")]
    [InlineData("using var writer = new StreamWriter(path);")]
    [InlineData("new FileInfo(path).MoveTo(target);")]
    [InlineData("using static System.IO.File;")]
    public void The_search_recognises_a_write(string line) => Assert.True(Writes(line), line);

    [Theory]
    [InlineData("var bytes = File.ReadAllBytes(path);")]
    [InlineData("if (!File.Exists(path))")]
    [InlineData("using var stream = File.OpenRead(path);")]
    [InlineData("using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);")]
    [InlineData("/// <summary>Returns the text; the caller, not File.WriteAllText here, writes it.</summary>")]
    [InlineData("    // Directory.CreateDirectory belongs to the command line.")]
    public void The_search_lets_reading_and_comments_through(string line) => Assert.False(Writes(line), line);

    private static bool Writes(string line) => !line.TrimStart().StartsWith("//", StringComparison.Ordinal) && WritingApi().IsMatch(line);

    private static bool IsBuildOutput(string relativePath)
    {
        var top = relativePath.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)[0];
        return top is "bin" or "obj";
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "GistNotebooks.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The tests run from inside the repository; GistNotebooks.sln was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("""
        \bFile\.(Write|Append|Create|Move|Copy|Delete|Replace|OpenWrite|Set|Encrypt|Decrypt)\w*
        | \bDirectory\.(Create|Delete|Move|Set)\w*
        | \bFileMode\.(Create|CreateNew|Append|OpenOrCreate|Truncate)\b
        | \bFileAccess\.(Write|ReadWrite)\b
        | \bnew\s+(StreamWriter|BinaryWriter)\b
        | \.(OpenWrite|CreateText|AppendText|MoveTo|CreateSubdirectory)\(
        | \busing\s+static\s+System\.IO\.(File|Directory)\b
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex WritingApi();
}
