using System.CommandLine;
using GistNotebooks.Notebooks.Documents;
using GistNotebooks.Reporting.Charts;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Cli.Infrastructure;

/// <summary>The writers a command prints to, and the one place where a user's mistake becomes a one-line message.</summary>
internal sealed class CliConsole(TextWriter output, TextWriter error)
{
    /// <summary>Exit code for input the user can fix (a missing file, a bad value).</summary>
    public const int InputError = 2;

    /// <summary>Exit code for a failure of the kit itself.</summary>
    public const int InternalError = 70;

    /// <summary>The widest cell of a claims table in a terminal; the full text is in the JSON and the report.</summary>
    public const int MaximumCellWidth = 48;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>
    /// Whether <see cref="Error"/> is the process's standard error and that is a terminal (not redirected, not a dumb
    /// terminal): progress may then redraw one status line instead of writing a line per cell.
    /// </summary>
    public bool ErrorIsTerminal => ReferenceEquals(Error, Console.Error) && !Console.IsErrorRedirected
        && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);

    /// <summary>Runs a command body; input errors print one line naming file, row and column, never a stack trace.</summary>
    public int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (DataValidationException e)
        {
            // A file with several problems gives one line for each.
            foreach (var line in e.Message.Split(Environment.NewLine))
            {
                Error.WriteLine("gistnb: " + line);
            }

            return InputError;
        }
        catch (NotebookException e)
        {
            Error.WriteLine("gistnb: " + e.Message);
            return InputError;
        }
        catch (CliUsageException e)
        {
            Error.WriteLine("gistnb: " + e.Message);
            return InputError;
        }
        catch (ChartExportException e)
        {
            // No Chromium, or one that fails: the user's machine can be fixed, the kit is not at fault.
            Error.WriteLine("gistnb: " + e.Message);
            return InputError;
        }
#pragma warning disable CA1031 // The last line of defence: a user must see a message, not a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Error.WriteLine($"gistnb: internal error ({e.GetType().Name}): {e.Message}");
            if (Environment.GetEnvironmentVariable("GISTNB_DEBUG") == "1")
            {
                Error.WriteLine(e);
            }
            else
            {
                Error.WriteLine("gistnb: set GISTNB_DEBUG=1 to see the details, and please report it.");
            }

            return InternalError;
        }
    }

    /// <summary>Sets a command's action to a guarded body.</summary>
    public void SetAction(Command command, Func<ParseResult, int> body)
        => command.SetAction(parse => Guard(() => body(parse)));
}

/// <summary>A command line that names something that does not exist or cannot be combined.</summary>
internal sealed class CliUsageException : Exception
{
    public CliUsageException(string message)
        : base(message)
    {
    }

    public CliUsageException()
    {
    }

    public CliUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
