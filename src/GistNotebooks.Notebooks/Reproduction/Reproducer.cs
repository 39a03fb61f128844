using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using GistNotebooks.Notebooks.Documents;
using GistNotebooks.Notebooks.Execution;
using GistNotebooks.Notebooks.Report;
using GistNotebooks.Reporting;
using GistNotebooks.Reporting.Files;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Reconstruction;

namespace GistNotebooks.Notebooks.Reproduction;

/// <summary>What a reproduction or a single run is doing, for a progress line.</summary>
/// <param name="NotebookNumber">The notebook's position in the run, counting from 1.</param>
/// <param name="NotebookCount">The number of notebooks in the run.</param>
/// <param name="Cell">The cell about to run, or null when the notebook is starting or has ended.</param>
/// <param name="Notebook">The notebook's file name.</param>
/// <param name="Ended">Set on a notebook's last event: how long it ran. A reproduction may run two notebooks at once, so their events interleave.</param>
public sealed record RunProgress(int NotebookNumber, int NotebookCount, string Notebook, CellProgress? Cell, TimeSpan? Ended = null);

/// <summary>The outcome of running notebooks: the claims table, the runs, what was written and the provenance.</summary>
/// <param name="Claims">One row per claim, in the claims file's order (or as the notebooks produced them, for a single run).</param>
/// <param name="Notebooks">The notebooks as run.</param>
/// <param name="Provenance">When, where and with what.</param>
/// <param name="Written">The files written, full paths.</param>
public sealed record ReproductionResult(ImmutableArray<ClaimRecord> Claims, ImmutableArray<ReportNotebook> Notebooks, Provenance Provenance, ImmutableArray<string> Written)
{
    /// <summary>Whether every notebook ran and every claim passed (or cannot be checked, with its reason).</summary>
    public bool Succeeded => Notebooks.All(n => n.Run.Succeeded) && Claims.All(c => c.Passed || c.IsNotCheckable);

    /// <summary>The notebooks that stopped at a failing cell.</summary>
    public IEnumerable<CellFailure> Failures => Notebooks.Select(n => n.Run.Failure).OfType<CellFailure>();
}

/// <summary>
/// Runs notebooks and writes what a reviewer reads: the executed notebooks, <c>claims.json</c> and one
/// self-contained <c>report.html</c>. No output may replace an input; the set is staged and moved into place when the run ends.
/// </summary>
public static class Reproducer
{
    private static readonly JsonWriterOptions Layout = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The file that marks an output folder whose set of files was being replaced when the run was stopped.</summary>
    public const string IncompleteMarker = "INCOMPLETE.txt";

    /// <summary>Runs every notebook of a manifest and gathers their claims against the claims file.</summary>
    /// <param name="notebooksFolder">The folder holding <c>manifest.json</c> and the notebooks.</param>
    /// <param name="outputFolder">Where <c>notebooks/*.ipynb</c>, <c>report.html</c> and <c>claims.json</c> go.</param>
    /// <param name="options">Per-cell time limit, and the worker process to run the notebooks in.</param>
    /// <param name="progress">Told when each notebook and cell starts and when each notebook ends; one call at a time.</param>
    /// <param name="cancellationToken">Stops between cells (or at once, with a worker process).</param>
    /// <remarks>
    /// With a worker process (<see cref="NotebookRunOptions.Worker"/>), the notebooks run in
    /// <see cref="NotebookRunOptions.Workers"/> processes at once, each taking the next notebook when it is free (the
    /// longest first when there are several workers); each notebook still starts on a fresh kernel, and the outputs, the
    /// claims table and the report keep the manifest's order. While later notebooks run, the executed copies and report
    /// sections of the finished ones are written. Before anything runs, every output path is compared with every input
    /// (the manifest, the notebooks, the claims file, the data files) and the run is refused when one would be replaced. The files are staged
    /// (<see cref="OutputStaging"/>) and moved into place together when the run ends; a run with failing cells or
    /// claims still writes its whole set, with the failures in <c>claims.json</c> (<c>run.status</c>) and the report.
    /// </remarks>
    /// <exception cref="NotebookException">The manifest, a notebook or the claims file cannot be read, an output would replace an input, or the output folder cannot be written.</exception>
    public static async Task<ReproductionResult> ReproduceAsync(string notebooksFolder, string outputFolder, NotebookRunOptions? options = null, Action<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var workers = StartWorkers(options, WorkerCount(options));
        var manifest = NotebookManifest.Load(notebooksFolder);
        var claims = LoadClaims(manifest.ClaimsFile);
        var documents = manifest.Notebooks.Select(n => (Entry: n, Document: NotebookDocument.Load(Path.Combine(manifest.Folder, n.File)))).ToList();
        var notebookOutputs = documents.Select(d => Path.Combine("notebooks", ExecutedName(d.Document))).ToList();
        Guard(
            outputFolder,
            [.. notebookOutputs, "claims.json", "report.html", IncompleteMarker],
            [manifest.Path, manifest.ClaimsFile, .. manifest.DataFiles, .. documents.Select(d => d.Document.Path)]);
        using var staging = Begin(outputFolder);

        var started = DateTimeOffset.UtcNow;
        var root = RepositoryRoot(manifest.Folder) ?? StudyRoot(manifest.Folder);
        var tools = Provenance.ReadToolsAsync(root);
        var findings = Task.Run(() => Findings(claims, manifest), cancellationToken);
        var runs = new ReportNotebook[documents.Count];
        var articles = new Task<(string Executed, string Article)>[documents.Count];
        var reportOnce = progress is null ? null : Serialized(progress);
        await RunAllAsync(workers, DispatchOrder(documents.Select(d => d.Document).ToList(), workers.Count), async (i, worker) =>
        {
            var (entry, document) = documents[i];
            var run = await RunOneAsync(worker, document, i + 1, documents.Count, options, reportOnce, cancellationToken).ConfigureAwait(false);
            var notebook = new ReportNotebook(run, entry.Title, entry.Version);
            runs[i] = notebook;

            // Written while the next notebooks run: on two cores this takes the report off the end of the run.
            articles[i] = Task.Run(() => (JupyterWriter.ToJson(run, ExecutedMetadata(run, entry.Version)), HtmlReport.RenderArticle(notebook)), CancellationToken.None);
        }).ConfigureAwait(false);

        var workersStopped = workers.StopAsync();
        for (var i = 0; i < documents.Count; i++)
        {
            Stage(staging, notebookOutputs[i], (await articles[i].ConfigureAwait(false)).Executed);
        }

        var provenance = Provenance.Capture(started, [.. runs.Select(r => (r.Run, r.Version))], manifest.DataFiles.Prepend(manifest.ClaimsFile).Distinct(), root, await tools.ConfigureAwait(false));
        var table = ClaimTable(claims, manifest, runs);
        var title = manifest.Study.Length > 0 ? "Reproduction: " + manifest.Study : "Reproduction";
        Stage(staging, "claims.json", ClaimsJson(table, provenance, runs));
        var rendered = await Task.WhenAll(articles).ConfigureAwait(false);
        Stage(staging, "report.html", HtmlReport.Render(title, provenance, table, runs, await findings.ConfigureAwait(false), [.. rendered.Select(r => r.Article)]));
        var written = Commit(staging);
        await workersStopped.ConfigureAwait(false);
        return new ReproductionResult(table, [.. runs], provenance, [.. written]);
    }

    /// <summary>
    /// Runs notebooks in the given order, each on the first free worker. With no worker process (a single null entry)
    /// they run one after another in this process.
    /// </summary>
    private static async Task RunAllAsync(IReadOnlyList<WorkerProcess?> workers, int[] order, Func<int, WorkerProcess?, Task> runOne)
    {
        var next = -1;
        async Task DrainAsync(WorkerProcess? worker)
        {
            int position;
            while ((position = Interlocked.Increment(ref next)) < order.Length)
            {
                await runOne(order[position], worker).ConfigureAwait(false);
            }
        }

        await Task.WhenAll(workers.Select(DrainAsync)).ConfigureAwait(false);
    }

    /// <summary>
    /// The order in which notebooks are handed to the workers: the manifest's with one worker; with several, the
    /// longest first (by the length of their code, which follows their running time closely enough), so that the run does
    /// not end with one worker busy on a long notebook while the others wait.
    /// </summary>
    private static int[] DispatchOrder(List<NotebookDocument> documents, int workers)
    {
        var order = Enumerable.Range(0, documents.Count);
        return workers == 1
            ? [.. order]
            : [.. order.OrderByDescending(i => documents[i].Cells.Where(c => c.Kind == CellKind.Code).Sum(c => c.Source.Length))];
    }

    /// <summary>How many worker processes a reproduction starts: as asked, else two when there are two cores; one without a worker command.</summary>
    private static int WorkerCount(NotebookRunOptions? options) => options?.Worker is null
        ? 1
        : Math.Clamp(options.Workers ?? (Environment.ProcessorCount > 1 ? 2 : 1), 1, MaxWorkers);

    /// <summary>The most worker processes a reproduction starts (each holds a compiler and a kernel: several hundred megabytes).</summary>
    public const int MaxWorkers = 8;

    /// <summary>Progress callbacks one at a time, as the caller was promised, whichever worker they come from.</summary>
    private static Action<RunProgress> Serialized(Action<RunProgress> progress)
    {
        var gate = new Lock();
        return p =>
        {
            lock (gate)
            {
                progress(p);
            }
        };
    }

    /// <summary>Runs one notebook and writes it executed, with an HTML rendering, into a folder.</summary>
    /// <param name="notebookPath">A <c>.ipynb</c> or <c>.dib</c> file.</param>
    /// <param name="outputFolder">Where <c>NAME.ipynb</c> and <c>NAME.html</c> go; never the notebook's own folder when that would replace the source.</param>
    /// <param name="options">Per-cell time limit, and the worker process to run the notebook in.</param>
    /// <param name="progress">Told when each cell starts.</param>
    /// <param name="cancellationToken">Stops between cells (or at once, with a worker process).</param>
    /// <exception cref="NotebookException">The notebook cannot be read, or the output would replace it, or the folder cannot be written.</exception>
    public static async Task<ReproductionResult> RunAsync(string notebookPath, string outputFolder, NotebookRunOptions? options = null, Action<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var workers = StartWorkers(options, 1);
        var worker = workers[0];
        var document = NotebookDocument.Load(notebookPath);
        var name = Path.GetFileNameWithoutExtension(document.FileName);
        var notebookOut = Path.GetFullPath(Path.Combine(outputFolder, name + ".ipynb"));
        if (string.Equals(notebookOut, document.Path, StringComparison.Ordinal))
        {
            throw new NotebookException($"{notebookPath}: the output folder is the notebook's own folder; the executed copy would replace the source. Choose another --out.");
        }

        var marker = name + "." + IncompleteMarker;
        Guard(outputFolder, [name + ".ipynb", name + ".html", marker], [document.Path]);
        using var staging = Begin(outputFolder, marker);
        var started = DateTimeOffset.UtcNow;
        var root = RepositoryRoot(Path.GetDirectoryName(document.Path)!);
        var tools = Provenance.ReadToolsAsync(root);
        var run = await RunOneAsync(worker, document, 1, 1, options, progress, cancellationToken).ConfigureAwait(false);
        var notebook = new ReportNotebook(run, string.Empty, string.Empty);
        var provenance = Provenance.Capture(started, [(run, string.Empty)], [], root, await tools.ConfigureAwait(false));
        var claims = ClaimCollector.FromRun(run);
        Stage(staging, name + ".ipynb", JupyterWriter.ToJson(run, ExecutedMetadata(run, string.Empty)));
        Stage(staging, name + ".html", HtmlReport.Render(document.FileName, provenance, claims, [notebook]));
        return new ReproductionResult(claims, [notebook], provenance, [.. Commit(staging)]);
    }

    private static WorkerPool StartWorkers(NotebookRunOptions? options, int count)
    {
        if (options?.Worker is not { } command)
        {
            RunnerWarmUp.Start();
            return new WorkerPool([null]);
        }

        // The children start now, so that their start-up overlaps reading the notebooks; this process only renders.
        var pool = new WorkerPool([.. Enumerable.Range(0, count).Select(_ => new WorkerProcess(command))]);
        foreach (var worker in pool)
        {
            worker!.Start();
        }

        RunnerWarmUp.StartReport();
        return pool;
    }

    private static async Task<NotebookRun> RunOneAsync(WorkerProcess? worker, NotebookDocument document, int number, int count, NotebookRunOptions? options, Action<RunProgress>? progress, CancellationToken cancellationToken)
    {
        progress?.Invoke(new RunProgress(number, count, document.FileName, null));
        var cellProgress = progress is null ? null : new ImmediateProgress<CellProgress>(c => progress(new RunProgress(number, count, document.FileName, c)));
        var run = worker is null
            ? await NotebookRunner.RunAsync(document, options, cellProgress, cancellationToken).ConfigureAwait(false)
            : await worker.RunAsync(document, options?.CellTimeLimit, cellProgress, cancellationToken).ConfigureAwait(false);
        progress?.Invoke(new RunProgress(number, count, document.FileName, null, run.Duration));
        return run;
    }

    private static string ExecutedName(NotebookDocument document) => Path.GetFileNameWithoutExtension(document.FileName) + ".ipynb";

    /// <summary>Refuses outputs that would land on inputs, before anything runs.</summary>
    private static void Guard(string outputFolder, IEnumerable<string> outputs, IEnumerable<string> inputs)
    {
        try
        {
            SourceGuard.EnsureNoSourceIsWritten(outputs.Select(o => Path.Combine(outputFolder, o)), inputs);
        }
        catch (DataValidationException e)
        {
            throw new NotebookException(e.Message, e);
        }
    }

    private static OutputStaging Begin(string outputFolder, string marker = IncompleteMarker)
    {
        try
        {
            return OutputStaging.Begin(outputFolder, marker);
        }
        catch (DataValidationException e)
        {
            throw new NotebookException(e.Message, e);
        }
    }

    private static void Stage(OutputStaging staging, string relativePath, string contents)
    {
        try
        {
            staging.Write(relativePath, contents);
        }
        catch (DataValidationException e)
        {
            throw new NotebookException(e.Message, e);
        }
    }

    private static IReadOnlyList<string> Commit(OutputStaging staging)
    {
        try
        {
            return staging.Commit();
        }
        catch (DataValidationException e)
        {
            throw new NotebookException(e.Message, e);
        }
    }

    private static ClaimSet LoadClaims(string path)
    {
        try
        {
            return ClaimSet.Load(path);
        }
        catch (DataValidationException e)
        {
            throw new NotebookException(e.Message, e);
        }
    }

    /// <summary>One row per claim of the claims file: the check made in the notebook that the manifest assigns the claim to (else the first that checked it); a failing check anywhere wins (a claim that cannot be checked is not a failure).</summary>
    private static ImmutableArray<ClaimRecord> ClaimTable(ClaimSet claims, NotebookManifest manifest, ReportNotebook[] runs)
    {
        var records = runs.SelectMany(r => ClaimCollector.FromRun(r.Run)).ToList();
        var bases = Bases(claims, manifest);
        return [.. claims.Claims.Select(claim =>
        {
            var checks = records.Where(r => r.Id == claim.Id).ToList();
            var chosen = checks.Count == 0
                ? ClaimRecord.Unchecked(claim)
                : checks.FirstOrDefault(c => !c.Passed && !c.IsNotCheckable)
                    ?? checks.FirstOrDefault(c => c.Notebook == manifest.Notebooks.FirstOrDefault(n => n.Claims.Contains(claim.Id))?.File)
                    ?? checks[0];
            return chosen.Basis is null && !chosen.IsNotCheckable && bases(claim.Id) is ClaimBasis basis ? chosen with { Basis = basis.Name() } : chosen;
        })];
    }

    /// <summary>
    /// The basis of each claim for a record the notebooks gave none: how the reconstruction makes it hold when the
    /// manifest's data include a reconstruction's provenance file, otherwise independent; null when it cannot be told.
    /// </summary>
    private static Func<string, ClaimBasis?> Bases(ClaimSet claims, NotebookManifest manifest)
    {
        var reconstructed = manifest.DataFiles.Any(f => string.Equals(Path.GetFileName(f), ReconstructionFiles.ProvenanceName, StringComparison.Ordinal));
        try
        {
            return ReconstructionFiles.Bases(claims, reconstructed);
        }
        catch (DataValidationException)
        {
            return _ => null;
        }
    }

    /// <summary>
    /// What the claims fix and what the reconstruction chose (<see cref="AbstractFindings"/>), when the reproduction's
    /// cohort is a reconstruction; null for data not built to meet the claims, or claims no reconstruction can meet.
    /// </summary>
    private static AbstractFindings? Findings(ClaimSet claims, NotebookManifest manifest)
    {
        if (!manifest.DataFiles.Any(f => string.Equals(Path.GetFileName(f), ReconstructionFiles.ProvenanceName, StringComparison.Ordinal)))
        {
            return null;
        }

        try
        {
            return AbstractFindings.Compute(claims);
        }
        catch (Exception e) when (e is DataValidationException or InfeasibleClaimsException or UndecidedClaimsException or UnmetClaimsException)
        {
            return null;
        }
    }

    private static Dictionary<string, string> ExecutedMetadata(NotebookRun run, string version)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["executedBy"] = "gistnb",
            ["executedAtUtc"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["sourceSha256"] = run.Document.ContentHash,
        };
        if (version.Length > 0)
        {
            metadata["notebookVersion"] = version;
        }

        return metadata;
    }

    /// <summary>
    /// <c>claims.json</c>: the claims, the provenance, and the run's status — <c>passed</c> only when every notebook ran
    /// to the end and every claim passed, else <c>failed</c> with the failing cells named.
    /// </summary>
    private static string ClaimsJson(IReadOnlyList<ClaimRecord> claims, Provenance provenance, ReportNotebook[] runs)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Layout))
        {
            json.WriteStartObject();
            json.WriteNumber(Survival.OutputSchema.PropertyName, Survival.OutputSchema.Version);
            json.WriteStartObject("run");
            var failures = runs.Select(r => r.Run.Failure).OfType<CellFailure>().ToList();
            json.WriteString("status", failures.Count == 0 && claims.All(c => c.Passed) ? "passed" : "failed");
            json.WriteNumber("notebooksRunToTheEnd", runs.Count(r => r.Run.Succeeded));
            json.WriteNumber("notebooks", runs.Length);
            json.WriteStartArray("failures");
            foreach (var failure in failures)
            {
                json.WriteStringValue(failure.ToString());
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WritePropertyName("claims");
            ClaimRecord.WriteArray(json, claims);
            json.WritePropertyName("provenance");
            JsonSerializer.Serialize(json, provenance, ProvenanceJson.Default.Provenance);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string? RepositoryRoot(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (Directory.Exists(Path.Combine(folder.FullName, ".git")) || File.Exists(Path.Combine(folder.FullName, ".git")))
            {
                return folder.FullName;
            }
        }

        return null;
    }

    /// <summary>
    /// Outside a git checkout, the folder a study's provenance may read from: the one holding the <c>notebooks</c> folder
    /// the manifest lies in (the kit's layout, data beside notebooks), else the manifest's own folder. A manifest that
    /// names a file elsewhere on the machine gets it named in the provenance, not read.
    /// </summary>
    private static string StudyRoot(string manifestFolder)
    {
        for (var folder = new DirectoryInfo(manifestFolder); folder?.Parent is not null; folder = folder.Parent)
        {
            if (string.Equals(folder.Name, "notebooks", StringComparison.Ordinal))
            {
                return folder.Parent.FullName;
            }
        }

        return Path.GetFullPath(manifestFolder);
    }

    /// <summary>The worker processes of a run (or one null entry: the notebooks run in this process); disposing stops them.</summary>
    private sealed class WorkerPool : List<WorkerProcess?>, IDisposable
    {
        private readonly Lazy<Task> stopped;

        public WorkerPool(WorkerProcess?[] workers)
            : base(workers)
        {
            stopped = new(() => Task.Run(() => Parallel.ForEach(this, worker => worker?.Dispose())), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <summary>Lets the workers go (each takes up to a second to end) while the caller goes on; once, however often called.</summary>
        public Task StopAsync() => stopped.Value;

        public void Dispose() => StopAsync().GetAwaiter().GetResult();
    }

    /// <summary>Reports progress on the caller's thread, in order, unlike <see cref="Progress{T}"/> which posts to the thread pool.</summary>
    private sealed class ImmediateProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
