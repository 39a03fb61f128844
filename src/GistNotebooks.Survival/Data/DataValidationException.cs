namespace GistNotebooks.Survival.Data;

/// <summary>
/// Input that cannot be analysed: a missing file or column, a value of the wrong kind, lengths that differ.
/// The message names the source, the 1-based data row and the column, so a user can find and fix the value.
/// </summary>
public sealed class DataValidationException : Exception
{
    /// <summary>Creates an exception for input that fails validation.</summary>
    /// <param name="source">The file name, or a short description such as "times" for arrays.</param>
    /// <param name="row">The 1-based data row (for a file, row N is line N + 1: the header line is row 0 and blank lines count; see <see cref="ColumnTable.SourceRow"/>), or null when no single row is at fault.</param>
    /// <param name="column">The column name, or null when no single column is at fault.</param>
    /// <param name="problem">What is wrong and what was expected, in words.</param>
    public DataValidationException(string source, int? row, string? column, string problem)
        : base(Compose(source, row, column, problem))
    {
        SourceName = source;
        Row = row;
        Column = column;
        Problem = problem;
    }

    /// <summary>Creates an exception with a message only.</summary>
    public DataValidationException(string message)
        : base(message)
    {
        SourceName = string.Empty;
        Problem = message;
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public DataValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        SourceName = string.Empty;
        Problem = message;
    }

    /// <summary>Creates an exception with no message; prefer the constructors that name the row and column.</summary>
    public DataValidationException()
        : this("invalid input")
    {
    }

    /// <summary>The file name or the name of the argument that holds the bad value.</summary>
    public string SourceName { get; }

    /// <summary>The 1-based data row (for a file, line N + 1 is row N, the header line being row 0); null when the whole input is at fault.</summary>
    public int? Row { get; }

    /// <summary>The column, when one is at fault.</summary>
    public string? Column { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    private static string Compose(string source, int? row, string? column, string problem)
    {
        var parts = new List<string>(3) { source };
        if (row is int r)
        {
            parts.Add(FormattableString.Invariant($"row {r}"));
        }

        if (column is not null)
        {
            parts.Add($"column '{column}'");
        }

        return string.Join(", ", parts) + ": " + problem;
    }
}
