using System.Text;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Connection;
using Microsoft.DotNet.Interactive.Events;

namespace GistNotebooks.Notebooks.Kernel;

/// <summary>Settings of the stdio kernel host.</summary>
/// <param name="ForVSCode">Connect the <c>vscode</c> (input requests) and <c>javascript</c> proxy kernels that VS Code's Polyglot extension serves.</param>
/// <param name="WorkingDirectory">The current directory of the kernel; null keeps the process's.</param>
/// <param name="HostName">The host's name in kernel URIs (<c>kernel://NAME/</c>); null uses <c>pid-N</c>, as the stock host does.</param>
public sealed record StdioHostOptions(bool ForVSCode = false, string? WorkingDirectory = null, string? HostName = null);

/// <summary>
/// Serves the kit's kernel over the .NET Interactive stdio protocol: one JSON envelope per line on standard output,
/// commands read line by line from standard input. This is what VS Code's Polyglot extension launches through its
/// <c>dotnet-interactive.kernelTransportArgs</c> setting.
/// </summary>
/// <remarks>
/// Standard output carries protocol lines only: anything else written to <see cref="Console.Out"/> goes to standard
/// error. The host ends on <c>Quit</c> and also when standard input closes (the stock host spins at full CPU instead).
/// </remarks>
public static class StdioKernelHost
{
    /// <summary>Runs the host until <c>Quit</c> arrives or <paramref name="input"/> ends.</summary>
    /// <param name="options">VS Code proxies, working directory, host name.</param>
    /// <param name="input">Where commands arrive (standard input).</param>
    /// <param name="protocolOutput">Where envelopes go (standard output); nothing else is written to it.</param>
    /// <param name="diagnostics">Where other console output goes (standard error).</param>
    /// <returns>0 after <c>Quit</c> or the end of input.</returns>
    /// <exception cref="Documents.NotebookException">The working directory does not exist.</exception>
    public static async Task<int> RunAsync(StdioHostOptions options, TextReader input, Stream protocolOutput, TextWriter diagnostics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(protocolOutput);
        if (options.WorkingDirectory is { } folder)
        {
            if (!Directory.Exists(folder))
            {
                throw new Documents.NotebookException($"{folder}: working directory not found.");
            }

            Environment.CurrentDirectory = Path.GetFullPath(folder);
        }

        using var stream = new StreamWriter(protocolOutput, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true, NewLine = "\n" };

        // Events are published from several threads (a cell's console capture, the kernel's scheduler); a
        // StreamWriter written by two at once corrupts its buffer and the command never completes.
        using var protocol = TextWriter.Synchronized(stream);
        Console.SetOut(diagnostics);

        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = new EndSignallingReader(input, () => ended.TrySetResult());
        using var kernel = KitKernel.Create();
        kernel.UseQuitCommand(() =>
        {
            ended.TrySetResult();
            return Task.CompletedTask;
        });

        var hostUri = options.HostName is { Length: > 0 } name ? KernelHost.CreateHostUri(name) : KernelHost.CreateHostUriForCurrentProcessId();
        var sender = KernelCommandAndEventSender.FromTextWriter(protocol, KernelHost.CreateHostUri("stdio"));
        using var receiver = KernelCommandAndEventReceiver.FromTextReader(reader);
        using var host = kernel.UseHost(sender, receiver, hostUri);
        if (options.ForVSCode)
        {
            await ConnectVSCodeAsync(kernel, host).ConfigureAwait(false);
        }

        var serving = host.ConnectAndWaitAsync();
        await Task.WhenAny(serving, ended.Task).ConfigureAwait(false);
        return 0;
    }

    /// <summary>VS Code serves a <c>vscode</c> kernel (it answers input requests) and a <c>javascript</c> kernel (the notebook webview).</summary>
    private static async Task ConnectVSCodeAsync(CompositeKernel kernel, KernelHost host)
    {
        await host.ConnectProxyKernelOnDefaultConnectorAsync("vscode", new Uri("kernel://vscode/vscode"), ["frontend"]).ConfigureAwait(false);
        kernel.SetDefaultTargetKernelNameForCommand(typeof(RequestInput), "vscode");
        kernel.SetDefaultTargetKernelNameForCommand(typeof(RequestInputs), "vscode");
        var javascript = await host.ConnectProxyKernelOnDefaultConnectorAsync("javascript", new Uri("kernel://webview/javascript"), ["js"]).ConfigureAwait(false);
        javascript.UseValueSharing();
    }

    /// <summary>Passes lines through and reports the end of input once, so the host can exit when its client goes away.</summary>
    private sealed class EndSignallingReader(TextReader inner, Action onEnd) : TextReader
    {
        public override string? ReadLine() => Signal(inner.ReadLine());

        public override async Task<string?> ReadLineAsync() => Signal(await inner.ReadLineAsync().ConfigureAwait(false));

        public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => Signal(await inner.ReadLineAsync(cancellationToken).ConfigureAwait(false));

        public override int Read() => inner.Read();

        public override int Peek() => inner.Peek();

        private string? Signal(string? line)
        {
            if (line is null)
            {
                onEnd();
            }

            return line;
        }
    }
}
