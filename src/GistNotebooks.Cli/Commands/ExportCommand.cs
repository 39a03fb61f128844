using System.CommandLine;
using GistNotebooks.Cli.Infrastructure;
using GistNotebooks.Notebooks.Export;

namespace GistNotebooks.Cli.Commands;

/// <summary><c>gistnb export</c>: notebooks as .NET 10 file-based apps.</summary>
internal static class ExportCommand
{
    public static Command Create(CliConsole console)
    {
        var notebook = new Argument<string?>("NOTEBOOK") { Description = "A .ipynb or .dib notebook (or --all).", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Export every notebook of --notebooks, in the order of its manifest." };
        var notebooks = new Option<string>("--notebooks") { Description = "The notebooks folder for --all (default notebooks).", DefaultValueFactory = _ => "notebooks" };
        var outOption = new Option<string>("--out") { Description = "The folder for the apps (default artifacts/export); it must be empty or new unless --force.", DefaultValueFactory = _ => Path.Combine("artifacts", "export") };
        var force = new Option<bool>("--force") { Description = "Write into a folder that already holds files, replacing apps of the same name." };
        var command = new Command("export", "Write each notebook as a .NET 10 file-based app named after it (NAME.cs), to run with `dotnet run NAME.cs`: prose as comments, displayed values printed as text tables, charts saved as offline HTML beside the app.")
        {
            notebook, all, notebooks, outOption, force,
        };
        console.SetAction(command, parse =>
        {
            var single = parse.GetValue(notebook);
            if (single is null == !parse.GetValue(all))
            {
                throw new CliUsageException("export expects one NOTEBOOK or --all, not both and not neither");
            }

            IReadOnlyList<string> sources = single is not null ? [single] : FileAppExport.NotebooksOf(parse.GetValue(notebooks)!);
            var outFolder = parse.GetValue(outOption)!;
            var apps = FileAppExport.Export(sources, outFolder, parse.GetValue(force));
            foreach (var app in apps)
            {
                foreach (var note in app.Notes)
                {
                    console.Error.WriteLine($"gistnb: {Path.GetFileName(app.Notebook)}: {note}");
                }

                console.Output.WriteLine("wrote " + Path.GetRelativePath(Environment.CurrentDirectory, app.App));
            }

            console.Output.WriteLine($"run one with: cd {Path.GetRelativePath(Environment.CurrentDirectory, Path.GetFullPath(outFolder))} && dotnet run {Path.GetFileName(apps[0].App)}");
            return 0;
        });
        return command;
    }
}
