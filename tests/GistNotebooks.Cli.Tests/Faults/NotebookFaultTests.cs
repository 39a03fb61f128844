using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using GistNotebooks.Cli.Commands;
using static GistNotebooks.Cli.Tests.Gistnb;

namespace GistNotebooks.Cli.Tests.Faults;

/// <summary>
/// The fault corpus of <c>gistnb run</c> and <c>gistnb reproduce</c>: hostile notebooks and output folders, each
/// with the behaviour it must show. Sources are never written; a cell that ends its process, or runs past its time
/// limit, is a named failure of that cell with exit 1; the set of outputs is whole or marked.
/// </summary>
public sealed class NotebookFaultTests
{
    private static string Sha(string path) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));

    private static Dictionary<string, string> Hashes(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => f, Sha, StringComparer.Ordinal);

    [Fact]
    public void Reproduce_into_the_folder_above_the_notebooks_is_refused_before_anything_runs_and_no_source_changes()
    {
        var root = FaultNotebooks.NewFolder();
        var notebooks = Directory.CreateDirectory(Path.Combine(root, "notebooks")).FullName;
        FaultNotebooks.Code(notebooks, "first", "Console.WriteLine(1);");
        FaultNotebooks.Manifest(notebooks, "first");
        var before = Hashes(root);

        var (exit, output, error) = Run("reproduce", "--notebooks", notebooks, "--out", root);

        Assert.Equal(2, exit);
        Assert.Contains($"{Path.Combine(root, "notebooks", "first.ipynb")}: this output would replace the input {Path.Combine(notebooks, "first.ipynb")}", error, StringComparison.Ordinal);
        Assert.Contains("Choose another --out", error, StringComparison.Ordinal);
        Assert.DoesNotContain("[1/1]", error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
        Assert.Equal(before, Hashes(root));
    }

    [Fact]
    public void Reproduce_refuses_an_output_that_would_replace_the_claims_file_or_the_manifest()
    {
        var folder = FaultNotebooks.NewFolder();
        FaultNotebooks.Code(folder, "first", "1");
        FaultNotebooks.Manifest(folder, "first");
        var before = Hashes(folder);

        var (exit, _, error) = Run("reproduce", "--notebooks", folder, "--out", folder);

        Assert.Equal(2, exit);
        Assert.Contains("this output would replace the input", error, StringComparison.Ordinal);
        Assert.Equal(before, Hashes(folder));
    }

    [Fact]
    public void Run_into_a_link_to_the_notebooks_folder_is_refused()
    {
        var folder = FaultNotebooks.NewFolder();
        var source = Directory.CreateDirectory(Path.Combine(folder, "src")).FullName;
        var notebook = FaultNotebooks.Code(source, "linked", "1");
        var link = Path.Combine(folder, "out");
        Directory.CreateSymbolicLink(link, source);
        var before = Sha(notebook);

        var (exit, _, error) = Run("run", notebook, "--out", link);

        Assert.Equal(2, exit);
        Assert.Contains("would replace", error, StringComparison.Ordinal);
        Assert.Equal(before, Sha(notebook));
    }

    [Fact]
    public void An_executed_notebook_keeps_metadata_tags_attachments_and_raw_cells_and_never_runs_a_raw_cell()
    {
        var folder = FaultNotebooks.NewFolder();
        var markdown = FaultNotebooks.Cell("markdown", "# Kept\n![figure](attachment:figure.png)", "md-1");
        markdown["attachments"] = new JsonObject { ["figure.png"] = new JsonObject { ["image/png"] = "iVBORw0KGgo=" } };
        markdown["metadata"] = new JsonObject { ["tags"] = new JsonArray("intro") };
        var raw = FaultNotebooks.Cell("raw", "Environment.Exit(3);", "raw-1");
        raw["metadata"] = new JsonObject { ["format"] = "text/x-csharp", ["tags"] = new JsonArray("not-code") };
        var code = FaultNotebooks.Cell("code", "6 * 7", "code-1");
        ((JsonObject)code["metadata"]!)["tags"] = new JsonArray("parameters");
        ((JsonObject)code["metadata"]!)["collapsed"] = true;
        var metadata = new JsonObject { ["authors"] = new JsonArray("A. Reviewer"), ["custom"] = new JsonObject { ["keep"] = 1 } };
        var path = FaultNotebooks.Write(folder, "kept", [markdown, raw, code], metadata);
        var source = JsonNode.Parse(File.ReadAllText(path))!;
        var outFolder = Path.Combine(folder, "out");

        var (exit, _, error) = Run("run", path, "--out", outFolder);

        Assert.True(exit == 0, error);
        var written = JsonNode.Parse(File.ReadAllText(Path.Combine(outFolder, "kept.ipynb")))!;
        var cells = written["cells"]!.AsArray();
        Assert.True(JsonNode.DeepEquals(source["cells"]![0], cells[0]), "the markdown cell changed: " + cells[0]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(source["cells"]![1], cells[1]), "the raw cell changed: " + cells[1]!.ToJsonString());
        Assert.Equal("raw", cells[1]!["cell_type"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(source["cells"]![2]!["metadata"], cells[2]!["metadata"]));
        Assert.Equal(1, cells[2]!["execution_count"]!.GetValue<int>());
        Assert.Contains("42", cells[2]!["outputs"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(metadata["authors"], written["metadata"]!["authors"]));
        Assert.True(JsonNode.DeepEquals(metadata["custom"], written["metadata"]!["custom"]));
        Assert.Equal("gistnb", written["metadata"]!["gistnotebooks"]!["executedBy"]!.GetValue<string>());
    }

    public static TheoryData<string, string, string> ProcessEnders() => new()
    {
        { "exit", "Environment.Exit(0);", "exit code 0" },
        { "failfast", "Environment.FailFast(\"gone\");", "exit code 134" },
        { "stackoverflow", "static int Down(int n) => Down(n + 1) + 1;\nDown(0)", "exit code 134" },
        { "background", "new System.Threading.Thread(() => throw new InvalidOperationException(\"from another thread\")).Start();\nSystem.Threading.Thread.Sleep(5000);", "exit code 134" },
    };

    [Theory]
    [MemberData(nameof(ProcessEnders))]
    public void A_cell_that_ends_its_process_is_a_named_failure_with_exit_1_and_the_set_is_still_written(string name, string cell, string how)
    {
        var folder = FaultNotebooks.NewFolder();
        var path = FaultNotebooks.Code(folder, name, "Console.WriteLine(\"before\");", cell, "Console.WriteLine(\"after\");");
        var outFolder = Path.Combine(folder, "out");

        var (exit, output, error) = Run("run", path, "--out", outFolder);

        Assert.Equal(1, exit);
        Assert.Contains($"gistnb: {name}.ipynb, cell 3 (", error, StringComparison.Ordinal);
        Assert.Contains("the notebook's process ended during this cell with " + how, error, StringComparison.Ordinal);
        Assert.Contains("0 of 1 notebooks ran to the end.", output, StringComparison.Ordinal);
        using var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(outFolder, name + ".ipynb")));
        var cells = written.RootElement.GetProperty("cells").EnumerateArray().ToList();
        Assert.Contains("before", cells[1].GetProperty("outputs").GetRawText(), StringComparison.Ordinal);
        Assert.Equal("ProcessEnded", cells[2].GetProperty("outputs")[0].GetProperty("ename").GetString());
        Assert.Equal(0, cells[3].GetProperty("outputs").GetArrayLength());
        Assert.True(File.Exists(Path.Combine(outFolder, name + ".html")));
        Assert.False(File.Exists(Path.Combine(outFolder, name + ".INCOMPLETE.txt")));
    }

    [Fact]
    public void Reproduce_runs_the_notebooks_after_one_whose_cell_ended_the_process_and_marks_the_run_failed()
    {
        var folder = FaultNotebooks.NewFolder();
        FaultNotebooks.Code(folder, "a-exits", "Environment.Exit(0);");
        FaultNotebooks.Code(folder, "b-runs", "Console.WriteLine(\"second notebook ran\");");
        FaultNotebooks.Manifest(folder, "a-exits", "b-runs");
        var outFolder = Path.Combine(folder, "out");

        var (exit, output, error) = Run("reproduce", "--notebooks", folder, "--out", outFolder);

        Assert.Equal(1, exit);
        Assert.Contains("gistnb: a-exits.ipynb, cell 2 (Environment.Exit(0);): the notebook's process ended", error, StringComparison.Ordinal);
        Assert.Contains("1 of 2 notebooks ran to the end.", output, StringComparison.Ordinal);
        Assert.Contains("second notebook ran", File.ReadAllText(Path.Combine(outFolder, "notebooks", "b-runs.ipynb")), StringComparison.Ordinal);
        using var claims = JsonDocument.Parse(File.ReadAllText(Path.Combine(outFolder, "claims.json")));
        var run = claims.RootElement.GetProperty("run");
        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.StartsWith("a-exits.ipynb, cell 2", run.GetProperty("failures")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("stopped at cell 2", File.ReadAllText(Path.Combine(outFolder, "report.html")), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(outFolder, "INCOMPLETE.txt")));
        Assert.Empty(Directory.GetDirectories(outFolder, ".gistnb-staging-*"));
    }

    [Fact]
    public void Provenance_outside_a_git_checkout_reads_no_file_beyond_the_study_and_names_the_missing_one()
    {
        // The fault folders lie in the temporary folder, outside any checkout: the study's folder bounds what is read.
        var folder = FaultNotebooks.NewFolder();
        FaultNotebooks.Code(folder, "quiet", "1");
        FaultNotebooks.Manifest(folder, "quiet");
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")))!.AsObject();
        manifest["data"] = new JsonArray("/etc/hostname", "../elsewhere.csv", "not-there.csv");
        File.WriteAllText(Path.Combine(folder, "manifest.json"), manifest.ToJsonString());
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(folder)!, "elsewhere.csv"), "time,status\n1,1\n");
        var outFolder = Path.Combine(folder, "out");

        var (exit, _, error) = Run("reproduce", "--notebooks", folder, "--out", outFolder);

        // No notebook here checks the fixture's one claim, so the run does not pass; each file not read is named.
        Assert.Equal(1, exit);
        Assert.Contains("gistnb: data file /etc/hostname named by the manifest: outside the repository; not read.", error, StringComparison.Ordinal);
        Assert.Contains("gistnb: data file not-there.csv named by the manifest: missing.", error, StringComparison.Ordinal);
        using var claims = JsonDocument.Parse(File.ReadAllText(Path.Combine(outFolder, "claims.json")));
        var files = claims.RootElement.GetProperty("provenance").GetProperty("dataFiles").EnumerateArray()
            .ToDictionary(f => f.GetProperty("path").GetString()!, f => (Sha: f.GetProperty("sha256").GetString(), Problem: f.TryGetProperty("problem", out var p) ? p.GetString() : null));
        Assert.Equal((string.Empty, "outside the repository; not read"), files["/etc/hostname"]);
        Assert.Equal((string.Empty, "outside the repository; not read"), files[Path.Combine(Path.GetDirectoryName(folder)!, "elsewhere.csv")]);
        Assert.Equal((string.Empty, "missing"), files["not-there.csv"]);
        Assert.Equal(64, files["claims.json"].Sha!.Length);
        Assert.Contains("outside the repository; not read", File.ReadAllText(Path.Combine(outFolder, "report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public void Two_workers_run_notebooks_at_once_and_the_outputs_keep_the_manifests_order()
    {
        var folder = FaultNotebooks.NewFolder();
        // The slow notebook waits (up to two minutes) for the files the quick ones write: it ends only if they ran beside it.
        FaultNotebooks.Code(folder, "a-slow", "var until = DateTime.UtcNow.AddMinutes(2);\nwhile (!(System.IO.File.Exists(\"b.done\") && System.IO.File.Exists(\"c.done\")) && DateTime.UtcNow < until) System.Threading.Thread.Sleep(50);\nConsole.WriteLine(System.IO.File.Exists(\"c.done\") ? \"slow one done after the quick ones\" : \"slow one gave up waiting\");");
        FaultNotebooks.Code(folder, "b-quick", "System.IO.File.WriteAllText(\"b.done\", \"b\"); Console.WriteLine(\"b\");");
        FaultNotebooks.Code(folder, "c-quick", "System.IO.File.WriteAllText(\"c.done\", \"c\"); Console.WriteLine(\"c\");");
        FaultNotebooks.Manifest(folder, "a-slow", "b-quick", "c-quick");
        var outFolder = Path.Combine(folder, "out");

        var (exit, _, error) = Run("reproduce", "--notebooks", folder, "--out", outFolder, "--jobs", "2");

        Assert.Equal(1, exit); // the made-up claim is checked by no notebook
        var ends = new[] { "[1/3] a-slow.ipynb  ended after", "[2/3] b-quick.ipynb  ended after", "[3/3] c-quick.ipynb  ended after" }
            .Select(line => error.IndexOf(line, StringComparison.Ordinal)).ToArray();
        Assert.All(ends, position => Assert.True(position >= 0, error));

        // The quick notebooks ran on the second worker while the slow one slept on the first.
        Assert.True(ends[1] < ends[0] && ends[2] < ends[0], error);
        Assert.Contains("slow one done after the quick ones", File.ReadAllText(Path.Combine(outFolder, "notebooks", "a-slow.ipynb")), StringComparison.Ordinal);
        var claims = File.ReadAllText(Path.Combine(outFolder, "claims.json"));
        var order = new[] { "a-slow.ipynb", "b-quick.ipynb", "c-quick.ipynb" }.Select(name => claims.IndexOf("\"" + name + "\"", StringComparison.Ordinal)).ToArray();
        Assert.True(order[0] >= 0 && order[0] < order[1] && order[1] < order[2], claims);
        var report = File.ReadAllText(Path.Combine(outFolder, "report.html"));
        Assert.True(report.IndexOf("id=\"a-slow\"", StringComparison.Ordinal) < report.IndexOf("id=\"b-quick\"", StringComparison.Ordinal));
        Assert.Contains("3 notebooks in", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("9")]
    public void Reproduce_refuses_a_number_of_jobs_out_of_range(string jobs)
    {
        var folder = FaultNotebooks.NewFolder();
        FaultNotebooks.Code(folder, "first", "1");
        FaultNotebooks.Manifest(folder, "first");

        var (exit, _, error) = Run("reproduce", "--notebooks", folder, "--out", Path.Combine(folder, "out"), "--jobs", jobs);

        Assert.Equal(2, exit);
        Assert.Contains("--jobs expects a whole number from 1 to 8", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder, "out")));
    }

    [Fact]
    public void A_cell_past_its_time_limit_is_stopped_with_its_process_and_the_run_goes_on_promptly()
    {
        var folder = FaultNotebooks.NewFolder();
        var marker = Path.Combine(folder, "still-running.txt");
        var path = FaultNotebooks.Code(folder, "spin", $$"""
            var until = DateTime.UtcNow.AddSeconds(120);
            while (DateTime.UtcNow < until) { System.IO.File.WriteAllText(@"{{marker}}", DateTime.UtcNow.Ticks.ToString()); }
            """);
        var clock = Stopwatch.StartNew();

        // The limit leaves room for compiling the cell on a busy machine; the cell alone would run two minutes.
        var (exit, _, error) = Run("run", path, "--out", Path.Combine(folder, "out"), "--cell-timeout", "10");

        Assert.Equal(1, exit);
        Assert.Contains("spin.ipynb, cell 2 (var until = DateTime.UtcNow.AddSeconds(120);): the cell ran past the time limit of 10 s.", error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), "the run waited for the cell: " + clock.Elapsed);

        // The cell's loop rewrote the marker while it ran; once stopped, nothing touches it any more.
        var stamp = File.ReadAllText(marker);
        Thread.Sleep(1500);
        Assert.Equal(stamp, File.ReadAllText(marker));
    }

    [Fact]
    public void A_cell_that_keeps_printing_is_stopped_at_its_time_limit_counted_from_its_start()
    {
        // Each line the cell prints reaches the parent; the limit must not start again from the last one. A second,
        // foreground thread spins as well: stopping the process ends it too.
        var folder = FaultNotebooks.NewFolder();
        var path = FaultNotebooks.Code(folder, "chatty", """
            new System.Threading.Thread(() => { while (true) { } }) { IsBackground = false }.Start();
            while (true) { Console.WriteLine("tick"); System.Threading.Thread.Sleep(200); }
            """);
        var outFolder = Path.Combine(folder, "out");
        var clock = Stopwatch.StartNew();

        var (exit, _, error) = Run("run", path, "--out", outFolder, "--cell-timeout", "10");

        Assert.Equal(1, exit);
        Assert.Contains("chatty.ipynb, cell 2 (new System.Threading.Thread(() => { while (true) { } }) { IsBackground = false }.Start();): the cell ran past the time limit of 10 s.", error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), "the limit restarted with each printed line: " + clock.Elapsed);
        var notebook = File.ReadAllText(Path.Combine(outFolder, "chatty.ipynb"));
        Assert.Contains("tick", notebook, StringComparison.Ordinal);
        Assert.Contains("TimeLimitExceeded", notebook, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cell_past_its_time_limit_keeps_what_it_printed_before_in_the_notebook_and_the_report_with_the_limit_marked()
    {
        var folder = FaultNotebooks.NewFolder();
        var path = FaultNotebooks.Code(folder, "slow", """
            Console.WriteLine("printed before the limit");
            var until = DateTime.UtcNow.AddSeconds(120);
            while (DateTime.UtcNow < until) { System.Threading.Thread.SpinWait(1000); }
            """);
        var outFolder = Path.Combine(folder, "out");

        var (exit, _, error) = Run("run", path, "--out", outFolder, "--cell-timeout", "10");

        Assert.Equal(1, exit);
        Assert.Contains("the cell ran past the time limit of 10 s.", error, StringComparison.Ordinal);
        var notebook = File.ReadAllText(Path.Combine(outFolder, "slow.ipynb"));
        Assert.Contains("printed before the limit", notebook, StringComparison.Ordinal);
        Assert.Contains("TimeLimitExceeded", notebook, StringComparison.Ordinal);
        Assert.True(notebook.IndexOf("printed before the limit", StringComparison.Ordinal) < notebook.IndexOf("TimeLimitExceeded", StringComparison.Ordinal), "the printed text must come before the mark of the limit");
        var report = File.ReadAllText(Assert.Single(Directory.GetFiles(outFolder, "*.html")));
        Assert.Contains("printed before the limit", report, StringComparison.Ordinal);
        Assert.Contains("What it had shown by then is kept above.", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Twenty_megabytes_of_cell_output_are_collected_in_seconds_truncated_with_a_note_and_never_reach_gistnb_output()
    {
        var folder = FaultNotebooks.NewFolder();
        var path = FaultNotebooks.Code(folder, "loud", """
            var line = new string('x', 1023);
            for (var i = 0; i < 20 * 1024; i++) { Console.WriteLine(line); }
            """);
        var clock = Stopwatch.StartNew();

        var (exit, output, error) = Run("run", path, "--out", Path.Combine(folder, "out"));

        Assert.True(exit == 0, error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "collecting 20 MB took " + clock.Elapsed);
        Assert.DoesNotContain("xxxxxxxxxx", output, StringComparison.Ordinal);
        Assert.DoesNotContain("xxxxxxxxxx", error, StringComparison.Ordinal);
        var written = File.ReadAllText(Path.Combine(folder, "out", "loud.ipynb"));
        Assert.Contains("[gistnb: the cell printed 20,971,520 characters; only the first 4,000,000 are kept", written, StringComparison.Ordinal);
        Assert.True(written.Length < 6_000_000, "the cap did not hold: " + written.Length);
    }

    [Fact]
    public void A_run_killed_while_its_notebooks_run_leaves_the_previous_complete_set_unchanged()
    {
        var folder = FaultNotebooks.NewFolder();
        var path = FaultNotebooks.Code(folder, "slow", "Console.WriteLine(\"first\");", "System.Threading.Thread.Sleep(60000);");
        var outFolder = Path.Combine(folder, "out");
        Directory.CreateDirectory(outFolder);
        File.WriteAllText(Path.Combine(outFolder, "slow.ipynb"), "previous notebook");
        File.WriteAllText(Path.Combine(outFolder, "slow.html"), "previous report");

        var command = NotebookCommands.WorkerCommand();
        var start = new ProcessStartInfo(command.FileName) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in command.Arguments.SkipLast(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var argument in new[] { "run", path, "--out", outFolder })
        {
            start.ArgumentList.Add(argument);
        }

        using var gistnb = Process.Start(start)!;
        _ = gistnb.StandardOutput.ReadToEndAsync();
        string? line;
        while ((line = gistnb.StandardError.ReadLine()) is not null && !line.Contains("cell 3/3", StringComparison.Ordinal))
        {
        }

        Assert.NotNull(line);
        gistnb.Kill(entireProcessTree: true);
        gistnb.WaitForExit();

        Assert.Equal("previous notebook", File.ReadAllText(Path.Combine(outFolder, "slow.ipynb")));
        Assert.Equal("previous report", File.ReadAllText(Path.Combine(outFolder, "slow.html")));
        Assert.False(File.Exists(Path.Combine(outFolder, "slow.INCOMPLETE.txt")));
    }

    [Fact]
    public void Notebooks_format_numbers_the_same_under_a_German_culture()
    {
        var folder = FaultNotebooks.NewFolder();
        var path = FaultNotebooks.Code(folder, "culture", "Console.WriteLine($\"S(36) = {63.7:0.0}% of {1234.5:N1}\");");
        Assert.Equal("63,7", 63.7.ToString("0.0", new System.Globalization.CultureInfo("de-DE")));
        var previous = Environment.GetEnvironmentVariable("LC_ALL");
        Environment.SetEnvironmentVariable("LC_ALL", "de_DE.UTF-8");
        try
        {
            var (exit, _, error) = Run("run", path, "--out", Path.Combine(folder, "out"));

            Assert.True(exit == 0, error);
        }
        finally
        {
            Environment.SetEnvironmentVariable("LC_ALL", previous);
        }

        Assert.Contains("S(36) = 63.7% of 1,234.5", File.ReadAllText(Path.Combine(folder, "out", "culture.ipynb")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e300")]
    [InlineData("604801")]
    public void A_cell_timeout_beyond_a_week_is_a_usage_error_not_an_internal_one(string seconds)
    {
        var folder = FaultNotebooks.NewFolder();
        var path = FaultNotebooks.Code(folder, "quick", "1");

        var (exit, _, error) = Run("run", path, "--out", Path.Combine(folder, "out"), "--cell-timeout", seconds);

        Assert.Equal(2, exit);
        Assert.Equal("gistnb: --cell-timeout expects at most 604800 seconds (a week); leave it out for no limit", error.Trim());
    }
}
