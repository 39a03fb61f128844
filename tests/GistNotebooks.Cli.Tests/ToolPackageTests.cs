using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GistNotebooks.Cli.Tests;

/// <summary>
/// gistnb packed as a dotnet tool, installed into a folder of its own and used on a copy of a notebook outside any
/// checkout, as a user who installed the tool would. Slow (a pack, an install and two runs of one notebook: one to two
/// minutes warm on a busy 2-core machine); it packs the Debug build the tests already made.
/// </summary>
public sealed class ToolPackageTests
{
    private static readonly string Repository = FindRepository();

    [Fact]
    public void The_packed_tool_installs_and_runs_reproduces_exports_and_installs_the_kernel_outside_a_checkout()
    {
        var root = Path.Combine(Path.GetTempPath(), "gistnb-tool-" + Guid.NewGuid().ToString("N"));
        var packages = Path.Combine(root, "packages");
        var tools = Path.Combine(root, "tools");
        var study = Path.Combine(root, "study");
        Directory.CreateDirectory(Path.Combine(study, "notebooks"));
        File.Copy(Path.Combine(Repository, "notebooks", "01-cohort.ipynb"), Path.Combine(study, "notebooks", "01-cohort.ipynb"));
        CopyFolder(Path.Combine(Repository, "data", "nunobe2005"), Path.Combine(study, "data", "nunobe2005"));
        CopyFolder(Path.Combine(Repository, "data", "literature"), Path.Combine(study, "data", "literature"));
        // A manifest of that one notebook, so that `reproduce --notebooks` has a study to run.
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository, "notebooks", "manifest.json")))!.AsObject();
        var entries = manifest["notebooks"]!.AsArray();
        manifest["notebooks"] = new JsonArray(entries.Where(e => (string?)e!["file"] == "01-cohort.ipynb").Select(e => e!.DeepClone()).ToArray());
        File.WriteAllText(Path.Combine(study, "notebooks", "manifest.json"), manifest.ToJsonString());

        Run("dotnet", Repository, "pack", Path.Combine(Repository, "src", "GistNotebooks.Cli"), "--configuration", "Debug", "--no-build", "--output", packages, "--nologo", "-p:CopyToKitLibrary=false");
        Run("dotnet", root, "tool", "install", "GistNotebooks.Cli", "--tool-path", tools, "--add-source", packages, "--ignore-failed-sources");
        var gistnb = Path.Combine(tools, OperatingSystem.IsWindows() ? "gistnb.exe" : "gistnb");

        var version = Run(gistnb, study, "--version");
        var help = Run(gistnb, study, "--help");
        var run = Run(gistnb, study, "run", Path.Combine("notebooks", "01-cohort.ipynb"), "--out", "executed");
        var export = Run(gistnb, study, "export", Path.Combine("notebooks", "01-cohort.ipynb"), "--out", "apps");
        var kernel = Run(gistnb, study, "kernel", "install", "--workspace", study);
        // Exit 1: the one notebook checks C01–C05 and the abstract's other claims stay unchecked.
        var reproduce = Run(gistnb, study, 1, "reproduce", "--notebooks", "notebooks", "--out", "reproduction");

        Assert.StartsWith("0.1.0", version.Trim(), StringComparison.Ordinal);
        Assert.Contains("export", help, StringComparison.Ordinal);
        Assert.Contains("C05", run, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(study, "executed", "01-cohort.ipynb")));
        Assert.Contains("1 of 1 notebooks ran to the end", reproduce, StringComparison.Ordinal);
        Assert.Contains("5 of 12 claims pass", reproduce, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(study, "reproduction", "claims.json")));
        Assert.True(File.Exists(Path.Combine(study, "reproduction", "report.html")));
        Assert.Contains("wrote", export, StringComparison.Ordinal);
        var app = File.ReadAllText(Path.Combine(study, "apps", "01-cohort.cs"));
        Assert.Contains("#:package GistNotebooks.Reporting@0.1.0", app, StringComparison.Ordinal);
        Assert.Contains("#:package Microsoft.Data.Analysis@0.23.1", app, StringComparison.Ordinal);
        Assert.DoesNotContain("#:project", app, StringComparison.Ordinal);
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(study, ".vscode", "settings.json")));
        var host = settings.RootElement.GetProperty("dotnet-interactive.kernelTransportArgs")[1].GetString()!;
        Assert.StartsWith(Path.GetFullPath(tools), Path.GetFullPath(host), StringComparison.Ordinal);
        Assert.True(File.Exists(host), kernel);
        Directory.Delete(root, recursive: true);
    }

    private static string Run(string program, string folder, params string[] args) => Run(program, folder, 0, args);

    private static string Run(string program, string folder, int expectedExit, params string[] args)
    {
        var start = new ProcessStartInfo(program == "dotnet" && Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : program)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        Assert.True(process.ExitCode == expectedExit, $"{program} {string.Join(' ', args)} exited with {process.ExitCode}:\n{output.Result}\n{error.Result}");
        return output.Result;
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    private static string FindRepository()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "GistNotebooks.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("the tests run inside the repository; GistNotebooks.sln was not found above " + AppContext.BaseDirectory);
    }
}
