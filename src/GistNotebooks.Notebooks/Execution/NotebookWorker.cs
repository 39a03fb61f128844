using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace GistNotebooks.Notebooks.Execution;

/// <summary>
/// The child side of an isolated run: a process that reads notebooks from its standard input (or, as a warm worker,
/// from the runs that connect to its socket), runs each one with <see cref="NotebookRunner"/>, and reports every cell,
/// so that a cell which ends the process ends only the worker and its parent can name the cell.
/// </summary>
/// <remarks>
/// The worker's standard output carries only the protocol: while it serves, <see cref="Console.Out"/> is pointed at
/// standard error (which the parent reads and keeps the end of, to explain a crash), so that text a cell prints from
/// another thread can neither corrupt the protocol nor reach the parent's own output; <see cref="Console.In"/> is empty.
/// Every thread of the worker formats with the invariant culture, so notebooks print the same numbers for every user.
/// When a cell ends the process, the worker's last message says how: <see cref="Environment.Exit"/> with its code, or
/// an exception nothing caught with its text (a warm worker's run is not its parent and cannot read its exit code).
/// </remarks>
public static class NotebookWorker
{
    /// <summary>The argument by which a program is asked to serve as a notebook worker.</summary>
    public const string Argument = "__notebook-worker";

    /// <summary>
    /// The argument after <see cref="Argument"/> that makes the worker a warm one: it listens on the socket named next
    /// and stays for the number of idle seconds named after that.
    /// </summary>
    public const string ListenArgument = "--listen";

    private static readonly Lazy<bool> Prepared = new(Prepare, LazyThreadSafetyMode.ExecutionAndPublication);
    private static volatile Action<WorkerMessage>? current;

    /// <summary>Serves notebooks until <paramref name="input"/> ends; returns the process exit code (0).</summary>
    /// <param name="input">The parent's requests, one JSON line per notebook (the process's standard input).</param>
    /// <param name="output">The answers (the process's standard output, opened before anything else writes to it).</param>
    public static async Task<int> ServeAsync(Stream input, Stream output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        _ = Prepared.Value;
        using var requests = new StreamReader(input, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        using var answers = Writer(output);
        await ServeConnectionAsync(requests, answers, warm: false).ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// Serves as a warm worker: listens on a Unix socket and serves one run at a time, each with a fresh kernel per
    /// notebook as before, until no run has come for <paramref name="idle"/>; then removes its socket and ends.
    /// </summary>
    /// <param name="socketPath">The socket to listen on; its log is the same path ending in <c>.log</c>.</param>
    /// <param name="idle">How long to wait for the next run.</param>
    /// <remarks>
    /// A worker that has loaded an assembly from outside the kit, the runtime and the NuGet package folder (a cell's
    /// <c>#r</c> of a local dll, which may be rebuilt before the next run while the loaded copy cannot be replaced) ends
    /// after that run instead of waiting. A run that goes away in the middle of a notebook ends the worker too.
    /// </remarks>
    public static async Task<int> ListenAsync(string socketPath, TimeSpan idle)
    {
        ArgumentNullException.ThrowIfNull(socketPath);
        using var log = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()
            ? DetachedProcess.Detach(Path.ChangeExtension(socketPath, ".log"))
            : null;
        _ = Prepared.Value;

        // Not the first run's folder, which may be deleted or unmounted while the worker waits; each notebook sets its own.
        Directory.SetCurrentDirectory(Path.GetPathRoot(AppContext.BaseDirectory) ?? "/");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(4);
        var inheritedEnvironment = Environment.GetEnvironmentVariables();
        while (true)
        {
            Socket client;
            using (var waiting = new CancellationTokenSource(idle))
            {
                try
                {
                    client = await listener.AcceptAsync(waiting.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            using (client)
            using (var stream = new NetworkStream(client, ownsSocket: false))
            using (var requests = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            using (var answers = Writer(stream))
            {
                try
                {
                    // A run greets at once; one that connects and says nothing does not hold the worker.
                    using var greeting = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    if (await requests.ReadLineAsync(greeting.Token).ConfigureAwait(false) is not { Length: > 0 } line
                        || JsonSerializer.Deserialize(line, WorkerJson.Default.WorkerHello) is not { } hello)
                    {
                        continue;
                    }

                    if (hello.Stop)
                    {
                        break;
                    }

                    TakeOn(hello.Environment, inheritedEnvironment);
                    ApplyProcessSettings();
                    await answers.WriteLineAsync(JsonSerializer.Serialize(new WorkerWelcome(Environment.ProcessId), WorkerJson.Default.WorkerWelcome)).ConfigureAwait(false);
                    await answers.FlushAsync().ConfigureAwait(false);
                    await ServeConnectionAsync(requests, answers, warm: true).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or SocketException or JsonException or OperationCanceledException)
                {
                    // A run that went away between notebooks leaves nothing to finish; the next run finds the worker.
                }
            }

            if (LoadedFromElsewhere() is { } assembly)
            {
                Console.Error.WriteLine($"gistnb worker: a notebook loaded {assembly}, which a later build may replace; ending instead of waiting for the next run.");
                break;
            }

            // Between runs the worker keeps its compiled code, not the notebooks' data.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }

        // The socket goes before the listener closes, so a run that finds no socket starts a new worker, and one that
        // connected in between sees the connection end and does the same. The path is this worker's alone: a worker
        // started on the same slot later listens on another. Its log goes too: nothing went wrong.
        File.Delete(socketPath);
        File.Delete(Path.ChangeExtension(socketPath, ".log"));
        return 0;
    }

    private static StreamWriter Writer(Stream output) =>
        new(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = false, NewLine = "\n" };

    private static bool Prepare()
    {
        RunnerWarmUp.StartCompiler();
        ApplyProcessSettings();

        // A cell that ends the process: the run hears how before the connection closes.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => current?.Invoke(new WorkerMessage(WorkerProtocol.ProcessExiting, ExitCode: Environment.ExitCode));
        AppDomain.CurrentDomain.UnhandledException += (_, e) => current?.Invoke(new WorkerMessage(WorkerProtocol.ProcessCrashing, Text: e.ExceptionObject.ToString()));
        return true;
    }

    /// <summary>
    /// What every run starts from, set again for each run a warm worker serves (a notebook of the last run may have
    /// changed it): the invariant culture, so notebooks print the same numbers under any user's culture ("63.7%", never
    /// "63,7%"); standard output on standard error; no standard input; the local time zone as the run's variables say.
    /// </summary>
    private static void ApplyProcessSettings()
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        Console.SetOut(Console.Error);
        Console.SetIn(TextReader.Null);
        TimeZoneInfo.ClearCachedData();
    }

    private static async Task ServeConnectionAsync(StreamReader requests, StreamWriter answers, bool warm)
    {
        var gate = new Lock();
        var runGone = false;
        void Send(WorkerMessage message)
        {
            lock (gate)
            {
                if (runGone)
                {
                    return;
                }

                try
                {
                    answers.WriteLine(JsonSerializer.Serialize(message, WorkerJson.Default.WorkerMessage));
                    answers.Flush();
                }
                catch (IOException) when (warm)
                {
                    runGone = true;
                }
            }

            // The run that sent this notebook is gone, in the middle of it: nobody will read the rest, and what the
            // notebook has done to this process is unknown, so the worker ends rather than waiting for the next run.
            if (runGone && message.Kind is not (WorkerProtocol.ProcessExiting or WorkerProtocol.ProcessCrashing))
            {
                current = null;
                Environment.Exit(1);
            }
        }

        // The requests are read as they come, also while a notebook runs: a run sends its next notebook only after the
        // last one's end, so what arrives meanwhile can only be the end of the connection. A warm worker whose run went
        // away (killed, or ended by Ctrl+C) in the middle of a notebook ends at once rather than run it on unheard and
        // unlimited; a one-run worker is ended by its parent.
        var busy = false;
        var lines = System.Threading.Channels.Channel.CreateUnbounded<string>(new() { SingleReader = true, SingleWriter = true });
        _ = Task.Run(async () =>
        {
            try
            {
                while (await requests.ReadLineAsync().ConfigureAwait(false) is { } received)
                {
                    await lines.Writer.WriteAsync(received).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
            {
                // The connection broke: the same as its end.
            }

            if (warm && Volatile.Read(ref busy))
            {
                current = null;
                Environment.Exit(1);
            }

            lines.Writer.TryComplete();
        });

        current = Send;
        try
        {
            while (await lines.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                if (!lines.Reader.TryRead(out var line) || line.Length == 0)
                {
                    continue;
                }

                Volatile.Write(ref busy, true);

                var request = JsonSerializer.Deserialize(line, WorkerJson.Default.WorkerRequest)
                    ?? throw new InvalidDataException("the notebook worker was sent an empty request.");
                var document = WorkerProtocol.Document(request);
                var progress = new ImmediateProgress<CellProgress>(c => Send(new WorkerMessage(WorkerProtocol.CellStarted, Cell: c.CellNumber)));
                var run = await NotebookRunner.RunAsync(
                    document,
                    NotebookRunOptions.Default,
                    progress,
                    cell => Send(new WorkerMessage(WorkerProtocol.CellExecuted, Executed: WorkerProtocol.Executed(cell))),
                    cell => Send(new WorkerMessage(WorkerProtocol.CellOutputSoFar, Executed: WorkerProtocol.Executed(cell))),
                    CancellationToken.None).ConfigureAwait(false);
                // Not busy before the run hears the end: it may close the connection as soon as it has.
                Volatile.Write(ref busy, false);
                Send(new WorkerMessage(WorkerProtocol.NotebookDone, Run: WorkerProtocol.Run(run)));
            }
        }
        finally
        {
            current = null;
        }
    }

    /// <summary>Takes on a run's environment: its variables set, those it does not have removed (the worker's own start-up ones kept).</summary>
    private static void TakeOn(Dictionary<string, string> environment, System.Collections.IDictionary inherited)
    {
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (!environment.ContainsKey(name) && !IsRuntimeSetting(name))
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }

        foreach (var (name, value) in environment)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        foreach (var name in inherited.Keys.Cast<string>().Where(IsRuntimeSetting))
        {
            Environment.SetEnvironmentVariable(name, (string?)inherited[name]);
        }
    }

    /// <summary>Variables the runtime read when this process started; a run's differ only where the worker's key says they match.</summary>
    internal static bool IsRuntimeSetting(string name) =>
        name.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("COMPlus_", StringComparison.OrdinalIgnoreCase);

    /// <summary>The first loaded assembly that came from outside the kit, the runtime and the NuGet package folder, if any.</summary>
    private static string? LoadedFromElsewhere()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string[] roots =
        [
            AppContext.BaseDirectory,
            Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..")),
            Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages ? packages : Path.Combine(home, ".nuget", "packages"),
        ];
        return AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && a.Location.Length > 0)
            .Select(a => a.Location)
            .FirstOrDefault(location => !roots.Any(root => location.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal)));
    }

    private sealed class ImmediateProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
