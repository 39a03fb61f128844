using System.CommandLine;
using GistNotebooks.Cli.Infrastructure;
using GistNotebooks.Reporting.Charts;
using GistNotebooks.Reporting.Files;

namespace GistNotebooks.Cli.Commands;

/// <summary>
/// <c>--plot FILE</c> of the commands that draw a chart (km, cox, cif): the format follows the file's extension, .svg,
/// .png or .pdf drawn through a system Chromium (headless, offline) or .html with plotly.js written in. The extension is
/// checked before any work; a missing Chromium is an input error naming where it was looked for.
/// </summary>
internal sealed class PlotOption
{
    /// <summary>Creates the option; <paramref name="drawing"/> says what is drawn, e.g. "the curves".</summary>
    public PlotOption(string drawing) => Option = new Option<string?>("--plot")
    {
        Description = $"Also draw {drawing} to this file: .svg, .png or .pdf through a system Chromium (headless, offline; {ChromiumLocator.EnvironmentVariable} names it), or .html.",
    };

    public Option<string?> Option { get; }

    /// <summary>
    /// The file asked for, or null; an extension that names no chart format is a usage error, and so is a file that is
    /// the data file itself (the drawing would replace its source).
    /// </summary>
    public string? Path(ParseResult parse, string dataFile)
    {
        var path = parse.GetValue(Option);
        if (path is not null)
        {
            try
            {
                _ = ChartExport.FormatOf(path);
            }
            catch (ArgumentException e)
            {
                throw new CliUsageException("--plot: " + e.Message.Split(" (Parameter", 2)[0], e);
            }

            SourceGuard.EnsureNoSourceIsWritten([path], [dataFile], "--plot");
        }

        return path;
    }
}
