using GistNotebooks.Survival.Data;

namespace GistNotebooks.Reporting.Tables;

/// <summary>
/// Which columns of a DataFrame play which part in a survival analysis: the follow-up time and the event indicator
/// (required), and optionally groups, strata, case weights, clusters and offsets. Each estimator reads only the parts
/// it uses (see <see cref="DataFrames.EstimateKaplanMeier"/>, <see cref="DataFrames.TestLogRank"/>,
/// <see cref="DataFrames.FitCox"/>).
/// </summary>
/// <param name="Time">The column of follow-up times: any numeric column, or text holding numbers.</param>
/// <param name="Event">The column of event indicators: 0/1 numbers or booleans, or labels mapped by <see cref="EventCoding"/>.</param>
public sealed record SurvivalColumns(string Time, string Event)
{
    /// <summary>A column of group labels (curves per group; the groups a log-rank test compares); null for none.</summary>
    public string? Group { get; init; }

    /// <summary>A column of strata labels (a stratified log-rank test or Cox model, as R's <c>strata()</c>); null for none.</summary>
    public string? Strata { get; init; }

    /// <summary>A column of case weights (zero or more; R's <c>weights</c>); null for none.</summary>
    public string? Weights { get; init; }

    /// <summary>A column of cluster labels for the robust variance of a Cox model (R's <c>cluster()</c>); null for none.</summary>
    public string? Cluster { get; init; }

    /// <summary>A numeric column added to each row's linear predictor of a Cox model with no coefficient (R's <c>offset()</c>); null for none.</summary>
    public string? Offset { get; init; }

    /// <summary>How event labels map to 1 (event) and 0 (censored); null reads 0/1 numbers or booleans.</summary>
    public EventCoding? EventCoding { get; init; }
}
