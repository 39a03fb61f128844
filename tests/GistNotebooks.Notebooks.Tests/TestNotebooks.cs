using GistNotebooks.Notebooks.Documents;

// The kernel redirects Console for the whole process and formatters are static: notebook tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace GistNotebooks.Notebooks.Tests;

/// <summary>The small notebooks made for these tests. They are run from their source folder (so a relative #r finds
/// artifacts/kit as it does for the kit's own notebooks) and are only read, never written.</summary>
internal static class TestNotebooks
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Folder { get; } = Path.Combine(RepositoryRoot, "tests", "GistNotebooks.Notebooks.Tests", "Notebooks");

    public static string PathOf(string name) => Path.Combine(Folder, name);

    public static NotebookDocument Load(string name) => NotebookDocument.Load(PathOf(name));

    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "gistnb-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "GistNotebooks.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The tests run from inside the repository; GistNotebooks.sln was not found above " + AppContext.BaseDirectory);
    }
}
