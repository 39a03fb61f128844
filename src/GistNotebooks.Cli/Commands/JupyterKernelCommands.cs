using System.Diagnostics;
using System.Runtime.InteropServices;
using GistNotebooks.Cli.Infrastructure;
using GistNotebooks.Notebooks.Kernel.Jupyter;
using GistNotebooks.Reporting.Files;

namespace GistNotebooks.Cli.Commands;

/// <summary>
/// <c>gistnb kernel jupyter --connection-file F</c> serves the kit's kernel to a Jupyter client;
/// <c>gistnb kernel install --jupyter [--user | --prefix DIR | --sys-prefix]</c> writes the kernelspec that starts it.
/// </summary>
internal static class JupyterKernelCommands
{
    public const string Usage = "usage: gistnb kernel jupyter --connection-file FILE | gistnb kernel install --jupyter [--user | --prefix DIR | --sys-prefix]";

    /// <summary>Runs the Jupyter kernel until the client shuts it down.</summary>
    public static int Serve(IReadOnlyList<string> words, CliConsole console)
    {
        if (words is not ["--connection-file" or "-f", var connectionFile])
        {
            throw new CliUsageException($"expected --connection-file FILE; {Usage}");
        }

        return JupyterKernelHost.RunAsync(connectionFile, console.Error).GetAwaiter().GetResult();
    }

    /// <summary>Writes <c>kernel.json</c> into the chosen Jupyter data folder (the user's by default) and says how to remove it.</summary>
    public static int Install(IReadOnlyList<string> words, CliConsole console)
    {
        var kernels = KernelsFolder(words.Where(w => w != "--jupyter").ToList());
        var folder = Path.Combine(kernels, JupyterKernelSpec.DefaultName);
        var gistnb = typeof(JupyterKernelCommands).Assembly.Location;
        var spec = JupyterKernelSpec.ForDll(DotnetHost(), gistnb);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "kernel.json");
        AtomicFile.WriteAllText(path, spec.ToJson());

        console.Output.WriteLine($"installed the Jupyter kernelspec '{JupyterKernelSpec.DefaultName}' ({JupyterKernelSpec.DefaultDisplayName}): {path}");
        console.Output.WriteLine($"It starts this gistnb ({gistnb}); install again if you move or rebuild it elsewhere.");
        console.Output.WriteLine($"Pick \"{JupyterKernelSpec.DefaultDisplayName}\" in JupyterLab, or run: jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name={JupyterKernelSpec.DefaultName} NOTEBOOK.ipynb");
        console.Output.WriteLine($"To remove it: jupyter kernelspec uninstall {JupyterKernelSpec.DefaultName}   (or delete the folder {folder})");
        return 0;
    }

    /// <summary>Where Jupyter looks for kernelspecs, as <c>jupyter kernelspec install</c> chooses it.</summary>
    private static string KernelsFolder(List<string> words)
    {
        switch (words)
        {
            case [] or ["--user"]:
                return Path.Combine(UserDataFolder(), "kernels");
            case ["--prefix", var prefix]:
                return Path.Combine(Path.GetFullPath(prefix), "share", "jupyter", "kernels");
            case ["--sys-prefix"]:
                return Path.Combine(SysPrefix(), "share", "jupyter", "kernels");
            default:
                throw new CliUsageException($"unexpected '{string.Join(' ', words)}'; {Usage}");
        }
    }

    /// <summary>Jupyter's per-user data folder: <c>JUPYTER_DATA_DIR</c>, else the platform's (XDG on Linux).</summary>
    private static string UserDataFolder()
    {
        if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter");
        }

        if (OperatingSystem.IsMacOS())
        {
            return Path.Combine(home, "Library", "Jupyter");
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return Path.Combine(xdg is { Length: > 0 } ? xdg : Path.Combine(home, ".local", "share"), "jupyter");
    }

    /// <summary>The prefix of the Python environment Jupyter runs in: the active virtual or conda environment, else the first python3's.</summary>
    private static string SysPrefix()
    {
        foreach (var variable in new[] { "VIRTUAL_ENV", "CONDA_PREFIX" })
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } prefix)
            {
                return prefix;
            }
        }

        var python = OperatingSystem.IsWindows() ? "python" : "python3";
        var start = new ProcessStartInfo(python) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import sys; print(sys.prefix)");
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            if (process.ExitCode == 0 && output.Length > 0)
            {
                return output;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No Python on PATH: said below.
        }

        throw new CliUsageException($"--sys-prefix: no active Python environment (VIRTUAL_ENV, CONDA_PREFIX) and `{python}` did not report sys.prefix; use --prefix DIR or --user.");
    }

    /// <summary>The <c>dotnet</c> host that runs this process, so the kernelspec does not depend on PATH.</summary>
    private static string DotnetHost()
    {
        var process = Environment.ProcessPath;
        var exe = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
        if (process is not null && string.Equals(Path.GetFileName(process), exe, StringComparison.OrdinalIgnoreCase))
        {
            return process;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }
}
