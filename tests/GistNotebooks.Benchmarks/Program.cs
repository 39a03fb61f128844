using System.Globalization;
using BenchmarkDotNet.Running;
using GistNotebooks.Benchmarks;

// `generate ROWS PATH [SEED]` writes the synthetic file; `steps PATH` times each step once in-process
// and prints the numbers to compare with R; anything else goes to BenchmarkDotNet.
if (args.Length >= 3 && args[0] == "generate")
{
    var seed = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : SyntheticCohort.DefaultSeed;
    SyntheticCohort.Write(args[2], int.Parse(args[1], CultureInfo.InvariantCulture), seed);
    return 0;
}

if (args.Length >= 2 && args[0] == "steps")
{
    return StepTimer.Run(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1);
}

BenchmarkSwitcher.FromAssembly(typeof(SyntheticCohort).Assembly).Run(args);
return 0;
