using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.Json;
using GistNotebooks.Cli.Infrastructure;
using GistNotebooks.Notebooks.Kernel;
using GistNotebooks.Reporting.Files;

namespace GistNotebooks.Cli.Commands;

/// <summary>
/// <c>gistnb kernel [vscode] stdio [--working-dir DIR] [--kernel-host NAME]</c> serves the kit's kernel to VS Code;
/// <c>gistnb kernel install [--out DIR] [--workspace DIR]</c> publishes it and points VS Code at it.
/// </summary>
/// <remarks>
/// Parsed by hand rather than by System.CommandLine: VS Code's default transport arguments put <c>[vscode]</c>
/// before <c>stdio</c>, which System.CommandLine would read as a directive.
/// </remarks>
internal static class KernelCommands
{
    public const string Usage = "usage: gistnb kernel [vscode] stdio [--working-dir DIR] [--kernel-host NAME] | gistnb kernel install [--out DIR] [--workspace DIR]";

    private const string SettingName = "dotnet-interactive.kernelTransportArgs";

    public static int Run(IReadOnlyList<string> args, CliConsole console) => console.Guard(() =>
    {
        var words = args.ToList();
        // Help anywhere (`kernel install --help`, `kernel jupyter -h`) shows the usage of every kernel command.
        if (words.Count == 0 || words.Exists(w => w is "-h" or "--help" or "-?"))
        {
            console.Output.WriteLine(Usage);
            console.Output.WriteLine("  stdio    speak the .NET Interactive stdio protocol (what VS Code's Polyglot Notebooks launches)");
            console.Output.WriteLine("  install  publish the host and write .vscode/settings.json so VS Code uses it");
            console.Output.WriteLine(JupyterKernelCommands.Usage);
            console.Output.WriteLine("  jupyter  speak the Jupyter messaging protocol (JupyterLab, Jupyter Notebook, nbclient, nbconvert, papermill)");
            console.Output.WriteLine("  install --jupyter  write the kernelspec that lets Jupyter start it (per user by default)");
            return words.Count == 0 ? CliConsole.InputError : 0;
        }

        var forVSCode = words[0] is "vscode" or "[vscode]";
        if (forVSCode)
        {
            words.RemoveAt(0);
        }

        var verb = words.Count > 0 ? words[0] : string.Empty;
        if (!forVSCode && JupyterVerb(verb, words) is { } jupyter)
        {
            return jupyter(words.Skip(1).ToList(), console);
        }

        var options = Options(words.Skip(1).ToList());
        return verb switch
        {
            "stdio" => Stdio(forVSCode, options, console),
            "install" when !forVSCode => Install(options, console),
            _ => throw new CliUsageException($"unknown kernel command '{string.Join(' ', args)}'; {Usage}"),
        };
    });

    /// <summary><c>kernel jupyter</c> and <c>kernel install --jupyter</c> belong to <see cref="JupyterKernelCommands"/>.</summary>
    private static Func<IReadOnlyList<string>, CliConsole, int>? JupyterVerb(string verb, List<string> words) => verb switch
    {
        "jupyter" => JupyterKernelCommands.Serve,
        "install" when words.Contains("--jupyter") => JupyterKernelCommands.Install,
        _ => null,
    };

    private static Dictionary<string, string> Options(List<string> words)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i] is not ("--working-dir" or "--kernel-host" or "--out" or "--workspace") || i + 1 >= words.Count)
            {
                throw new CliUsageException($"unexpected '{words[i]}'; {Usage}");
            }

            options[words[i]] = words[++i];
        }

        return options;
    }

    private static int Stdio(bool forVSCode, Dictionary<string, string> options, CliConsole console)
    {
        var settings = new StdioHostOptions(forVSCode, options.GetValueOrDefault("--working-dir"), options.GetValueOrDefault("--kernel-host"));
        using var stdout = Console.OpenStandardOutput();
        return StdioKernelHost.RunAsync(settings, Console.In, stdout, console.Error).GetAwaiter().GetResult();
    }

    private static int Install(Dictionary<string, string> options, CliConsole console) => Install(options, console, Publish);

    /// <summary>
    /// Publishes the host into the output folder and points the workspace's <c>.vscode/settings.json</c> at it. Writes
    /// nothing else: the output folder must be new, empty or an earlier kernel install, never the repository, the
    /// workspace or a folder above them; the user's first settings file is kept as <c>settings.json.bak</c> and never
    /// overwritten by a later install.
    /// </summary>
    internal static int Install(Dictionary<string, string> options, CliConsole console, Action<string, string> publish)
    {
        if (FindRepository(Environment.CurrentDirectory) is not { } repository)
        {
            return InstallCarried(options, console);
        }

        var target = Path.GetFullPath(options.GetValueOrDefault("--out") ?? Path.Combine(repository, ".kernel"));
        var workspace = Path.GetFullPath(options.GetValueOrDefault("--workspace") ?? repository);
        var settingsPath = Path.Combine(workspace, ".vscode", "settings.json");
        EnsureOwnFolder(target, repository, workspace);
        var settings = ReadSettings(settingsPath);

        console.Error.WriteLine($"gistnb: publishing the kernel host to {target} ...");
        publish(Path.Combine(repository, "src", "GistNotebooks.Cli", "GistNotebooks.Cli.csproj"), target);
        var dll = Path.Combine(target, "gistnb.dll");
        console.Output.WriteLine($"published the kit's kernel host: {dll}");
        WriteSettings(settings, settingsPath, dll, console);
        console.Output.WriteLine($"To undo: delete the \"{SettingName}\" entry from {settingsPath} and the folder {target}.");
        return 0;
    }

    /// <summary>
    /// Outside a checkout (an installed gistnb tool) there is no source to publish: the running gistnb is the host, and
    /// only the workspace's settings are written (the workspace is the current folder unless <c>--workspace</c> names one).
    /// </summary>
    private static int InstallCarried(Dictionary<string, string> options, CliConsole console)
    {
        if (options.ContainsKey("--out"))
        {
            throw new CliUsageException("--out publishes the host of a GistNotebooks checkout; outside one, this installed gistnb is the host: leave --out out");
        }

        var dll = Path.Combine(AppContext.BaseDirectory, "gistnb.dll");
        if (!File.Exists(dll))
        {
            throw new CliUsageException($"run `gistnb kernel install` inside a GistNotebooks checkout, or from an installed gistnb tool ({dll} was not found)");
        }

        var workspace = Path.GetFullPath(options.GetValueOrDefault("--workspace") ?? Environment.CurrentDirectory);
        var settingsPath = Path.Combine(workspace, ".vscode", "settings.json");
        var settings = ReadSettings(settingsPath);
        console.Output.WriteLine($"the kit's kernel host is this gistnb: {dll}");
        WriteSettings(settings, settingsPath, dll, console);
        console.Output.WriteLine($"To undo: delete the \"{SettingName}\" entry from {settingsPath}. Run `gistnb kernel install` again after updating the tool.");
        return 0;
    }

    private static void WriteSettings(JsonObject settings, string settingsPath, string dll, CliConsole console)
    {
        settings[SettingName] = new JsonArray("{dotnet_path}", dll, "kernel", "vscode", "stdio", "--working-dir", "{working_dir}");
        Directory.CreateDirectory(Path.GetDirectoryName(settingsPath)!);

        // Rewriting the settings keeps every setting but not the file's comments or layout: keep the user's own file
        // beside it — the first one only, so that a second install does not replace it with the rewritten one.
        var backup = settingsPath + ".bak";
        var keptNow = false;
        if (File.Exists(settingsPath) && !File.Exists(backup))
        {
            File.Copy(settingsPath, backup);
            keptNow = true;
        }

        AtomicFile.WriteAllText(settingsPath, settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");

        console.Output.WriteLine($"set \"{SettingName}\" in {settingsPath}"
            + (keptNow ? $" (the previous file is kept as {backup})" : File.Exists(backup) ? $" (your original file is still kept as {backup})" : string.Empty));
        console.Output.WriteLine("Reload VS Code; notebooks in this workspace now run on the kit's kernel (C#, HTML and value cells; Plotly.NET 6 charts draw).");
    }

    /// <summary>The output folder is the host's alone: new, empty or an earlier install; never a folder that holds the repository or workspace.</summary>
    private static void EnsureOwnFolder(string target, string repository, string workspace)
    {
        static bool Within(string inner, string outer) =>
            string.Equals(inner, outer, StringComparison.Ordinal) || inner.StartsWith(outer.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        var canonical = SourceGuard.Canonical(target);
        foreach (var (name, folder) in new[] { ("repository", repository), ("workspace", workspace) })
        {
            var other = SourceGuard.Canonical(folder);
            if (Within(other, canonical))
            {
                throw new CliUsageException($"--out {target}: this folder holds the {name} ({folder}); the kernel host needs a folder of its own, for example {Path.Combine(repository, ".kernel")}");
            }
        }

        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any() && !File.Exists(Path.Combine(target, "gistnb.dll")))
        {
            throw new CliUsageException($"--out {target}: the folder is not empty and holds no earlier kernel install; choose a new or empty folder");
        }
    }

    /// <summary>
    /// A path as a literal MSBuild property value: MSBuild reads <c>%XX</c> as an escaped character and <c>;</c> as a
    /// list separator, so a folder named <c>a%3Bb</c> or <c>a;b</c> would otherwise be published somewhere else.
    /// </summary>
    internal static string MSBuildEscape(string value)
    {
        var text = new System.Text.StringBuilder(value.Length);
        foreach (var c in value)
        {
            text.Append(c is '%' or ';' or '$' or '@' or '\'' or '*' or '?' ? $"%{(int)c:X2}" : c.ToString());
        }

        return text.ToString();
    }

    /// <summary>Reads the workspace settings; refuses to touch a file it cannot parse rather than lose the user's settings.</summary>
    private static JsonObject ReadSettings(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: options) as JsonObject
                ?? throw new CliUsageException($"{path}: expected a JSON object; left unchanged. Add \"{SettingName}\" by hand (see README).");
        }
        catch (JsonException e)
        {
            throw new CliUsageException($"{path}: not valid JSON ({e.Message}); left unchanged. Fix it or add \"{SettingName}\" by hand (see README).");
        }
    }

    /// <summary>
    /// The arguments of the <c>dotnet publish</c> that builds the host. Its intermediate and build files go under
    /// <c>artifacts/kernel-build</c> of the repository (the SDK's artifacts layout), never into <c>obj/</c> or
    /// <c>bin/</c> beside the sources; the published copy must not refill <c>artifacts/kit</c>, which notebooks of a
    /// running session may be using.
    /// </summary>
    internal static IReadOnlyList<string> PublishArguments(string project, string target, string repository) =>
    [
        "publish", project, "--configuration", "Release", "--output", MSBuildEscape(target),
        "--artifacts-path", MSBuildEscape(BuildFolder(repository)), "--nologo", "--verbosity", "quiet", "-p:CopyToKitLibrary=false",
    ];

    /// <summary>Where the host's publish keeps its intermediate and build files: ignored by git, outside every project folder.</summary>
    internal static string BuildFolder(string repository) => Path.Combine(repository, "artifacts", "kernel-build");

    private static void Publish(string project, string target)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        var repository = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, "..", ".."));
        foreach (var argument in PublishArguments(project, target, repository))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new CliUsageException($"dotnet publish failed (exit {process.ExitCode}): {(output.Result + error.Result).Trim()}");
        }
    }

    private static string? FindRepository(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "GistNotebooks.sln")))
            {
                return folder.FullName;
            }
        }

        return null;
    }
}
