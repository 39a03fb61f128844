using GistNotebooks.Cli;

namespace GistNotebooks.Notebooks.Tests.Kernel;

/// <summary>The kernel host published once by <c>gistnb kernel install</c> into a temporary folder, with a temporary workspace.</summary>
public sealed class PublishedHost : IDisposable
{
    public PublishedHost()
    {
        Root = TestNotebooks.NewFolder();
        Workspace = Path.Combine(Root, "workspace");
        Directory.CreateDirectory(Path.Combine(Workspace, ".vscode"));
        File.WriteAllText(SettingsPath, "{\n  // the user's own setting, which install must keep\n  \"editor.fontSize\": 13,\n}\n");
        using var output = new StringWriter();
        using var error = new StringWriter();
        ExitCode = CliApp.Run(["kernel", "install", "--out", Path.Combine(Root, "kernel"), "--workspace", Workspace], output, error);
        InstallOutput = output.ToString() + error;
        Dll = Path.Combine(Root, "kernel", "gistnb.dll");
    }

    public string Root { get; }

    public string Workspace { get; }

    public string SettingsPath => Path.Combine(Workspace, ".vscode", "settings.json");

    public int ExitCode { get; }

    public string InstallOutput { get; }

    public string Dll { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A host process that has not exited yet may still hold a file; the temp folder is cleaned by the OS.
        }
    }
}
