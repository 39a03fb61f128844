namespace GistNotebooks.Notebooks.Report;

/// <summary>The plotly.js that ships inside Plotly.NET, and the shim that lets its notebook outputs draw without require.js.</summary>
internal static class PlotlyScript
{
    /// <summary>plotly.js (minified, with its licence comment) read from Plotly.NET's embedded resource.</summary>
    public static readonly Lazy<string> Source = new(Load);

    /// <summary>
    /// <see cref="Source"/> made safe inside an inline <c>&lt;script&gt;</c> element (no <c>&lt;/script</c> in it);
    /// computed once per process, since every report with a chart embeds the same 3.6 MB.
    /// </summary>
    public static readonly Lazy<string> Inline = new(() => Source.Value.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Plotly.NET's notebook output loads plotly.js through require.js from a CDN when <c>requirejs</c> is not a
    /// function. The report defines a <c>requirejs</c> that hands over the plotly.js already on the page, so the
    /// charts draw offline, in the order they appear.
    /// </summary>
    public const string RequireShim = """
        (function () {
          var hand = function (modules, ready) { if (typeof ready === "function") { ready(window.Plotly); } };
          hand.config = function () { return hand; };
          window.requirejs = hand;
          window.require = hand;
        })();
        """;

    private static string Load() => Reporting.Charts.ChartExport.PlotlyJavaScript;
}
