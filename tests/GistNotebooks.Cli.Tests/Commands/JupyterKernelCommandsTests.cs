using System.Text.Json;

namespace GistNotebooks.Cli.Tests.Commands;

/// <summary><c>gistnb kernel jupyter</c> and <c>gistnb kernel install --jupyter</c> as a user types them; the protocol itself is tested with a real Jupyter client in GistNotebooks.Notebooks.Tests.</summary>
public sealed class JupyterKernelCommandsTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "gistnb-cli-jupyter", Guid.NewGuid().ToString("N"));

    public JupyterKernelCommandsTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Serving_without_a_connection_file_is_a_usage_error()
    {
        var (exit, _, error) = Gistnb.Run("kernel", "jupyter");

        Assert.Equal(2, exit);
        Assert.Contains("--connection-file FILE", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kernel", "install", "--help")]
    [InlineData("kernel", "install", "--jupyter", "-h")]
    [InlineData("kernel", "jupyter", "--help")]
    public void Help_after_a_kernel_command_shows_the_usage_and_succeeds_without_installing_anything(params string[] words)
    {
        var (exit, output, error) = Gistnb.Run(words);

        Assert.Equal(0, exit);
        Assert.Contains("--sys-prefix", output, StringComparison.Ordinal);
        Assert.Contains("--workspace DIR", output, StringComparison.Ordinal);
        Assert.DoesNotContain("installed", output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, error);
    }

    [Fact]
    public void A_missing_connection_file_is_named()
    {
        var path = Path.Combine(folder, "kernel-1.json");

        var (exit, _, error) = Gistnb.Run("kernel", "jupyter", "--connection-file", path);

        Assert.Equal(2, exit);
        Assert.Contains($"{path}: connection file not found", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_file_without_a_key_is_refused_since_messages_would_go_unsigned()
    {
        var path = Path.Combine(folder, "kernel-2.json");
        File.WriteAllText(path, """{"transport": "tcp", "ip": "127.0.0.1", "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "key": "", "signature_scheme": "hmac-sha256"}""");

        var (exit, _, error) = Gistnb.Run("kernel", "jupyter", "--connection-file", path);

        Assert.Equal(2, exit);
        Assert.Contains("does not accept unsigned messages", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Install_with_a_prefix_writes_the_kernelspec_under_share_jupyter_kernels()
    {
        var (exit, output, _) = Gistnb.Run("kernel", "install", "--jupyter", "--prefix", folder);

        Assert.Equal(0, exit);
        var spec = Path.Combine(folder, "share", "jupyter", "kernels", ".net-csharp-gistnb", "kernel.json");
        using var json = JsonDocument.Parse(File.ReadAllText(spec));
        Assert.Equal(".NET (C#) — GistNotebooks", json.RootElement.GetProperty("display_name").GetString());
        Assert.Contains(spec, output, StringComparison.Ordinal);
        Assert.Contains("jupyter kernelspec uninstall .net-csharp-gistnb", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--prefix")]
    [InlineData("--user", "--sys-prefix")]
    [InlineData("--out", "x")]
    public void Install_refuses_a_missing_folder_or_two_destinations(params string[] options)
    {
        var (exit, _, error) = Gistnb.Run(["kernel", "install", "--jupyter", .. options]);

        Assert.Equal(2, exit);
        Assert.Contains("usage: gistnb kernel jupyter", error, StringComparison.Ordinal);
    }
}
