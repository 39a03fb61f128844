using GistNotebooks.Notebooks.Execution;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;

namespace GistNotebooks.Notebooks.Tests.Execution;

public sealed class NotebookRunnerTests
{
    private static async Task<NotebookRun> Run(string name, NotebookRunOptions? options = null) =>
        await NotebookRunner.RunAsync(TestNotebooks.Load(name), options);

    private static CellOutput[] OutputsOf(NotebookRun run, int cellNumber) => run.Cells.Single(c => c.Cell.Number == cellNumber).Outputs.ToArray();

    [Fact]
    public async Task Standard_output_standard_error_and_the_return_value_are_captured()
    {
        var run = await Run("plain-output.ipynb");

        Assert.True(run.Succeeded, run.Failure?.ToString());
        var outputs = OutputsOf(run, 2).ToList();
        Assert.Contains(outputs, o => o is { Kind: OutputKind.Stream, Name: "stdout" } && o.Text == "hello from the kernel\n");
        Assert.Contains(outputs, o => o is { Kind: OutputKind.Stream, Name: "stderr" } && o.Text.Contains("a warning", StringComparison.Ordinal));
        var result = Assert.Single(outputs, o => o.Kind == OutputKind.Result);
        Assert.Contains("42", result.Data.Values.First(), StringComparison.Ordinal);
        Assert.Equal(1, run.Cells.Single(c => c.Cell.Number == 2).ExecutionCount);
        Assert.Null(run.Cells.Single(c => c.Cell.Number == 1).ExecutionCount);
    }

    [Fact]
    public async Task A_display_updated_in_place_appears_once_with_its_last_value()
    {
        var run = await Run("display-update.ipynb");

        Assert.True(run.Succeeded, run.Failure?.ToString());
        var displays = OutputsOf(run, 2).Where(o => o.Kind == OutputKind.Display).ToList();
        var display = Assert.Single(displays);
        Assert.Equal("done", display.Data["text/plain"]);
        Assert.Equal("a second display", Assert.Single(OutputsOf(run, 3)).Data["text/plain"]);
    }

    [Fact]
    public async Task The_local_library_loads_through_a_relative_reference_from_the_notebook_folder()
    {
        var run = await Run("local-library.ipynb");

        Assert.True(run.Succeeded, run.Failure?.ToString());
        var expected = KaplanMeier.Estimate(SurvivalData.Create([1.0, 2, 3, 4], [1, 1, 0, 1])).Median;
        var stdout = Assert.Single(OutputsOf(run, 3), o => o.Kind == OutputKind.Stream);
        Assert.Equal($"median {expected}\n", stdout.Text);
    }

    [Fact]
    public async Task A_nuget_package_is_restored_and_its_assemblies_are_referenced()
    {
        var run = await Run("nuget-package.ipynb");

        Assert.True(run.Succeeded, run.Failure?.ToString());
        Assert.Contains(run.Packages, p => p.Name == "MathNet.Numerics" && p.Version == "5.0.0");
        var result = Assert.Single(OutputsOf(run, 3), o => o.Kind == OutputKind.Result);
        Assert.Contains("24", result.Data.Values.First(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plotly_chart_renders_as_html_through_the_package_kernel_extension()
    {
        var run = await Run("chart.ipynb");

        Assert.True(run.Succeeded, run.Failure?.ToString());
        var chart = Assert.Single(OutputsOf(run, 3), o => o.Kind == OutputKind.Result);
        Assert.Contains("Plotly.newPlot", chart.Data["text/html"], StringComparison.Ordinal);
        Assert.Contains("[100,64,34]", chart.Data["text/html"].Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_compile_error_stops_the_run_at_the_cell_that_has_it()
    {
        var run = await Run("compile-error.ipynb");

        var failure = Assert.IsType<CellFailure>(run.Failure);
        Assert.Equal(3, failure.CellNumber);
        Assert.Equal("int broken = \"not a number\";", failure.FirstLine);
        Assert.Contains("CS0029", failure.Message, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], run.Cells.Select(c => c.Cell.Number));
        Assert.Contains(OutputsOf(run, 3), o => o.Kind == OutputKind.Error);
    }

    [Fact]
    public async Task An_exception_stops_the_run_and_names_the_cell_and_the_error()
    {
        var run = await Run("exception.ipynb");

        var failure = Assert.IsType<CellFailure>(run.Failure);
        Assert.Equal(2, failure.CellNumber);
        Assert.Equal("exception.ipynb, cell 2 (throw new InvalidOperationException(\"the cohort file is empty\");): InvalidOperationException: the cohort file is empty", failure.ToString());
    }

    [Fact]
    public async Task A_reference_to_a_library_that_was_not_built_says_to_build_first()
    {
        var run = await Run("missing-build.ipynb");

        var failure = Assert.IsType<CellFailure>(run.Failure);
        Assert.StartsWith("build first: ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("GistNotebooks.Missing.dll does not exist", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("CS0006", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cell_that_runs_past_the_time_limit_fails_like_any_other()
    {
        var run = await Run("slow-cell.ipynb", new NotebookRunOptions(TimeSpan.FromMilliseconds(500)));

        var failure = Assert.IsType<CellFailure>(run.Failure);
        Assert.Equal(2, failure.CellNumber);
        Assert.Contains("time limit of 0.5 s", failure.Message, StringComparison.Ordinal);
        Assert.True(run.Duration < TimeSpan.FromSeconds(3.5), $"the run waited {run.Duration} for a cell limited to 0.5 s");
    }

    [Fact]
    public async Task A_dib_script_runs_like_a_jupyter_notebook()
    {
        var run = await Run("script.dib");

        Assert.True(run.Succeeded, run.Failure?.ToString());
        Assert.Equal(["markdown", "csharp"], run.Document.Cells.Select(c => c.KernelName));
        Assert.Equal("answer 42\n", Assert.Single(OutputsOf(run, 2)).Text);
    }

    [Fact]
    public async Task A_cell_for_a_kernel_the_kit_does_not_have_fails_and_names_the_kernel()
    {
        var run = await Run("other-kernel.dib");

        var failure = Assert.IsType<CellFailure>(run.Failure);
        Assert.Equal(2, failure.CellNumber);
        Assert.Equal("this cell is for the 'fsharp' kernel; the kit's kernel has only C#, HTML and value cells.", failure.Message);
        Assert.Equal("C# runs\n", Assert.Single(OutputsOf(run, 1)).Text);
    }

    [Fact]
    public async Task An_import_runs_another_notebook_in_the_same_kernel_resolved_from_the_notebook_folder()
    {
        var run = await Run("import.ipynb");

        Assert.True(run.Succeeded, run.Failure?.ToString());
        Assert.Equal("imported 42\n", Assert.Single(OutputsOf(run, 3), o => o.Kind == OutputKind.Stream).Text);
    }

    [Fact]
    public async Task Each_notebook_runs_with_its_own_folder_as_the_current_directory_and_restores_it_after()
    {
        var before = Environment.CurrentDirectory;

        var run = await Run("local-library.ipynb");

        Assert.True(run.Succeeded, run.Failure?.ToString());
        Assert.Equal(before, Environment.CurrentDirectory);
    }
}
