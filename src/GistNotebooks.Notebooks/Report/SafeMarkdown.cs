using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace GistNotebooks.Notebooks.Report;

/// <summary>
/// Markdown from a notebook rendered for the report so that nothing in it can run when the report is opened: raw HTML
/// (a <c>&lt;script&gt;</c>, an <c>&lt;img onerror&gt;</c>, an inline event handler) is shown as text, not passed
/// through, and a link or image whose address has a scheme other than http, https or mailto (<c>javascript:</c>,
/// <c>data:</c>, <c>vbscript:</c>, …) loses its address.
/// </summary>
/// <remarks>
/// Escaping rather than cleaning: the kit's notebooks write their prose in Markdown alone, so no allow-list of tags is
/// needed, and text that is shown escaped cannot be re-parsed into markup by the browser.
/// </remarks>
internal static class SafeMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().DisableHtml().Build();

    /// <summary>The HTML of a Markdown text, with raw HTML escaped and unsafe addresses removed.</summary>
    public static string ToHtml(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafe(link.Url))
            {
                link.Url = string.Empty;
                link.Title = "address removed: only http, https, mailto and links inside the report are kept";
            }
        }

        foreach (var autolink in document.Descendants<AutolinkInline>())
        {
            if (!autolink.IsEmail && !IsSafe(autolink.Url))
            {
                autolink.Url = string.Empty;
            }
        }

        return document.ToHtml(Pipeline);
    }

    /// <summary>An address without a scheme (relative, <c>#anchor</c>) or with http, https or mailto.</summary>
    internal static bool IsSafe(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return true;
        }

        // Browsers ignore control characters and white space inside a scheme ("java\tscript:"), so they are ignored here too.
        var compact = new string([.. url.Where(c => !char.IsControl(c) && !char.IsWhiteSpace(c))]);
        var colon = compact.IndexOf(':', StringComparison.Ordinal);
        var slash = compact.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (slash >= 0 && slash < colon))
        {
            return true;
        }

        var scheme = compact[..colon];
        return scheme.Equals("http", StringComparison.OrdinalIgnoreCase)
            || scheme.Equals("https", StringComparison.OrdinalIgnoreCase)
            || scheme.Equals("mailto", StringComparison.OrdinalIgnoreCase);
    }
}
