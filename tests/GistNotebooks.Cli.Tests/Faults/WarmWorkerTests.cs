using System.Diagnostics;
using System.Text.Json;

namespace GistNotebooks.Cli.Tests.Faults;

/// <summary>
/// Warm notebook workers: a run hands its notebooks to a worker an earlier run left waiting, the worker takes on each
/// run's environment, and one that loaded a dll from outside the kit, or whose run went away in the middle of a
/// notebook, ends instead of staying. Each test
/// runs gistnb as its own process with a runtime setting of its own, so its workers are its alone (the workers of a
/// build are keyed by the runtime settings too) and other tests running at the same time cannot take them.
/// </summary>
public sealed class WarmWorkerTests
{
    private static readonly string GistnbDll = Path.Combine(AppContext.BaseDirectory, "gistnb.dll");

    [Fact]
    public void A_second_run_takes_the_worker_the_first_left_warm_and_workers_stop_ends_it()
    {
        var isolation = Isolation();
        var folder = FaultNotebooks.NewFolder();
        var path = FaultNotebooks.Code(folder, "pid", "Environment.ProcessId.ToString()");

        var first = WorkerId(Gistnb(isolation, "run", path, "--out", Path.Combine(folder, "out1")), folder, "out1");
        var second = WorkerId(Gistnb(isolation, "run", path, "--out", Path.Combine(folder, "out2")), folder, "out2");

        Assert.Equal(first, second);
        Assert.True(IsRunning(first), "the warm worker waits for the next run");

        var (exit, output, _) = Gistnb(isolation, "workers", "stop");
        Assert.Equal(0, exit);
        Assert.Matches(@"^stopped \d+ idle warm workers?", output);
        Assert.True(Ended(first), "workers stop ends the idle worker");
    }

    [Fact]
    public void Without_warm_workers_each_run_starts_its_own_and_leaves_nothing_behind()
    {
        var isolation = Isolation();
        isolation["GISTNB_KEEP_WORKERS"] = "0";
        var folder = FaultNotebooks.NewFolder();
        var path = FaultNotebooks.Code(folder, "pid", "Environment.ProcessId.ToString()");

        var first = WorkerId(Gistnb(isolation, "run", path, "--out", Path.Combine(folder, "out1")), folder, "out1");
        var second = WorkerId(Gistnb(isolation, "run", path, "--out", Path.Combine(folder, "out2")), folder, "out2");

        Assert.NotEqual(first, second);
        Assert.True(Ended(first) && Ended(second), "a worker of a run without warm workers ends with the run");
    }

    [Fact]
    public void A_warm_worker_takes_on_each_runs_environment()
    {
        var isolation = Isolation();
        var folder = FaultNotebooks.NewFolder();
        var path = FaultNotebooks.Code(folder, "variable", "$\"{Environment.ProcessId} {Environment.GetEnvironmentVariable(\"GISTNB_TEST_VALUE\") ?? \"unset\"}\"");

        try
        {
            isolation["GISTNB_TEST_VALUE"] = "first";
            Assert.Equal(0, Gistnb(isolation, "run", path, "--out", Path.Combine(folder, "out1")).Exit);
            isolation.Remove("GISTNB_TEST_VALUE");
            Assert.Equal(0, Gistnb(isolation, "run", path, "--out", Path.Combine(folder, "out2")).Exit);

            var first = Result(folder, "out1", "variable").Split(' ');
            var second = Result(folder, "out2", "variable").Split(' ');
            Assert.Equal(first[0], second[0]);
            Assert.Equal("first", first[1]);
            Assert.Equal("unset", second[1]);
        }
        finally
        {
            Gistnb(isolation, "workers", "stop");
        }
    }

    [Fact]
    public void A_warm_worker_whose_run_is_killed_in_the_middle_of_a_notebook_ends()
    {
        var isolation = Isolation();
        var folder = FaultNotebooks.NewFolder();
        var path = FaultNotebooks.Code(folder, "loop", "System.IO.File.WriteAllText(\"pid.txt\", Environment.ProcessId.ToString());\nwhile (true) System.Threading.Thread.Sleep(100);");
        var start = Start(isolation, "run", path, "--out", Path.Combine(folder, "out"));
        using var run = Process.Start(start)!;
        var pidFile = Path.Combine(folder, "pid.txt");
        for (var i = 0; i < 1200 && !File.Exists(pidFile); i++)
        {
            Thread.Sleep(100);
        }

        Assert.True(File.Exists(pidFile), "the looping cell started within two minutes");
        Thread.Sleep(200);
        var worker = int.Parse(File.ReadAllText(pidFile), System.Globalization.CultureInfo.InvariantCulture);
        run.Kill();
        run.WaitForExit();

        Assert.True(Ended(worker), "a worker whose run went away in the middle of a notebook does not run it on");
    }

    [Fact]
    public void A_worker_that_loaded_a_dll_from_outside_the_kit_ends_after_its_run()
    {
        var isolation = Isolation();
        var folder = FaultNotebooks.NewFolder();
        var library = Path.Combine(folder, "lib", "LocalThing.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(library)!);
        var compiled = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(
                "LocalThing",
                [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("public static class LocalThing { public static int Value => 42; }")],
                [Microsoft.CodeAnalysis.MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
                new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary));
        using (var file = File.Create(library))
        {
            Assert.True(compiled.Emit(file).Success);
        }

        var path = FaultNotebooks.Code(folder, "local", $"#r \"{library}\"", "(LocalThing.Value + Environment.ProcessId - 42).ToString()");

        var worker = WorkerId(Gistnb(isolation, "run", path, "--out", Path.Combine(folder, "out")), folder, "out", "local");

        Assert.True(Ended(worker), "a worker that loaded a dll a later build may replace does not wait for the next run");
    }

    /// <summary>A runtime setting no other test has, which gives this test's runs workers of their own.</summary>
    private static Dictionary<string, string> Isolation() => new(StringComparer.Ordinal)
    {
        ["DOTNET_GISTNB_TEST_ISOLATION"] = Guid.NewGuid().ToString("N"),
    };

    private static (int Exit, string Output, string Error) Gistnb(Dictionary<string, string> environment, params string[] args)
    {
        using var process = Process.Start(Start(environment, args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), "gistnb ended within five minutes");
        return (process.ExitCode, output.Result, error.Result);
    }

    private static ProcessStartInfo Start(Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(GistnbDll);
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("GISTNB_KEEP_WORKERS");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private static int WorkerId((int Exit, string Output, string Error) run, string folder, string outFolder, string name = "pid")
    {
        Assert.True(run.Exit == 0, run.Error);
        return int.Parse(Result(folder, outFolder, name), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The plain text of the last code cell's result in an executed notebook.</summary>
    private static string Result(string folder, string outFolder, string name)
    {
        using var executed = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, outFolder, name + ".ipynb")));
        var cell = executed.RootElement.GetProperty("cells").EnumerateArray().Last();
        var output = cell.GetProperty("outputs").EnumerateArray().First(o => o.GetProperty("output_type").GetString() == "execute_result");
        var text = output.GetProperty("data").GetProperty("text/plain");
        return (text.ValueKind == JsonValueKind.Array ? string.Concat(text.EnumerateArray().Select(t => t.GetString())) : text.GetString()!).Trim();
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Whether the process has ended, waiting up to ten seconds for it.</summary>
    private static bool Ended(int processId)
    {
        for (var i = 0; i < 200 && IsRunning(processId); i++)
        {
            Thread.Sleep(50);
        }

        return !IsRunning(processId);
    }
}
