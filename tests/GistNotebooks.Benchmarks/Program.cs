using System.Globalization;
using BenchmarkDotNet.Running;
using GistNotebooks.Benchmarks;

// `generate ROWS PATH [SEED]` writes the synthetic file; `generate-startstop SUBJECTS PATH` writes it split at
// 5, 10 and 20 as (start, stop] rows; `startstop PATH` times the Cox fit on such a file once; `steps PATH` times each step once in-process
// and prints the numbers to compare with R; `abstract N` times the audit, a cohort and a 200-cohort ensemble of
// an n-patient abstract once and prints the peak memory; anything else goes to BenchmarkDotNet.
if (args.Length >= 3 && args[0] == "generate")
{
    var seed = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : SyntheticCohort.DefaultSeed;
    SyntheticCohort.Write(args[2], int.Parse(args[1], CultureInfo.InvariantCulture), seed);
    return 0;
}

if (args.Length >= 3 && args[0] == "generate-startstop")
{
    StartStopTimer.Write(args[2], int.Parse(args[1], CultureInfo.InvariantCulture));
    return 0;
}

if (args.Length >= 2 && args[0] == "startstop")
{
    return StartStopTimer.Run(args[1]);
}

if (args.Length >= 2 && args[0] == "steps")
{
    return StepTimer.Run(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1);
}

if (args.Length >= 2 && args[0] == "abstract")
{
    return AbstractBenchmarks.Measure(int.Parse(args[1], CultureInfo.InvariantCulture));
}

BenchmarkSwitcher.FromAssembly(typeof(SyntheticCohort).Assembly).Run(args);
return 0;
