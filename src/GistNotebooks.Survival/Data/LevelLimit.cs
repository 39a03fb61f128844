using System.Globalization;

namespace GistNotebooks.Survival.Data;

/// <summary>
/// The most distinct values a group, strata or factor column may have in a procedure whose work grows with the square
/// (or more) of their number, and the largest arrays a procedure may ask for; checked before any such work is
/// allocated, with a message that says what was found.
/// </summary>
/// <remarks>
/// A log-rank test over k groups keeps a k × k variance matrix and inverts it (k³ operations), as Gray's test does per
/// cause; 1,000 levels cost about a second and 8 MB, 50,000 would need 20 GB and never finish. A column with nearly as
/// many values as rows is almost always an identifier chosen by mistake, which the message says.
/// </remarks>
public static class LevelLimit
{
    /// <summary>The most levels a group, strata or factor column may have: 1,000.</summary>
    public const int Maximum = 1_000;

    /// <summary>The most groups Gray's test compares: 100 (its work per event time grows with the cube of their number; 100 groups of 5,000 rows take about 20 s).</summary>
    public const int GrayTestMaximum = 100;

    /// <summary>Throws when a column has more than <see cref="Maximum"/> distinct values.</summary>
    /// <param name="role">What the column is for, for the message (for example "group" or "strata").</param>
    /// <param name="procedure">The procedure, for the message (for example "the log-rank test").</param>
    /// <param name="levels">The number of distinct values.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="source">The file, when known, for the message.</param>
    /// <param name="column">The column's name, when known, for the message.</param>
    /// <param name="maximum">The limit; default <see cref="Maximum"/>.</param>
    /// <exception cref="DataValidationException">Too many levels.</exception>
    public static void Check(string role, string procedure, int levels, int rows, string? source = null, string? column = null, int maximum = Maximum)
    {
        if (levels <= maximum)
        {
            return;
        }

        var hint = levels >= rows * 0.9 ? $" Nearly every row has its own value: is it an identifier rather than a {role} column?" : string.Empty;
        var problem = string.Create(CultureInfo.InvariantCulture,
            $"the {role} column has {levels:N0} distinct values in {rows:N0} rows; {procedure} allows at most {maximum:N0} (its work grows with the square of their number or faster).{hint}");
        throw source is null ? new DataValidationException(problem) : new DataValidationException(source, null, column, problem);
    }

    /// <summary>
    /// Refuses, before it is allocated, an array of <paramref name="rows"/> × <paramref name="columns"/> numbers that
    /// .NET cannot hold or that would take more memory than the process can have, with the estimate in the message.
    /// </summary>
    /// <param name="what">What the array is, for the message (for example "the covariate matrix").</param>
    /// <param name="rows">Its rows.</param>
    /// <param name="columns">Its columns.</param>
    /// <param name="copies">How many arrays of that size the procedure keeps at once.</param>
    /// <exception cref="DataValidationException">The array is too large.</exception>
    public static void CheckSize(string what, long rows, long columns, int copies = 1)
    {
        var count = rows * columns;
        var bytes = (double)count * sizeof(double) * copies;
        var available = (double)GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (count > Array.MaxLength || bytes > available)
        {
            throw new DataValidationException(string.Create(CultureInfo.InvariantCulture,
                $"{what} would hold {rows:N0} rows × {columns:N0} columns, about {bytes / (1 << 30):0.#} GB, more than the {available / (1 << 30):0.#} GB this process can use; use fewer rows, fewer covariates or a factor with fewer levels"));
        }
    }
}
