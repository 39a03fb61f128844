using BenchmarkDotNet.Attributes;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Power;
using GistNotebooks.Survival.Reconstruction;

namespace GistNotebooks.Benchmarks;

/// <summary>The kit's own small work: the abstract's counting plus a 1,000-cohort ensemble (target ≤ 5 s), and a 10,000-replicate power simulation with 18 patients (target ≤ 1 s).</summary>
[MemoryDiagnoser]
public class SmallWorkBenchmarks
{
    private ClaimSet claims = null!;

    [Params(10_000)]
    public int Replicates { get; set; }

    [GlobalSetup]
    public void Setup() => claims = ClaimSet.Load(Path.Combine(AppContext.BaseDirectory, "claims.json"));

    [Benchmark]
    public int CountingAndEnsembleOf1000()
        => CohortReconstruction.Reconstruct(claims, new ReconstructionOptions { Count = 1000 }).Cohorts.Length;

    [Benchmark]
    public double PowerSimulation10000Replicates18Patients()
        => LogRankPower.Simulate(9, 9, 0.02, 0.5, CensoringModel.Exponential(0.01), replicates: Replicates).Power;
}
