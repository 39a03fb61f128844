using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Estimation;

/// <summary>Settings for <see cref="CumulativeIncidence"/>; the default is <c>cmprsk::cuminc</c> on unweighted data.</summary>
public sealed record CumulativeIncidenceOptions
{
    /// <summary>The default settings: no case weights, cmprsk's estimate and variance.</summary>
    public static CumulativeIncidenceOptions Default { get; } = new();

    /// <summary>
    /// Case weights, one per subject in the order of the data, finite and zero or more; null for none (the default).
    /// With weights the estimate is the weighted Aalen–Johansen estimate of R's multi-state
    /// <c>survfit(Surv(time, factor(status)) ~ group, weights = w)</c>, and the variance is that function's
    /// infinitesimal-jackknife variance (the square of its <c>std.err</c>) instead of cmprsk's. A row of weight zero
    /// keeps its follow-up time on the curve but moves nothing, as in R.
    /// </summary>
    public IReadOnlyList<double>? Weights { get; init; }

    /// <summary>
    /// The options with the case weights of a table's column (one per row, in the table's order, as
    /// <see cref="CompetingRisksData.FromTable"/> reads the rows), or the defaults when no column is named.
    /// </summary>
    /// <param name="table">The table the competing-risks data were read from.</param>
    /// <param name="weightColumn">The column of case weights; null for none.</param>
    /// <exception cref="DataValidationException">The column is missing, or a weight is missing, not a number, negative or not finite; the message names the source, row and column.</exception>
    public static CumulativeIncidenceOptions FromTable(ColumnTable table, string? weightColumn)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (weightColumn is null)
        {
            return Default;
        }

        var weights = table.GetNumbers(weightColumn);
        for (var i = 0; i < weights.Length; i++)
        {
            if (!double.IsFinite(weights[i]) || weights[i] < 0)
            {
                throw new DataValidationException(table.SourceName, table.SourceRow(i), weightColumn, FormattableString.Invariant($"expected a finite weight of zero or more, found {weights[i]}"));
            }
        }

        return new CumulativeIncidenceOptions { Weights = weights };
    }
}
