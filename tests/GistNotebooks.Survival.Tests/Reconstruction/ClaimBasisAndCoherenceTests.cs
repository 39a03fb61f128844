using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Reconstruction;

namespace GistNotebooks.Survival.Tests.Reconstruction;

public class ClaimBasisAndCoherenceTests
{
    private static readonly ClaimSet Nunobe = ClaimSet.Load(TestData.NunobeClaims);

    /// <summary>A kind of claim no step of the reconstruction targets.</summary>
    private sealed record UntargetedClaim : Claim
    {
        public override string Reported => "anything";
    }

    [Fact]
    public void Every_claim_of_the_abstract_has_the_basis_of_the_step_that_makes_it_hold()
    {
        var bases = CohortReconstruction.Bases(Nunobe);

        // Counts and margins are assigned; the survival figures, the follow-up range and the long-term survivors are
        // what the order search is compiled from; "no significant predictor" is met by redrawing.
        Assert.Equal(["C01", "C02", "C03", "C04", "C05", "C09", "C10"], bases.Where(b => b.Value == ClaimBasis.Assigned).Select(b => b.Key));
        Assert.Equal(["C06", "C07", "C08", "C11"], bases.Where(b => b.Value == ClaimBasis.Searched).Select(b => b.Key));
        Assert.Equal(["C12"], bases.Where(b => b.Value == ClaimBasis.Redrawn).Select(b => b.Key));
    }

    [Fact]
    public void The_searched_claims_are_those_the_sequence_count_names_under_every_reading()
    {
        foreach (var reading in Nunobe.Readings)
        {
            var claims = Nunobe.WithReading(reading.Name);
            var searched = CohortReconstruction.Bases(claims).Where(b => b.Value == ClaimBasis.Searched).Select(b => b.Key);
            Assert.Equal(ConsistentSequences.Count(claims).ClaimIds, searched);
        }
    }

    [Fact]
    public void A_kind_of_claim_the_reconstruction_does_not_target_is_independent()
    {
        var other = new UntargetedClaim { Id = "X1", Description = "an untargeted figure", Sentence = "-" };
        var claims = Nunobe with { Claims = [.. Nunobe.Claims, other] };

        Assert.Equal(ClaimBasis.Independent, CohortReconstruction.Basis(claims, other));
        Assert.Equal(ClaimBasis.Assigned, CohortReconstruction.Basis(claims, claims["C02"]));
    }

    [Fact]
    public void A_cohort_without_provenance_is_independent_of_every_claim()
    {
        var bases = ReconstructionFiles.Bases(Nunobe, reconstructed: false);

        Assert.All(Nunobe.Claims, c => Assert.Equal(ClaimBasis.Independent, bases(c.Id)));
        Assert.Equal(ClaimBasis.Redrawn, ReconstructionFiles.Bases(Nunobe, reconstructed: true)("C12"));
    }

    [Theory]
    [InlineData(ClaimBasis.Assigned, "assigned")]
    [InlineData(ClaimBasis.Searched, "searched")]
    [InlineData(ClaimBasis.Redrawn, "redrawn")]
    [InlineData(ClaimBasis.Independent, "independent")]
    public void A_basis_is_written_and_read_by_its_name(ClaimBasis basis, string name)
    {
        Assert.Equal(name, basis.Name());
        Assert.Equal(basis, ClaimBasisNames.Parse(name));
    }

    [Fact]
    public void The_shipped_cohort_is_coherent()
    {
        Assert.Empty(CohortReconstruction.CoherenceProblems(Nunobe, ColumnTable.ReadCsv(TestData.NunobeCohort)));
    }

    [Fact]
    public void Every_cohort_of_a_1000_cohort_ensemble_is_coherent_and_passes_every_claim()
    {
        var cohorts = CohortReconstruction.Reconstruct(Nunobe, new ReconstructionOptions { Seed = 15, Count = 1000 }).Cohorts;

        Assert.Equal(1000, cohorts.Length);
        foreach (var table in cohorts.Select(c => c.ToTable()))
        {
            Assert.Empty(CohortReconstruction.CoherenceProblems(Nunobe, table));
            Assert.True(ConsistencyCheck.Check(Nunobe, table).AllPassed);

            // The rules spelled out: repeat resections imply a recurrence, a recurrence is dated no later than the last
            // follow-up, remnant-liver recurrence implies recurrence.
            var recurrence = table.GetText("recurrence");
            var resections = table.GetNumbers("resections");
            var remnant = table.GetText("remnantLiverRecurrence");
            var followUp = table.GetNumbers("followUpMonths");
            var recurrenceMonths = table.GetNumbersOrMissing("recurrenceMonths");
            for (var i = 0; i < table.RowCount; i++)
            {
                Assert.True(resections[i] < 2 || recurrence[i] == "1");
                Assert.True(remnant[i] != "1" || recurrence[i] == "1");
                Assert.True(recurrence[i] != "1" || recurrenceMonths[i] <= followUp[i]);
            }
        }
    }

    [Fact]
    public void Each_broken_rule_is_named_with_the_patient()
    {
        // P01 has three resections but no recurrence; P02 recurs after its last follow-up; P03 has a remnant-liver
        // recurrence without a recurrence, and a recurrence time without one.
        var table = ColumnTable.ParseCsv("""
            patient,followUpMonths,death,recurrence,recurrenceMonths,remnantLiverRecurrence,resections
            P01,70,0,0,,0,3
            P02,20,1,1,25,1,1
            P03,30,1,0,12,1,1
            """);

        var problems = CohortReconstruction.CoherenceProblems(Nunobe, table);

        Assert.Equal(4, problems.Length);
        Assert.Contains(problems, p => p.StartsWith("P01: resections = 3 without recurrence", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("P02: recurrence at 25 is not dated at or before the last follow-up (20)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("P03: recurrenceMonths is given without recurrence", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("P03: remnantLiverRecurrence = 1 without recurrence = 1", StringComparison.Ordinal));
    }
}
