using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using NetMQ;
using NetMQ.Sockets;

namespace GistNotebooks.Notebooks.Kernel.Jupyter;

/// <summary>
/// Serves the kit's kernel (<see cref="KitKernel"/>, the one the runner and the stdio host use) over the Jupyter
/// messaging protocol 5.3, so JupyterLab, Jupyter Notebook, nbclient, nbconvert and papermill run the kit's notebooks.
/// </summary>
/// <remarks>
/// <para>Five ZeroMQ sockets, each owned by one thread: shell (ROUTER; requests are handled one at a time, in order),
/// control (ROUTER; interrupt and shutdown are handled while a cell runs), stdin (ROUTER; bound, no input requests are
/// made), iopub (PUB; every output and status goes through one queue, so they leave in the order they were made) and
/// heartbeat (REP; echoes).</para>
/// <para>Every message is signed with HMAC-SHA256 under the connection key; a message without a valid signature is
/// dropped unanswered. A displayed Plotly.NET chart is sent as <c>application/vnd.plotly.v1+json</c> beside its HTML
/// and a plain-text line; other values as the kernel formats them (HTML and plain text).</para>
/// <para>Interrupt sends the kernel's <see cref="Cancel"/>: the running cell ends with an error and the next request is
/// served. Code that never yields keeps its thread until the kernel is restarted, since .NET cannot abort a thread.
/// The process ends after <c>shutdown_request</c>, and when the client process that started it (<c>JPY_PARENT_PID</c>)
/// is gone.</para>
/// </remarks>
public static class JupyterKernelHost
{
    /// <summary>Runs the kernel until a shutdown request arrives or its client process ends.</summary>
    /// <param name="connectionFile">The connection file written by the Jupyter client.</param>
    /// <param name="diagnostics">Where the kernel logs what it dropped or failed to do (standard error).</param>
    /// <param name="cancellationToken">Stops the kernel as a shutdown request would.</param>
    /// <returns>0 after shutdown.</returns>
    /// <exception cref="Documents.NotebookException">The connection file is missing or invalid (<see cref="JupyterConnection.Load"/>).</exception>
    public static async Task<int> RunAsync(string connectionFile, TextWriter diagnostics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var connection = JupyterConnection.Load(connectionFile);
        using var kernel = KitKernel.Create();

        // Cells call Interruption.ThrowIfRequested from their loops (see Interruption).
        ((Microsoft.DotNet.Interactive.CSharp.CSharpKernel)kernel.FindKernelByName(KitKernel.CSharpName)!).AddAssemblyReferences([typeof(Interruption).Assembly.Location]);
        using var session = new JupyterSession(connection, kernel, diagnostics);
        using var registration = cancellationToken.Register(session.Stop);
        await session.RunAsync().ConfigureAwait(false);
        return 0;
    }
}

/// <summary>The sockets and the state of one kernel process: the session id, the execution count, the running cell.</summary>
internal sealed partial class JupyterSession : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private readonly JupyterConnection connection;
    private readonly CompositeKernel kernel;
    private readonly TextWriter diagnostics;
    private readonly MessageSigner signer;
    private readonly string session = Guid.NewGuid().ToString("N");
    private readonly BlockingCollection<JupyterMessage> iopubQueue = [];
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stopping = new();
    private readonly HashSet<string> shownDisplayIds = new(StringComparer.Ordinal);
    private int executionCount;
    private volatile bool interrupted;

    public JupyterSession(JupyterConnection connection, CompositeKernel kernel, TextWriter diagnostics)
    {
        this.connection = connection;
        this.kernel = kernel;
        this.diagnostics = TextWriter.Synchronized(diagnostics);
        signer = new MessageSigner(connection.Key);
    }

    public void Stop()
    {
        stopped.TrySetResult();
    }

    public async Task RunAsync()
    {
        // A front end may still send SIGINT (interrupt_mode "signal"); the kernel treats it as an interrupt instead of dying.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            Interrupt();
        });

        var threads = new[]
        {
            Start("iopub", ServeIOPub),
            Start("heartbeat", ServeHeartbeat),
            Start("shell", () => ServeRequests(connection.ShellPort, "shell")),
            Start("control", () => ServeRequests(connection.ControlPort, "control")),
            Start("stdin", ServeStdin),
        };
        WatchParent();
        Publish("status", new JsonObject { ["execution_state"] = "starting" }, null);

        await stopped.Task.ConfigureAwait(false);
        await stopping.CancelAsync().ConfigureAwait(false);
        iopubQueue.CompleteAdding();
        foreach (var thread in threads)
        {
            thread.Join(TimeSpan.FromSeconds(5));
        }
    }

    public void Dispose()
    {
        stopping.Dispose();
        iopubQueue.Dispose();
        NetMQConfig.Cleanup(block: false);
    }

    private static Thread Start(string name, Action serve)
    {
        var thread = new Thread(() => serve()) { IsBackground = true, Name = "jupyter-" + name };
        thread.Start();
        return thread;
    }

    /// <summary>Ends the kernel when the client that started it has gone, so no kernel outlives its front end.</summary>
    private void WatchParent()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("JPY_PARENT_PID"), out var parentId) || parentId <= 1)
        {
            return;
        }

        Process parent;
        try
        {
            parent = Process.GetProcessById(parentId);
        }
        catch (ArgumentException)
        {
            Stop();
            return;
        }

        _ = Task.Run(async () =>
        {
            using (parent)
            {
                try
                {
                    await parent.WaitForExitAsync(stopping.Token).ConfigureAwait(false);
                    diagnostics.WriteLine("gistnb: the Jupyter client that started this kernel has exited; shutting down.");
                    Stop();
                }
                catch (OperationCanceledException)
                {
                    // The kernel stopped first.
                }
            }
        });
    }

    private void ServeIOPub()
    {
        using var socket = new PublisherSocket();
        socket.Options.Linger = TimeSpan.FromSeconds(1);
        socket.Bind(connection.Endpoint(connection.IOPubPort));
        foreach (var message in iopubQueue.GetConsumingEnumerable())
        {
            socket.SendMultipartBytes(message.ToFrames(signer));
        }
    }

    private void ServeHeartbeat()
    {
        using var socket = new ResponseSocket();
        socket.Options.Linger = TimeSpan.Zero;
        socket.Bind(connection.Endpoint(connection.HeartbeatPort));
        while (!stopping.IsCancellationRequested)
        {
            var frames = new List<byte[]>();
            if (socket.TryReceiveMultipartBytes(Poll, ref frames))
            {
                socket.SendMultipartBytes(frames);
            }
        }
    }

    private void ServeStdin()
    {
        using var socket = new RouterSocket();
        socket.Options.Linger = TimeSpan.Zero;
        socket.Bind(connection.Endpoint(connection.StdinPort));
        while (!stopping.IsCancellationRequested)
        {
            var frames = new List<byte[]>();
            if (socket.TryReceiveMultipartBytes(Poll, ref frames))
            {
                diagnostics.WriteLine("gistnb: ignored a message on the stdin channel (the kernel makes no input requests).");
            }
        }
    }

    private void ServeRequests(int port, string channel)
    {
        using var socket = new RouterSocket();
        socket.Options.Linger = TimeSpan.FromSeconds(1);
        socket.Bind(connection.Endpoint(port));
        while (!stopping.IsCancellationRequested)
        {
            var frames = new List<byte[]>();
            if (!socket.TryReceiveMultipartBytes(Poll, ref frames))
            {
                continue;
            }

            var request = JupyterMessage.Parse(frames, signer);
            if (request is null)
            {
                diagnostics.WriteLine($"gistnb: dropped a {channel} message without a valid signature.");
                continue;
            }

            Publish("status", new JsonObject { ["execution_state"] = "busy" }, request);
            try
            {
                foreach (var reply in Handle(request, channel))
                {
                    socket.SendMultipartBytes(reply.ToFrames(signer));
                }
            }
#pragma warning disable CA1031 // a request that fails must not take the kernel down; the client is told in the log
            catch (Exception e)
#pragma warning restore CA1031
            {
                diagnostics.WriteLine($"gistnb: {request.MessageType} failed: {e}");
            }

            Publish("status", new JsonObject { ["execution_state"] = "idle" }, request);
        }
    }

    private IEnumerable<JupyterMessage> Handle(JupyterMessage request, string channel)
    {
        switch (request.MessageType)
        {
            case "kernel_info_request":
                yield return Reply(request, "kernel_info_reply", KernelInfo());
                break;
            case "execute_request" when channel == "shell":
                yield return Reply(request, "execute_reply", Execute(request));
                break;
            case "is_complete_request":
                var complete = CodeText.IsCompleteSubmission(Text(request.Content, "code"));
                yield return Reply(request, "is_complete_reply", complete
                    ? new JsonObject { ["status"] = "complete" }
                    : new JsonObject { ["status"] = "incomplete", ["indent"] = "    " });
                break;
            case "complete_request":
                yield return Reply(request, "complete_reply", Complete(request));
                break;
            case "inspect_request":
                yield return Reply(request, "inspect_reply", Inspect(request));
                break;
            case "history_request":
                yield return Reply(request, "history_reply", new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() });
                break;
            case "comm_info_request":
                yield return Reply(request, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() });
                break;
            case "interrupt_request":
                Interrupt();
                yield return Reply(request, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                break;
            case "shutdown_request":
                var restart = request.Content["restart"]?.GetValue<bool>() ?? false;
                var content = new JsonObject { ["status"] = "ok", ["restart"] = restart };
                Publish("shutdown_reply", content.DeepClone().AsObject(), request);
                yield return Reply(request, "shutdown_reply", content);
                Stop();
                break;
            default:
                diagnostics.WriteLine($"gistnb: no handler for {request.MessageType} on {channel}.");
                break;
        }
    }

    private void Interrupt()
    {
        interrupted = true;
        Interruption.Request();
        _ = kernel.SendAsync(new Cancel());
    }

    private JsonObject Execute(JupyterMessage request)
    {
        var code = Text(request.Content, "code");
        var silent = request.Content["silent"]?.GetValue<bool>() ?? false;
        var storeHistory = !silent && (request.Content["store_history"]?.GetValue<bool>() ?? true);
        if (storeHistory)
        {
            executionCount++;
        }

        var count = executionCount;
        if (!silent)
        {
            Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, request);
        }

        interrupted = false;
        Interruption.Reset();
        var command = new SubmitCode(Interruption.Instrument(code));
        using (kernel.KernelEvents.Subscribe(e =>
        {
            if (!silent)
            {
                // Events come from several threads (console capture, the scheduler); one at a time keeps outputs in order.
                lock (shownDisplayIds)
                {
                    PublishOutput(e, request, count);
                }
            }
        }))
        {
            var result = kernel.SendAsync(command).GetAwaiter().GetResult();
            var failed = result.Events.OfType<CommandFailed>().FirstOrDefault();
            if (failed is null)
            {
                return new JsonObject { ["status"] = "ok", ["execution_count"] = count, ["user_expressions"] = new JsonObject(), ["payload"] = new JsonArray() };
            }

            var (name, value) = interrupted
                ? ("Interrupted", "the cell was interrupted.")
                : failed.Exception is { } ex and not CodeSubmissionCompilationErrorException
                    ? (ex.GetType().Name, ex.Message)
                    : (failed.Exception?.GetType().Name ?? "CompilationError", failed.Message);
            var traceback = new JsonArray([.. failed.Message.Split('\n').Select(line => (JsonNode)line.TrimEnd('\r'))]);
            var error = new JsonObject { ["ename"] = name, ["evalue"] = value, ["traceback"] = traceback };
            if (!silent)
            {
                Publish("error", error.DeepClone().AsObject(), request);
            }

            error["status"] = "error";
            error["execution_count"] = count;
            return error;
        }
    }

    private void PublishOutput(KernelEvent kernelEvent, JupyterMessage request, int count)
    {
        switch (kernelEvent)
        {
            case StandardOutputValueProduced s:
                Publish("stream", new JsonObject { ["name"] = "stdout", ["text"] = PlainText(s.FormattedValues) }, request);
                break;
            case StandardErrorValueProduced s:
                Publish("stream", new JsonObject { ["name"] = "stderr", ["text"] = PlainText(s.FormattedValues) }, request);
                break;
            case ReturnValueProduced r when r.FormattedValues.Any(v => !v.SuppressDisplay):
                Publish("execute_result", new JsonObject { ["execution_count"] = count, ["data"] = MimeBundle.From(r.FormattedValues, r.Value), ["metadata"] = new JsonObject() }, request);
                break;
            case DisplayedValueUpdated u when u.ValueId is { } id && shownDisplayIds.Contains(id):
                Publish("update_display_data", Display(u, id), request);
                break;
            case DisplayEvent d and (DisplayedValueProduced or DisplayedValueUpdated):
                if (d.ValueId is { } shown)
                {
                    shownDisplayIds.Add(shown);
                }

                Publish("display_data", Display(d, d.ValueId), request);
                break;
        }
    }

    private static JsonObject Display(DisplayEvent display, string? displayId)
    {
        var content = new JsonObject { ["data"] = MimeBundle.From(display.FormattedValues, display.Value), ["metadata"] = new JsonObject() };
        content["transient"] = displayId is null ? new JsonObject() : new JsonObject { ["display_id"] = displayId };
        return content;
    }

    private JsonObject Complete(JupyterMessage request)
    {
        var code = Text(request.Content, "code");
        var cursor = request.Content["cursor_pos"]?.GetValue<int>() ?? code.Length;
        var result = kernel.SendAsync(new RequestCompletions(code, CodeText.ToLinePosition(code, cursor))).GetAwaiter().GetResult();
        var produced = result.Events.OfType<CompletionsProduced>().FirstOrDefault();
        var items = produced?.Completions ?? [];
        var (start, end) = produced?.LinePositionSpan is { } span
            ? (CodeText.ToCodePoints(code, span.Start.Line, span.Start.Character), CodeText.ToCodePoints(code, span.End.Line, span.End.Character))
            : (WordStart(code, cursor), cursor);
        var texts = items.Select(i => SnippetPlaceholder().Replace(i.InsertText ?? i.DisplayText, string.Empty)).ToList();
        var matches = new JsonArray([.. texts.Select(t => (JsonNode)t)]);
        var types = new JsonArray([.. items.Select((i, n) => (JsonNode)new JsonObject { ["start"] = start, ["end"] = end, ["text"] = texts[n], ["type"] = i.Kind?.ToLowerInvariant() })]);
        return new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = matches,
            ["cursor_start"] = start,
            ["cursor_end"] = end,
            ["metadata"] = new JsonObject { ["_jupyter_types_experimental"] = types },
        };
    }

    private JsonObject Inspect(JupyterMessage request)
    {
        var code = Text(request.Content, "code");
        var cursor = request.Content["cursor_pos"]?.GetValue<int>() ?? code.Length;
        var result = kernel.SendAsync(new RequestHoverText(code, CodeText.ToLinePosition(code, cursor))).GetAwaiter().GetResult();
        var hover = result.Events.OfType<HoverTextProduced>().FirstOrDefault();
        var data = new JsonObject();
        foreach (var value in hover?.Content ?? [])
        {
            data[value.MimeType] = value.Value;
        }

        if (data.Count > 0 && !data.ContainsKey("text/plain"))
        {
            data["text/plain"] = data.First().Value?.GetValue<string>();
        }

        return new JsonObject { ["status"] = "ok", ["found"] = data.Count > 0, ["data"] = data, ["metadata"] = new JsonObject() };
    }

    private static int WordStart(string code, int cursorCodePoints)
    {
        var position = CodeText.ToLinePosition(code, cursorCodePoints);
        var lines = code.Split('\n');
        var line = position.Line < lines.Length ? lines[position.Line] : string.Empty;
        var column = Math.Min(position.Character, line.Length);
        while (column > 0 && (char.IsLetterOrDigit(line[column - 1]) || line[column - 1] == '_'))
        {
            column--;
        }

        return CodeText.ToCodePoints(code, position.Line, column);
    }

    private static JsonObject KernelInfo() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = JupyterMessage.ProtocolVersion,
        ["implementation"] = "gistnb",
        ["implementation_version"] = typeof(JupyterKernelHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0",
        ["language_info"] = new JsonObject
        {
            ["name"] = "C#",
            ["version"] = "14.0",
            ["mimetype"] = "text/x-csharp",
            ["file_extension"] = ".cs",
            ["pygments_lexer"] = "csharp",
            ["codemirror_mode"] = "text/x-csharp",
        },
        ["banner"] = ".NET (C#) — GistNotebooks: the kit's kernel (C#, HTML and value cells; Plotly.NET 6 charts)",
        ["help_links"] = new JsonArray(),
        ["debugger"] = false,
    };

    private JupyterMessage Reply(JupyterMessage request, string messageType, JsonObject content) =>
        JupyterMessage.Create(messageType, content, request, session);

    private void Publish(string messageType, JsonObject content, JupyterMessage? parent)
    {
        var topic = System.Text.Encoding.UTF8.GetBytes($"kernel.{session}.{messageType}");
        var message = JupyterMessage.Create(messageType, content, parent, session, [topic]);
        try
        {
            iopubQueue.Add(message);
        }
        catch (InvalidOperationException)
        {
            // The kernel is shutting down; nothing listens any more.
        }
    }

    /// <summary>Completions come as editor snippets (<c>WriteLine($1)</c>); Jupyter inserts plain text.</summary>
    [GeneratedRegex(@"\$\{\d+(:[^}]*)?\}|\$\d+")]
    private static partial Regex SnippetPlaceholder();

    private static string Text(JsonObject content, string name) => content[name]?.GetValue<string>() ?? string.Empty;

    private static string PlainText(IReadOnlyCollection<FormattedValue> values) =>
        values.FirstOrDefault(v => v.MimeType == "text/plain")?.Value ?? values.FirstOrDefault()?.Value ?? string.Empty;
}
