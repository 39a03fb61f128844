using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Reconstruction;

namespace GistNotebooks.Benchmarks;

/// <summary>
/// The abstract-level work at n = 18 to 200 with claims of the seed's kind (<see cref="SeedLikeAbstract"/>): an audit,
/// one cohort and a 200-cohort ensemble, from cold (targets: 2 s for n ≤ 60, 30 s at n = 200; peak memory 500 MB,
/// measured by <c>abstract N</c> in a process of its own).
/// </summary>
[MemoryDiagnoser]
public class AbstractBenchmarks
{
    private ClaimSet claims = null!;

    [Params(18, 38, 56, 100, 200)]
    public int Patients { get; set; }

    [GlobalSetup]
    public void Setup() => claims = SeedLikeAbstract.Claims(Patients, Patients);

    [Benchmark]
    public int AuditCohortAndEnsembleOf200() => Run(claims);

    /// <summary>The audit, one cohort and an ensemble of 200, with nothing kept from an earlier run.</summary>
    internal static int Run(ClaimSet claims)
    {
        SequenceEngine.ForgetRecent();
        var audit = ClaimAudit.Audit(claims);
        var one = CohortReconstruction.Reconstruct(claims);
        var ensemble = CohortReconstruction.Reconstruct(claims, new ReconstructionOptions { Count = 200, Seed = 1 });
        return (audit.Feasible ? 1 : 0) + one.Cohorts.Length + ensemble.Cohorts.Length;
    }

    /// <summary>Runs the work once for n patients and prints its wall time, peak working set and what the audit found.</summary>
    internal static int Measure(int patients)
    {
        var abstractClaims = SeedLikeAbstract.Claims(patients, patients);
        var watch = Stopwatch.StartNew();
        var cohorts = Run(abstractClaims);
        var seconds = watch.Elapsed.TotalSeconds;
        var count = ConsistentSequences.Count(abstractClaims);
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"n = {patients}: audit + 1 cohort + 200-cohort ensemble {seconds:F2} s, peak working set {process.PeakWorkingSet64 / 1e6:F0} MB; {cohorts - 1} cohorts; sequences {(count.IsExact ? count.ExactCount!.Value.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"≈ {count.Count:G3} ± {count.StandardError:G2}"))} ({count.Method})"));
        return 0;
    }
}
