using System.Collections.Immutable;
using System.Text.Json;
using GistNotebooks.Notebooks.Documents;
using GistNotebooks.Notebooks.Export;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Notebooks.Tests.Export;

/// <summary>Notebooks written for these tests, converted to file-based apps and read as text (no app is built here).</summary>
public sealed class FileAppConversionTests
{
    private static readonly FileAppContext InCheckout = new(
        "../../notebooks",
        new KitReference(
            ImmutableDictionary.CreateRange(StringComparer.Ordinal, [
                new KeyValuePair<string, string>("GistNotebooks.Survival", "../../src/GistNotebooks.Survival"),
                new KeyValuePair<string, string>("GistNotebooks.Reporting", "../../src/GistNotebooks.Reporting")]),
            "0.1.0"),
        ImmutableDictionary.CreateRange(StringComparer.OrdinalIgnoreCase, [
            new KeyValuePair<string, string>("Plotly.NET", "6.0.0"),
            new KeyValuePair<string, string>("Microsoft.Data.Analysis", "0.23.1")]),
        InsideRepository: true);

    private static readonly string[] References =
    [
        "#r \"nuget: Plotly.NET.Interactive, 6.0.0\"",
        "#r \"nuget: Microsoft.Data.Analysis, 0.22.0\"",
        "#r \"../artifacts/kit/GistNotebooks.Survival.dll\"",
        "#r \"../artifacts/kit/GistNotebooks.Reporting.dll\"",
    ];

    [Fact]
    public void References_become_directives_pinned_as_in_Directory_Packages_props_and_the_kernel_extension_becomes_its_library()
    {
        var app = Convert(Code(References), Code("var x = 1;"));

        var directives = app.Text.Split('\n').TakeWhile(l => l.StartsWith("#:", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [
                "#:project ../../src/GistNotebooks.Survival",
                "#:project ../../src/GistNotebooks.Reporting",
                "#:package Plotly.NET@6.0.0",
                "#:package Microsoft.Data.Analysis@0.23.1",
                "#:property ManagePackageVersionsCentrally=false",
            ],
            directives);
        Assert.DoesNotContain("#r ", app.Text, StringComparison.Ordinal);
        Assert.Empty(app.Notes);
    }

    [Fact]
    public void Outside_a_checkout_the_kit_is_a_package_at_the_kit_version_and_central_versions_are_left_alone()
    {
        var context = InCheckout with { Kit = new KitReference(ImmutableDictionary<string, string>.Empty, "1.2.3"), InsideRepository = false };

        var app = Convert(context, Code(References));

        Assert.Contains("#:package GistNotebooks.Survival@1.2.3\n", app.Text, StringComparison.Ordinal);
        Assert.Contains("#:package GistNotebooks.Reporting@1.2.3\n", app.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("#:project", app.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("ManagePackageVersionsCentrally", app.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_a_checkout_the_notebook_formatters_package_is_left_out()
    {
        var context = InCheckout with { Kit = new KitReference(ImmutableDictionary<string, string>.Empty, "1.2.3"), InsideRepository = false };

        var app = Convert(context, Code([.. References, "#r \"../artifacts/kit/GistNotebooks.Interactive.dll\""]));

        Assert.Contains("#:package GistNotebooks.Reporting@1.2.3\n", app.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("GistNotebooks.Interactive", app.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Prose_becomes_comments_and_the_app_reads_relative_paths_from_the_notebook_folder()
    {
        var app = Convert(Markdown("# Title\n\nTwo lines\nof prose."), Code(References), Code("var text = File.ReadAllText(\"../data/x.csv\");"));

        Assert.Contains("// # Title\n//\n// Two lines\n// of prose.\n", app.Text, StringComparison.Ordinal);
        Assert.Contains(
            "Directory.SetCurrentDirectory(Path.GetFullPath(Path.Combine((string)AppContext.GetData(\"EntryPointFileDirectoryPath\")!, \"../../notebooks\")));",
            app.Text,
            StringComparison.Ordinal);
        Assert.Contains("var text = File.ReadAllText(\"../data/x.csv\");", app.Text, StringComparison.Ordinal);
        Assert.Equal("notebook.cs", app.FileName);
    }

    [Fact]
    public void Trailing_expressions_over_several_lines_and_display_calls_are_shown_and_usings_move_to_the_top()
    {
        var app = Convert(
            Code(References),
            Code("using GistNotebooks.Survival.Data;\n\nvar a = 2;\ndisplay(a);\nnew[]\n{\n    a,\n    3,\n}"),
            Code("using System.Text.Json;\nvar b = a + 1;\nb"),
            Code("Console.WriteLine(a);"));

        var usings = app.Text.Split('\n').Where(l => l.StartsWith("using ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["using GistNotebooks.Reporting;", "using GistNotebooks.Survival.Data;", "using System.Text.Json;"], usings);
        var firstCode = app.Text.IndexOf("Directory.SetCurrentDirectory", StringComparison.Ordinal);
        Assert.True(app.Text.LastIndexOf("using ", StringComparison.Ordinal) < firstCode);
        Assert.Contains("FileApp.Show(a);", app.Text, StringComparison.Ordinal);
        Assert.Contains("FileApp.Show(new[]\n{\n    a,\n    3,\n});", app.Text, StringComparison.Ordinal);
        Assert.Contains("FileApp.Show(b);", app.Text, StringComparison.Ordinal);
        Assert.Contains("\nConsole.WriteLine(a);", app.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("FileApp.Show(Console", app.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("display(", app.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trailing_display_call_is_shown_once()
    {
        var app = Convert(Code(References), Code("display(1)"));

        Assert.Contains("FileApp.Show(1)", app.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("FileApp.Show(FileApp.Show", app.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Formatter_registration_is_dropped_wherever_it_stands_and_a_notebook_without_it_converts_the_same()
    {
        var with = Convert(Code(References), Code("using GistNotebooks.Reporting;\n\nNotebookFormatters.Register();\nvar claims = 1;\nclaims"));
        var qualified = Convert(Code(References), Code("GistNotebooks.Reporting.NotebookFormatters.Register();\nvar claims = 1;\nclaims"));
        var without = Convert(Code(References), Code("using GistNotebooks.Reporting;\n\nvar claims = 1;\nclaims"));

        Assert.DoesNotContain("Register", with.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Register", qualified.Text, StringComparison.Ordinal);
        Assert.Equal(without.Text, with.Text);
    }

    [Fact]
    public void A_cell_that_only_checks_the_kit_is_loaded_becomes_a_comment_wherever_it_stands()
    {
        const string guard = "if (Type.GetType(\"GistNotebooks.Reporting.NotebookClaims, GistNotebooks.Reporting\") is null)\n"
            + "    throw new InvalidOperationException(\"The kit is not loaded: run `gistnb kernel install`.\");";

        var first = Convert(Code(guard), Code(References), Code("var x = 1;"));
        var later = Convert(Code(References), Code(guard), Code("var x = 1;"));

        foreach (var app in new[] { first, later })
        {
            Assert.DoesNotContain("throw new InvalidOperationException", app.Text, StringComparison.Ordinal);
            Assert.Contains("checked that the kit is loaded", app.Text, StringComparison.Ordinal);
            Assert.Contains("var x = 1;", app.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_cell_that_declares_something_is_kept_even_when_it_throws_and_names_the_kit()
    {
        var app = Convert(Code(References), Code("var kit = typeof(GistNotebooks.Reporting.FileApp);\nif (kit is null) throw new InvalidOperationException();"));

        Assert.Contains("throw new InvalidOperationException();", app.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Type_declarations_move_below_the_code_and_cells_of_other_kernels_are_comments_with_a_note()
    {
        var app = Convert(Code(References), Code("record Point(double X, double Y);\nvar p = new Point(1, 2);"), Code("printfn \"hi\"", "fsharp"));

        Assert.True(app.Text.IndexOf("var p = new Point(1, 2);", StringComparison.Ordinal) < app.Text.IndexOf("record Point", StringComparison.Ordinal));
        Assert.Contains("// printfn \"hi\"", app.Text, StringComparison.Ordinal);
        Assert.Single(app.Notes, n => n.Contains("fsharp", StringComparison.Ordinal));
    }

    [Fact]
    public void Export_refuses_a_folder_that_holds_files_unless_forced_and_never_writes_over_a_notebook()
    {
        var folder = TestNotebooks.NewFolder();
        var notebook = Write(folder, "analysis.ipynb", Code("var x = 1;"));
        var output = Path.Combine(folder, "apps");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "other.txt"), "keep");

        var refused = Assert.Throws<DataValidationException>(() => FileAppExport.Export([notebook], output));
        var written = FileAppExport.Export([notebook], output, force: true);

        Assert.Contains("--force", refused.Message, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(output, "analysis.cs"), Assert.Single(written).App);
        Assert.Equal("keep", File.ReadAllText(Path.Combine(output, "other.txt")));
    }

    [Fact]
    public void Export_never_writes_through_a_link_onto_a_notebook_nor_two_notebooks_onto_one_app()
    {
        var folder = TestNotebooks.NewFolder();
        var notebook = Write(folder, "analysis.ipynb", Code("var x = 1;"));
        var before = File.ReadAllText(notebook);
        var output = Path.Combine(folder, "apps");
        Directory.CreateDirectory(output);
        File.CreateSymbolicLink(Path.Combine(output, "analysis.cs"), notebook);
        var twin = Write(Path.Combine(folder, "other"), "analysis.ipynb", Code("var y = 2;"));

        var linked = Assert.Throws<DataValidationException>(() => FileAppExport.Export([notebook], output, force: true));
        var clash = Assert.Throws<DataValidationException>(() => FileAppExport.Export([notebook, twin], Path.Combine(folder, "fresh")));

        Assert.Contains("would replace the input", linked.Message, StringComparison.Ordinal);
        Assert.Contains("two notebooks", clash.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(notebook));
        Assert.False(Directory.Exists(Path.Combine(folder, "fresh")));
    }

    private static FileAppSource Convert(params string[] cells) => Convert(InCheckout, cells);

    private static FileAppSource Convert(FileAppContext context, params string[] cells)
    {
        var path = Write(TestNotebooks.NewFolder(), "notebook.ipynb", cells);
        return FileAppConversion.Convert(NotebookDocument.Load(path), context);
    }

    private static string Code(params string[] lines) => Code(string.Join('\n', lines), "csharp");

    private static string Code(string source, string kernel) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["metadata"] = new Dictionary<string, object> { ["polyglot_notebook"] = new Dictionary<string, string> { ["kernelName"] = kernel } },
            ["outputs"] = Array.Empty<object>(),
            ["source"] = source,
        });

    private static string Markdown(string source) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["cell_type"] = "markdown", ["metadata"] = new Dictionary<string, object>(), ["source"] = source });

    private static string Write(string folder, string name, params string[] cells)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        const string metadata = """
            "metadata": {"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"}, "polyglot_notebook": {"kernelInfo": {"defaultKernelName": "csharp", "items": [{"name": "csharp"}, {"name": "fsharp"}]}}}
            """;
        File.WriteAllText(path, "{\"cells\": [" + string.Join(",", cells) + "],\n" + metadata + ",\n\"nbformat\": 4, \"nbformat_minor\": 5}");
        return path;
    }
}
