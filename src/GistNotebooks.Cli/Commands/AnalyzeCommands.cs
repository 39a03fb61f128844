using System.CommandLine;
using System.Globalization;
using GistNotebooks.Cli.Infrastructure;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Cli.Commands;

/// <summary><c>gistnb analyze km|logrank|cox|cif</c>: one analysis of a CSV file, as a table or as JSON.</summary>
internal static class AnalyzeCommands
{
    public static Command Create(CliConsole console)
    {
        var analyze = new Command("analyze", "Analyse survival data in a CSV file as R's survival package does.");
        analyze.Subcommands.Add(KaplanMeierCommand.Create(console));
        analyze.Subcommands.Add(LogRankCommand.Create(console));
        analyze.Subcommands.Add(CoxCommand.Create(console));
        analyze.Subcommands.Add(CumulativeIncidenceCommand.Create(console));
        analyze.Subcommands.Add(ParametricCommand.Create(console));
        analyze.Subcommands.Add(FineGrayCommand.Create(console));
        return analyze;
    }
}

/// <summary>Options that every analysis shares.</summary>
internal sealed class CommonOptions
{
    public Option<string> Data { get; } = new("--data") { Description = "The CSV file (comma, semicolon or tab separated, with a header).", Required = true };

    public Option<string> Time { get; } = new("--time") { Description = "The column of follow-up times.", Required = true };

    public Option<string> Format { get; } = new("--format") { Description = "text (a readable table, the default) or json (one JSON object).", DefaultValueFactory = _ => "text" };

    public Option<string?> EventLabels { get; } = new("--event-labels") { Description = "Map event labels: EVENT=CENSORED, e.g. dead=alive (0/1 always work)." };

    public Option<string?> Weights { get; } = new("--weights") { Description = "A column of case weights (zero or more); a weight that is not a whole number switches to R's robust variance." };

    public Option<bool> NoTimeFix { get; } = new("--no-timefix") { Description = "Compare times exactly; by default times that differ only by rounding error are merged, as R's timefix = TRUE." };

    public void AddTo(Command command)
    {
        command.Options.Add(Data);
        command.Options.Add(Time);
        command.Options.Add(Format);
        Format.AcceptOnlyFromAmong("text", "json");
    }

    public bool Json(ParseResult parse) => parse.GetValue(Format) == "json";

    public EventCoding? Coding(ParseResult parse)
    {
        var text = parse.GetValue(EventLabels);
        if (text is null)
        {
            return null;
        }

        var parts = text.Split('=');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw new CliUsageException($"--event-labels expects EVENT=CENSORED (e.g. dead=alive), found '{text}'");
        }

        try
        {
            return EventCoding.FromLabels(parts[0].Split('|'), parts[1].Split('|'));
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException($"--event-labels expects different labels for event and censored, found '{text}'", e);
        }
    }

    /// <summary>
    /// Runs an analysis of the data read from <paramref name="path"/>; an input error that names no file (a model
    /// or test that cannot be computed from these data) is given the file's name, so every message says where to look,
    /// and <paramref name="column"/> when it names no column.
    /// </summary>
    public static T InFile<T>(string path, Func<T> analysis, string? column = null)
    {
        try
        {
            return analysis();
        }
        catch (DataValidationException e) when (e.SourceName != path)
        {
            throw new DataValidationException(path, e.Row, e.Column ?? column, e.Problem);
        }
    }

    /// <summary>Parses a comma-separated list of numbers such as 365,730.</summary>
    public static double[] Numbers(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        return [.. text.Split(',', StringSplitOptions.TrimEntries).Select(part =>
            double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
                ? v
                : throw new CliUsageException($"{option} expects numbers separated by commas, found '{part}'"))];
    }
}
