using System.Collections;
using System.Globalization;
using GistNotebooks.Reporting.Charts;
using GistNotebooks.Reporting.Formatting;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Inference;
using GistNotebooks.Survival.Power;
using GistNotebooks.Survival.Regression;
using Microsoft.Data.Analysis;
using Plotly.NET;

namespace GistNotebooks.Reporting;

/// <summary>
/// What a notebook exported as a .NET 10 file-based app (<c>gistnb export</c>) shows in place of the notebook's
/// displayed values: the kit's results and DataFrames as the same text tables the notebooks' "text/plain" outputs
/// carry (<see cref="ResultFormat"/>), and charts as standalone HTML pages, with plotly.js written into the page so they
/// open offline, saved beside the app's <c>.cs</c> file.
/// </summary>
/// <remarks>
/// The app's folder and name come from the <c>EntryPointFileDirectoryPath</c> and <c>EntryPointFilePath</c> values
/// that <c>dotnet run FILE.cs</c> sets (<see cref="AppContext.GetData(string)"/>); a program run otherwise uses the
/// folder of its assembly and the name "app".
/// </remarks>
public static class FileApp
{
    private static int chartCount;

    /// <summary>The folder of the running file-based app's <c>.cs</c> file, where its charts are written.</summary>
    public static string Folder =>
        AppContext.GetData("EntryPointFileDirectoryPath") is string { Length: > 0 } folder ? folder : AppContext.BaseDirectory;

    /// <summary>The running app's name: its <c>.cs</c> file name without the extension.</summary>
    public static string Name =>
        AppContext.GetData("EntryPointFilePath") is string { Length: > 0 } path ? Path.GetFileNameWithoutExtension(path) : "app";

    /// <summary>
    /// Writes a value to standard output as a notebook would show it as text, followed by a blank line; a chart is
    /// saved as <c>NAME.chart-N.html</c> beside the app (N counts the app's charts from 1) and its file name is written.
    /// </summary>
    /// <param name="value">The value: a result of the kit, a DataFrame, a chart, a string or anything else (its <see cref="object.ToString"/>).</param>
    /// <exception cref="Survival.Data.DataValidationException">A chart's file cannot be written; the message names the path.</exception>
    public static void Show(object? value)
    {
        Console.WriteLine(value is GenericChart chart ? SaveChart(chart) : ToText(value));
        Console.WriteLine();
    }

    /// <summary>
    /// The text a notebook shows for a value: the kit's <c>ToText()</c> table for its results, claim checks and
    /// DataFrames; every item on its own line for a sequence; "&lt;null&gt;" for null; otherwise the value formatted
    /// with the current culture.
    /// </summary>
    /// <param name="value">The value.</param>
    public static string ToText(object? value) => value switch
    {
        null => "<null>",
        string text => text,
        KaplanMeierCurve curve => curve.ToText(),
        NelsonAalenCurve curve => curve.ToText(),
        LogRankResult result => result.ToText(),
        LogRankTrendResult result => result.ToText(),
        CoxModel model => model.ToText(),
        ProportionalHazardsTest test => test.ToText(),
        ParametricModel model => model.ToText(),
        ParametricComparison comparison => comparison.ToText(),
        FineGrayModel model => model.ToText(),
        CumulativeIncidenceResult result => result.ToText(),
        GrayTestResult result => result.ToText(),
        ConditionalSurvivalResult result => result.ToText(),
        RestrictedMeanSurvival result => result.ToText(),
        ProportionResult result => result.ToText(),
        FisherExactResult result => result.ToText(),
        RequiredEventsResult result => result.ToText(),
        SimulatedPowerResult result => result.ToText(),
        ClaimCheck check => check.ToText(),
        ConsistencyReport report => report.ToText(),
        ResultTable table => ResultTable.Text([table]),
        DataFrame frame => frame.ToText(),
        GenericChart => "(a chart: FileApp.Show saves it as HTML)",
        IFormattable formattable => formattable.ToString(null, CultureInfo.CurrentCulture),
        IEnumerable items => string.Join(Environment.NewLine, items.Cast<object?>().Select(ToText)),
        _ => value.ToString() ?? string.Empty,
    };

    private static string SaveChart(GenericChart chart)
    {
        var number = Interlocked.Increment(ref chartCount);
        var name = string.Create(CultureInfo.InvariantCulture, $"{Name}.chart-{number}.html");
        chart.SaveStandaloneHtml(Path.Combine(Folder, name), documentTitle: name);
        return "chart: " + name;
    }
}
