using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace GistNotebooks.Notebooks.Kernel;

/// <summary>
/// The one place the kit composes its .NET Interactive kernel: a composite kernel with C# (NuGet
/// directive, kernel helpers, value sharing, <c>#!import</c>), an HTML kernel and a value kernel, and
/// the loader for kernel extensions. The headless runner, the VS Code host and the Jupyter host all use it.
/// </summary>
/// <remarks>
/// <para>
/// The process that hosts this kernel must carry FSharp.Core 10.1 (pinned in this project): Plotly.NET 6
/// needs it, and the stock dotnet-interactive tool, which ships 10.0, fails every Plotly.NET 6 chart.
/// </para>
/// <para>
/// Two things the stock kernels do not do. A <c>#r "…/GistNotebooks.X.dll"</c> whose file does not exist (a fresh
/// clone, nothing built yet) is served from the kit's own copy beside this kernel's host, which is the copy the
/// process runs anyway; so the notebooks run without a build. And after any <c>#r</c> of a dll, its
/// <see cref="IKernelExtension"/> types are run, as they are for a package's <c>interactive-extensions/dotnet</c>
/// folder: <c>#r</c> of GistNotebooks.Interactive.dll registers the result formatters.
/// </para>
/// </remarks>
public static partial class KitKernel
{
    /// <summary>
    /// The <see cref="AppContext"/> switch a process sets once it hosts this kernel. A notebook's first code cell reads
    /// it to tell the kit's kernel, which serves the kit's library itself, from any other, which needs it built.
    /// </summary>
    public const string ServesKitSwitch = "GistNotebooks.KitKernel";

    /// <summary>The file-name prefix of the kit's own libraries, the ones this kernel serves when a notebook's path to them is missing.</summary>
    private const string KitLibraryPrefix = "GistNotebooks.";

    /// <summary>The name of the composite kernel.</summary>
    public const string RootName = ".NET";

    /// <summary>The name of the C# kernel, which is the default for code cells.</summary>
    public const string CSharpName = "csharp";

    /// <summary>Creates the composite kernel with C# as its default subkernel.</summary>
    /// <param name="onPackageAdded">Called with each package that a <c>#r "nuget:..."</c> line added; may be null.</param>
    public static CompositeKernel Create(Action<ResolvedPackageReference>? onPackageAdded = null)
    {
        // Per kernel, not per process: a runner resets the static formatters before each notebook, and the next
        // notebook's kernel must register its packages' formatters again.
        var loadedExtensions = new HashSet<string>(StringComparer.Ordinal);
        AppContext.SetSwitch(ServesKitSwitch, isEnabled: true);
        var csharp = new CSharpKernel(CSharpName)
            .UseNugetDirective((kernel, packages) => OnPackagesResolvedAsync(kernel, packages, onPackageAdded, loadedExtensions), forceRestore: false)
            .UseKernelHelpers()
            .UseValueSharing()
            .UseImportMagicCommand();
        csharp.AddMiddleware((command, context, next) => ServeLocalReferencesAsync(command, context, next, loadedExtensions));

        var composite = new CompositeKernel(RootName)
        {
            csharp,
            new HtmlKernel(),
            new KeyValueStoreKernel("value", httpClient: null!),
        };
        composite.DefaultKernelName = CSharpName;
        composite.UseImportMagicCommand();
        return composite;
    }

    /// <summary>
    /// The kit's own copy of a library that a notebook references by a path that does not exist, or null when the path
    /// exists, is not one of the kit's libraries, or this host has no copy of it.
    /// </summary>
    /// <param name="path">The path of a <c>#r</c> line, relative to the current directory.</param>
    public static string? ServedCopy(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = Path.GetFileName(path);
        if (File.Exists(path) || !name.StartsWith(KitLibraryPrefix, StringComparison.Ordinal) || !name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var copy = Path.Combine(AppContext.BaseDirectory, name);
        return File.Exists(copy) ? copy : null;
    }

    /// <summary>The paths of a cell's <c>#r "path"</c> lines, packages (<c>nuget:</c>) left out.</summary>
    internal static IEnumerable<Match> LocalReferences(string code) =>
        LocalReference().Matches(code).Where(m => !m.Groups["path"].Value.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Points a cell's <c>#r</c> lines for missing kit libraries at the kernel's own copies, runs the cell, then runs the
    /// kernel extensions of every dll it referenced.
    /// </summary>
    private static async Task ServeLocalReferencesAsync(KernelCommand command, KernelInvocationContext context, KernelPipelineContinuation next, HashSet<string> loadedExtensions)
    {
        if (command is not SubmitCode submit || !submit.Code.Contains("#r", StringComparison.Ordinal))
        {
            await next(command, context).ConfigureAwait(false);
            return;
        }

        var references = LocalReferences(submit.Code).Select(m => m.Groups["path"].Value).ToList();
        var served = references.Select(p => ServedCopy(p) ?? p).ToList();
        if (served.SequenceEqual(references, StringComparer.Ordinal))
        {
            await next(command, context).ConfigureAwait(false);
        }
        else
        {
            // The command's code cannot be changed; a child of it with the rewritten code reports to the same cell.
            var rewritten = LocalReference().Replace(submit.Code, m => ServedCopy(m.Groups["path"].Value) is { } copy ? WithPath(m, copy) : m.Value);
            var child = new SubmitCode(rewritten, submit.TargetKernelName);
            child.SetParent(submit, true);
            await next(child, context).ConfigureAwait(false);
        }

        foreach (var path in served.Where(File.Exists))
        {
            await LoadExtensionsAsync(context.HandlingKernel.RootKernel, Path.GetFullPath(path), loadedExtensions).ConfigureAwait(false);
        }
    }

    private static string WithPath(Match reference, string path)
    {
        var group = reference.Groups["path"];
        var start = group.Index - reference.Index;
        return string.Concat(reference.Value.AsSpan(0, start), path, reference.Value.AsSpan(start + group.Length));
    }

    private static async Task OnPackagesResolvedAsync(Microsoft.DotNet.Interactive.Kernel kernel, IReadOnlyList<ResolvedPackageReference> packages, Action<ResolvedPackageReference>? onPackageAdded, HashSet<string> loadedExtensions)
    {
        var csharp = (CSharpKernel)kernel;
        csharp.AddAssemblyReferences(packages.SelectMany(p => p.AssemblyPaths));
        foreach (var package in packages)
        {
            onPackageAdded?.Invoke(package);
            await LoadExtensionsAsync(kernel.RootKernel, package, loadedExtensions).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Packages such as Plotly.NET.Interactive carry an <c>interactive-extensions/dotnet</c> folder whose
    /// <see cref="IKernelExtension"/> types register their formatters; the package manager does not call
    /// them, so charts would show as object trees without this.
    /// </summary>
    private static async Task LoadExtensionsAsync(Microsoft.DotNet.Interactive.Kernel root, ResolvedPackageReference package, HashSet<string> loadedExtensions)
    {
        var folder = Path.Combine(package.PackageRoot, "interactive-extensions", "dotnet");
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.dll").Order(StringComparer.Ordinal))
        {
            await RunExtensionsAsync(root, Assembly.LoadFrom(file), loadedExtensions).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs the kernel extensions of a dll a cell referenced with <c>#r</c>. The assembly the cell will bind to is the
    /// one taken: the copy already loaded or beside the host when there is one (the kit's libraries), otherwise the file.
    /// </summary>
    private static async Task LoadExtensionsAsync(Microsoft.DotNet.Interactive.Kernel root, string path, HashSet<string> loadedExtensions)
    {
        Assembly assembly;
        try
        {
            var name = AssemblyName.GetAssemblyName(path);
            assembly = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => AssemblyName.ReferenceMatchesDefinition(a.GetName(), name))
                ?? (File.Exists(Path.Combine(AppContext.BaseDirectory, Path.GetFileName(path))) ? Assembly.Load(name) : Assembly.LoadFrom(path));
        }
        catch (BadImageFormatException)
        {
            // Not a .NET assembly (a native library referenced by mistake): the compiler has said so; it has no extension.
            return;
        }

        await RunExtensionsAsync(root, assembly, loadedExtensions).ConfigureAwait(false);
    }

    private static async Task RunExtensionsAsync(Microsoft.DotNet.Interactive.Kernel root, Assembly assembly, HashSet<string> loadedExtensions)
    {
        var extensions = assembly.GetExportedTypes()
            .Where(t => typeof(IKernelExtension).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false });
        foreach (var type in extensions)
        {
            // A package restored again, or a dll referenced again, by a later cell must not register its extension twice.
            if (!loadedExtensions.Add(type.AssemblyQualifiedName ?? type.FullName ?? type.Name))
            {
                continue;
            }

            var extension = (IKernelExtension)Activator.CreateInstance(type)!;
            await extension.OnLoadAsync(root).ConfigureAwait(false);
        }
    }

    [GeneratedRegex("""^\s*#r\s+"(?<path>[^"]+)"\s*$""", RegexOptions.Multiline)]
    private static partial Regex LocalReference();
}
