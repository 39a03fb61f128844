using System.Globalization;
using System.Text.Json;
using GistNotebooks.Notebooks.Documents;

namespace GistNotebooks.Notebooks.Kernel.Jupyter;

/// <summary>
/// What a Jupyter client writes into the connection file it passes to a kernel: the transport and address, one port
/// per channel, and the key and scheme that sign every message.
/// </summary>
/// <param name="Transport"><c>tcp</c> or <c>ipc</c>.</param>
/// <param name="Address">The IP address (tcp) or the socket path prefix (ipc).</param>
/// <param name="ShellPort">Requests and replies: execute, complete, inspect, kernel info.</param>
/// <param name="IOPubPort">Broadcast outputs and status.</param>
/// <param name="StdinPort">Input requests to the front end.</param>
/// <param name="ControlPort">Interrupt and shutdown, served while a cell runs.</param>
/// <param name="HeartbeatPort">Echo, so the client knows the kernel is alive.</param>
/// <param name="Key">The HMAC key; never empty, since the kit's kernel refuses unsigned messages.</param>
/// <param name="SignatureScheme">Always <c>hmac-sha256</c>.</param>
public sealed record JupyterConnection(string Transport, string Address, int ShellPort, int IOPubPort, int StdinPort, int ControlPort, int HeartbeatPort, string Key, string SignatureScheme)
{
    /// <summary>The one signature scheme the kernel accepts.</summary>
    public const string HmacSha256 = "hmac-sha256";

    /// <summary>Reads a connection file as written by <c>jupyter_client</c>.</summary>
    /// <exception cref="NotebookException">The file is missing, is not valid JSON, lacks a port, has no key or names another signature scheme; the message names the file.</exception>
    public static JupyterConnection Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new NotebookException($"{path}: connection file not found.");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            var connection = new JupyterConnection(
                Text(root, "transport", "tcp"),
                Text(root, "ip", "127.0.0.1"),
                Port(root, "shell_port"),
                Port(root, "iopub_port"),
                Port(root, "stdin_port"),
                Port(root, "control_port"),
                Port(root, "hb_port"),
                Text(root, "key", string.Empty),
                Text(root, "signature_scheme", HmacSha256));
            if (connection.Key.Length == 0)
            {
                throw new NotebookException($"{path}: the connection file has no key; the kit's kernel does not accept unsigned messages.");
            }

            if (!string.Equals(connection.SignatureScheme, HmacSha256, StringComparison.Ordinal))
            {
                throw new NotebookException($"{path}: signature scheme '{connection.SignatureScheme}' is not supported; the kit's kernel signs with {HmacSha256}.");
            }

            return connection;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new NotebookException($"{path}: not a Jupyter connection file ({e.Message}).", e);
        }
    }

    /// <summary>The ZeroMQ endpoint of one channel: <c>tcp://IP:PORT</c>, or <c>ipc://PATH-PORT</c> for the ipc transport.</summary>
    public string Endpoint(int port) => string.Equals(Transport, "ipc", StringComparison.Ordinal)
        ? string.Create(CultureInfo.InvariantCulture, $"ipc://{Address}-{port}")
        : string.Create(CultureInfo.InvariantCulture, $"{Transport}://{Address}:{port}");

    private static string Text(JsonElement root, string name, string fallback) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : fallback;

    private static int Port(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value.GetInt32() : throw new FormatException($"'{name}' is missing");
}
