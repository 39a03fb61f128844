using BenchmarkDotNet.Attributes;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Benchmarks;

/// <summary>
/// The Cox fit on counting-process (start, stop] data: the synthetic design's follow-up (lengthened by 0.01) split at 5, 10 and 20 (as
/// R's <c>survSplit</c>), about 1.9 rows per subject, so 55,000 and 550,000 subjects give about 10⁵ and 10⁶ rows.
/// The fit includes its concordance over the risk sets.
/// </summary>
[MemoryDiagnoser]
public class StartStopBenchmarks
{
    /// <summary>The cut points of the split.</summary>
    public static readonly double[] Cuts = [5, 10, 20];

    private CountingProcessData data = null!;
    private CovariateMatrix covariates = null!;

    [Params(55_000, 550_000)]
    public int Subjects { get; set; }

    [GlobalSetup]
    public void Setup() => (data, covariates) = Split(SyntheticCohort.Draw(Subjects));

    /// <summary>The split data and the covariates of each piece.</summary>
    internal static (CountingProcessData Data, CovariateMatrix Covariates) Split(SyntheticCohort.Columns columns)
    {
        var split = FollowUpSplit.AtCuts(Whole(columns), Cuts);
        var all = CovariateMatrix.FromColumns(["x1", "x2", "x3"], [columns.X1, columns.X2, columns.X3]);
        return (split.Data, all.Subset(split.SourceRows));
    }

    /// <summary>The design with every follow-up lengthened by 0.01, so that the times rounded to 0 become intervals of positive length.</summary>
    internal static SurvivalData Whole(SyntheticCohort.Columns columns)
        => SurvivalData.Create([.. columns.Time.Select(t => Math.Round(t + 0.01, 2))], columns.Status);

    [Benchmark]
    public CoxModel CoxEfronStartStop() => CoxRegression.Fit(data, covariates);

    [Benchmark]
    public CoxModel CoxBreslowStartStop() => CoxRegression.Fit(data, covariates, new CoxOptions { Ties = TieMethod.Breslow });
}

/// <summary>
/// The (start, stop] file for comparison with R and a one-shot timing of the fit on it. Output lines as
/// <see cref="StepTimer"/>: <c>time STEP SECONDS</c> and <c>value NAME NUMBER</c>.
/// </summary>
internal static class StartStopTimer
{
    /// <summary>Writes the split synthetic design as CSV with the header start,stop,status,x1,x2,x3.</summary>
    public static void Write(string path, int subjects)
    {
        var columns = SyntheticCohort.Draw(subjects);
        var split = FollowUpSplit.AtCuts(StartStopBenchmarks.Whole(columns), StartStopBenchmarks.Cuts);
        using var writer = new StreamWriter(path);
        writer.WriteLine("start,stop,status,x1,x2,x3");
        for (var k = 0; k < split.Data.Count; k++)
        {
            var i = split.SourceRows[k];
            writer.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{split.Data.Starts[k]:R},{split.Data.Stops[k]:R},{(split.Data.Events[k] ? 1 : 0)},{columns.X1[i]:R},{columns.X2[i]:R},{columns.X3[i]:R}"));
        }
    }

    /// <summary>Reads the file, fits the Efron model once and prints the time, the coefficients and the concordance.</summary>
    public static int Run(string path)
    {
        var table = ColumnTable.ReadCsv(path);
        var data = CountingProcessData.FromTable(table, "start", "stop", "status");
        var covariates = CovariateMatrix.FromColumns(["x1", "x2", "x3"], [table.GetNumbers("x1"), table.GetNumbers("x2"), table.GetNumbers("x3")]);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var model = CoxRegression.Fit(data, covariates);
        var seconds = clock.Elapsed.TotalSeconds;
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(culture, $"time cox_startstop {seconds:F4}"));
        for (var j = 0; j < model.Coefficients.Length; j++)
        {
            Console.WriteLine(string.Create(culture, $"value coef_{model.Terms[j]} {model.Coefficients[j].Coefficient:R}"));
        }

        Console.WriteLine(string.Create(culture, $"value concordance {model.Concordance.Estimate:R}"));
        return 0;
    }
}
