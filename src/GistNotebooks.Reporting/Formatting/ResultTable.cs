using System.Globalization;
using System.Net;
using System.Text;

namespace GistNotebooks.Reporting.Formatting;

/// <summary>
/// A table of a result, its cells already formatted by <see cref="ResultFormat"/>, written either as plain accessible
/// HTML (a caption, column headers with <c>scope="col"</c>, a row header with <c>scope="row"</c>, no scripts or styles
/// beyond alignment) or as aligned plain text (the caption, the headers over a rule of dashes, the rows, the notes).
/// The notebooks' formatters and the command line both write results through it, so a result reads the same everywhere.
/// </summary>
/// <param name="Caption">What the table shows.</param>
/// <param name="Headers">The column headers; the first column holds row headers.</param>
/// <param name="Rows">The cells, already formatted as text, one list per row with as many cells as there are headers.</param>
/// <param name="Notes">Lines printed under the table (tests, warnings).</param>
public sealed record ResultTable(string Caption, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlyList<string> Notes)
{
    /// <summary>
    /// Whether the table holds numbers: when true (the default) the columns after the first are right-aligned, and so
    /// is the first when every one of its cells is a number; when false every column is left-aligned.
    /// </summary>
    public bool Numeric { get; init; } = true;

    /// <summary>The table as HTML.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder();
        WriteHtml(html);
        return html.ToString();
    }

    /// <summary>The table as aligned plain text, lines ending in a line feed.</summary>
    /// <param name="maximumCellWidth">
    /// When given, a longer cell is cut to this many characters, the last an ellipsis, so a table stays inside a
    /// terminal; the notes are not cut. Default: no limit.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">The maximum width is less than 2.</exception>
    public string ToText(int? maximumCellWidth = null)
    {
        var text = new StringBuilder();
        WriteText(text, maximumCellWidth);
        return text.ToString();
    }

    /// <summary>Tables as one HTML fragment, in a <c>div</c> of class <c>gistnotebooks-result</c>.</summary>
    public static string Html(IEnumerable<ResultTable> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var html = new StringBuilder("<div class=\"gistnotebooks-result\">");
        foreach (var table in tables)
        {
            table.WriteHtml(html);
        }

        return html.Append("</div>").ToString();
    }

    /// <summary>Tables as plain text, separated by a blank line, without a final line feed.</summary>
    /// <param name="tables">The tables.</param>
    /// <param name="maximumCellWidth">See <see cref="ToText"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The maximum width is less than 2.</exception>
    public static string Text(IEnumerable<ResultTable> tables, int? maximumCellWidth = null)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var text = new StringBuilder();
        var first = true;
        foreach (var table in tables)
        {
            if (!first)
            {
                text.Append('\n');
            }

            table.WriteText(text, maximumCellWidth);
            first = false;
        }

        return text.ToString().TrimEnd('\r', '\n');
    }

    private bool RightAligned(int column) =>
        Numeric && (column > 0 || (Rows.Count > 0 && Rows.All(r => IsNumber(r[column]))));

    private string Align(int column) => RightAligned(column) ? "right" : "left";

    /// <summary>Whether a cell reads as a number as <see cref="ResultFormat"/> writes them: digits, NA, ±Inf, or a bound such as "&lt;2e-16".</summary>
    private static bool IsNumber(string cell) =>
        cell is "NA" or "Inf" or "-Inf"
        || double.TryParse(cell.StartsWith('<') ? cell[1..] : cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private void WriteHtml(StringBuilder html)
    {
        html.Append("<table class=\"gistnotebooks\">");
        html.Append("<caption style=\"text-align:left;font-weight:bold\">").Append(WebUtility.HtmlEncode(Caption)).Append("</caption>");
        html.Append("<thead><tr>");
        for (var i = 0; i < Headers.Count; i++)
        {
            // Inline padding only: pages without a stylesheet (a saved report, GitHub's viewer) stay readable.
            html.Append("<th scope=\"col\" style=\"text-align:").Append(Align(i)).Append(";padding:2px 8px\">")
                .Append(WebUtility.HtmlEncode(Headers[i])).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in Rows)
        {
            html.Append("<tr>");
            for (var i = 0; i < row.Count; i++)
            {
                var cell = WebUtility.HtmlEncode(row[i]);
                html.Append(i == 0 ? "<th scope=\"row\"" : "<td").Append(" style=\"text-align:").Append(Align(i)).Append(";padding:2px 8px\">")
                    .Append(cell).Append(i == 0 ? "</th>" : "</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
        foreach (var note in Notes)
        {
            html.Append("<p>").Append(WebUtility.HtmlEncode(note)).Append("</p>");
        }
    }

    private void WriteText(StringBuilder text, int? maximumCellWidth)
    {
        if (maximumCellWidth is < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(maximumCellWidth), maximumCellWidth, "A cell needs room for at least one character and the ellipsis.");
        }

        string Clip(string cell) => maximumCellWidth is int limit && cell.Length > limit ? string.Concat(cell.AsSpan(0, limit - 1), "…") : cell;
        var rows = Rows.Select(r => r.Select(Clip).ToArray()).ToList();
        var widths = Headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var right = Enumerable.Range(0, Headers.Count).Select(RightAligned).ToArray();
        void Line(IReadOnlyList<string> cells)
        {
            var start = text.Length;
            for (var i = 0; i < cells.Count; i++)
            {
                text.Append(i == 0 ? string.Empty : "  ").Append(right[i] ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i]));
            }

            // No trailing blanks after a left-aligned last column.
            var end = text.Length;
            while (end > start && text[end - 1] == ' ')
            {
                end--;
            }

            text.Length = end;
            text.Append('\n');
        }

        text.Append(Caption).Append('\n');
        Line(Headers);
        Line([.. widths.Select(w => new string('-', w))]);
        foreach (var row in rows)
        {
            Line(row);
        }

        foreach (var note in Notes)
        {
            text.Append(note).Append('\n');
        }
    }
}
