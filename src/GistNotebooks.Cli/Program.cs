using System.Globalization;
using System.Text;
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

// The console's own writer hands the system at most 256 characters a write (12,000 writes for a 3 MB table); this
// one takes each write whole. It still flushes after every write, so lines appear as they are written.
var encoding = Console.OutputEncoding.CodePage == Encoding.UTF8.CodePage ? new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) : Console.OutputEncoding;
Console.SetOut(new StreamWriter(Console.OpenStandardOutput(), encoding, 1 << 16) { AutoFlush = true });
return CliApp.Run(args, Console.Out, Console.Error);
