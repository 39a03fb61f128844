using GistNotebooks.Notebooks.Execution;

namespace GistNotebooks.Notebooks.Tests.Execution;

/// <summary>
/// A run clears the folders other builds' warm workers left, but never one a worker listens in, one a run holds a
/// slot of, or one made so lately that its run may not hold a slot yet.
/// </summary>
public sealed class WarmWorkerSweepTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("gistnb-sweep-").FullName;

    [Fact]
    public void Only_stale_folders_go()
    {
        var keep = Folder("this-build");
        var stale = Folder("stale", "w0.lock", "w0.address");
        var listening = Folder("listening", "w0.lock", "w0-1a2b.sock");
        var held = Folder("held", "w0.lock");
        var fresh = Folder("fresh", "w0.lock");
        var now = DateTime.UtcNow;
        foreach (var folder in new[] { keep, stale, listening, held })
        {
            Directory.SetLastWriteTimeUtc(folder, now - WarmWorkers.SweepAge - TimeSpan.FromSeconds(1));
        }

        using (new FileStream(Path.Combine(held, "w0.lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            WarmWorkers.Sweep(root, keep, now);
        }

        Assert.False(Directory.Exists(stale));
        Assert.True(Directory.Exists(keep));
        Assert.True(Directory.Exists(listening));
        Assert.True(Directory.Exists(held));
        Assert.True(Directory.Exists(fresh));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Folder(string name, params string[] files)
    {
        var folder = Path.Combine(root, name);
        Directory.CreateDirectory(folder);
        foreach (var file in files)
        {
            File.WriteAllBytes(Path.Combine(folder, file), []);
        }

        return folder;
    }
}
