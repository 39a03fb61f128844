using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using GistNotebooks.Notebooks.Documents;

namespace GistNotebooks.Notebooks.Execution;

/// <summary>A run's line to one notebook worker: requests go out one line each, answers come back one line each.</summary>
internal abstract class WorkerLink : IDisposable
{
    private const int LastWordsLength = 4096;
    private readonly Channel<string> answers = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    /// <summary>The worker's answers; completed when it closes its end.</summary>
    public ChannelReader<string> Answers => answers.Reader;

    /// <summary>Whether the worker may still take a notebook.</summary>
    public abstract bool IsAlive { get; }

    /// <summary>Sends one request line; a worker that has gone is reported by <see cref="Answers"/> ending.</summary>
    public abstract Task SendAsync(string line, CancellationToken cancellationToken);

    /// <summary>After <see cref="Answers"/> ended: how the worker ended, given its last message if it sent one.</summary>
    public abstract Task<string> ExitDescriptionAsync(WorkerMessage? lastWord);

    /// <summary>Ends the worker now, whatever it is doing.</summary>
    public abstract void Kill();

    /// <summary>Lets the worker go after a run that went well.</summary>
    public abstract void Dispose();

    /// <summary>Copies the worker's answer lines into <see cref="Answers"/> until its end closes.</summary>
    protected void PumpAnswers(TextReader reader) => _ = Task.Run(async () =>
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                await answers.Writer.WriteAsync(line).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // The worker was killed; the end of its answers is what the reader needs to know.
        }
        finally
        {
            answers.Writer.TryComplete();
        }
    });

    /// <summary>Keeps the last few kilobytes of a text, for the message that explains a crash.</summary>
    protected static void KeepEnd(StringBuilder kept, ReadOnlySpan<char> text)
    {
        lock (kept)
        {
            kept.Append(text);
            if (kept.Length > 2 * LastWordsLength)
            {
                kept.Remove(0, kept.Length - LastWordsLength);
            }
        }
    }
}

/// <summary>A worker started for this run alone, as a child process talking over its standard input and output.</summary>
internal sealed class ChildWorker : WorkerLink
{
    private readonly Process process;
    private readonly Task errorPump;
    private readonly StringBuilder lastWords = new();

    private ChildWorker(Process process)
    {
        this.process = process;
        process.StandardInput.NewLine = "\n";
        PumpAnswers(process.StandardOutput);
        var error = process.StandardError;
        errorPump = Task.Run(() => KeepLastWordsAsync(error));
    }

    public override bool IsAlive => !process.HasExited;

    /// <summary>Starts the child.</summary>
    /// <exception cref="NotebookException">It could not be started.</exception>
    public static ChildWorker Start(NotebookWorkerCommand command)
    {
        var start = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardErrorEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        };
        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        DeferTiering(start);
        try
        {
            return new ChildWorker(Process.Start(start) ?? throw new NotebookException($"{command.FileName}: the notebook worker process could not be started."));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new NotebookException($"{command.FileName}: the notebook worker process could not be started ({e.Message}).", e);
        }
    }

    /// <summary>
    /// A worker spends its first seconds compiling (the runtime compiling Roslyn, Roslyn compiling cells), and the
    /// runtime's default of re-compiling hot methods optimised after 100 ms without new methods then keeps the second
    /// core busy with methods soon left behind. One second defers that until compiling quietens; code that runs long
    /// (a simulation, a large fit) is still optimised after it. Measured on two workers, a warm reproduction's
    /// processor time fell by about a sixth (28–33 s to 24–28 s). The value is hexadecimal, as the runtime reads it;
    /// a value the user set is kept.
    /// </summary>
    internal static void DeferTiering(ProcessStartInfo start) => start.Environment.TryAdd("DOTNET_TC_CallCountingDelayMs", "3E8");

    public override async Task SendAsync(string line, CancellationToken cancellationToken)
    {
        try
        {
            await process.StandardInput.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
            await process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The child ended before it could take the notebook; the answers' end reports how it ended.
        }
    }

    public override async Task<string> ExitDescriptionAsync(WorkerMessage? lastWord)
    {
        int? code = null;
        try
        {
            // A child that closed its output without exiting is stopped; one that exited has its error text read to the end.
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            code = process.ExitCode;
            await errorPump.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Reported with what is known.
        }

        lock (lastWords)
        {
            return WorkerProcess.Describe(code, null, lastWords.ToString());
        }
    }

    public override void Kill()
    {
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit(5000);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // It ended on its own between the check and the kill.
        }

        process.Dispose();
    }

    /// <summary>Closes the child's input, which ends it, and waits a little for it to go.</summary>
    public override void Dispose()
    {
        try
        {
            process.StandardInput.Close();
            process.WaitForExit(2000);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // Kill below ends it either way.
        }

        Kill();
    }

    private async Task KeepLastWordsAsync(StreamReader error)
    {
        var buffer = new char[4096];
        try
        {
            int read;
            while ((read = await error.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                KeepEnd(lastWords, buffer.AsSpan(0, read));
            }
        }
        catch (IOException)
        {
            // The child was killed.
        }
    }
}
