using System.CommandLine;
using System.Globalization;
using GistNotebooks.Cli.Infrastructure;
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
                JsonOutput.Write(console.Output, json => json.Array("claims", report.Checks, c =>
                {
                    json.Text("id", c.Id);
                    json.Text("description", c.Description);
                    json.Text("reported", c.Reported);
                    json.Text("reproduced", c.Reproduced);
                    json.Text("status", c.Status);
                }));
            }
            else
            {
                WriteClaimsTable(console.Output, report.Checks);
            }

            return report.AllPassed ? 0 : 1;
        });
        return command;
    }

    public static void WriteClaimsTable(TextWriter output, IEnumerable<ClaimCheck> checks)
    {
        var table = new TextTable("claim", "status", "reported", "reproduced");
        var list = checks.ToList();
        foreach (var c in list)
        {
            table.Add(c.Id, c.Passed ? "pass" : "FAIL", c.Reported, c.Reproduced);
        }

        output.Write(table);
        output.WriteLine(FormattableString.Invariant($"{list.Count(c => c.Passed)} of {list.Count} claims pass."));
    }

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
            var written = ReconstructionFiles.Write(result, claims, parse.GetValue(outOption)!, writeEnsembleCohorts: n > 1);
            console.Output.WriteLine(FormattableString.Invariant(
                $"{result.Orders.Count} orders of deaths and censorings ({result.Provenance.ConsistentSequences} distinct sequences) agree with {string.Join(", ", result.Orders.ClaimIds)}."));
            WriteClaimsTable(console.Output, ConsistencyCheck.Check(claims, result.Cohorts[0].ToTable()).Checks);
            console.Output.WriteLine($"Wrote {written.Count} files to {parse.GetValue(outOption)}.");
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
