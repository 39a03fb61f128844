using System.Text;
using System.Text.Json;

namespace GistNotebooks.Cli.Infrastructure;

/// <summary>
/// Writes one JSON object. A number that does not exist or is not finite is written as null, so the
/// output never holds NaN or Infinity.
/// </summary>
internal sealed class JsonOutput : IDisposable
{
    private readonly MemoryStream buffer = new();
    private readonly Utf8JsonWriter writer;

    public JsonOutput() => writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true });

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
        }

        writer.WriteEndArray();
    }

    public string Finish()
    {
        writer.Flush();
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public void Dispose()
    {
        writer.Dispose();
        buffer.Dispose();
    }

    /// <summary>Writes one JSON object built by <paramref name="body"/> to <paramref name="output"/>.</summary>
    public static void Write(TextWriter output, Action<JsonOutput> body)
    {
        using var json = new JsonOutput();
        json.Writer.WriteStartObject();
        body(json);
        json.Writer.WriteEndObject();
        output.WriteLine(json.Finish());
    }
}
