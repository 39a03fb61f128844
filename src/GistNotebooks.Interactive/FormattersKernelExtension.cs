using Microsoft.DotNet.Interactive;

namespace GistNotebooks.Interactive;

/// <summary>
/// The kernel extension that registers <see cref="NotebookFormatters"/> when a notebook loads the kit: .NET Interactive
/// kernels run it from the package's <c>interactive-extensions/dotnet</c> folder after <c>#r "nuget: GistNotebooks.Interactive"</c>,
/// and the kit's own kernels (the headless runner, the VS Code and Jupyter hosts) also after <c>#r</c> of the dll.
/// </summary>
public sealed class FormattersKernelExtension : IKernelExtension
{
    /// <summary>Registers the formatters; the kernel itself is not changed (formatters are process-wide).</summary>
    /// <param name="kernel">The kernel that loaded the extension.</param>
    public Task OnLoadAsync(Microsoft.DotNet.Interactive.Kernel kernel)
    {
        NotebookFormatters.Register();
        return Task.CompletedTask;
    }
}
