using System.Collections.Immutable;
using System.Reflection;
using System.Xml.Linq;
using GistNotebooks.Notebooks.Documents;
using GistNotebooks.Notebooks.Reproduction;
using GistNotebooks.Reporting.Files;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Notebooks.Export;

/// <summary>One notebook exported: the app written and what could not be converted.</summary>
/// <param name="Notebook">The notebook's full path.</param>
/// <param name="App">The app's full path.</param>
/// <param name="Notes">What could not be converted (<see cref="FileAppSource.Notes"/>).</param>
public sealed record ExportedApp(string Notebook, string App, ImmutableArray<string> Notes);

/// <summary>
/// Writes notebooks as .NET 10 file-based apps (<see cref="FileAppConversion"/>) into one folder, each named after its
/// notebook (<c>02-overall-survival.cs</c>).
/// </summary>
/// <remarks>
/// <para>A notebook inside a checkout of the kit references the kit's source projects (<c>#:project</c>, relative to
/// the output folder), so the app builds the library it runs; a notebook elsewhere references the kit's packages at
/// this kit's version. Package versions come from the checkout's <c>Directory.Packages.props</c>, or from the copy
/// built into this assembly.</para>
/// <para>The output folder must be empty or absent unless <c>force</c> is given; no app may land on a notebook
/// (<see cref="SourceGuard"/>); each app is written whole or not at all (<see cref="AtomicFile"/>).</para>
/// </remarks>
public static class FileAppExport
{
    private const string ReportingProject = "src/GistNotebooks.Reporting/GistNotebooks.Reporting.csproj";
    private const string PackagesFile = "Directory.Packages.props";

    /// <summary>The notebooks of a folder in the order of its manifest, or every notebook of it by name without one.</summary>
    /// <param name="folder">The notebooks folder.</param>
    /// <exception cref="NotebookException">The folder is missing or its manifest is not valid.</exception>
    public static ImmutableArray<string> NotebooksOf(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
        {
            throw new NotebookException($"{folder}: notebooks folder not found.");
        }

        if (File.Exists(Path.Combine(folder, NotebookManifest.FileName)))
        {
            var manifest = NotebookManifest.Load(folder);
            return [.. manifest.Notebooks.Select(n => Path.GetFullPath(Path.Combine(manifest.Folder, n.File)))];
        }

        return [.. Directory.GetFiles(folder).Where(f => f.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".dib", StringComparison.OrdinalIgnoreCase))
            .Select(Path.GetFullPath).Order(StringComparer.Ordinal)];
    }

    /// <summary>Exports notebooks into a folder.</summary>
    /// <param name="notebooks">The notebooks (.ipynb or .dib).</param>
    /// <param name="outFolder">The folder for the apps; created when absent.</param>
    /// <param name="force">Whether to write into a folder that already holds files (an app of the same name is replaced).</param>
    /// <returns>The apps written, in the order of <paramref name="notebooks"/>.</returns>
    /// <exception cref="DataValidationException">The folder is not empty without <paramref name="force"/>, an app would
    /// replace a notebook, two notebooks share a name, or a file cannot be written.</exception>
    /// <exception cref="NotebookException">A notebook cannot be read.</exception>
    public static ImmutableArray<ExportedApp> Export(IReadOnlyList<string> notebooks, string outFolder, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(notebooks);
        ArgumentException.ThrowIfNullOrEmpty(outFolder);
        var outFull = Path.GetFullPath(outFolder);
        var documents = notebooks.Select(NotebookDocument.Load).ToList();
        var apps = documents.Select(d => Path.Combine(outFull, Path.GetFileNameWithoutExtension(d.Path) + ".cs")).ToList();
        if (apps.GroupBy(a => a, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } clash)
        {
            throw new DataValidationException($"{clash.Key}: two notebooks would be exported to this one app; export them into different folders.");
        }

        SourceGuard.EnsureNoSourceIsWritten(apps, documents.Select(d => d.Path));
        if (!force && Directory.Exists(outFull) && Directory.EnumerateFileSystemEntries(outFull).Any())
        {
            throw new DataValidationException($"{outFolder}: the folder already holds files; choose an empty or new folder, or add --force to replace apps of the same name.");
        }

        var insideRepository = Above(outFull, PackagesFile) is not null;
        var written = ImmutableArray.CreateBuilder<ExportedApp>();
        foreach (var (document, app) in documents.Zip(apps))
        {
            var notebookFolder = Path.GetDirectoryName(document.Path)!;
            var repository = Above(notebookFolder, ReportingProject);
            var context = new FileAppContext(
                Relative(outFull, notebookFolder),
                KitFor(repository, outFull),
                PackageVersions(repository),
                insideRepository);
            var source = FileAppConversion.Convert(document, context);
            Directory.CreateDirectory(outFull);
            AtomicFile.WriteAllText(app, source.Text);
            written.Add(new ExportedApp(document.Path, app, source.Notes));
        }

        return written.ToImmutable();
    }

    /// <summary>The kit's version as its packages carry it (the informational version without a source revision).</summary>
    public static string KitVersion()
    {
        var version = typeof(FileAppExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(FileAppExport).Assembly.GetName().Version?.ToString(3) ?? "0.1.0";
        return version.Split('+')[0];
    }

    private static KitReference KitFor(string? repository, string outFolder)
    {
        if (repository is null)
        {
            return new KitReference(ImmutableDictionary<string, string>.Empty, KitVersion());
        }

        var projects = Directory.GetDirectories(Path.Combine(repository, "src"), "GistNotebooks.*")
            .Where(folder => File.Exists(Path.Combine(folder, Path.GetFileName(folder) + ".csproj")))
            .ToImmutableDictionary(folder => Path.GetFileName(folder), folder => Relative(outFolder, folder), StringComparer.Ordinal);
        return new KitReference(projects, KitVersion());
    }

    private static ImmutableDictionary<string, string> PackageVersions(string? repository)
    {
        var props = repository is not null && File.Exists(Path.Combine(repository, PackagesFile))
            ? XDocument.Load(Path.Combine(repository, PackagesFile))
            : BuiltInPackageVersions.Value;
        return props.Descendants("PackageVersion")
            .Where(p => p.Attribute("Include") is not null && p.Attribute("Version") is not null)
            .ToImmutableDictionary(p => p.Attribute("Include")!.Value, p => p.Attribute("Version")!.Value, StringComparer.OrdinalIgnoreCase);
    }

    private static readonly Lazy<XDocument> BuiltInPackageVersions = new(() =>
    {
        using var stream = typeof(FileAppExport).Assembly.GetManifestResourceStream(PackagesFile)
            ?? throw new InvalidOperationException("the package versions built into gistnb are missing");
        return XDocument.Load(stream);
    });

    /// <summary>The nearest folder at or above <paramref name="folder"/> that holds <paramref name="relativeFile"/>.</summary>
    private static string? Above(string folder, string relativeFile)
    {
        for (var current = new DirectoryInfo(folder); current is not null; current = current.Parent)
        {
            if (File.Exists(Path.Combine(current.FullName, relativeFile)))
            {
                return current.FullName;
            }
        }

        return null;
    }

    private static string Relative(string from, string to) => Path.GetRelativePath(from, to).Replace(Path.DirectorySeparatorChar, '/');
}
