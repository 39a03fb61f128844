using System.Globalization;

namespace GistNotebooks.Cli.Tests;

/// <summary>Runs <c>gistnb</c> in-process, as a user would from a shell, and keeps what it printed.</summary>
internal static class Gistnb
{
    /// <summary>Runs one command line; returns the exit code, standard output and standard error.</summary>
    public static (int Exit, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var exit = CliApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
