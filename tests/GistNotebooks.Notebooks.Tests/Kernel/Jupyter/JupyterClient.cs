using System.Diagnostics;
using System.Text.Json;
using GistNotebooks.Cli;
using GistNotebooks.Notebooks.Kernel.Jupyter;

namespace GistNotebooks.Notebooks.Tests.Kernel.Jupyter;

/// <summary>
/// The kit's Jupyter kernelspec installed by <c>gistnb kernel install --jupyter --prefix</c> into a temporary folder,
/// and Jupyter's own client (Debian's python3-jupyter-client and python3-nbclient, for /usr/bin/python3) to drive it.
/// </summary>
public class JupyterClient : IDisposable
{
    /// <summary>The Python the Debian packages install for; the first python3 on PATH may be another.</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly string Driver = Path.Combine(TestNotebooks.RepositoryRoot, "tests", "GistNotebooks.Notebooks.Tests", "Kernel", "Jupyter", "jupyter_client_driver.py");

    public JupyterClient()
    {
        Root = TestNotebooks.NewFolder();
        using var output = new StringWriter();
        using var error = new StringWriter();
        InstallExitCode = CliApp.Run(["kernel", "install", "--jupyter", "--prefix", Path.Combine(Root, "prefix")], output, error);
        InstallOutput = output.ToString() + error;
    }

    public string Root { get; }

    public int InstallExitCode { get; }

    public string InstallOutput { get; }

    public string KernelSpecFolder => Path.Combine(Root, "prefix", "share", "jupyter", "kernels", JupyterKernelSpec.DefaultName);

    /// <summary>Runs the driver script with Jupyter looking only at the temporary prefix; returns the JSON it printed.</summary>
    public JsonElement Drive(TimeSpan limit, params string[] arguments)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: install python3-jupyter-client and python3-nbclient (.ci/run does).");
        var start = new ProcessStartInfo(Python) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Driver);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["JUPYTER_PATH"] = Path.Combine(Root, "prefix", "share", "jupyter");
        start.Environment["JUPYTER_RUNTIME_DIR"] = Path.Combine(Root, "runtime");
        start.Environment["JUPYTER_DATA_DIR"] = Path.Combine(Root, "data");
        start.Environment["JUPYTER_CONFIG_DIR"] = Path.Combine(Root, "config");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the Jupyter client ran past {limit}; its log:\n{stderr.Result}");
        }

        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"the Jupyter client failed (exit {process.ExitCode}):\n{stderr.Result}");
        using var document = JsonDocument.Parse(stdout.Result);
        return document.RootElement.Clone();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS's temporary-file cleanup.
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>One kernel driven through the protocol by jupyter_client, once for all the tests of <see cref="JupyterKernelHostTests"/>.</summary>
public sealed class JupyterSession : JupyterClient
{
    public JupyterSession()
    {
        if (InstallExitCode == 0)
        {
            Report = Drive(TimeSpan.FromMinutes(8), "session", JupyterKernelSpec.DefaultName);
        }
    }

    public JsonElement Report { get; }
}
