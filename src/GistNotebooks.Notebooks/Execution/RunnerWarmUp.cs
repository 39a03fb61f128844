using GistNotebooks.Notebooks.Report;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace GistNotebooks.Notebooks.Execution;

/// <summary>
/// Does once per process, on a second core, the one-time work that a run would otherwise wait for later: the
/// just-in-time compilation of Roslyn's script compiler (parse, bind, emit, chained submissions) and of the report's
/// Markdown renderer, and the load of plotly.js.
/// </summary>
/// <remarks>
/// Measured on a 2-core machine, about half of a warm reproduction's processor time is the runtime compiling the
/// kit's own machinery (Roslyn alone is over ten thousand methods), and most of it is paid by the first notebook.
/// The notebooks themselves must run one at a time (the kernel redirects <see cref="Console"/> for the whole
/// process and formatters are static), so this is the part of a run that can use the second core. The warm-up
/// touches neither <see cref="Console"/> nor the formatters, writes nothing, and its failure changes nothing: a run
/// then simply pays the compilation itself. On a single core it would only compete with the run, so it is skipped.
/// </remarks>
internal static class RunnerWarmUp
{
    private static readonly Lazy<Task> Started = new(() => Task.Run(WarmUpAsync), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<Task> CompilerStarted = new(() => Task.Run(WarmUpCompilerAsync), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<Task> ReportStarted = new(() => Task.Run(HtmlReport.WarmUp), LazyThreadSafetyMode.ExecutionAndPublication);

    // Two chained submissions with the constructs notebook cells use most: usings, a record, a static local
    // function, lambdas and LINQ, collection expressions, interpolation with formats, and a last expression as result.
    private const string FirstSubmission = """
        using System.Globalization;
        sealed record Row(string Name, double Value);
        static double Percent(double value) => Math.Round(100 * value, 1);
        Row[] rows = [new("a", 0.25), new("b", 0.5), new("c", 0.75)];
        var total = rows.Where(r => r.Value > 0.3).Select(r => Percent(r.Value)).Sum();
        """;

    private const string SecondSubmission = """
        var names = string.Join(", ", rows.OrderByDescending(r => r.Value).Select(r => r.Name.ToUpperInvariant()));
        var byName = rows.ToDictionary(r => r.Name, r => r.Value);
        $"{names}: {total.ToString("0.0", CultureInfo.InvariantCulture)} ({byName.Count} rows)"
        """;

    /// <summary>Starts the warm-up of both the compiler and the report if it has not started yet; returns at once.</summary>
    public static void Start()
    {
        if (Environment.ProcessorCount > 1)
        {
            _ = Started.Value;
        }
    }

    /// <summary>Starts only the compiler's warm-up: for a notebook worker process, which never renders a report.</summary>
    public static void StartCompiler()
    {
        if (Environment.ProcessorCount > 1)
        {
            _ = CompilerStarted.Value;
        }
    }

    /// <summary>Starts only the report's warm-up: for a parent whose notebooks run in a worker process.</summary>
    public static void StartReport()
    {
        if (Environment.ProcessorCount > 1)
        {
            _ = ReportStarted.Value;
        }
    }

    private static async Task WarmUpAsync()
    {
        await WarmUpCompilerAsync().ConfigureAwait(false);
        HtmlReport.WarmUp();
    }

    private static async Task WarmUpCompilerAsync()
    {
        try
        {
            var options = ScriptOptions.Default
                .WithLanguageVersion(LanguageVersion.Latest)
                .AddImports("System", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks");
            var state = await CSharpScript.RunAsync(FirstSubmission, options).ConfigureAwait(false);
            await state.ContinueWithAsync(SecondSubmission, options).ConfigureAwait(false);
        }
        catch (Exception e) when (e is CompilationErrorException or InvalidOperationException or IOException or NotSupportedException)
        {
            // Only the run's speed depends on the warm-up; the run compiles whatever it needs itself.
        }
    }
}
