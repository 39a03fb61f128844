using System.CommandLine;
using System.Globalization;
using GistNotebooks.Cli.Infrastructure;
using GistNotebooks.Reporting;
using GistNotebooks.Reporting.Files;
using GistNotebooks.Reporting.Formatting;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Reconstruction;

namespace GistNotebooks.Cli.Commands;

/// <summary><c>gistnb check</c> and <c>gistnb reconstruct</c>: a cohort against a paper's claims, and cohorts from the claims.</summary>
internal static class ClaimCommands
{
    public static Command Check(CliConsole console)
    {
        var claimsOption = new Option<string>("--claims") { Description = "The claims file (JSON).", Required = true };
        var cohortOption = new Option<string>("--cohort") { Description = "The cohort CSV.", Required = true };
        var format = new Option<string>("--format") { Description = "text (default) or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("check", "Check a cohort against every claim of a paper; exit 0 only when all pass.") { claimsOption, cohortOption, format };
        console.SetAction(command, parse =>
        {
            var claims = ClaimSet.Load(parse.GetValue(claimsOption)!);
            var report = ConsistencyCheck.Check(claims, ColumnTable.ReadCsv(parse.GetValue(cohortOption)!));
            if (parse.GetValue(format) == "json")
            {
                JsonOutput.Write(console.Output, json =>
                {
                    json.Writer.WritePropertyName("claims");
                    ClaimRecord.WriteArray(json.Writer, report.Checks.Select(ClaimRecord.From));
                });
            }
            else
            {
                WriteClaimsTable(console.Output, report);
            }

            return report.AllPassed ? 0 : 1;
        });
        return command;
    }

    /// <summary>The claims table of a consistency report, without descriptions and with long cells cut, for a terminal.</summary>
    private static void WriteClaimsTable(TextWriter output, ConsistencyReport report) =>
        output.WriteLine(ResultTable.Text([report.ToTable(descriptions: false)], CliConsole.MaximumCellWidth));

    public static Command Reconstruct(CliConsole console)
    {
        var claimsOption = new Option<string>("--claims") { Description = "The claims file (JSON).", Required = true };
        var seed = new Option<int>("--seed") { Description = "The seed of every random choice (default 20050601).", DefaultValueFactory = _ => 20050601 };
        var count = new Option<int>("--count") { Description = "Draw an ensemble of this many cohorts (writes cohort-0001.csv… and ensemble.json).", DefaultValueFactory = _ => 1 };
        var outOption = new Option<string>("--out") { Description = "The folder to write to.", Required = true };
        var command = new Command("reconstruct", "Reconstruct patient-level cohorts that agree with every claim of a paper.") { claimsOption, seed, count, outOption };
        console.SetAction(command, parse =>
        {
            var claims = ClaimSet.Load(parse.GetValue(claimsOption)!);
            var n = parse.GetValue(count);
            if (n < 1)
            {
                throw new CliUsageException("--count expects a whole number of 1 or more");
            }

            var feasibility = ClaimFeasibility.Analyze(claims);
            if (!feasibility.IsFeasible)
            {
                console.Error.WriteLine($"gistnb: {parse.GetValue(claimsOption)}: the claims cannot hold together:");
                foreach (var conflict in feasibility.Conflicts)
                {
                    console.Error.WriteLine($"  {string.Join(" + ", conflict.ClaimIds)}: {conflict.Reason}");
                }

                return 3;
            }

            var progress = new ProgressLine(console.Error, "cohorts");
            var result = CohortReconstruction.Reconstruct(claims, new ReconstructionOptions { Seed = parse.GetValue(seed), Count = n, Progress = n > 1 ? progress.Report : null });
            progress.Finish();
            var folder = parse.GetValue(outOption)!;
            var files = ReconstructionFiles.Contents(result, claims, includeEnsembleCohorts: n > 1);
            foreach (var file in files)
            {
                AtomicFile.WriteAllText(Path.Combine(folder, file.Name), file.Contents);
            }

            console.Output.WriteLine(FormattableString.Invariant(
                $"{result.Orders.Count} orders of deaths and censorings ({result.Provenance.ConsistentSequences} distinct sequences) agree with {string.Join(", ", result.Orders.ClaimIds)}."));
            WriteClaimsTable(console.Output, ConsistencyCheck.Check(claims, result.Cohorts[0].ToTable()));
            console.Output.WriteLine($"Wrote {files.Length} files to {folder}.");
            return 0;
        });
        return command;
    }
}

/// <summary>A progress line on standard error, redrawn in place when it is a terminal.</summary>
internal sealed class ProgressLine(TextWriter error, string unit)
{
    private int lastPercent = -1;

    public void Report(int done, int total)
    {
        var percent = (int)(100L * done / total);
        if (percent == lastPercent)
        {
            return;
        }

        lastPercent = percent;
        var bar = new string('#', percent / 5).PadRight(20, '.');
        var line = string.Create(CultureInfo.InvariantCulture, $"[{bar}] {done}/{total} {unit}");
        if (Console.IsErrorRedirected)
        {
            if (percent % 25 == 0)
            {
                error.WriteLine(line);
            }
        }
        else
        {
            error.Write("\r" + line);
        }
    }

    public void Finish()
    {
        if (!Console.IsErrorRedirected && lastPercent >= 0)
        {
            error.WriteLine();
        }
    }
}
