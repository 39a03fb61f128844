namespace GistNotebooks.Survival.Estimation;

/// <summary>
/// The scale on which a pointwise confidence interval for a survival probability is built, as
/// <c>conf.type</c> in R's <c>survfit</c>.
/// </summary>
public enum ConfidenceIntervalType
{
    /// <summary>Symmetric on log S: exp(log S ± z·se(log S)), the upper limit capped at 1 (R's default, <c>"log"</c>).</summary>
    Log,

    /// <summary>Symmetric on log(−log S): exp(−exp(log(−log S) ± z·se(log S)/log S)) (<c>"log-log"</c>); undefined where S is 0 or 1.</summary>
    LogLog,

    /// <summary>Symmetric on S: S ± z·se(S), clipped to [0, 1] (<c>"plain"</c>).</summary>
    Plain,
}
