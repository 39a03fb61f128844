using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using GistNotebooks.Notebooks.Documents;
using GistNotebooks.Notebooks.Execution;
using GistNotebooks.Notebooks.Kernel;
using GistNotebooks.Notebooks.Scaffolding;
using GistNotebooks.Reporting.Formatting;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;

namespace GistNotebooks.Notebooks.Tests.Kernel;

/// <summary>
/// Notebooks from a fresh clone: the kit's kernel serves the kit's libraries when they are not built and runs their
/// kernel extension; any other kernel stops at the notebook's first code cell with the fix.
/// </summary>
public sealed class KitLibraryTests
{
    // The kit's layout: the notebook in a folder beside the kit folder its #r lines name, which nothing has built.
    private static (string Notebook, string Kit) FreshClone()
    {
        var root = TestNotebooks.NewFolder();
        var kit = Path.Combine(root, "artifacts", "kit");
        var notebook = Path.Combine(root, "notebooks", "fresh-clone.ipynb");
        Directory.CreateDirectory(Path.GetDirectoryName(notebook)!);
        string[] sources =
        [
            "# A notebook opened before anything was built",
            StudyScaffold.KitCheck("../artifacts/kit"),
            StudyScaffold.ReferencesProse,
            "#r \"../artifacts/kit/GistNotebooks.Survival.dll\"\n#r \"../artifacts/kit/GistNotebooks.Reporting.dll\"\n#r \"../artifacts/kit/GistNotebooks.Interactive.dll\"",
            "A curve, displayed by the kit's formatter without a call to register it.",
            "using GistNotebooks.Survival.Data;\nusing GistNotebooks.Survival.Estimation;\nKaplanMeier.Estimate(SurvivalData.Create([1.0, 2, 3, 4], [1, 1, 0, 1]))",
        ];
        var cells = new JsonArray();
        for (var i = 0; i < sources.Length; i++)
        {
            var code = i % 2 == 1;
            var cell = new JsonObject { ["cell_type"] = code ? "code" : "markdown", ["id"] = $"fresh-{i + 1}", ["metadata"] = new JsonObject(), ["source"] = sources[i] };
            if (code)
            {
                cell["execution_count"] = null;
                cell["outputs"] = new JsonArray();
            }

            cells.Add(cell);
        }

        File.WriteAllText(notebook, new JsonObject { ["cells"] = cells, ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5 }.ToJsonString());
        return (notebook, kit);
    }

    [Fact]
    public async Task A_notebook_whose_kit_is_not_built_runs_on_the_kits_kernel_with_its_own_copies_and_their_formatters()
    {
        var (notebook, kit) = FreshClone();

        var run = await NotebookRunner.RunAsync(NotebookDocument.Load(notebook));

        Assert.False(Directory.Exists(kit));
        Assert.True(run.Succeeded, run.Failure?.ToString());
        var curve = KaplanMeier.Estimate(SurvivalData.Create([1.0, 2, 3, 4], [1, 1, 0, 1]));
        var result = Assert.Single(run.Cells[^1].Outputs, o => o.Kind == OutputKind.Result);
        Assert.Equal(ResultFormat.ToHtml(curve), result.Data["text/html"]);
    }

    [Fact]
    public async Task On_another_kernel_the_first_cell_stops_with_the_fix_when_the_kit_is_not_built_and_passes_once_it_is()
    {
        var (_, kit) = FreshClone();
        var check = StudyScaffold.KitCheck(kit);
        AppContext.SetSwitch(KitKernel.ServesKitSwitch, isEnabled: false);
        try
        {
            // A kernel composed as the stock ones are: C#, none of the kit's middleware.
            using var stock = new CompositeKernel { new CSharpKernel() };
            stock.DefaultKernelName = "csharp";

            var failed = Assert.Single((await stock.SendAsync(new SubmitCode(check))).Events.OfType<CommandFailed>());
            Assert.Contains("GistNotebooks.Interactive.dll is missing", failed.Message, StringComparison.Ordinal);
            Assert.Contains("kernel install", failed.Message, StringComparison.Ordinal);
            Assert.Contains("dotnet build", failed.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("CS0006", failed.Message, StringComparison.Ordinal);

            Directory.CreateDirectory(kit);
            await File.WriteAllBytesAsync(Path.Combine(kit, "GistNotebooks.Interactive.dll"), []);
            Assert.DoesNotContain((await stock.SendAsync(new SubmitCode(check))).Events, e => e is CommandFailed);
        }
        finally
        {
            AppContext.SetSwitch(KitKernel.ServesKitSwitch, isEnabled: true);
        }
    }

    [Fact]
    public void Only_a_missing_kit_library_the_host_has_a_copy_of_is_served()
    {
        var missing = Path.Combine(TestNotebooks.NewFolder(), "kit");

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "GistNotebooks.Interactive.dll"), KitKernel.ServedCopy(Path.Combine(missing, "GistNotebooks.Interactive.dll")));
        Assert.Null(KitKernel.ServedCopy(Path.Combine(missing, "GistNotebooks.Missing.dll")));
        Assert.Null(KitKernel.ServedCopy(Path.Combine(missing, "MathNet.Numerics.dll")));
        Assert.Null(KitKernel.ServedCopy(typeof(KitKernel).Assembly.Location));
    }
}
