using System.Globalization;
using System.Text;

namespace GistNotebooks.Cli.Infrastructure;

/// <summary>A plain-text table with right-aligned numbers, for people reading a terminal.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> rows = [];

    public void Add(params string[] cells) => rows.Add(cells);

    public override string ToString()
    {
        var widths = headers.Select((h, j) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[j].Length))).ToArray();
        var text = new StringBuilder();
        void Line(string[] cells, bool header)
        {
            for (var j = 0; j < cells.Length; j++)
            {
                var cell = cells[j];
                var numeric = !header && (cell == "NA" || double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
                text.Append(j == 0 ? string.Empty : "  ");
                text.Append(numeric ? cell.PadLeft(widths[j]) : cell.PadRight(widths[j]));
            }

            text.Append('\n');
        }

        Line(headers, header: true);
        Line([.. widths.Select(w => new string('-', w))], header: true);
        foreach (var row in rows)
        {
            Line(row, header: false);
        }

        return text.ToString();
    }

    /// <summary>A number with <paramref name="digits"/> significant digits, or NA when it does not exist.</summary>
    public static string Format(double? value, int digits = 4)
        => value is double v && double.IsFinite(v) ? v.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "NA";

    /// <summary>A p-value as R prints it: small values in scientific notation.</summary>
    public static string FormatP(double? p)
        => p is double v && double.IsFinite(v) ? (v < 1e-4 ? v.ToString("0.0e+00", CultureInfo.InvariantCulture) : v.ToString("0.0000", CultureInfo.InvariantCulture)) : "NA";
}
