using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace GistNotebooks.Notebooks.Execution;

/// <summary>
/// What a warm worker does first on Unix: leaves the session of the gistnb that started it (so that the terminal's
/// Ctrl+C and hang-up reach only that gistnb; a worker whose run ends in the middle of a notebook ends itself when the
/// connection closes) and points its standard streams away from the pipes
/// it was started with, input at <c>/dev/null</c> and output and error at its log, so that it holds no pipe of a
/// process that has ended and the runtime's own last words (a fail-fast, a stack overflow) land in the log.
/// </summary>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
[SupportedOSPlatform("freebsd")]
internal static partial class DetachedProcess
{
    private const int StandardInput = 0;
    private const int StandardOutput = 1;
    private const int StandardError = 2;

    /// <summary>Starts a new session and redirects the standard streams; the log file is created or emptied.</summary>
    /// <returns>The open log (kept open for the life of the process).</returns>
    public static FileStream Detach(string logPath)
    {
        _ = SetSession();
        var log = new FileStream(logPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        using var empty = new FileStream("/dev/null", FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var logHandle = (int)log.SafeFileHandle.DangerousGetHandle();
        if (DuplicateOnto((int)empty.SafeFileHandle.DangerousGetHandle(), StandardInput) < 0
            || DuplicateOnto(logHandle, StandardOutput) < 0
            || DuplicateOnto(logHandle, StandardError) < 0)
        {
            throw new IOException($"the warm worker could not redirect its standard streams to {logPath} (errno {Marshal.GetLastPInvokeError()}).");
        }

        return log;
    }

    [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
    private static partial int SetSession();

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int DuplicateOnto(int handle, int target);
}
