using System.Net;
using System.Text;

namespace GistNotebooks.Reporting.Formatting;

/// <summary>
/// A table of a result as plain, accessible HTML (a caption, column headers with <c>scope="col"</c>, a row header
/// with <c>scope="row"</c>, no scripts or styles beyond alignment) or as aligned plain text.
/// </summary>
/// <param name="Caption">What the table shows.</param>
/// <param name="Headers">The column headers; the first column holds row headers.</param>
/// <param name="Rows">The cells, already formatted as text.</param>
/// <param name="Notes">Lines printed under the table (tests, warnings).</param>
internal sealed record ResultTable(string Caption, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlyList<string> Notes)
{
    /// <summary>Whether the columns after the first hold numbers (right-aligned) rather than words (left-aligned).</summary>
    public bool Numeric { get; init; } = true;

    private string Align(int column) => column == 0 || !Numeric ? "left" : "right";

    public void WriteHtml(StringBuilder html)
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
                // Numbers are right-aligned so digits line up; the row header stays left.
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

    public void WriteText(StringBuilder text)
    {
        text.AppendLine(Caption);
        var widths = Headers.Select((h, i) => Rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        void Line(IReadOnlyList<string> cells)
        {
            for (var i = 0; i < cells.Count; i++)
            {
                text.Append(i == 0 ? string.Empty : "  ").Append(Align(i) == "left" ? cells[i].PadRight(widths[i]) : cells[i].PadLeft(widths[i]));
            }

            text.AppendLine();
        }

        Line(Headers);
        foreach (var row in Rows)
        {
            Line(row);
        }

        foreach (var note in Notes)
        {
            text.AppendLine(note);
        }
    }

    public static string Html(IEnumerable<ResultTable> tables)
    {
        var html = new StringBuilder("<div class=\"gistnotebooks-result\">");
        foreach (var table in tables)
        {
            table.WriteHtml(html);
        }

        return html.Append("</div>").ToString();
    }

    public static string Text(IEnumerable<ResultTable> tables)
    {
        var text = new StringBuilder();
        var first = true;
        foreach (var table in tables)
        {
            if (!first)
            {
                text.AppendLine();
            }

            table.WriteText(text);
            first = false;
        }

        return text.ToString().TrimEnd('\r', '\n');
    }
}
