using System.CommandLine;
using GistNotebooks.Cli.Infrastructure;

namespace GistNotebooks.Cli.Commands;

/// <summary><c>gistnb analyze km|logrank|cox|cif</c>: one analysis of a CSV file, as a table or as JSON.</summary>
internal static class AnalyzeCommands
{
    public static Command Create(CliConsole console)
    {
        _ = console;
        return new Command("analyze", "Analyse survival data in a CSV file as R's survival package does.");
    }
}
