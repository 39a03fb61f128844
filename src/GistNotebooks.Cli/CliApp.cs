using System.CommandLine;
using GistNotebooks.Cli.Infrastructure;
using GistNotebooks.Cli.Commands;

namespace GistNotebooks.Cli;

/// <summary>The <c>gistnb</c> command line, callable in-process so tests see exactly what a user sees.</summary>
public static class CliApp
{
    /// <summary>The commands in the order the help lists them, each built from the console and the whole command line.</summary>
    private static readonly (string Name, Func<CliConsole, IReadOnlyList<string>, Command> Create)[] Commands =
    [
        ("analyze", AnalyzeCommands.Create),
        ("check", (console, _) => ClaimCommands.Check(console)),
        ("reconstruct", (console, _) => ClaimCommands.Reconstruct(console)),
        ("audit", (console, _) => AuditCommand.Create(console)),
        ("reconstruct-curve", (console, _) => ReconstructCurveCommand.Create(console)),
        ("run", (console, _) => NotebookCommands.Run(console)),
        ("reproduce", (console, _) => NotebookCommands.Reproduce(console)),
        ("workers", (console, _) => NotebookCommands.Workers(console)),
        ("new", (console, _) => NewCommand.Create(console)),
        ("export", (console, _) => ExportCommand.Create(console)),
    ];

    /// <summary>Parses and runs one command line; returns the process exit code.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="output">Where results go (standard output).</param>
    /// <param name="error">Where messages for the user go (standard error).</param>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args is ["analyze", ..])
        {
            ReaderWarmUp.Start();
        }

        var console = new CliConsole(output, error);
        if (args.Count > 0 && args[0] == "kernel")
        {
            return KernelCommands.Run([.. args.Skip(1)], console);
        }

        var root = new RootCommand("gistnb: reproducible survival analysis — analyse data as R's survival package does, check and reconstruct published claims, run the notebooks that reproduce them.\n\n"
            + "Exit codes: 0 done (every claim and cell passed); 1 a claim, check or cell failed, or the claims cannot hold together; "
            + "2 a mistake in the input or the command line (one line on standard error names it); 3 the claims could not be decided within the work budget; "
            + "70 a failure of the kit itself (please report it).");

        // A command line that starts with a command's name needs only that command (building all of them costs more
        // than reading a small file); the help, the version and a mistyped name get every command.
        foreach (var create in CommandTable.ToBuild(Commands, args.Count > 0 ? args[0] : null))
        {
            root.Subcommands.Add(create(console, args));
        }

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
