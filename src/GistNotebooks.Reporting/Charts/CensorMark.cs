namespace GistNotebooks.Reporting.Charts;

/// <summary>The marker drawn on a Kaplan–Meier curve at each censoring time.</summary>
public enum CensorMark
{
    /// <summary>A vertical bar "|" (the default).</summary>
    Bar,

    /// <summary>A cross "+", as R's <c>plot.survfit</c> and survminer draw it.</summary>
    Plus,
}
