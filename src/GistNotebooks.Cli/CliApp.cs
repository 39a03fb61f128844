using System.CommandLine;
using GistNotebooks.Cli.Infrastructure;
using GistNotebooks.Cli.Commands;

namespace GistNotebooks.Cli;

/// <summary>The <c>gistnb</c> command line, callable in-process so tests see exactly what a user sees.</summary>
public static class CliApp
{
    /// <summary>Parses and runs one command line; returns the process exit code.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="output">Where results go (standard output).</param>
    /// <param name="error">Where messages for the user go (standard error).</param>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var console = new CliConsole(output, error);
        if (args.Count > 0 && args[0] == "kernel")
        {
            return KernelCommands.Run([.. args.Skip(1)], console);
        }

        var root = new RootCommand("gistnb: reproducible survival analysis — analyse data as R's survival package does, check and reconstruct published claims, run the notebooks that reproduce them.\n\n"
            + "Exit codes: 0 done (every claim and cell passed); 1 a claim, check or cell failed, or the claims cannot hold together; "
            + "2 a mistake in the input or the command line (one line on standard error names it); 3 the claims could not be decided within the work budget; "
            + "70 a failure of the kit itself (please report it).");
        root.Subcommands.Add(AnalyzeCommands.Create(console));
        root.Subcommands.Add(ClaimCommands.Check(console));
        root.Subcommands.Add(ClaimCommands.Reconstruct(console));
        root.Subcommands.Add(AuditCommand.Create(console));
        root.Subcommands.Add(ReconstructCurveCommand.Create(console));
        root.Subcommands.Add(NotebookCommands.Run(console));
        root.Subcommands.Add(NotebookCommands.Reproduce(console));
        root.Subcommands.Add(NotebookCommands.Workers(console));
        root.Subcommands.Add(NewCommand.Create(console));
        root.Subcommands.Add(ExportCommand.Create(console));

        // Listed for the help only: "kernel" lines are served by KernelCommands above.
        root.Subcommands.Add(new Command("kernel", "Serve the kit's kernel: `kernel stdio` for VS Code, `kernel jupyter` for Jupyter front ends, `kernel install [--jupyter]` to register it (see `gistnb kernel --help`)."));

        if (args.Count == 0)
        {
            // A bare `gistnb` asks what it can do: the help, not an error.
            return root.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && !args.Any(a => a is "-h" or "--help" or "-?"))
        {
            // A mistyped command line is the user's mistake like a bad file: one line, exit 2, no usage dump.
            var names = new List<string>();
            for (var result = parsed.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            {
                names.Insert(0, result.Command == root ? "gistnb" : result.Command.Name);
            }

            var messages = parsed.Errors.Select(e => string.Join(' ', e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
                .Select(m => m.TrimEnd('.') + Suggestions.For(m, parsed.CommandResult.Command));
            error.WriteLine($"gistnb: {string.Join("; ", messages.Select(m => m.TrimEnd('.')))} (see `{string.Join(' ', names)} --help`)");
            return CliConsole.InputError;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }
}
