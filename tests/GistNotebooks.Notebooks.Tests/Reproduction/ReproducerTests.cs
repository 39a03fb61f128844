using System.Text.Json;
using GistNotebooks.Cli;
using GistNotebooks.Notebooks.Reproduction;

namespace GistNotebooks.Notebooks.Tests.Reproduction;

/// <summary>
/// The runner (<see cref="Reproducer"/>) as a user meets it, through <c>gistnb run</c> and <c>gistnb reproduce</c>:
/// what it writes, and its messages for a missing, broken or misplaced notebook. The commands only pass options
/// and print the result; what is checked here is the runner's.
/// </summary>
public sealed class ReproducerTests
{
    private static (int Exit, string Output, string Error) Gistnb(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = CliApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static string Hash(string path) => Provenance.Sha256Of(path);

    private static void AssertNoStackTrace(string text)
    {
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception:", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_writes_the_executed_notebook_as_nbformat_4_5_with_polyglot_metadata_and_leaves_the_source_alone()
    {
        var source = TestNotebooks.PathOf("plain-output.ipynb");
        var before = Hash(source);
        var folder = TestNotebooks.NewFolder();

        var (exit, output, error) = Gistnb("run", source, "--out", folder);

        Assert.Equal(0, exit);
        Assert.Equal(before, Hash(source));
        Assert.Contains("[1/1] plain-output.ipynb  cell 2/2: Console.WriteLine(\"hello from the kernel\");", error, StringComparison.Ordinal);
        Assert.Contains("1 of 1 notebooks ran to the end.", output, StringComparison.Ordinal);
        using var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "plain-output.ipynb")));
        var root = written.RootElement;
        Assert.Equal(4, root.GetProperty("nbformat").GetInt32());
        Assert.Equal(5, root.GetProperty("nbformat_minor").GetInt32());
        Assert.Equal(".net-csharp", root.GetProperty("metadata").GetProperty("kernelspec").GetProperty("name").GetString());
        Assert.Equal("csharp", root.GetProperty("metadata").GetProperty("polyglot_notebook").GetProperty("kernelInfo").GetProperty("defaultKernelName").GetString());
        var cells = root.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(["plain-output-1", "plain-output-2"], cells.Select(c => c.GetProperty("id").GetString()));
        var code = cells[1];
        Assert.Equal("csharp", code.GetProperty("metadata").GetProperty("polyglot_notebook").GetProperty("kernelName").GetString());
        Assert.Equal(1, code.GetProperty("execution_count").GetInt32());
        Assert.Equal(["stream", "stream", "execute_result"], code.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("output_type").GetString()));
        Assert.True(File.Exists(Path.Combine(folder, "plain-output.html")));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Run_of_a_failing_notebook_exits_1_names_the_cell_and_still_writes_the_cells_up_to_it()
    {
        var folder = TestNotebooks.NewFolder();

        var (exit, _, error) = Gistnb("run", TestNotebooks.PathOf("compile-error.ipynb"), "--out", folder);

        Assert.Equal(1, exit);
        Assert.Contains("gistnb: compile-error.ipynb, cell 3 (int broken = \"not a number\";): ", error, StringComparison.Ordinal);
        AssertNoStackTrace(error);
        using var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "compile-error.ipynb")));
        var cells = written.RootElement.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(4, cells.Count);
        Assert.Equal("error", cells[2].GetProperty("outputs")[0].GetProperty("output_type").GetString());
        Assert.Equal(JsonValueKind.Null, cells[3].GetProperty("execution_count").ValueKind);
        Assert.Equal(0, cells[3].GetProperty("outputs").GetArrayLength());
    }

    [Fact]
    public void Run_of_a_missing_notebook_is_a_one_line_input_error()
    {
        var folder = TestNotebooks.NewFolder();

        var (exit, _, error) = Gistnb("run", Path.Combine(folder, "nowhere.ipynb"), "--out", folder);

        Assert.Equal(2, exit);
        Assert.Equal($"gistnb: {Path.Combine(folder, "nowhere.ipynb")}: notebook not found.", error.Trim());
    }

    [Fact]
    public void Run_of_a_notebook_that_is_not_valid_json_names_the_line_and_writes_nothing()
    {
        var folder = TestNotebooks.NewFolder();
        var broken = Path.Combine(folder, "broken.ipynb");
        File.WriteAllText(broken, "{\n \"cells\": [\n  {\"cell_type\": \"code\",,}\n ]\n}\n");
        var outFolder = Path.Combine(folder, "out");

        var (exit, _, error) = Gistnb("run", broken, "--out", outFolder);

        Assert.Equal(2, exit);
        Assert.StartsWith($"gistnb: {broken}: not valid JSON at line 3", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(outFolder));
    }

    [Fact]
    public void Run_into_a_folder_that_cannot_be_written_is_an_input_error_before_any_cell_runs()
    {
        var folder = TestNotebooks.NewFolder();
        var file = Path.Combine(folder, "a-file");
        File.WriteAllText(file, "not a folder");

        var (exit, _, error) = Gistnb("run", TestNotebooks.PathOf("plain-output.ipynb"), "--out", Path.Combine(file, "out"));

        Assert.Equal(2, exit);
        Assert.Contains("the output folder cannot be written", error, StringComparison.Ordinal);
        Assert.DoesNotContain("cell", error, StringComparison.Ordinal);
        AssertNoStackTrace(error);
    }

    [Fact]
    public void Run_refuses_an_output_folder_where_the_executed_copy_would_replace_the_source()
    {
        var (exit, _, error) = Gistnb("run", TestNotebooks.PathOf("plain-output.ipynb"), "--out", TestNotebooks.Folder);

        Assert.Equal(2, exit);
        Assert.Contains("would replace the source", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_with_a_cell_time_limit_fails_the_cell_that_runs_past_it()
    {
        var folder = TestNotebooks.NewFolder();

        var (exit, _, error) = Gistnb("run", TestNotebooks.PathOf("slow-cell.ipynb"), "--out", folder, "--cell-timeout", "0.5");

        Assert.Equal(1, exit);
        Assert.Contains("slow-cell.ipynb, cell 2 (System.Threading.Thread.Sleep(4000);): the cell ran past the time limit of 0.5 s.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_gathers_claim_records_that_cells_emit_into_the_claims_table()
    {
        var folder = TestNotebooks.NewFolder();

        var (exit, output, _) = Gistnb("run", TestNotebooks.PathOf("claim-record.ipynb"), "--out", folder);

        Assert.Equal(0, exit);
        Assert.Contains("1 of 1 claims pass ✓", output, StringComparison.Ordinal);
        Assert.Matches(@"C01\s+18\s+18\s+✓ pass\s+claim-record.ipynb", output);
    }

    [Fact]
    public void Run_of_a_chart_embeds_plotly_js_once_in_a_script_that_no_text_inside_closes_early()
    {
        var folder = TestNotebooks.NewFolder();

        var (exit, _, error) = Gistnb("run", TestNotebooks.PathOf("chart.ipynb"), "--out", folder);

        Assert.True(exit == 0, error);
        var report = File.ReadAllText(Path.Combine(folder, "chart.html"));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(report, @"plotly\.js v\d+\.\d+\.\d+"));
        Assert.Contains("Plotly.newPlot", report, StringComparison.Ordinal);
        // Every <script> ends at its own </script>: plotly.js's text cannot end its element early.
        Assert.Equal(System.Text.RegularExpressions.Regex.Count(report, "<script[ >]"), System.Text.RegularExpressions.Regex.Count(report, "</script>"));
        Assert.DoesNotMatch("<script[^>]+src=", report);
    }

    [Fact]
    public void Reproduce_runs_the_manifest_in_order_and_writes_notebooks_claims_and_a_self_contained_report()
    {
        var folder = TestNotebooks.NewFolder();

        var (exit, output, error) = Gistnb("reproduce", "--notebooks", Path.Combine(TestNotebooks.Folder, "reproduction"), "--out", folder);

        Assert.True(exit == 0, error);
        Assert.True(error.IndexOf("[1/2] first.ipynb", StringComparison.Ordinal) < error.IndexOf("[2/2] second.ipynb", StringComparison.Ordinal));
        Assert.Contains("2 of 2 claims pass ✓", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "notebooks", "first.ipynb")));
        Assert.True(File.Exists(Path.Combine(folder, "notebooks", "second.ipynb")));

        using var claims = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "claims.json")));
        var rows = claims.RootElement.GetProperty("claims").EnumerateArray().ToList();
        Assert.Equal(["C01", "C02"], rows.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(["first.ipynb", "second.ipynb"], rows.Select(r => r.GetProperty("notebook").GetString()));
        Assert.All(rows, r => Assert.Equal("pass", r.GetProperty("status").GetString()));
        var provenance = claims.RootElement.GetProperty("provenance");
        Assert.Equal(["1.0.0", "1.1.0"], provenance.GetProperty("notebooks").EnumerateArray().Select(n => n.GetProperty("version").GetString()));
        Assert.Equal(Hash(Path.Combine(TestNotebooks.Folder, "reproduction", "first.ipynb")), provenance.GetProperty("notebooks")[0].GetProperty("sha256").GetString());
        Assert.Contains(provenance.GetProperty("packages").EnumerateArray(), p => p.GetProperty("name").GetString() == "FSharp.Core");
        Assert.False(string.IsNullOrEmpty(provenance.GetProperty("runtime").GetString()));
        Assert.False(string.IsNullOrEmpty(provenance.GetProperty("gitCommit").GetString()));
        Assert.False(string.IsNullOrEmpty(provenance.GetProperty("dotnetSdk").GetString()));
        Assert.Equal("tests/GistNotebooks.Notebooks.Tests/Notebooks/reproduction/claims.json", provenance.GetProperty("dataFiles")[0].GetProperty("path").GetString());

        var report = File.ReadAllText(Path.Combine(folder, "report.html"));
        Assert.True(report.IndexOf("id=\"claims\"", StringComparison.Ordinal) < report.IndexOf("<article", StringComparison.Ordinal), "the claims table comes first");
        foreach (System.Text.RegularExpressions.Match link in System.Text.RegularExpressions.Regex.Matches(report, "href=\"#([^\"]+)\""))
        {
            Assert.Contains($"id=\"{link.Groups[1].Value}\"", report, StringComparison.Ordinal);
        }

        Assert.DoesNotMatch("<script[^>]+src=", report);
    }

    [Fact]
    public void Reproduce_exits_1_when_a_claim_of_the_claims_file_is_not_reproduced_by_any_notebook()
    {
        var folder = TestNotebooks.NewFolder();
        var notebooks = Path.Combine(folder, "notebooks");
        Directory.CreateDirectory(notebooks);
        var source = Path.Combine(TestNotebooks.Folder, "reproduction");
        File.Copy(Path.Combine(source, "first.ipynb"), Path.Combine(notebooks, "first.ipynb"));
        File.Copy(Path.Combine(source, "claims.json"), Path.Combine(notebooks, "claims.json"));
        File.WriteAllText(Path.Combine(notebooks, "manifest.json"), """{ "claimsFile": "claims.json", "notebooks": [ { "file": "first.ipynb", "version": "1.0.0", "claims": ["C01"] } ] }""");

        var (exit, output, _) = Gistnb("reproduce", "--notebooks", notebooks, "--out", Path.Combine(folder, "out"));

        Assert.Equal(1, exit);
        Assert.Matches(@"C02\s+4\s+– not reproduced", output);
        Assert.Contains("1 of 2 claims pass ✗", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Reproduce_without_a_manifest_is_a_one_line_input_error()
    {
        var folder = TestNotebooks.NewFolder();

        var (exit, _, error) = Gistnb("reproduce", "--notebooks", folder, "--out", Path.Combine(folder, "out"));

        Assert.Equal(2, exit);
        Assert.Contains("manifest.json: manifest not found", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }
}
