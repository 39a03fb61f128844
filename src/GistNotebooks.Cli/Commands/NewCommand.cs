using System.CommandLine;
using GistNotebooks.Cli.Infrastructure;
using GistNotebooks.Notebooks.Scaffolding;
using GistNotebooks.Reporting;
using GistNotebooks.Reporting.Files;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Reconstruction;

namespace GistNotebooks.Cli.Commands;

/// <summary><c>gistnb new</c>: a study scaffolded from a claims file, ready for <c>gistnb reproduce --notebooks</c>.</summary>
internal static class NewCommand
{
    public static Command Create(CliConsole console)
    {
        var study = new Argument<string>("STUDY") { Description = "The study's folder name (e.g. gomez2007): writes data/STUDY and notebooks/STUDY." };
        var claimsOption = new Option<string>("--claims") { Description = "The claims file (JSON).", Required = true };
        var outOption = new Option<string>("--out") { Description = "The folder to create data/STUDY and notebooks/STUDY in (default: the current folder).", DefaultValueFactory = _ => "." };
        var seed = new Option<int>("--seed") { Description = "The seed of the reconstructed cohort (default 20050601).", DefaultValueFactory = _ => 20050601 };
        var command = new Command("new", "Scaffold a study from a claims file: data folder (claims, a reconstructed cohort) and notebooks (a manifest, one notebook per group of claims) that gistnb reproduce --notebooks runs at once. Refuses to overwrite a study.")
        {
            study, claimsOption, outOption, seed,
        };
        console.SetAction(command, parse =>
        {
            var name = parse.GetValue(study)!;
            var file = parse.GetValue(claimsOption)!;
            var root = parse.GetValue(outOption)!;
            if (name.Length == 0 || name.IndexOfAny(['/', '\\', ':']) >= 0 || name is "." or "..")
            {
                throw new CliUsageException($"STUDY must be a plain folder name, not '{name}'");
            }

            // The study's fixed files against the claims file it is made from, before anything is read or run (a claims
            // file inside the study's folder names itself rather than the folder); every file again once they are known.
            string[] fixedFiles = [$"data/{name}/claims.json", $"data/{name}/README.md", $"data/{name}/cohort.csv", $"notebooks/{name}/manifest.json", $"notebooks/{name}/CHANGELOG.md"];
            SourceGuard.EnsureNoSourceIsWritten(fixedFiles.Select(p => Path.Combine(root, p)), [file]);
            var claims = ClaimSet.Load(file, null);
            foreach (var folder in new[] { Path.Combine(root, "data", name), Path.Combine(root, "notebooks", name) })
            {
                if (Directory.Exists(folder) || File.Exists(folder))
                {
                    throw new CliUsageException($"{folder} already exists; a study is never overwritten: choose another name or remove it; nothing written");
                }
            }

            ReconstructionResult result;
            try
            {
                result = CohortReconstruction.Reconstruct(claims, new ReconstructionOptions { Seed = parse.GetValue(seed) });
            }
            catch (Exception e) when (e is InfeasibleClaimsException or UndecidedClaimsException or UnmetClaimsException)
            {
                console.Error.WriteLine($"gistnb: {file}: no cohort agrees with the claims ({e.Message}); see gistnb audit. A study needs one; nothing written.");
                return e is UnmetClaimsException ? ClaimCommands.ClaimFails : ClaimCommands.CannotDecide;
            }

            // The cohort is checked by the very check `gistnb check` runs, as `reconstruct` does, before anything is written.
            var failures = ConsistencyCheck.Check(claims, result.Cohorts[0].ToTable()).Checks.Where(c => c.Failed).ToList();
            if (failures.Count > 0)
            {
                console.Error.WriteLine($"gistnb: {file}: the reconstructed cohort fails {string.Join(", ", failures.Select(f => f.Id))}; nothing written.");
                return ClaimCommands.ClaimFails;
            }

            var notebooks = Path.GetFullPath(Path.Combine(root, "notebooks", name));
            var request = new ScaffoldRequest(
                name,
                claims,
                File.ReadAllText(file),
                [.. ReconstructionFiles.Contents(result, claims, includeEnsembleCohorts: false).Select(f => new ScaffoldFile(f.Name, f.Contents))],
                KitFolder(notebooks));
            var files = StudyScaffold.Create(request);
            SourceGuard.EnsureNoSourceIsWritten(files.Select(f => Path.Combine(root, f.Path)), [file]);
            foreach (var output in files)
            {
                AtomicFile.WriteAllText(Path.Combine(root, output.Path), output.Contents);
            }

            console.Output.WriteLine($"Scaffolded {name}: {files.Length} files in {Path.Combine(root, "data", name)} and {Path.Combine(root, "notebooks", name)}.");
            console.Output.WriteLine($"Run it: gistnb reproduce --notebooks {Path.Combine(root, "notebooks", name)}");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Where the notebooks' <c>#r</c> lines find the kit: the repository's <c>artifacts/kit</c> above the notebooks when
    /// there is one (the kit's own notebooks use it), else the folder this command runs from; relative to the notebook
    /// folder when both are on one drive.
    /// </summary>
    private static string KitFolder(string notebooks)
    {
        string? kit = null;
        for (var folder = new DirectoryInfo(notebooks); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "artifacts", "kit");
            if (File.Exists(Path.Combine(candidate, "GistNotebooks.Reporting.dll")))
            {
                kit = candidate;
                break;
            }
        }

        kit ??= Path.GetDirectoryName(typeof(NotebookClaims).Assembly.Location)!;
        return Path.GetPathRoot(kit) == Path.GetPathRoot(notebooks) ? Path.GetRelativePath(notebooks, kit) : kit;
    }
}
