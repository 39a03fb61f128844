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
