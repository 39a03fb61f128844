using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using GistNotebooks.Notebooks.Execution;

namespace GistNotebooks.Notebooks.Reproduction;

/// <summary>A file and the SHA-256 of its bytes.</summary>
/// <param name="Path">The path as shown to a reader (relative to the repository when inside it).</param>
/// <param name="Sha256">Lower-case hex digest; empty when the file was not read (see <see cref="Problem"/>).</param>
public sealed record FileHash(string Path, string Sha256)
{
    /// <summary>Why the file was not hashed — it is missing, or it lies outside the repository — or null when it was.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Problem { get; init; }
}

/// <summary>One notebook's part in a run.</summary>
/// <param name="File">The notebook's file name.</param>
/// <param name="Version">Its version from the manifest ("" for a notebook run on its own).</param>
/// <param name="Sha256">SHA-256 of the source notebook's bytes.</param>
/// <param name="Seconds">Wall time of the notebook.</param>
/// <param name="Status"><c>ran</c>, or where it failed.</param>
public sealed record NotebookProvenance(string File, string Version, string Sha256, double Seconds, string Status);

/// <summary>The checkout's commit and the .NET SDK version, as <see cref="Provenance"/> shows them.</summary>
/// <param name="GitCommit">The commit, marked when the checkout has uncommitted changes; or why there is none.</param>
/// <param name="DotnetSdk">The SDK version on the path, or "unknown".</param>
internal sealed record ToolVersions(string GitCommit, string DotnetSdk);

/// <summary>
/// When, where and with what a run happened, for a reviewer: kit version and git commit, notebooks and data
/// with their hashes, every package version loaded, the .NET SDK and runtime, the operating system, and run times.
/// </summary>
/// <param name="Started">When the run began (UTC).</param>
/// <param name="Host">The machine's name.</param>
/// <param name="KitVersion">The version of the kit's assemblies.</param>
/// <param name="GitCommit">The checkout's commit, marked when it has uncommitted changes; or why there is none.</param>
/// <param name="DotnetSdk">The .NET SDK version on the path, or "unknown".</param>
/// <param name="Runtime">The .NET runtime the run used.</param>
/// <param name="OperatingSystem">The operating system and architecture.</param>
/// <param name="Notebooks">Each notebook with its version, hash, run time and status.</param>
/// <param name="DataFiles">Each data file with its hash.</param>
/// <param name="Packages">Every package loaded by the runner or a notebook, with its version.</param>
public sealed record Provenance(
    DateTimeOffset Started,
    string Host,
    string KitVersion,
    string GitCommit,
    string DotnetSdk,
    string Runtime,
    string OperatingSystem,
    ImmutableArray<NotebookProvenance> Notebooks,
    ImmutableArray<FileHash> DataFiles,
    ImmutableArray<LoadedPackage> Packages)
{
    /// <summary>Describes a finished run.</summary>
    /// <param name="started">When the run began.</param>
    /// <param name="runs">The notebooks run, with their manifest versions.</param>
    /// <param name="dataFiles">Data files the notebooks read.</param>
    /// <param name="root">The folder paths are shown relative to (the repository), or null for full paths.</param>
    public static Provenance Capture(DateTimeOffset started, IReadOnlyList<(NotebookRun Run, string Version)> runs, IEnumerable<string> dataFiles, string? root) =>
        Capture(started, runs, dataFiles, root, ReadTools(root));

    /// <summary>
    /// Starts reading the git commit and the .NET SDK version (two child processes) in the background, so that a
    /// run can overlap them with its notebooks; the checkout's state is taken as the run starts.
    /// </summary>
    internal static Task<ToolVersions> ReadToolsAsync(string? root) => Task.Run(() => ReadTools(root));

    /// <summary>Describes a finished run, with the tool versions already read by <see cref="ReadToolsAsync"/>.</summary>
    internal static Provenance Capture(DateTimeOffset started, IReadOnlyList<(NotebookRun Run, string Version)> runs, IEnumerable<string> dataFiles, string? root, ToolVersions tools)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(dataFiles);
        string Show(string path) => root is null ? path : Path.GetRelativePath(root, path).Replace('\\', '/');
        var notebooks = runs.Select(r => new NotebookProvenance(
            r.Run.Document.FileName,
            r.Version,
            r.Run.Document.ContentHash,
            Math.Round(r.Run.Duration.TotalSeconds, 2),
            r.Run.Failure is null ? "ran" : $"failed at cell {r.Run.Failure.CellNumber}")).ToImmutableArray();
        var data = dataFiles.Select(f => DataFile(f, root, Show)).ToImmutableArray();
        var packages = RunnerPackages()
            .Concat(runs.SelectMany(r => r.Run.Packages))
            .DistinctBy(p => (p.Name.ToUpperInvariant(), p.Version))
            .OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .ToImmutableArray();
        return new Provenance(
            started,
            Environment.MachineName,
            Version(typeof(Provenance).Assembly),
            tools.GitCommit,
            tools.DotnetSdk,
            RuntimeInformation.FrameworkDescription,
            $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})",
            notebooks,
            data,
            packages);
    }

    /// <summary>
    /// A data file named by the manifest: hashed when it is a file inside the repository; else named with the reason,
    /// so that a manifest cannot make a run read a file elsewhere on the machine, and a missing file is not left out unseen.
    /// </summary>
    private static FileHash DataFile(string path, string? root, Func<string, string> show)
    {
        var full = Path.GetFullPath(path);
        if (root is not null)
        {
            var inside = Reporting.Files.SourceGuard.Canonical(full);
            var repository = Reporting.Files.SourceGuard.Canonical(root);
            if (!inside.StartsWith(repository + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return new FileHash(full, string.Empty) { Problem = "outside the repository; not read" };
            }
        }

        if (Directory.Exists(full))
        {
            return new FileHash(show(full), string.Empty) { Problem = "a folder, not a file; not read" };
        }

        return File.Exists(full)
            ? new FileHash(show(full), Sha256Of(full))
            : new FileHash(show(full), string.Empty) { Problem = "missing" };
    }

    /// <summary>SHA-256 of a file's bytes, lower-case hex.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The packages the runner itself brings into every notebook's process.</summary>
    private static IEnumerable<LoadedPackage> RunnerPackages()
    {
        Type[] anchors =
        [
            typeof(Microsoft.DotNet.Interactive.Kernel),
            typeof(Microsoft.DotNet.Interactive.CSharp.CSharpKernel),
            typeof(Microsoft.DotNet.Interactive.Formatting.Formatter),
            typeof(Microsoft.FSharp.Core.FSharpOption<>),
            typeof(Plotly.NET.GenericChart),
        ];
        return anchors.Select(t => new LoadedPackage(t.Assembly.GetName().Name!, Version(t.Assembly)));
    }

    private static string Version(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        // Informational versions carry "+commit" build metadata; the package version is the part before it.
        return informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString() ?? "unknown";
    }

    private static ToolVersions ReadTools(string? root) => new(ReadGitCommit(root), ReadDotnetSdk());

    private static string ReadGitCommit(string? root)
    {
        if (root is null)
        {
            return "not in a git checkout";
        }

        var commit = RunTool("git", ["-C", root, "rev-parse", "HEAD"]);
        if (commit is null)
        {
            return "not in a git checkout";
        }

        var changes = RunTool("git", ["-C", root, "status", "--porcelain", "--untracked-files=no"]);
        return string.IsNullOrEmpty(changes) ? commit : commit + " (with uncommitted changes)";
    }

    private static string ReadDotnetSdk() => RunTool("dotnet", ["--version"]) ?? "unknown";

    private static string? RunTool(string file, string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // The tool is not installed; provenance says "unknown" rather than failing the run.
            return null;
        }
    }
}
