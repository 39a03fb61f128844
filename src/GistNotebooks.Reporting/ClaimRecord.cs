using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using GistNotebooks.Survival.Claims;

namespace GistNotebooks.Reporting;

/// <summary>
/// The machine-readable record of a claim check that a notebook displays beside its HTML and text, so a notebook
/// runner can collect every claim's outcome from the executed notebook: compact JSON
/// <c>{"id":…,"description":…,"reported":…,"reproduced":…,"status":"pass"|"fail"}</c>.
/// </summary>
public static class ClaimRecord
{
    /// <summary>The mime type of the record.</summary>
    public const string MimeType = "application/vnd.gistnotebooks.claim+json";

    // Readable non-ASCII text (en dashes, ≥); characters that matter to HTML are still escaped.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    /// <summary>The check as compact JSON with the fields id, description, reported, reproduced and status.</summary>
    public static string ToJson(ClaimCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", check.Id);
            writer.WriteString("description", check.Description);
            writer.WriteString("reported", check.Reported);
            writer.WriteString("reproduced", check.Reproduced);
            writer.WriteString("status", check.Status);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
