using GistNotebooks.Reporting.Files;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Reporting.Tests.Files;

/// <summary>
/// A set of outputs is whole or marked: nothing in the output folder changes until <see cref="OutputStaging.Commit"/>,
/// a set that is not committed leaves the previous one as it was, and a commit that cannot finish leaves the marker.
/// </summary>
public sealed class OutputStagingTests
{
    private static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "gistnb-staging-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    [Fact]
    public void Nothing_reaches_the_output_folder_before_the_commit_and_everything_does_after_it()
    {
        var folder = NewFolder();
        File.WriteAllText(Path.Combine(folder, "claims.json"), "old");
        var staging = OutputStaging.Begin(folder, "INCOMPLETE.txt");

        staging.Write("claims.json", "new");
        staging.Write(Path.Combine("notebooks", "a.ipynb"), "{}");

        Assert.Equal("old", File.ReadAllText(Path.Combine(folder, "claims.json")));
        Assert.False(Directory.Exists(Path.Combine(folder, "notebooks")));
        var written = staging.Commit();

        Assert.Equal([Path.Combine(folder, "claims.json"), Path.Combine(folder, "notebooks", "a.ipynb")], written);
        Assert.Equal("new", File.ReadAllText(Path.Combine(folder, "claims.json")));
        Assert.Equal("{}", File.ReadAllText(Path.Combine(folder, "notebooks", "a.ipynb")));
        Assert.False(File.Exists(Path.Combine(folder, "INCOMPLETE.txt")));
        Assert.Empty(Directory.GetDirectories(folder, ".gistnb-staging-*"));
    }

    [Fact]
    public void A_set_that_is_not_committed_leaves_the_previous_set_and_no_staging_folder()
    {
        var folder = NewFolder();
        File.WriteAllText(Path.Combine(folder, "report.html"), "previous");

        using (var staging = OutputStaging.Begin(folder, "INCOMPLETE.txt"))
        {
            staging.Write("report.html", "half a run");
        }

        Assert.Equal("previous", File.ReadAllText(Path.Combine(folder, "report.html")));
        Assert.Equal([Path.Combine(folder, "report.html")], Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public void A_commit_that_cannot_move_every_file_leaves_a_marker_that_names_the_set_as_incomplete()
    {
        var folder = NewFolder();

        // A folder where a file must go: the move fails after the first file is in place.
        Directory.CreateDirectory(Path.Combine(folder, "report.html"));
        var staging = OutputStaging.Begin(folder, "INCOMPLETE.txt");
        staging.Write("claims.json", "new");
        staging.Write("report.html", "new");

        var e = Assert.Throws<DataValidationException>(() => staging.Commit());

        Assert.Contains("INCOMPLETE.txt marks the set as incomplete", e.Message, StringComparison.Ordinal);
        var marker = File.ReadAllText(Path.Combine(folder, "INCOMPLETE.txt"));
        Assert.StartsWith("INCOMPLETE: gistnb began moving a new set of outputs into this folder", marker, StringComparison.Ordinal);
        Assert.Contains("claims.json\nreport.html\n", marker, StringComparison.Ordinal);
    }

    [Fact]
    public void A_staging_folder_left_by_an_ended_process_is_removed_by_the_next_run_and_a_live_one_is_kept()
    {
        var folder = NewFolder();
        var abandoned = Directory.CreateDirectory(Path.Combine(folder, ".gistnb-staging-2147483646-0123")).FullName;
        var live = Directory.CreateDirectory(Path.Combine(folder, $".gistnb-staging-{Environment.ProcessId}-4567")).FullName;

        using var staging = OutputStaging.Begin(folder, "INCOMPLETE.txt");

        Assert.False(Directory.Exists(abandoned));
        Assert.True(Directory.Exists(live));
    }

    [Fact]
    public void A_file_that_fails_its_check_is_not_staged()
    {
        var folder = NewFolder();
        using var staging = OutputStaging.Begin(folder, "INCOMPLETE.txt");

        Assert.Throws<DataValidationException>(() => staging.Write("cohort.csv", "a,b\n1", _ => throw new DataValidationException("cohort.csv: cannot be read back")));
        Assert.Empty(staging.Commit());
        Assert.False(File.Exists(Path.Combine(folder, "cohort.csv")));
    }

    [Fact]
    public void An_output_outside_the_folder_is_refused()
    {
        using var staging = OutputStaging.Begin(NewFolder(), "INCOMPLETE.txt");

        Assert.Throws<ArgumentException>(() => staging.Write(Path.Combine("..", "escape.txt"), "x"));
    }
}

/// <summary>An output is compared with every input after the paths are resolved, links included.</summary>
public sealed class SourceGuardTests
{
    [Fact]
    public void An_output_on_an_input_is_refused_with_both_named()
    {
        var folder = Path.Combine(Path.GetTempPath(), "gistnb-guard-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var input = Path.Combine(folder, "cohort.csv");
        File.WriteAllText(input, "x");

        var e = Assert.Throws<DataValidationException>(() => SourceGuard.EnsureNoSourceIsWritten([Path.Combine(folder, ".", "cohort.csv")], [input]));

        Assert.Equal($"{Path.Combine(folder, ".", "cohort.csv")}: this output would replace the input {input}; nothing was run or written. Choose another --out (a folder that holds no source).", e.Message);
    }

    [Fact]
    public void A_link_to_an_input_counts_as_the_input_and_other_outputs_pass()
    {
        var folder = Path.Combine(Path.GetTempPath(), "gistnb-guard-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var input = Path.Combine(folder, "claims.json");
        File.WriteAllText(input, "{}");
        var link = Path.Combine(folder, "link.json");
        File.CreateSymbolicLink(link, input);

        Assert.Throws<DataValidationException>(() => SourceGuard.EnsureNoSourceIsWritten([link], [input]));
        SourceGuard.EnsureNoSourceIsWritten([Path.Combine(folder, "other.json")], [input]);
    }
}
