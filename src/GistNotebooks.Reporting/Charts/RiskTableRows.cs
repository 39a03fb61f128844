namespace GistNotebooks.Reporting.Charts;

/// <summary>The rows of the table under a Kaplan–Meier chart; combine them with <c>|</c>.</summary>
[Flags]
public enum RiskTableRows
{
    /// <summary>No table.</summary>
    None = 0,

    /// <summary>The number at risk at each tick (subjects whose time is ≥ the tick).</summary>
    AtRisk = 1,

    /// <summary>The cumulative number censored up to and including each tick.</summary>
    Censored = 2,

    /// <summary>The cumulative number of events up to and including each tick.</summary>
    CumulativeEvents = 4,
}
