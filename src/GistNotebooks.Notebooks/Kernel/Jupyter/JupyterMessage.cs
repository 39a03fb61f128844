using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace GistNotebooks.Notebooks.Kernel.Jupyter;

/// <summary>
/// One message of the Jupyter messaging protocol (5.3): the routing identities, the four JSON parts and any binary
/// buffers.
/// </summary>
/// <remarks>
/// On the wire a message is the multipart ZeroMQ message
/// <c>[identities..., "&lt;IDS|MSG&gt;", signature, header, parent_header, metadata, content, buffers...]</c>, where the
/// signature is the lower-case hex HMAC-SHA256, under the connection key, of the four JSON parts in that order.
/// </remarks>
internal sealed record JupyterMessage(IReadOnlyList<byte[]> Identities, JsonObject Header, JsonObject ParentHeader, JsonObject Metadata, JsonObject Content)
{
    /// <summary>The protocol version the kernel speaks.</summary>
    public const string ProtocolVersion = "5.3";

    private static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    /// <summary>The message type from the header, such as <c>execute_request</c>.</summary>
    public string MessageType => Header["msg_type"]?.GetValue<string>() ?? string.Empty;

    /// <summary>A new message in reply to (or caused by) <paramref name="parent"/>, in the kernel's session.</summary>
    public static JupyterMessage Create(string messageType, JsonObject content, JupyterMessage? parent, string session, IReadOnlyList<byte[]>? identities = null)
    {
        var header = new JsonObject
        {
            ["msg_id"] = Guid.NewGuid().ToString("N"),
            ["session"] = session,
            ["username"] = "kernel",
            ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ["msg_type"] = messageType,
            ["version"] = ProtocolVersion,
        };
        var parentHeader = parent is null ? [] : (JsonObject)parent.Header.DeepClone();
        return new JupyterMessage(identities ?? parent?.Identities ?? [], header, parentHeader, [], content);
    }

    /// <summary>
    /// Reads the frames of a received message and checks its signature; null when the frames are not a message or the
    /// signature is missing or wrong (such a message must be ignored, not answered).
    /// </summary>
    public static JupyterMessage? Parse(IReadOnlyList<byte[]> frames, MessageSigner signer)
    {
        var at = -1;
        for (var i = 0; i < frames.Count; i++)
        {
            if (frames[i].AsSpan().SequenceEqual(Delimiter))
            {
                at = i;
                break;
            }
        }

        if (at < 0 || frames.Count < at + 6)
        {
            return null;
        }

        var parts = new[] { frames[at + 2], frames[at + 3], frames[at + 4], frames[at + 5] };
        if (!signer.Verify(frames[at + 1], parts))
        {
            return null;
        }

        try
        {
            return new JupyterMessage(
                [.. frames.Take(at)],
                JsonNode.Parse(parts[0]) as JsonObject ?? [],
                JsonNode.Parse(parts[1]) as JsonObject ?? [],
                JsonNode.Parse(parts[2]) as JsonObject ?? [],
                JsonNode.Parse(parts[3]) as JsonObject ?? []);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The frames to send, signed with <paramref name="signer"/>.</summary>
    public List<byte[]> ToFrames(MessageSigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var parts = new[] { Utf8(Header), Utf8(ParentHeader), Utf8(Metadata), Utf8(Content) };
        var frames = new List<byte[]>(Identities.Count + 6);
        frames.AddRange(Identities);
        frames.Add(Delimiter);
        frames.Add(signer.Sign(parts));
        frames.AddRange(parts);
        return frames;
    }

    private static byte[] Utf8(JsonObject part) => Encoding.UTF8.GetBytes(part.ToJsonString());
}

/// <summary>Signs and checks messages with HMAC-SHA256 under the connection key.</summary>
internal sealed class MessageSigner(string key)
{
    private readonly byte[] keyBytes = Encoding.UTF8.GetBytes(key);

    /// <summary>The lower-case hex signature of the parts, as ASCII bytes.</summary>
    public byte[] Sign(IReadOnlyList<byte[]> parts) => Encoding.ASCII.GetBytes(Convert.ToHexStringLower(Mac(parts)));

    /// <summary>True when <paramref name="signature"/> is the signature of the parts; compared in constant time.</summary>
    public bool Verify(byte[] signature, IReadOnlyList<byte[]> parts)
    {
        if (signature.Length != 64)
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(Encoding.ASCII.GetString(signature));
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(given, Mac(parts));
    }

    private byte[] Mac(IReadOnlyList<byte[]> parts)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, keyBytes);
        foreach (var part in parts)
        {
            hmac.AppendData(part);
        }

        return hmac.GetHashAndReset();
    }
}
