namespace GistNotebooks.Reporting.Charts;

/// <summary>What the vertical axis of a Kaplan–Meier chart shows.</summary>
public enum SurvivalScale
{
    /// <summary>Survival S(t) in percent (the default).</summary>
    Survival,

    /// <summary>Cumulative events 1 − S(t) in percent (survminer's <c>fun = "event"</c>).</summary>
    CumulativeEvents,

    /// <summary>The cumulative hazard −log S(t) (survminer's <c>fun = "cumhaz"</c>); a curve stops where S reaches 0.</summary>
    CumulativeHazard,
}

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

/// <summary>The marker drawn on a Kaplan–Meier curve at each censoring time.</summary>
public enum CensorMark
{
    /// <summary>A vertical bar "|" (the default).</summary>
    Bar,

    /// <summary>A cross "+", as R's <c>plot.survfit</c> and survminer draw it.</summary>
    Plus,
}
