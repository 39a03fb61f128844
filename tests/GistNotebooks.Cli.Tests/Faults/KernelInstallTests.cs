using GistNotebooks.Cli.Commands;
using GistNotebooks.Cli.Infrastructure;

namespace GistNotebooks.Cli.Tests.Faults;

/// <summary>
/// The fault corpus of <c>gistnb kernel install</c>, with the publish step recorded instead of run: paths reach
/// MSBuild unchanged, the user's first settings file stays the backup, and nothing is written outside
/// <c>.vscode/</c> and the host's own folder.
/// </summary>
public sealed class KernelInstallTests
{
    private static (int Exit, string Error, List<(string Project, string Target)> Published) Install(params string[] options)
    {
        var published = new List<(string, string)>();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CliConsole(output, error);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Length; i += 2)
        {
            settings[options[i]] = options[i + 1];
        }

        var exit = console.Guard(() => KernelCommands.Install(settings, console, (project, target) => published.Add((project, target))));
        return (exit, error.ToString(), published);
    }

    [Theory]
    [InlineData("/tmp/kernel%3Bhost", "/tmp/kernel%253Bhost")]
    [InlineData("/tmp/a;b", "/tmp/a%3Bb")]
    [InlineData("/tmp/$(Evil)/@(x)", "/tmp/%24(Evil)/%40(x)")]
    [InlineData("/tmp/plain kernel", "/tmp/plain kernel")]
    public void A_path_is_escaped_so_that_MSBuild_reads_it_unchanged(string path, string escaped)
    {
        Assert.Equal(escaped, KernelCommands.MSBuildEscape(path));
    }

    [Fact]
    public void A_second_install_keeps_the_users_first_settings_file_as_the_backup()
    {
        var workspace = FaultNotebooks.NewFolder();
        var vscode = Directory.CreateDirectory(Path.Combine(workspace, ".vscode")).FullName;
        var original = "{\n  // the user's own comment\n  \"editor.fontSize\": 14,\n}\n";
        File.WriteAllText(Path.Combine(vscode, "settings.json"), original);
        var target = Path.Combine(FaultNotebooks.NewFolder(), "kernel%3Bhost");

        var first = Install("--workspace", workspace, "--out", target);
        var second = Install("--workspace", workspace, "--out", target);

        Assert.True(first.Exit == 0, first.Error);
        Assert.True(second.Exit == 0, second.Error);
        Assert.Equal(target, first.Published.Single().Target);
        Assert.Equal(original, File.ReadAllText(Path.Combine(vscode, "settings.json.bak")));
        var settings = File.ReadAllText(Path.Combine(vscode, "settings.json"));
        Assert.Contains("\"editor.fontSize\": 14", settings, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(target, "gistnb.dll"), settings, StringComparison.Ordinal);
        Assert.Equal(["settings.json", "settings.json.bak"], Directory.GetFiles(vscode).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_output_folder_that_holds_the_workspace_or_someone_elses_files_is_refused_before_anything_is_published()
    {
        var workspace = Path.Combine(FaultNotebooks.NewFolder(), "workspace");
        Directory.CreateDirectory(workspace);
        var foreign = FaultNotebooks.NewFolder();
        File.WriteAllText(Path.Combine(foreign, "thesis.tex"), "mine");

        var above = Install("--workspace", workspace, "--out", Path.GetDirectoryName(workspace)!);
        var itself = Install("--workspace", workspace, "--out", workspace);
        var occupied = Install("--workspace", workspace, "--out", foreign);

        Assert.Equal(2, above.Exit);
        Assert.Contains("this folder holds the workspace", above.Error, StringComparison.Ordinal);
        Assert.Equal(2, itself.Exit);
        Assert.Equal(2, occupied.Exit);
        Assert.Contains("the folder is not empty and holds no earlier kernel install", occupied.Error, StringComparison.Ordinal);
        Assert.Empty(above.Published.Concat(itself.Published).Concat(occupied.Published));
        Assert.False(Directory.Exists(Path.Combine(workspace, ".vscode")));
        Assert.Equal(["thesis.tex"], Directory.GetFiles(foreign).Select(Path.GetFileName));
    }

    [Fact]
    public void The_repository_itself_is_refused_as_the_output_folder()
    {
        var repository = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repository, "GistNotebooks.sln")))
        {
            repository = Path.GetDirectoryName(repository.TrimEnd(Path.DirectorySeparatorChar))!;
        }

        var (exit, error, published) = Install("--workspace", FaultNotebooks.NewFolder(), "--out", repository);

        Assert.Equal(2, exit);
        Assert.Contains("this folder holds the repository", error, StringComparison.Ordinal);
        Assert.Empty(published);
    }
}
