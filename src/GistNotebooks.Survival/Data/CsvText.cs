using System.Globalization;
using System.Text;

namespace GistNotebooks.Survival.Data;

/// <summary>
/// Writes delimited text that any CSV reader reads back as it was meant (RFC 4180) and that a spreadsheet does not run:
/// the one place the kit turns values into CSV fields.
/// </summary>
/// <remarks>
/// A field is quoted when it holds a comma, a double quote (doubled inside the quotes), a line break, or white space
/// at either end (which readers trim). A field that a spreadsheet would take for a formula — one that starts with
/// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return and is not a number — gets a leading apostrophe,
/// as OWASP advises for CSV injection; a negative number such as <c>-3.5</c> is written as it is.
/// </remarks>
public static class CsvText
{
    /// <summary>One field, guarded and quoted as needed.</summary>
    public static string Field(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var guarded = Guarded(value);
        var quote = guarded.AsSpan().IndexOfAny(",\"\r\n") >= 0
            || (guarded.Length > 0 && (char.IsWhiteSpace(guarded[0]) || char.IsWhiteSpace(guarded[^1])));
        return quote ? "\"" + guarded.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : guarded;
    }

    /// <summary>The value as it is written before quoting: with a leading apostrophe when a spreadsheet would run it as a formula.</summary>
    public static string Guarded(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsNumber(value) ? "'" + value : value;
    }

    /// <summary>A line of fields joined by commas and ended by <c>\n</c>, appended to <paramref name="text"/>.</summary>
    public static StringBuilder AppendLine(StringBuilder text, IEnumerable<string> fields)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fields);
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                text.Append(',');
            }

            text.Append(Field(field));
            first = false;
        }

        return text.Append('\n');
    }

    private static bool IsNumber(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
