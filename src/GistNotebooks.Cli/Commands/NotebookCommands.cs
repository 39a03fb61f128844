using System.CommandLine;
using GistNotebooks.Cli.Infrastructure;
using GistNotebooks.Notebooks.Execution;
using GistNotebooks.Notebooks.Reproduction;
using GistNotebooks.Reporting.Formatting;

namespace GistNotebooks.Cli.Commands;

/// <summary><c>gistnb run</c> and <c>gistnb reproduce</c>: notebooks executed headless, with their report.</summary>
internal static class NotebookCommands
{
    public static Command Run(CliConsole console)
    {
        var notebook = new Argument<string>("NOTEBOOK") { Description = "A .ipynb or .dib notebook." };
        var outOption = new Option<string>("--out") { Description = "The folder for the executed notebook and its HTML (default artifacts/run).", DefaultValueFactory = _ => Path.Combine("artifacts", "run") };
        var timeout = TimeLimitOption();
        var command = new Command("run", "Run one notebook headless; write it executed (.ipynb) and as HTML. Exit 0 only when every cell ran and every claim it checks passes.") { notebook, outOption, timeout };
        console.SetAction(command, parse =>
        {
            var progress = new ProgressLines(console.Error, live: console.ErrorIsTerminal);
            var result = Reproducer.RunAsync(parse.GetValue(notebook)!, parse.GetValue(outOption)!, Options(parse, timeout), progress.Report).GetAwaiter().GetResult();
            progress.Finish();
            return Finish(console, result);
        });
        return command;
    }

    public static Command Reproduce(CliConsole console)
    {
        var notebooks = new Option<string>("--notebooks") { Description = "The folder with manifest.json and the notebooks (default notebooks).", DefaultValueFactory = _ => "notebooks" };
        var outOption = new Option<string>("--out") { Description = "Where notebooks/*.ipynb, report.html and claims.json go (default artifacts/reproduction).", DefaultValueFactory = _ => Path.Combine("artifacts", "reproduction") };
        var timeout = TimeLimitOption();
        var jobs = new Option<int?>("--jobs") { Description = FormattableString.Invariant($"How many notebooks run at once, each in its own worker process with a fresh kernel (1 to {Reproducer.MaxWorkers}; default 2 on a machine with two or more cores, else 1). Outputs keep the manifest's order.") };
        var command = new Command("reproduce", "Run every notebook of the manifest and write the executed notebooks, claims.json and report.html. Exit 0 only when every notebook ran and every claim passed. The worker processes stay warm for the next run (see `gistnb workers --help`).") { notebooks, outOption, timeout, jobs };
        console.SetAction(command, parse =>
        {
            var workers = parse.GetValue(jobs);
            if (workers is < 1 or > Reproducer.MaxWorkers)
            {
                throw new CliUsageException(FormattableString.Invariant($"--jobs expects a whole number from 1 to {Reproducer.MaxWorkers}"));
            }

            var progress = new ProgressLines(console.Error, live: console.ErrorIsTerminal);
            var options = Options(parse, timeout) with { Workers = workers };
            var result = Reproducer.ReproduceAsync(parse.GetValue(notebooks)!, parse.GetValue(outOption)!, options, progress.Report).GetAwaiter().GetResult();
            progress.Finish();
            return Finish(console, result);
        });
        return command;
    }

    /// <summary><c>gistnb workers stop</c>: ends the warm notebook workers that earlier runs left waiting.</summary>
    public static Command Workers(CliConsole console)
    {
        var stop = new Command("stop", FormattableString.Invariant($"End every idle warm worker of this user now (they end by themselves after {WarmWorkers.DefaultIdle.TotalMinutes:0} minutes without a run); workers busy with a run are left to it."));
        console.SetAction(stop, _ =>
        {
            var (stopped, busy) = WarmWorkers.StopAll();
            console.Output.WriteLine(FormattableString.Invariant($"stopped {stopped} idle warm worker{(stopped == 1 ? string.Empty : "s")}") + (busy > 0 ? FormattableString.Invariant($"; {busy} busy with a run, left to it") : string.Empty));
            return 0;
        });
        return new Command("workers", FormattableString.Invariant($"The notebook worker processes that `run` and `reproduce` leave warm for the next run ({WarmWorkers.IdleVariable}=SECONDS sets how long they wait, default {WarmWorkers.DefaultIdle.TotalSeconds:0}; 0 turns them off).")) { stop };
    }

    private const int MaximumCellTimeout = 7 * 24 * 3600;

    private static Option<double?> TimeLimitOption() => new("--cell-timeout") { Description = "Fail a cell that runs longer than this many seconds (default: no limit)." };

    private static NotebookRunOptions Options(ParseResult parse, Option<double?> timeout)
    {
        var seconds = parse.GetValue(timeout);
        if (seconds is { } s && !(s > 0 && double.IsFinite(s)))
        {
            throw new CliUsageException("--cell-timeout expects a number of seconds greater than 0");
        }

        // Timers hold at most about 49 days; a week is longer than any cell should run.
        if (seconds > MaximumCellTimeout)
        {
            throw new CliUsageException(FormattableString.Invariant($"--cell-timeout expects at most {MaximumCellTimeout} seconds (a week); leave it out for no limit"));
        }

        return new NotebookRunOptions(seconds is { } limit ? TimeSpan.FromSeconds(limit) : null) { Worker = WorkerCommand() };
    }

    /// <summary>
    /// How to start gistnb again as a notebook worker: the running gistnb executable when this is one, else the .NET
    /// host with gistnb.dll (as under <c>dotnet gistnb.dll</c> or in tests).
    /// </summary>
    internal static NotebookWorkerCommand WorkerCommand()
    {
        var running = Environment.ProcessPath;
        var name = running is null ? string.Empty : Path.GetFileNameWithoutExtension(running);
        if (running is not null && string.Equals(name, "gistnb", StringComparison.OrdinalIgnoreCase))
        {
            return new NotebookWorkerCommand(running, [NotebookWorker.Argument]);
        }

        var host = running is not null && string.Equals(name, "dotnet", StringComparison.OrdinalIgnoreCase)
            ? running
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } sdkHost ? sdkHost : "dotnet";
        return new NotebookWorkerCommand(host, ["exec", typeof(NotebookCommands).Assembly.Location, NotebookWorker.Argument]);
    }

    private static int Finish(CliConsole console, ReproductionResult result)
    {
        foreach (var file in result.Provenance.DataFiles.Where(f => f.Problem is not null))
        {
            console.Error.WriteLine($"gistnb: data file {file.Path} named by the manifest: {file.Problem}.");
        }

        foreach (var failure in result.Failures)
        {
            console.Error.WriteLine($"gistnb: {failure}");
        }

        if (result.Claims.Length > 0)
        {
            // The full text of each cell is in claims.json and the report.
            console.Output.WriteLine(ResultTable.Text([result.Claims.ToTable("Claims checked by the notebooks", descriptions: false)], CliConsole.MaximumCellWidth));
        }

        var ran = result.Notebooks.Count(n => n.Run.Succeeded);
        console.Output.WriteLine(FormattableString.Invariant($"{ran} of {result.Notebooks.Length} notebooks ran to the end."));
        foreach (var file in result.Written)
        {
            console.Output.WriteLine("wrote " + Path.GetRelativePath(Environment.CurrentDirectory, file));
        }

        return result.Succeeded ? 0 : 1;
    }
}
