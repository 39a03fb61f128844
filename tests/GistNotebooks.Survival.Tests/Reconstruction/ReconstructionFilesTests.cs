using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Reconstruction;

namespace GistNotebooks.Survival.Tests.Reconstruction;

public sealed class ReconstructionFilesTests
{
    private static readonly ClaimSet Nunobe = ClaimSet.Load(TestData.NunobeClaims);

    [Fact]
    public void One_cohort_gives_the_shipped_cohort_csv_and_its_provenance_and_nothing_else()
    {
        var result = CohortReconstruction.Reconstruct(Nunobe);

        var files = ReconstructionFiles.Contents(result, Nunobe, includeEnsembleCohorts: false);

        Assert.Equal(["cohort.csv", "cohort.json"], files.Select(f => f.Name));
        Assert.Equal(File.ReadAllText(TestData.NunobeCohort), files[0].Contents);
        Assert.Equal(ReconstructionFiles.ProvenanceJson(result, Nunobe), files[1].Contents);
    }

    [Fact]
    public void An_ensemble_gives_every_cohort_its_own_file_then_the_provenance_then_the_ensemble_summary()
    {
        var result = CohortReconstruction.Reconstruct(Nunobe, new ReconstructionOptions { Seed = 7, Count = 3 });

        var files = ReconstructionFiles.Contents(result, Nunobe, includeEnsembleCohorts: true);

        Assert.Equal(["cohort.csv", "cohort-0001.csv", "cohort-0002.csv", "cohort-0003.csv", "cohort.json", "ensemble.json"], files.Select(f => f.Name));
        Assert.Equal(result.Cohorts.Select(c => c.ToCsv()), files.Skip(1).Take(3).Select(f => f.Contents));
        Assert.Equal(files[1].Contents, files[0].Contents);
        Assert.StartsWith("{\n  \"schemaVersion\": 1,\n  \"cohorts\": 3,", files[5].Contents.ReplaceLineEndings("\n"), StringComparison.Ordinal);

        var withoutCohortFiles = ReconstructionFiles.Contents(result, Nunobe, includeEnsembleCohorts: false);
        Assert.Equal(["cohort.csv", "cohort.json", "ensemble.json"], withoutCohortFiles.Select(f => f.Name));
    }
}
