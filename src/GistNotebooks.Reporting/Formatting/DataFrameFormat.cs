using System.Globalization;
using System.Net;
using System.Text;
using GistNotebooks.Survival.Inference;
using Microsoft.Data.Analysis;

namespace GistNotebooks.Reporting.Formatting;

/// <summary>
/// A DataFrame as a plain, accessible HTML table (column headers with <c>scope="col"</c>, numbers right-aligned, no
/// index column, no scripts) or as aligned text, so tables read the same in a notebook, the report and GitHub's viewer.
/// Numbers are shown at a sensible precision (see <see cref="FormatNumber"/>; p values as <see cref="PValueFormat"/>)
/// while the frame keeps every digit.
/// </summary>
public static class DataFrameFormat
{
    /// <summary>The most rows shown; the rest are counted in a line under the table.</summary>
    public const int MaximumRows = 100;

    /// <summary>
    /// A number as a table shows it: a whole number with all its digits (69, 1024, 123456789); any other as
    /// <see cref="ResultFormat.Number"/> prints the kit's result tables, with four significant digits (0.6376, 12.35,
    /// 0.001235, 12346) and scientific notation only below 10⁻⁴ or from 10⁷ on; NA, Inf and -Inf for NaN and the
    /// infinities. Invariant culture.
    /// </summary>
    public static string FormatNumber(double value)
        => double.IsFinite(value) && value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? value.ToString("0", CultureInfo.InvariantCulture)
            : ResultFormat.Number(value);

    /// <summary>
    /// Whether a column holds p values, shown as <see cref="PValueFormat.Format"/> does: its name is p, p value,
    /// p.value, p-value or pValue (any case), or starts with Pr( as R names them (Pr(&gt;|z|), Pr(&gt;Chi)).
    /// </summary>
    public static bool IsPValueColumn(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.Trim().Replace(" ", string.Empty, StringComparison.Ordinal).Replace(".", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        return key.Equals("p", StringComparison.OrdinalIgnoreCase) || key.Equals("pvalue", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("Pr(", StringComparison.Ordinal);
    }

    /// <summary>The frame as an HTML table; a missing value shows as NA.</summary>
    public static string ToHtml(this DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var (headers, rows, numeric, hidden) = Cells(frame);
        var html = new StringBuilder();
        html.Append("<table class=\"gistnotebooks\"><thead><tr>");
        for (var j = 0; j < headers.Length; j++)
        {
            html.Append("<th scope=\"col\" style=\"text-align:").Append(numeric[j] ? "right" : "left").Append(";padding:2px 8px\">")
                .Append(WebUtility.HtmlEncode(headers[j])).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            for (var j = 0; j < row.Length; j++)
            {
                html.Append("<td style=\"text-align:").Append(numeric[j] ? "right" : "left").Append(";padding:2px 8px\">")
                    .Append(WebUtility.HtmlEncode(row[j])).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
        if (hidden > 0)
        {
            html.Append("<p>").Append(string.Create(CultureInfo.InvariantCulture, $"… and {hidden} more rows")).Append("</p>");
        }

        return html.ToString();
    }

    /// <summary>The frame as aligned plain text; a missing value shows as NA.</summary>
    public static string ToText(this DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var (headers, rows, numeric, hidden) = Cells(frame);
        var widths = headers.Select((h, j) => rows.Select(r => r[j].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        void Line(string[] cells)
        {
            for (var j = 0; j < cells.Length; j++)
            {
                text.Append(j == 0 ? string.Empty : "  ").Append(numeric[j] ? cells[j].PadLeft(widths[j]) : cells[j].PadRight(widths[j]));
            }

            text.Append('\n');
        }

        Line(headers);
        foreach (var row in rows)
        {
            Line(row);
        }

        if (hidden > 0)
        {
            text.Append(string.Create(CultureInfo.InvariantCulture, $"… and {hidden} more rows\n"));
        }

        return text.ToString();
    }

    private static (string[] Headers, List<string[]> Rows, bool[] Numeric, long Hidden) Cells(DataFrame frame)
    {
        var columns = frame.Columns.ToArray();
        var headers = columns.Select(c => c.Name).ToArray();
        var numeric = columns.Select(c => c.DataType != typeof(string) && c.DataType != typeof(char) && c.DataType != typeof(bool) && c.DataType != typeof(DateTime)).ToArray();
        var pValues = columns.Select((c, j) => numeric[j] && IsPValueColumn(c.Name)).ToArray();
        var shown = Math.Min(frame.Rows.Count, MaximumRows);
        var rows = new List<string[]>((int)shown);
        for (long i = 0; i < shown; i++)
        {
            rows.Add([.. columns.Select((c, j) => Text(c[i], pValues[j]))]);
        }

        return (headers, rows, numeric, frame.Rows.Count - shown);
    }

    private static string Text(object? value, bool pValue) => value switch
    {
        null => "NA",
        double d when pValue => PValueFormat.Format(d),
        float f when pValue => PValueFormat.Format(f),
        decimal m when pValue => PValueFormat.Format((double)m),
        double d => FormatNumber(d),
        float f => FormatNumber(f),
        decimal m => FormatNumber((double)m),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "NA",
    };
}
