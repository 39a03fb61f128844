using System.Text.Json.Nodes;

namespace GistNotebooks.Cli.Tests.Faults;

/// <summary>Small hostile notebooks written into a fresh folder for one test.</summary>
internal static class FaultNotebooks
{
    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "gistnb-faults", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>A .ipynb with a title cell and then one C# code cell per source.</summary>
    public static string Code(string folder, string name, params string[] sources)
    {
        var cells = new JsonArray { Cell("markdown", "# " + name) };
        foreach (var source in sources)
        {
            cells.Add(Cell("code", source));
        }

        return Write(folder, name, cells, new JsonObject());
    }

    public static JsonObject Cell(string type, string source, string? id = null)
    {
        var lines = source.Split('\n');
        var sourceLines = new JsonArray();
        for (var i = 0; i < lines.Length; i++)
        {
            sourceLines.Add(i < lines.Length - 1 ? lines[i] + "\n" : lines[i]);
        }

        var cell = new JsonObject
        {
            ["cell_type"] = type,
            ["id"] = id ?? "c" + Guid.NewGuid().ToString("N")[..8],
            ["metadata"] = type == "code" ? new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } } : new JsonObject(),
            ["source"] = sourceLines,
        };
        if (type == "code")
        {
            cell["execution_count"] = null;
            cell["outputs"] = new JsonArray();
        }

        return cell;
    }

    public static string Write(string folder, string name, JsonArray cells, JsonObject metadata)
    {
        metadata["kernelspec"] ??= new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" };
        var notebook = new JsonObject { ["cells"] = cells, ["metadata"] = metadata, ["nbformat"] = 4, ["nbformat_minor"] = 5 };
        var path = Path.Combine(folder, name + ".ipynb");
        File.WriteAllText(path, notebook.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    /// <summary>A notebooks folder with a manifest over the given notebooks and a one-claim claims file.</summary>
    public static string Manifest(string folder, params string[] notebookNames)
    {
        File.WriteAllText(Path.Combine(folder, "claims.json"), """
            {
              "study": { "id": "faults", "citation": "A made-up study for the fault corpus.", "timeUnit": "months", "timeColumn": "time", "eventColumn": "status", "idColumn": "patient" },
              "claims": [ { "id": "C01", "kind": "cohortSize", "description": "4 patients", "sentence": "Four patients were studied.", "count": 4 } ]
            }
            """);
        var entries = string.Join(", ", notebookNames.Select(n => $$"""{ "file": "{{n}}.ipynb", "version": "1.0.0", "claims": [] }"""));
        File.WriteAllText(Path.Combine(folder, "manifest.json"), $$"""{ "claimsFile": "claims.json", "notebooks": [ {{entries}} ] }""");
        return folder;
    }
}
