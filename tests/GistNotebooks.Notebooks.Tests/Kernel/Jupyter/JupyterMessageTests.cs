using System.Text;
using System.Text.Json.Nodes;
using GistNotebooks.Notebooks.Kernel.Jupyter;

namespace GistNotebooks.Notebooks.Tests.Kernel.Jupyter;

public sealed class JupyterMessageTests
{
    private static readonly MessageSigner Signer = new("0123456789abcdef");

    [Fact]
    public void The_signature_is_the_hex_HMAC_SHA256_of_the_four_json_parts_in_order()
    {
        // Computed independently with Python: hmac.new(b"0123456789abcdef", digestmod=hashlib.sha256), updated with
        // b'{"msg_type":"x"}', b"{}", b"{}", b'{"code":"1+1"}', then hexdigest().
        byte[][] parts = [Encoding.UTF8.GetBytes("""{"msg_type":"x"}"""), "{}"u8.ToArray(), "{}"u8.ToArray(), Encoding.UTF8.GetBytes("""{"code":"1+1"}""")];

        Assert.Equal(ExpectedSignature, Encoding.ASCII.GetString(Signer.Sign(parts)));
    }

    [Fact]
    public void A_message_reads_back_with_its_identities_and_content()
    {
        var message = JupyterMessage.Create("execute_request", new JsonObject { ["code"] = "1+1" }, null, "s", [[1, 2, 3]]);

        var parsed = JupyterMessage.Parse(message.ToFrames(Signer), Signer);

        Assert.NotNull(parsed);
        Assert.Equal("execute_request", parsed.MessageType);
        Assert.Equal([1, 2, 3], Assert.Single(parsed.Identities));
        Assert.Equal("1+1", parsed.Content["code"]!.GetValue<string>());
    }

    [Fact]
    public void A_message_signed_with_another_key_unsigned_or_altered_is_refused()
    {
        var message = JupyterMessage.Create("execute_request", new JsonObject { ["code"] = "1+1" }, null, "s");

        Assert.Null(JupyterMessage.Parse(message.ToFrames(new MessageSigner("another key")), Signer));
        var unsigned = message.ToFrames(Signer);
        unsigned[1] = [];
        Assert.Null(JupyterMessage.Parse(unsigned, Signer));
        var altered = message.ToFrames(Signer);
        altered[^1] = Encoding.UTF8.GetBytes("""{"code":"File.Delete(\"x\")"}""");
        Assert.Null(JupyterMessage.Parse(altered, Signer));
    }

    [Fact]
    public void A_reply_carries_the_request_header_as_its_parent_and_goes_to_the_same_identities()
    {
        var request = JupyterMessage.Create("kernel_info_request", [], null, "client", [[7]]);

        var reply = JupyterMessage.Create("kernel_info_reply", [], request, "kernel");

        Assert.Equal(request.Header["msg_id"]!.GetValue<string>(), reply.ParentHeader["msg_id"]!.GetValue<string>());
        Assert.Equal([7], Assert.Single(reply.Identities));
        Assert.Equal("5.3", reply.Header["version"]!.GetValue<string>());
    }

    private const string ExpectedSignature = "a72c208d520489a69fa848b55837b0d1f07ab4001b092f912fe89c145fd33970";
}
