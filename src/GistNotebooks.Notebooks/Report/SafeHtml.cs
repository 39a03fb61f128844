using System.Security.Cryptography;
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
/// <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c> escaped and with no key that a script literal would take for an object's
/// prototype (<c>__proto__</c>). Nothing of the cell's own script survives, so a cell that imitates a chart can at most
/// draw one. Displayed HTML keeps links the reader follows, but loads nothing from elsewhere (an image, a style sheet,
/// a form's target), has no form controls, and cannot be fixed over the report. The report's own scripts carry
/// <see cref="Nonce"/>, and its content security policy lets only those run and loads nothing from the network
/// (<see cref="ContentSecurityPolicy"/>), so a script the sanitiser missed would still not run.
/// </remarks>
internal static partial class SafeHtml
{
    /// <summary>The nonce of the report's own scripts: random per process, so a notebook cannot know it ahead.</summary>
    public static readonly string Nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// The report's content security policy: scripts only with <see cref="Nonce"/> (so no inline handler or
    /// <c>javascript:</c> address runs), styles inline, images and fonts only as <c>data:</c>, and nothing fetched,
    /// framed, posted or used as a base address.
    /// </summary>
    public static string ContentSecurityPolicy =>
        "default-src 'none'; script-src 'nonce-" + Nonce + "'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; base-uri 'none'; form-action 'none'";

    private static readonly Lazy<HtmlSanitizer> Sanitizer = new(() =>
    {
        var sanitizer = new HtmlSanitizer();
        foreach (var attribute in new[] { "class", "scope", "role", "title" })
        {
            sanitizer.AllowedAttributes.Add(attribute);
        }

        foreach (var control in new[] { "form", "input", "button", "select", "option", "optgroup", "textarea", "fieldset", "legend", "label" })
        {
            sanitizer.AllowedTags.Remove(control);
        }

        sanitizer.AllowedCssProperties.Remove("position");
        sanitizer.FilterUrl += (_, e) =>
        {
            // A link is followed only when the reader clicks it; anything else with an address elsewhere would load it on opening.
            var external = e.OriginalUrl.TrimStart().StartsWith("//", StringComparison.Ordinal)
                || (Uri.TryCreate(e.OriginalUrl.Trim(), UriKind.Absolute, out var address) && address.Scheme is not "data");
            if (external && !string.Equals(e.Tag?.NodeName, "A", StringComparison.OrdinalIgnoreCase))
            {
                e.SanitizedUrl = null;
            }
        };
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

        WithoutPrototypeKeys(data);
        WithoutPrototypeKeys(layout);
        WithoutPrototypeKeys(config);
        return new StringBuilder()
            .Append("<div id=\"").Append(id).Append("\" class=\"chart\"></div>\n<script nonce=\"").Append(Nonce).Append("\">Plotly.newPlot('").Append(id).Append("', ")
            .Append(data.ToJsonString()).Append(", ").Append(layout.ToJsonString()).Append(", ").Append(config.ToJsonString())
            .Append(");</script>")
            .ToString();
    }

    /// <summary>
    /// Drops keys that mean something else in a script literal than in JSON (<c>"__proto__": {…}</c> sets the object's
    /// prototype) or that plotly.js has been polluted through; a chart the kit draws has none.
    /// </summary>
    private static void WithoutPrototypeKeys(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject map:
                foreach (var key in map.Select(p => p.Key).Where(k => k is "__proto__" or "constructor" or "prototype").ToList())
                {
                    map.Remove(key);
                }

                foreach (var (_, value) in map)
                {
                    WithoutPrototypeKeys(value);
                }

                break;
            case JsonArray list:
                foreach (var item in list)
                {
                    WithoutPrototypeKeys(item);
                }

                break;
        }
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
