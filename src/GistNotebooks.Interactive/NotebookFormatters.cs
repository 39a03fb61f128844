using GistNotebooks.Reporting;
using GistNotebooks.Reporting.Formatting;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Inference;
using GistNotebooks.Survival.Power;
using GistNotebooks.Survival.Regression;
using Microsoft.DotNet.Interactive.Formatting;

namespace GistNotebooks.Interactive;

/// <summary>
/// Registers "text/html" and "text/plain" formatters for the survival library's results with .NET Interactive, so a
/// notebook displays Kaplan–Meier and Nelson–Aalen curves, log-rank and trend tests, Cox models and their test of proportional hazards, cumulative incidence and Gray's test, parametric and Fine–Gray models, conditional survival, restricted means, Fisher's exact test, proportions, power results, claim checks and
/// consistency reports as tables (and DataFrames as plain tables); a claim check is also written as a <see cref="ClaimRecord"/>,
/// and a consistency report as the list of its records, so that <c>CheckAll()</c> counts in a run's claims table like single checks.
/// </summary>
/// <remarks>
/// A notebook does not call this itself: <see cref="FormattersKernelExtension"/> does when the kernel loads the package
/// (from its <c>interactive-extensions/dotnet</c> folder) or, in the kit's own kernel, the dll. Call it in a kernel that
/// runs neither.
/// </remarks>
public static class NotebookFormatters
{
    private static readonly Lock Gate = new();
    private static readonly List<ITypeFormatter> Formatters = [];

    /// <summary>
    /// Registers the formatters. Idempotent: calling it again does nothing while they are registered, and registers
    /// them again after the formatter settings were reset (<see cref="Formatter.ResetToDefault"/>).
    /// </summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (Formatters.Count == 0)
            {
                Add<KaplanMeierCurve>(c => c.ToHtml(), c => c.ToText());
                Add<LogRankResult>(r => r.ToHtml(), r => r.ToText());
                Add<CoxModel>(m => m.ToHtml(), m => m.ToText());
                Add<ProportionResult>(r => r.ToHtml(), r => r.ToText());
                Add<RequiredEventsResult>(r => r.ToHtml(), r => r.ToText());
                Add<SimulatedPowerResult>(r => r.ToHtml(), r => r.ToText());
                Add<ClaimCheck>(c => c.ToHtml(), c => c.ToText());
                Add<ConsistencyReport>(r => r.ToHtml(), r => r.ToText());
                Add<CumulativeIncidenceResult>(r => r.ToHtml(), r => r.ToText());
                Add<GrayTestResult>(r => r.ToHtml(), r => r.ToText());
                Add<ParametricModel>(m => m.ToHtml(), m => m.ToText());
                Add<ParametricComparison>(c => c.ToHtml(), c => c.ToText());
                Add<FineGrayModel>(m => m.ToHtml(), m => m.ToText());
                Add<NelsonAalenCurve>(c => c.ToHtml(), c => c.ToText());
                Add<FisherExactResult>(r => r.ToHtml(), r => r.ToText());
                Add<ProportionalHazardsTest>(t => t.ToHtml(), t => t.ToText());
                Add<LogRankTrendResult>(r => r.ToHtml(), r => r.ToText());
                Add<ConditionalSurvivalResult>(r => r.ToHtml(), r => r.ToText());
                Add<RestrictedMeanSurvival>(r => r.ToHtml(), r => r.ToText());

                // Replaces the DataFrame formatter of Microsoft.Data.Analysis's notebook extension (an index column and
                // a script-driven pager) with a plain table that also reads in the report and on GitHub.
                Add<Microsoft.Data.Analysis.DataFrame>(f => f.ToHtml(), f => f.ToText());
                Formatters.Add(new TypeFormatter<ClaimCheck>(ClaimRecord.MimeType, c => ClaimRecord.From(c).ToJson()));
                Formatters.Add(new TypeFormatter<ConsistencyReport>(ClaimRecord.ListMimeType, r => ClaimRecord.ToJsonArray(r.Checks.Select(ClaimRecord.From))));
            }

            var registered = Formatter.RegisteredFormatters(false).ToHashSet();
            if (Formatters.All(registered.Contains))
            {
                return;
            }

            foreach (var formatter in Formatters)
            {
                Formatter.Register(formatter);
            }

            Formatter.SetPreferredMimeTypesFor(typeof(ClaimCheck), "text/html", "text/plain", ClaimRecord.MimeType);
            Formatter.SetPreferredMimeTypesFor(typeof(ConsistencyReport), "text/html", "text/plain", ClaimRecord.ListMimeType);
        }
    }

    private static void Add<T>(Func<T, string> html, Func<T, string> text)
    {
        Formatters.Add(new TypeFormatter<T>("text/html", html));
        Formatters.Add(new TypeFormatter<T>("text/plain", text));
    }

    /// <summary>Writes one type under one mime type.</summary>
    private sealed class TypeFormatter<T>(string mimeType, Func<T, string> write) : ITypeFormatter
    {
        public string MimeType { get; } = mimeType;

        public Type Type => typeof(T);

        public bool Format(object instance, FormatContext context)
        {
            if (instance is not T value)
            {
                return false;
            }

            context.Writer.Write(write(value));
            return true;
        }
    }
}
