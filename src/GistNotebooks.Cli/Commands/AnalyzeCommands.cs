using System.CommandLine;
using System.Globalization;
using GistNotebooks.Cli.Infrastructure;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Cli.Commands;

/// <summary><c>gistnb analyze km|logrank|cox|cif|survreg|finegray|concordance</c>: one analysis of a CSV file, as a table or as JSON.</summary>
internal static class AnalyzeCommands
{
    /// <summary>The analyses in the order the help lists them.</summary>
    private static readonly (string Name, Func<CliConsole, Command> Create)[] Analyses =
    [
        ("km", KaplanMeierCommand.Create),
        ("logrank", LogRankCommand.Create),
        ("cox", CoxCommand.Create),
        ("cif", CumulativeIncidenceCommand.Create),
        ("survreg", ParametricCommand.Create),
        ("finegray", FineGrayCommand.Create),
        ("concordance", ConcordanceCommand.Create),
    ];

    /// <summary>The <c>analyze</c> command; for <c>analyze NAME ...</c> with only the analysis named (every one otherwise, for the help and for a mistyped name).</summary>
    public static Command Create(CliConsole console, IReadOnlyList<string> args)
    {
        var analyze = new Command("analyze", "Analyse survival data in a CSV file as R's survival package does.");
        foreach (var create in CommandTable.ToBuild(Analyses, args is ["analyze", var name, ..] ? name : null))
        {
            analyze.Subcommands.Add(create(console));
        }

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

    public Option<string?> Encoding { get; } = EncodingOption();

    public Option<string?> Decimal { get; } = new("--decimal") { Description = "How the file writes decimals: comma (a point only groups thousands, 1.234,5) or point (a comma is never a decimal mark). Default: detected; a file that writes decimal commas and also a number with a point is refused as ambiguous." };

    /// <summary>The <c>--encoding</c> option: the text encoding of a CSV file that is not UTF-8.</summary>
    public static Option<string?> EncodingOption() => new("--encoding") { Description = "The file's text encoding when it is not UTF-8, e.g. latin1 or windows-1252 (default: UTF-8, or UTF-16 with a byte-order mark)." };

    public void AddTo(Command command)
    {
        command.Options.Add(Data);
        command.Options.Add(Encoding);
        command.Options.Add(Decimal);
        Decimal.AcceptOnlyFromAmong("comma", "point");
        command.Options.Add(Time);
        command.Options.Add(Format);
        Format.AcceptOnlyFromAmong("text", "json");
    }

    public bool Json(ParseResult parse) => parse.GetValue(Format) == "json";

    /// <summary>How the data file is read: the encoding named by <c>--encoding</c>, or strict UTF-8; decimals as <c>--decimal</c> says, or detected.</summary>
    public CsvReadOptions Csv(ParseResult parse) => ReadOptions(parse.GetValue(Encoding)) with
    {
        DecimalComma = parse.GetValue(Decimal) switch { "comma" => true, "point" => false, _ => null },
    };

    /// <summary>Read options for a file in the named encoding (null: strict UTF-8).</summary>
    public static CsvReadOptions ReadOptions(string? encodingName)
    {
        if (encodingName is null)
        {
            return CsvReadOptions.Default;
        }

        // The code pages beyond Latin-1 (windows-1252 and others) come from the code-pages provider.
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        try
        {
            return CsvReadOptions.Default with { Encoding = System.Text.Encoding.GetEncoding(encodingName) };
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException($"--encoding: '{encodingName}' is not an encoding this machine knows; try utf-8, latin1, windows-1252 or utf-16", e);
        }
    }

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

        var eventLabels = parts[0].Split('|');
        var censoredLabels = parts[1].Split('|');
        if (eventLabels.Any(l => l.Trim() == "0") || censoredLabels.Any(l => l.Trim() == "1"))
        {
            // 1 = event and 0 = censored always hold, so a mapping cannot swap them.
            throw new CliUsageException($"--event-labels cannot give 0 as an event or 1 as censored ('{text}'): 1 is always an event and 0 always censored; recode the column (for example to dead/alive) and map those labels");
        }

        try
        {
            return EventCoding.FromLabels(eventLabels, censoredLabels);
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
