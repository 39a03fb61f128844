using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ganss.Xss;

namespace GistNotebooks.Notebooks.Report;

/// <summary>
/// The HTML a code cell displayed, made safe for the report: a Plotly chart is redrawn from its data, layout and
/// configuration alone, and everything else goes through HtmlSanitizer, which keeps the markup of tables and text and
/// drops scripts, event attributes, <c>javascript:</c> addresses and other active content.
/// </summary>
/// <remarks>
/// A chart's HTML is script by nature (Plotly.NET writes a <c>&lt;script&gt;</c> that calls <c>Plotly.newPlot</c>), so it
/// is never trusted as HTML: the three JSON values the call takes are cut out of it, parsed as JSON (a value that does
/// not parse is no chart), and written into a script the report itself builds, serialised again with every
/// <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c> escaped. Nothing of the cell's own script survives, so a cell that imitates a
/// chart can at most draw one.
/// </remarks>
internal static partial class SafeHtml
{
    private static readonly Lazy<HtmlSanitizer> Sanitizer = new(() =>
    {
        var sanitizer = new HtmlSanitizer();
        foreach (var attribute in new[] { "class", "scope", "role", "title" })
        {
            sanitizer.AllowedAttributes.Add(attribute);
        }

        return sanitizer;
    });

    /// <summary>Whether a <c>text/html</c> output is a Plotly chart's (it calls <c>Plotly.newPlot</c>).</summary>
    public static bool IsPlotlyChart(string html) => html.Contains("Plotly.newPlot", StringComparison.Ordinal);

    /// <summary>The output as the report shows it; a chart is drawn into an element of id <paramref name="chartId"/>.</summary>
    public static string ToReportHtml(string html, string chartId)
    {
        if (IsPlotlyChart(html) && Chart(html, chartId) is { } chart)
        {
            return chart;
        }

        return Sanitizer.Value.Sanitize(html);
    }

    /// <summary>The chart redrawn from its JSON, or null when the output does not hold the values that parse.</summary>
    private static string? Chart(string html, string id)
    {
        var data = Value(html, "data") as JsonArray;
        var layout = Value(html, "layout") as JsonObject;
        var config = Value(html, "config") as JsonObject ?? [];
        if (data is null || layout is null)
        {
            return null;
        }

        return new StringBuilder()
            .Append("<div id=\"").Append(id).Append("\" class=\"chart\"></div>\n<script>Plotly.newPlot('").Append(id).Append("', ")
            .Append(data.ToJsonString()).Append(", ").Append(layout.ToJsonString()).Append(", ").Append(config.ToJsonString())
            .Append(");</script>")
            .ToString();
    }

    private static JsonNode? Value(string html, string name)
    {
        foreach (Match match in Assignment().Matches(html))
        {
            if (match.Groups["name"].Value != name)
            {
                continue;
            }

            try
            {
                return JsonNode.Parse(match.Groups["json"].Value);
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }

        return null;
    }

    [GeneratedRegex(@"^\s*var (?<name>data|layout|config) = (?<json>[\[{].*);\s*$", RegexOptions.Multiline)]
    private static partial Regex Assignment();
}
