using System.Globalization;
using GistNotebooks.Cli;
using GistNotebooks.Notebooks.Execution;

// `gistnb run` and `gistnb reproduce` start gistnb again with this argument to run the notebooks apart from themselves:
// alone for one run, or with --listen SOCKET IDLE_SECONDS as a warm worker that later runs find.
if (args is [NotebookWorker.Argument])
{
    return await NotebookWorker.ServeAsync(Console.OpenStandardInput(), Console.OpenStandardOutput()).ConfigureAwait(false);
}

if (args is [NotebookWorker.Argument, NotebookWorker.ListenArgument, var socket, var idle])
{
    return await NotebookWorker.ListenAsync(socket, TimeSpan.FromSeconds(double.Parse(idle, CultureInfo.InvariantCulture))).ConfigureAwait(false);
}

return CliApp.Run(args, Console.Out, Console.Error);
