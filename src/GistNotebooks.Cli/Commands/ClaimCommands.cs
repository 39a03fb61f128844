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
        var reading = ReadingOption();
        var encoding = CommonOptions.EncodingOption();
        var command = new Command("check", "Check a cohort against every claim of a paper; exit 0 only when all pass.") { claimsOption, cohortOption, encoding, reading, format };
        console.SetAction(command, parse =>
        {
            var claims = ClaimSet.Load(parse.GetValue(claimsOption)!, parse.GetValue(reading));
            var cohortPath = parse.GetValue(cohortOption)!;
            var report = ConsistencyCheck.Check(claims, ColumnTable.ReadCsv(cohortPath, CommonOptions.ReadOptions(parse.GetValue(encoding))))
                .WithBases(ReconstructionFiles.Bases(claims, ReconstructionFiles.IsReconstructed(cohortPath)));
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

    /// <summary>The <c>--reading</c> option: which reading of an ambiguous claims file to use.</summary>
    public static Option<string?> ReadingOption() => new("--reading") { Description = "The reading of the claims file to use (default: the file's default reading)." };

    public static Command Reconstruct(CliConsole console)
    {
        var claimsOption = new Option<string>("--claims") { Description = "The claims file (JSON).", Required = true };
        var seed = new Option<int>("--seed") { Description = "The seed of every random choice (default 20050601).", DefaultValueFactory = _ => 20050601 };
        var count = new Option<int>("--count") { Description = "Draw an ensemble of this many cohorts (writes cohort-0001.csv… and ensemble.json).", DefaultValueFactory = _ => 1 };
        var outOption = new Option<string>("--out") { Description = "The folder to write to.", Required = true };
        var reading = ReadingOption();
        var (maximumStates, maximumSearch) = AuditCommand.BudgetOptions();
        var command = new Command("reconstruct", "Reconstruct patient-level cohorts that agree with every claim of a paper (exit 1 if a cohort would fail a claim, 3 if the claims cannot hold together or cannot be decided).")
        {
            claimsOption, reading, seed, count, outOption, maximumStates, maximumSearch,
        };
        console.SetAction(command, parse =>
        {
            var file = parse.GetValue(claimsOption)!;
            var claims = ClaimSet.Load(file, parse.GetValue(reading));
            var n = parse.GetValue(count);
            if (n < 1)
            {
                throw new CliUsageException("--count expects a whole number of 1 or more");
            }

            var counting = AuditCommand.Budget(parse, maximumStates, maximumSearch, console);
            var feasibility = ClaimFeasibility.Analyze(claims, counting);
            if (!feasibility.IsDecided)
            {
                console.Error.WriteLine($"gistnb: {file}: could not decide within the budget whether the claims can hold together ({string.Join("; ", feasibility.Undecided.Select(u => string.Join(" + ", u)))}); nothing written.");
                return CannotDecide;
            }

            if (!feasibility.IsFeasible)
            {
                console.Error.WriteLine($"gistnb: {file}: the claims cannot hold together:");
                foreach (var conflict in feasibility.Conflicts)
                {
                    console.Error.WriteLine($"  {string.Join(" + ", conflict.ClaimIds)}: {conflict.Reason}");
                }

                return CannotDecide;
            }

            var progress = new ProgressLine(console.Error, "cohorts");
            ReconstructionResult result;
            try
            {
                result = CohortReconstruction.Reconstruct(claims, new ReconstructionOptions { Seed = parse.GetValue(seed), Count = n, Progress = n > 1 ? progress.Report : null, Counting = counting });
            }
            catch (UndecidedClaimsException e)
            {
                progress.Finish();
                console.Error.WriteLine($"gistnb: {file}: {e.Message}; nothing written.");
                return CannotDecide;
            }
            catch (UnmetClaimsException e)
            {
                progress.Finish();
                WriteFailures(console.Error, file, "no cohort passed every claim", e.Failures);
                return ClaimFails;
            }

            progress.Finish();

            // The cohorts are checked again by the very check `gistnb check` runs, before anything is written.
            for (var k = 0; k < result.Cohorts.Length; k++)
            {
                var failures = ConsistencyCheck.Check(claims, result.Cohorts[k].ToTable()).Checks.Where(c => !c.Passed).ToList();
                if (failures.Count > 0)
                {
                    WriteFailures(console.Error, file, FormattableString.Invariant($"cohort {k + 1} fails"), failures);
                    return ClaimFails;
                }
            }

            var folder = parse.GetValue(outOption)!;
            var files = ReconstructionFiles.Contents(result, claims, includeEnsembleCohorts: n > 1);
            WriteReconstruction(folder, file, files, result);

            var sequences = result.Sequences;
            var number = sequences.IsExact
                ? sequences.ExactCount!.Value.ToString(CultureInfo.InvariantCulture)
                : sequences.StandardError is double se
                    ? string.Create(CultureInfo.InvariantCulture, $"about {sequences.Count:G4} (standard error {se:G2})")
                    : string.Create(CultureInfo.InvariantCulture, $"at least {sequences.Count:G4}");
            console.Output.WriteLine(FormattableString.Invariant(
                $"{number} death/censoring sequences agree with {string.Join(", ", sequences.ClaimIds)}{(claims.Reading is null ? string.Empty : $" (reading {claims.Reading})")}; {result.Provenance.Sampling}."));
            WriteClaimsTable(console.Output, ConsistencyCheck.Check(claims, result.Cohorts[0].ToTable()).WithBases(ReconstructionFiles.Bases(claims, reconstructed: true)));
            console.Output.WriteLine($"Wrote {files.Length} files to {folder}.");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Writes the files of a reconstruction as one set (<see cref="OutputStaging"/>): none may replace the claims file,
    /// and every cohort is read back from its staged file and compared with the cohort before anything is moved into place.
    /// </summary>
    private static void WriteReconstruction(string folder, string claimsFile, IReadOnlyList<ReconstructionFile> files, ReconstructionResult result)
    {
        SourceGuard.EnsureNoSourceIsWritten(files.Select(f => Path.Combine(folder, f.Name)), [claimsFile]);
        using var staging = OutputStaging.Begin(folder, IncompleteMarker);
        foreach (var output in files)
        {
            var cohort = CohortOf(output.Name, result);
            staging.Write(output.Name, output.Contents, cohort is null ? null : staged => cohort.CheckReadBack(ColumnTable.ReadCsv(staged)));
        }

        staging.Commit();
    }

    /// <summary>The cohort a file of the reconstruction holds: <c>cohort.csv</c> the first, <c>cohort-NNNN.csv</c> the NNNNth; null for the JSON files.</summary>
    private static Cohort? CohortOf(string name, ReconstructionResult result)
    {
        if (name == "cohort.csv")
        {
            return result.Cohorts[0];
        }

        return name.StartsWith("cohort-", StringComparison.Ordinal) && name.EndsWith(".csv", StringComparison.Ordinal)
            && int.TryParse(name["cohort-".Length..^".csv".Length], NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k >= 1 && k <= result.Cohorts.Length
            ? result.Cohorts[k - 1]
            : null;
    }

    /// <summary>The marker of a reconstruction's output folder whose files were being replaced when the command stopped.</summary>
    private const string IncompleteMarker = "INCOMPLETE.txt";

    /// <summary>Exit code of a cohort that fails a claim, and of claims that cannot hold together (audit).</summary>
    public const int ClaimFails = 1;

    /// <summary>Exit code of claims that cannot hold together in <c>reconstruct</c>, or that the budget could not decide.</summary>
    public const int CannotDecide = 3;

    private static void WriteFailures(TextWriter error, string file, string what, IEnumerable<ClaimCheck> failures)
    {
        error.WriteLine($"gistnb: {file}: {what}; nothing written:");
        foreach (var f in failures)
        {
            error.WriteLine($"  claim {f.Id} fails: reported {f.Reported}, reproduced {f.Reproduced}");
        }
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
