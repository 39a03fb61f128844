using System.Buffers;
using System.Text;
using System.Text.Json;
using GistNotebooks.Survival;

namespace GistNotebooks.Cli.Infrastructure;

/// <summary>
/// Writes one JSON object, streaming: the text goes to the output in blocks of about 64 KB as arrays are written, so a
/// table of a million rows is never held whole. Each block passes through one buffer of bytes and one of characters,
/// both reused, so a large output allocates nothing per block (a string per block was a large object each time). A
/// number that does not exist or is not finite is written as null, so the output never holds NaN or Infinity. Every
/// object starts with <see cref="OutputSchema.PropertyName"/>.
/// </summary>
internal sealed class JsonOutput : IDisposable
{
    private const int BlockSize = 1 << 16;

    private readonly ArrayBufferWriter<byte> buffer = new(2 * BlockSize);
    private readonly Utf8JsonWriter writer;
    private readonly TextWriter output;
    private char[] text = new char[2 * BlockSize];

    private JsonOutput(TextWriter output)
    {
        this.output = output;
        writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true });
    }

    public Utf8JsonWriter Writer => writer;

    public void Number(string name, double? value)
    {
        if (value is double v && double.IsFinite(v))
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    public void Number(double? value)
    {
        if (value is double v && double.IsFinite(v))
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    public void Integer(string name, long value) => writer.WriteNumber(name, value);

    public void Text(string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    public void Object(string name, Action body)
    {
        writer.WriteStartObject(name);
        body();
        writer.WriteEndObject();
    }

    public void Array<T>(string name, IEnumerable<T> items, Action<T> item)
    {
        writer.WriteStartArray(name);
        foreach (var x in items)
        {
            writer.WriteStartObject();
            item(x);
            writer.WriteEndObject();
            if (writer.BytesPending + buffer.WrittenCount >= BlockSize)
            {
                Drain();
            }
        }

        writer.WriteEndArray();
    }

    /// <summary>Hands the text written so far to the output (a flush ends on a whole token, so no character is split).</summary>
    private void Drain()
    {
        writer.Flush();
        var bytes = buffer.WrittenSpan;
        var length = Encoding.UTF8.GetMaxCharCount(bytes.Length);
        if (text.Length < length)
        {
            text = new char[length];
        }

        output.Write(text, 0, Encoding.UTF8.GetChars(bytes, text));
        buffer.ResetWrittenCount();
    }

    public void Dispose() => writer.Dispose();

    /// <summary>Writes one JSON object built by <paramref name="body"/> to <paramref name="output"/>, after its <see cref="OutputSchema.PropertyName"/>.</summary>
    public static void Write(TextWriter output, Action<JsonOutput> body)
    {
        using var json = new JsonOutput(output);
        json.Writer.WriteStartObject();
        json.Writer.WriteNumber(OutputSchema.PropertyName, OutputSchema.Version);
        body(json);
        json.Writer.WriteEndObject();
        json.Drain();
        output.WriteLine();
    }
}
