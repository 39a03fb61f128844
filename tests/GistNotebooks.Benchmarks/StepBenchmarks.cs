using BenchmarkDotNet.Attributes;
using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Benchmarks;

/// <summary>
/// Each step on the synthetic design at 10⁴, 10⁵ and 10⁶ rows, the computation alone (data in memory). Each
/// invocation starts from fresh data, so the one sort every estimator needs is paid inside the step, as in R.
/// </summary>
[MemoryDiagnoser]
public class StepBenchmarks
{
    private SyntheticCohort.Columns columns = null!;
    private string[] groups = [];
    private CovariateMatrix covariates = null!;
    private string csvPath = string.Empty;

    [Params(10_000, 100_000, 1_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        columns = SyntheticCohort.Draw(Rows);
        groups = [.. columns.X2.Select(x => x == 1 ? "1" : "0")];
        covariates = CovariateMatrix.FromColumns(["x1", "x2", "x3"], [columns.X1, columns.X2, columns.X3]);
        csvPath = Path.Combine(Path.GetTempPath(), $"gistnb-benchmark-{Rows}.csv");
        SyntheticCohort.Write(csvPath, Rows);
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(csvPath);

    [Benchmark]
    public double ReadCsv()
    {
        var table = ColumnTable.ReadCsv(csvPath);
        return table.GetNumbers("time")[0] + table.GetNumbers("x1")[0] + table.GetNumbers("x3")[0] + table.GetText("status").Length;
    }

    [Benchmark]
    public KaplanMeierCurve KaplanMeierEstimate() => KaplanMeier.Estimate(SurvivalData.Create(columns.Time, columns.Status));

    [Benchmark]
    public LogRankResult LogRankTest() => LogRank.Test(SurvivalData.Create(columns.Time, columns.Status, groups: groups));

    [Benchmark]
    public CoxModel CoxEfron() => CoxRegression.Fit(SurvivalData.Create(columns.Time, columns.Status), covariates);

    [Benchmark]
    public CoxModel CoxBreslow() => CoxRegression.Fit(SurvivalData.Create(columns.Time, columns.Status), covariates, new CoxOptions { Ties = TieMethod.Breslow });
}
