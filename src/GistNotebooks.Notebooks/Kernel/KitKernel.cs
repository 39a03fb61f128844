using System.Reflection;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace GistNotebooks.Notebooks.Kernel;

/// <summary>
/// The one place the kit composes its .NET Interactive kernel: a composite kernel with C# (NuGet
/// directive, kernel helpers, value sharing, <c>#!import</c>), an HTML kernel and a value kernel, and
/// the loader for packages' kernel extensions. The headless runner and the VS Code host both use it.
/// </summary>
/// <remarks>
/// The process that hosts this kernel must carry FSharp.Core 10.1 (pinned in this project): Plotly.NET 6
/// needs it, and the stock dotnet-interactive tool, which ships 10.0, fails every Plotly.NET 6 chart.
/// </remarks>
public static class KitKernel
{
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
        var csharp = new CSharpKernel(CSharpName)
            .UseNugetDirective((kernel, packages) => OnPackagesResolvedAsync(kernel, packages, onPackageAdded, loadedExtensions), forceRestore: false)
            .UseKernelHelpers()
            .UseValueSharing()
            .UseImportMagicCommand();

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
            var assembly = Assembly.LoadFrom(file);
            var extensions = assembly.GetExportedTypes()
                .Where(t => typeof(IKernelExtension).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false });
            foreach (var type in extensions)
            {
                // A package restored again by a later #r cell must not register its extension twice.
                if (!loadedExtensions.Add(type.AssemblyQualifiedName ?? type.FullName ?? type.Name))
                {
                    continue;
                }

                var extension = (IKernelExtension)Activator.CreateInstance(type)!;
                await extension.OnLoadAsync(root).ConfigureAwait(false);
            }
        }
    }
}
