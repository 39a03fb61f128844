using GistNotebooks.Cli;
using GistNotebooks.Notebooks.Execution;

// `gistnb run` and `gistnb reproduce` start gistnb again with this one argument to run the notebooks apart from themselves.
if (args is [NotebookWorker.Argument])
{
    return await NotebookWorker.ServeAsync(Console.OpenStandardInput(), Console.OpenStandardOutput()).ConfigureAwait(false);
}

return CliApp.Run(args, Console.Out, Console.Error);
