using System.Text.Json;
using System.Text.Json.Nodes;

namespace GistNotebooks.Notebooks.Kernel.Jupyter;

/// <summary>
/// The kernelspec (<c>kernel.json</c>) through which Jupyter front ends start the kit's kernel: the command line, the
/// name shown to users, the language, and interrupts sent as messages on the control channel.
/// </summary>
/// <param name="Argv">The command that starts the kernel; Jupyter replaces <c>{connection_file}</c> in it.</param>
/// <param name="DisplayName">Shown in the front end's kernel picker; defaults to <see cref="DefaultDisplayName"/>.</param>
public sealed record JupyterKernelSpec(IReadOnlyList<string> Argv, string DisplayName = JupyterKernelSpec.DefaultDisplayName)
{
    /// <summary>
    /// The kernelspec's folder name. It starts with <c>.net-</c>, as the stock .NET kernels' names do, so a notebook
    /// whose metadata names it is still recognised as a .NET notebook by VS Code's Polyglot Notebooks.
    /// </summary>
    public const string DefaultName = ".net-csharp-gistnb";

    /// <summary>The name in the kernel picker.</summary>
    public const string DefaultDisplayName = ".NET (C#) — GistNotebooks";

    /// <summary>The language Jupyter records in a notebook's <c>kernelspec</c> metadata, as the stock .NET C# kernel does.</summary>
    public const string Language = "C#";

    /// <summary>The kernelspec for a kernel started as <c>dotnet gistnb.dll kernel jupyter --connection-file {connection_file}</c>.</summary>
    /// <param name="dotnet">The <c>dotnet</c> host.</param>
    /// <param name="gistnbDll">The path of <c>gistnb.dll</c>.</param>
    public static JupyterKernelSpec ForDll(string dotnet, string gistnbDll) =>
        new([dotnet, gistnbDll, "kernel", "jupyter", "--connection-file", "{connection_file}"]);

    /// <summary>The contents of <c>kernel.json</c>.</summary>
    public string ToJson()
    {
        var spec = new JsonObject
        {
            ["argv"] = new JsonArray([.. Argv.Select(a => (JsonNode)a)]),
            ["display_name"] = DisplayName,
            ["language"] = Language,
            ["interrupt_mode"] = "message",
            ["metadata"] = new JsonObject { ["debugger"] = false },
        };
        return spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }
}
