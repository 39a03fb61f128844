using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GistNotebooks.Notebooks.Documents;

namespace GistNotebooks.Notebooks.Execution;

/// <summary>
/// Notebook workers that outlive the run that started them, as the compiler server outlives a build: a worker spends
/// most of a short notebook compiling itself (the runtime compiling Roslyn and the kernel), so the next run, within the
/// idle time, hands its notebooks to a worker that has done that already. Every notebook still gets a fresh kernel.
/// </summary>
/// <remarks>
/// <para>
/// Workers live in a folder of the temporary directory that only the user can open, one subfolder per build of the kit
/// (a hash of the worker's files, their sizes and times, and the runtime's <c>DOTNET_</c> settings), so a rebuilt kit
/// never meets a worker of the old one. Each worker has a slot: a lock file that the run using it holds (an advisory
/// lock, released by the system when the run ends however it ends), the socket it listens on, and its log, which holds
/// its standard error. A run takes the first free slot, connects to its worker or starts one there, and sends the
/// run's environment variables first, which the worker takes on.
/// </para>
/// <para>
/// <c>GISTNB_KEEP_WORKERS</c> sets the idle time in seconds (default 600); <c>0</c> turns warm workers off, and every
/// run then starts its own children as before. <c>gistnb workers stop</c> ends the idle ones. Warm workers are used on
/// Linux and macOS; elsewhere each run starts its own.
/// </para>
/// </remarks>
public static class WarmWorkers
{
    /// <summary>The environment variable with the idle time in seconds; 0 turns warm workers off.</summary>
    public const string IdleVariable = "GISTNB_KEEP_WORKERS";

    /// <summary>How long a warm worker waits for the next run unless <see cref="IdleVariable"/> says otherwise.</summary>
    public static readonly TimeSpan DefaultIdle = TimeSpan.FromMinutes(10);

    /// <summary>The most warm workers of one build (runs at once beyond that start children of their own).</summary>
    private const int Slots = 12;

    /// <summary>How long another build's folder is left after it last changed, before a run may sweep it.</summary>
    internal static readonly TimeSpan SweepAge = TimeSpan.FromMinutes(1);

    /// <summary>The idle time, or null when warm workers are off (by the variable, or on this system).</summary>
    public static TimeSpan? Idle()
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()))
        {
            return null;
        }

        var text = Environment.GetEnvironmentVariable(IdleVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return DefaultIdle;
        }

        // A value that is not a number of seconds keeps no worker: the safe reading of a setting not understood.
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 7 * 24 * 3600
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    /// <summary>A warm worker for this run, found or started; null when warm workers are off, or none can be had.</summary>
    internal static WorkerLink? TryConnect(NotebookWorkerCommand command)
    {
        if (Idle() is not { } idle || Folder(command) is not { } folder)
        {
            return null;
        }

        for (var slot = 0; slot < Slots; slot++)
        {
            if (TryHold(Path.Combine(folder, $"w{slot}.lock")) is not { } held)
            {
                continue;
            }

            try
            {
                // The slot's address file names the socket of the worker last started there; each worker has its own, so
                // one that ends removes only its own socket.
                var address = Path.Combine(folder, $"w{slot}.address");
                var socket = File.Exists(address) ? File.ReadAllText(address).Trim() : string.Empty;
                var (link, unresponsive) = socket.Length > 0 && Path.GetDirectoryName(socket) == folder
                    ? WarmLink.Connect(socket, held, TimeSpan.FromSeconds(10))
                    : (null, false);
                if (link is not null)
                {
                    return link;
                }

                if (!unresponsive)
                {
                    // What earlier workers of the slot left (the log of one that crashed, read by its run by now) goes.
                    foreach (var stale in Directory.EnumerateFiles(folder, $"w{slot}-*.*"))
                    {
                        File.Delete(stale);
                    }

                    socket = Path.Combine(folder, FormattableString.Invariant($"w{slot}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}.sock"));
                    File.WriteAllText(address, socket);
                    if (Spawn(command, socket, idle, held) is { } started)
                    {
                        return started;
                    }

                    // A worker that ended before it listened would end the same way on every slot: the run starts its own.
                    held.Dispose();
                    return null;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or SocketException or NotebookException)
            {
                // This slot cannot be had; the next may, and a run that gets none starts a worker of its own.
            }

            // A worker that is there but does not answer (busy with a run that has gone, or stuck) keeps its slot.
            held.Dispose();
        }

        return null;
    }

    /// <summary>Ends every idle warm worker of this user, of every build; returns how many ended and how many are busy with a run.</summary>
    public static (int Stopped, int Busy) StopAll()
    {
        var (stopped, busy) = (0, 0);
        if (Root() is not { } root)
        {
            return (0, 0);
        }

        foreach (var lockFile in Directory.EnumerateFiles(root, "w*.lock", SearchOption.AllDirectories))
        {
            using var held = TryHold(lockFile);
            var address = Path.ChangeExtension(lockFile, ".address");
            if (held is null)
            {
                busy++;
            }
            else if (File.Exists(address) && WarmLink.SendStop(File.ReadAllText(address).Trim()))
            {
                stopped++;
            }
        }

        return (stopped, busy);
    }

    /// <summary>The folder of this build's workers, made if missing; null when it cannot be used safely.</summary>
    private static string? Folder(NotebookWorkerCommand command)
    {
        if (OperatingSystem.IsWindows() || Root() is not { } root)
        {
            return null;
        }

        var folder = Path.Combine(root, Key(command));
        try
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            // Fresh, so another build's run does not sweep it before this run holds a slot.
            Directory.SetLastWriteTimeUtc(folder, DateTime.UtcNow);
            Sweep(root, folder, DateTime.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // A socket's path is limited to about a hundred bytes.
        return Encoding.UTF8.GetByteCount(Path.Combine(folder, "w00.sock")) < 100 ? folder : null;
    }

    /// <summary>
    /// Removes the folders of other builds that no worker listens in and no run holds (a build's workers end idle). A
    /// folder made in the last <see cref="SweepAge"/> is left, since the run that made it may not hold a slot yet; and
    /// a folder another run removes or fills meanwhile is passed over, so one run's sweep never costs another its workers.
    /// </summary>
    internal static void Sweep(string root, string keep, DateTime now)
    {
        foreach (var other in Directory.EnumerateDirectories(root).Where(f => f != keep))
        {
            try
            {
                if (now - Directory.GetLastWriteTimeUtc(other) < SweepAge || Directory.EnumerateFiles(other, "*.sock").Any())
                {
                    continue;
                }

                var locks = Directory.EnumerateFiles(other, "*.lock").Select(TryHold).ToList();
                try
                {
                    if (locks.All(held => held is not null))
                    {
                        Directory.Delete(other, recursive: true);
                    }
                }
                finally
                {
                    locks.ForEach(held => held?.Dispose());
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Removed, or written to, by another run as this one looked: it is that run's to keep or sweep.
            }
        }
    }

    /// <summary>
    /// The user's folder of warm workers, which only the user may open (in <c>XDG_RUNTIME_DIR</c> when there is one, else
    /// in the temporary directory); null when that cannot be had.
    /// </summary>
    private static string? Root()
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        var parent = !string.IsNullOrEmpty(runtime) && Directory.Exists(runtime) ? runtime : Path.GetTempPath();
        var root = Path.Combine(parent, "gistnb-workers-" + Environment.UserName);
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        try
        {
            Directory.CreateDirectory(root, OwnerOnly);

            // Not a link someone planted, and the user's own: only its owner may set its mode (to what it should be anyway).
            if (new DirectoryInfo(root).LinkTarget is not null)
            {
                return null;
            }

            File.SetUnixFileMode(root, OwnerOnly);
            return File.GetUnixFileMode(root) == OwnerOnly && IsWritable(root) ? root : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsWritable(string folder)
    {
        var probe = Path.Combine(folder, ".probe-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// What a worker must share with a run to serve it: the worker's program and the files beside it (name, size and
    /// time of each), and the runtime settings it starts with.
    /// </summary>
    internal static string Key(NotebookWorkerCommand command)
    {
        var text = new StringBuilder().Append(command.FileName).Append('\0').AppendJoin('\0', command.Arguments).Append('\n');

        // The worker runs this program's files (an installed tool's launcher is elsewhere; its files are here) and, when
        // started through the .NET host, the dll it names.
        var entry = command.Arguments.FirstOrDefault(a => a.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
        var folders = new[] { AppContext.BaseDirectory, entry is null ? null : Path.GetDirectoryName(Path.GetFullPath(entry)) }
            .OfType<string>()
            .Select(Path.TrimEndingDirectorySeparator)
            .Distinct(StringComparer.Ordinal);
        foreach (var folder in folders.Where(Directory.Exists))
        {
            text.Append(folder).Append('\n');
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).OrderBy(f => f.FullName, StringComparer.Ordinal))
            {
                text.Append(Path.GetRelativePath(folder, file.FullName)).Append('\0').Append(file.Length).Append('\0').Append(file.LastWriteTimeUtc.Ticks).Append('\n');
            }
        }

        foreach (var (name, value) in RuntimeSettings())
        {
            text.Append(name).Append('=').Append(value).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <summary>
    /// Variables read once, when a process starts (by the runtime, the dynamic loader, the time zone and proxy caches,
    /// the certificate store): a worker started under other values would not serve a run as its own child would.
    /// </summary>
    private static IEnumerable<(string Name, string Value)> RuntimeSettings() =>
        Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => NotebookWorker.IsRuntimeSetting(name) || IsStartUpSetting(name))
            .Order(StringComparer.Ordinal)
            .Select(name => (name, Environment.GetEnvironmentVariable(name) ?? string.Empty));

    private static bool IsStartUpSetting(string name) =>
        name is "TZ" or "LD_LIBRARY_PATH" or "LD_PRELOAD" or "SSL_CERT_FILE" or "SSL_CERT_DIR"
        || name.StartsWith("DYLD_", StringComparison.Ordinal)
        || name.EndsWith("_PROXY", StringComparison.OrdinalIgnoreCase);

    /// <summary>The slot's lock, held by this run until disposed; null when another run holds it.</summary>
    private static FileStream? TryHold(string lockFile)
    {
        try
        {
            return new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Starts a warm worker on the slot this run holds, and connects to it once it listens.</summary>
    private static WarmLink? Spawn(NotebookWorkerCommand command, string socket, TimeSpan idle, FileStream held)
    {
        var start = new ProcessStartInfo(command.FileName)
        {
            // The worker points its standard streams at its log as it starts; these pipes are closed here at once.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(NotebookWorker.ListenArgument);
        start.ArgumentList.Add(socket);
        start.ArgumentList.Add(idle.TotalSeconds.ToString("R", CultureInfo.InvariantCulture));
        ChildWorker.DeferTiering(start);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new NotebookException($"{command.FileName}: the notebook worker process could not be started.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new NotebookException($"{command.FileName}: the notebook worker process could not be started ({e.Message}).", e);
        }

        using (process)
        {
            process.StandardInput.Close();
            process.StandardOutput.Close();
            process.StandardError.Close();
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                if (File.Exists(socket) && WarmLink.Connect(socket, held, TimeSpan.FromSeconds(30)).Link is { } link)
                {
                    return link;
                }

                if (process.HasExited)
                {
                    return null;
                }

                Thread.Sleep(20);
            }

            process.Kill(entireProcessTree: true);
            return null;
        }
    }
}

/// <summary>A run's connection to a warm worker, over the worker's socket, with the slot's lock held until it ends.</summary>
internal sealed class WarmLink : WorkerLink
{
    private readonly Socket socket;
    private readonly NetworkStream stream;
    private readonly StreamWriter requests;
    private readonly FileStream held;
    private readonly string log;
    private readonly long logStart;
    private readonly int processId;
    private readonly DateTime? processStart;
    private bool ended;

    private WarmLink(Socket socket, NetworkStream stream, StreamReader answers, StreamWriter requests, FileStream held, string log, int processId)
    {
        this.socket = socket;
        this.stream = stream;
        this.requests = requests;
        this.held = held;
        this.log = log;
        this.processId = processId;
        processStart = StartTimeOf(processId);
        logStart = File.Exists(log) ? new FileInfo(log).Length : 0;
        PumpAnswers(answers);
    }

    public override bool IsAlive => !ended && !Answers.Completion.IsCompleted;

    /// <summary>
    /// Connects to the worker listening on a socket and greets it. No link when no worker is there, and then
    /// <c>Unresponsive</c> says whether one took the connection but did not answer in time.
    /// </summary>
    public static (WarmLink? Link, bool Unresponsive) Connect(string socketPath, FileStream held, TimeSpan patience)
    {
        if (!File.Exists(socketPath))
        {
            return (null, false);
        }

        var connected = false;

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            connected = true;
            socket.ReceiveTimeout = (int)patience.TotalMilliseconds;
            var stream = new NetworkStream(socket, ownsSocket: false);
            var reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
            var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
                .ToDictionary(name => name, name => Environment.GetEnvironmentVariable(name) ?? string.Empty, StringComparer.Ordinal);
            writer.WriteLine(JsonSerializer.Serialize(new WorkerHello(environment), WorkerJson.Default.WorkerHello));
            writer.Flush();
            if (reader.ReadLine() is { Length: > 0 } line && JsonSerializer.Deserialize(line, WorkerJson.Default.WorkerWelcome) is { } welcome)
            {
                socket.ReceiveTimeout = 0;
                return (new WarmLink(socket, stream, reader, writer, held, Path.ChangeExtension(socketPath, ".log"), welcome.ProcessId), false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or JsonException)
        {
            // A connection refused is no worker; a timeout after connecting is one that does not answer.
            socket.Dispose();
            return (null, connected && e is IOException { InnerException: SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock } });
        }

        // The worker closed the connection without a word: it was ending.
        socket.Dispose();
        return (null, false);
    }

    /// <summary>Asks the idle worker on a socket to end; whether one was there to ask.</summary>
    public static bool SendStop(string socketPath)
    {
        if (!File.Exists(socketPath))
        {
            return false;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            socket.Send(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new WorkerHello([], Stop: true), WorkerJson.Default.WorkerHello) + "\n"));
            return true;
        }
        catch (SocketException)
        {
            File.Delete(socketPath);
            return false;
        }
    }

    public override async Task SendAsync(string line, CancellationToken cancellationToken)
    {
        try
        {
            await requests.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
            await requests.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // The worker ended before it could take the notebook; the answers' end reports how it ended.
        }
    }

    /// <summary>
    /// A warm worker's run is not its parent and cannot read its exit code, so the worker says how it ends: its exit
    /// code when a cell calls <see cref="Environment.Exit"/>, the exception when nothing caught one. A fail-fast or a
    /// stack overflow says nothing; the runtime then writes "Process terminated" or "Stack overflow" to the log and
    /// aborts, which the shell reports as exit code 134, as it does for an uncaught exception.
    /// </summary>
    public override async Task<string> ExitDescriptionAsync(WorkerMessage? lastWord)
    {
        ended = true;
        var alive = IsRunning();
        for (var wait = 0; alive && wait < 100; wait++)
        {
            await Task.Delay(50).ConfigureAwait(false);
            alive = IsRunning();
        }

        var words = LogSince();
        int? code = lastWord switch
        {
            { Kind: WorkerProtocol.ProcessExiting, ExitCode: int exitCode } => exitCode,
            { Kind: WorkerProtocol.ProcessCrashing } => 134,
            _ when words.Contains("Process terminated", StringComparison.Ordinal) || words.Contains("Stack overflow", StringComparison.Ordinal)
                || words.Contains("Unhandled exception.", StringComparison.Ordinal) => 134,
            _ => null,
        };
        if (lastWord is { Kind: WorkerProtocol.ProcessCrashing, Text: { } text } && !words.Contains(FirstLine(text), StringComparison.Ordinal))
        {
            words += "\n" + FirstLine(text);
        }

        var ending = code is null && !alive ? " (killed, or ended by a signal)" : null;
        Kill();
        return WorkerProcess.Describe(code, ending, words.Length > 8192 ? words[^8192..] : words);
    }

    public override void Kill()
    {
        ended = true;
        try
        {
            // Only the worker itself: a process id is soon used again once its process has gone.
            using var process = Process.GetProcessById(processId);
            if (!process.HasExited && processStart is { } started && process.StartTime == started)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }

        Dispose();
    }

    /// <summary>Closes the connection (the worker then waits for the next run) and lets the slot go.</summary>
    public override void Dispose()
    {
        ended = true;
        requests.Dispose();
        stream.Dispose();
        socket.Dispose();
        held.Dispose();
    }

    private static DateTime? StartTimeOf(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return process.StartTime;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private bool IsRunning()
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private string LogSince()
    {
        try
        {
            using var file = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            // From where this run began, at most a megabyte: a stack overflow's trace is long, its first line the one that says what happened.
            file.Seek(Math.Max(logStart, file.Length - (1 << 20)), SeekOrigin.Begin);
            using var reader = new StreamReader(file, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
