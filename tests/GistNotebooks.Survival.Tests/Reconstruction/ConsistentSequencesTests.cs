using CsCheck;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Reconstruction;
using GistNotebooks.Testing;

namespace GistNotebooks.Survival.Tests.Reconstruction;

public class ConsistentSequencesTests
{
    private static readonly ClaimSet Nunobe = ClaimSet.Load(TestData.NunobeClaims);

    [Fact]
    public void The_tenth_month_reading_admits_the_twenty_four_sequences_counted_before()
    {
        // The exhaustive enumeration this counting replaces found 40 orders (a sequence together with where 36 and
        // 60 months fall) in 24 distinct death/censoring sequences: 3 arrangements of the first 15 patients (one of
        // them with the 9th, censored, patient before or after 36 months, hence 5 orders) times 2³ of the last 3.
        var tenth = Nunobe.WithReading("tenth-month");

        var count = ConsistentSequences.Count(tenth);
        var orders = ConsistentSequences.Enumerate(tenth)!.Value;

        Assert.True(count.IsExact);
        Assert.Equal(24, count.Count);
        Assert.Equal(24, orders.Length);
        Assert.Equal(3, orders.Select(o => string.Concat(o.Deaths.Take(15).Select(d => d ? 'D' : 'c'))).Distinct().Count());
        Assert.Equal(["C06", "C07", "C08", "C11"], count.ClaimIds.ToArray());
    }

    [Fact]
    public void Every_sequence_of_every_reading_reproduces_the_reported_survival_after_rounding()
    {
        foreach (var reading in Nunobe.Readings)
        {
            foreach (var order in ConsistentSequences.Enumerate(Nunobe.WithReading(reading.Name))!.Value)
            {
                // Under "60 months or more" the three survivors' cut (t < 60) and the 5-year cut (t ≤ 60) are two cuts.
                int At(double time) => order.CutCounts[order.CutTimes.IndexOf(time)];
                Assert.Equal(63.7, Math.Round(100 * order.SurvivalAfter(At(36)), 1));
                Assert.Equal(34.0, Math.Round(100 * order.SurvivalAfter(At(60)), 1));
                Assert.Equal(15, reading.Name == "at-least-5-years" ? At(59) : At(60));
            }
        }
    }

    [Fact]
    public void The_whole_month_reading_admits_fewer_sequences_than_the_tenth_month_reading()
    {
        // One arrangement of the tenth-month reading has only 8 patients by 36 months, so the 9th and 10th lie just
        // after 36 (36.1 to 36.4) and their mean still rounds to 36. On whole months they would lie at 37 or later,
        // a median of at least 37: that arrangement goes, leaving 2 × 2³ sequences. Reading "more than 5 years" as
        // "60 months or more" lets a patient sit at exactly 60 months, which adds arrangements.
        var whole = ConsistentSequences.Count(Nunobe);
        var atLeast = ConsistentSequences.Count(Nunobe.WithReading("at-least-5-years"));

        Assert.Equal("whole-month", Nunobe.Reading);
        Assert.Equal(16, whole.Count);
        Assert.Equal(32, atLeast.Count);
    }

    [Fact]
    public void A_hand_countable_case_gives_every_sequence()
    {
        // n = 2, S(10) printed as 50% (no decimal, [49.5, 50.5)). Survival after the first subject is 1/2 only when it
        // is a death (1 − 1/2); after two subjects it is 0 (DD) or 1/2 (Dc). The cut at 10 months falls after the
        // first subject (DD, Dc) or after both (Dc). cD gives 1 then 0, cc gives 1: neither. So DD and Dc.
        var claims = ClaimSet.Parse("""
            { "study": { "id": "tiny", "citation": "-", "timeUnit": "months", "timeColumn": "t", "eventColumn": "e" },
              "claims": [
                { "id": "A", "kind": "cohortSize", "description": "2", "sentence": "-", "count": 2 },
                { "id": "B", "kind": "survivalAt", "description": "S(10)", "sentence": "-", "time": 10, "percent": { "value": 50, "decimals": 0 } } ] }
            """u8.ToArray());

        var sequences = ConsistentSequences.Enumerate(claims)!.Value.Select(o => string.Concat(o.Deaths.Select(d => d ? 'D' : 'c'))).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(["DD", "Dc"], sequences);
        Assert.Equal(2, ConsistentSequences.Count(claims).Count);
    }

    [Fact]
    public void The_counted_sequences_are_exactly_those_for_which_some_whole_month_times_pass_every_claim()
    {
        // Brute force: every non-decreasing vector of whole-month times in [1, 7] and every set of deaths, each
        // cohort checked by ConsistencyCheck; the distinct sequences that pass must be the counted ones, and the
        // drawn cohort's own sequence must be among them.
        Gen.Int.SampleFixed(seed =>
        {
            var study = SmallStudies.Draw(new Random(seed), 2, 5, 7);
            var counted = ConsistentSequences.Enumerate(study.Claims)!.Value.Select(o => string.Concat(o.Deaths.Select(d => d ? 'D' : 'c'))).ToHashSet();
            var expected = SmallStudies.BruteForce(study.Claims, 7);

            Assert.True(ConsistencyCheck.Check(study.Claims, SmallStudies.Table(study.Times, study.Events)).AllPassed, study.Json);
            Assert.Contains(study.Sequence, counted);
            Assert.True(expected.SetEquals(counted), $"{study.Json}\nbrute force: {string.Join(" ", expected.Order(StringComparer.Ordinal))}\ncounted: {string.Join(" ", counted.Order(StringComparer.Ordinal))}");
            Assert.Equal(expected.Count, ConsistentSequences.Count(study.Claims).Count);
        }, iter: 150, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Beyond_the_budget_the_count_is_an_estimate_and_cohorts_are_found_by_search()
    {
        var study = SmallStudies.Draw(new Random(56), 56, 56, 150);

        var count = ConsistentSequences.Count(study.Claims);
        var result = CohortReconstruction.Reconstruct(study.Claims, new ReconstructionOptions { Count = 20 });

        Assert.Equal(FeasibilityDecision.Feasible, count.Decision);
        Assert.False(count.IsExact);
        Assert.True(count.Count > 1 && count.StandardError > 0, count.Method);
        Assert.StartsWith("estimate: sequential importance sampling", count.Method, StringComparison.Ordinal);
        Assert.Contains("not uniform", result.Provenance.Sampling, StringComparison.Ordinal);
        Assert.All(result.Cohorts, c => Assert.True(ConsistencyCheck.Check(study.Claims, c.ToTable()).AllPassed));
    }

    [Fact]
    public void The_estimate_agrees_with_the_exact_count()
    {
        // The same claims counted exactly (a large budget) and estimated (a budget too small for the counting).
        var study = SmallStudies.Draw(new Random(20), 24, 24, 60);

        var exact = ConsistentSequences.Count(study.Claims, new SequenceCountOptions { MaximumStates = 1_000_000 });
        var estimate = ConsistentSequences.Count(study.Claims, new SequenceCountOptions { MaximumStates = 1_000, Walks = 20_000 });

        Assert.True(exact.IsExact);
        Assert.False(estimate.IsExact);
        Assert.True(exact.Count > 1000, $"{exact.Count} {exact.Method}");
        Assert.InRange(estimate.Count, exact.Count - (4 * estimate.StandardError!.Value), exact.Count + (4 * estimate.StandardError!.Value));
    }

    [Fact]
    public void A_budget_too_small_to_decide_says_so()
    {
        var study = SmallStudies.Draw(new Random(56), 56, 56, 150);
        var tiny = new SequenceCountOptions { MaximumStates = 10, MaximumSearchSteps = 10 };

        var count = ConsistentSequences.Count(study.Claims, tiny);

        Assert.Equal(FeasibilityDecision.Undecided, count.Decision);
        Assert.False(count.IsExact);
        Assert.StartsWith("undecided", count.Method, StringComparison.Ordinal);
        Assert.Throws<UndecidedClaimsException>(() => CohortReconstruction.Reconstruct(study.Claims, new ReconstructionOptions { Counting = tiny }));
    }

    [Fact]
    public void Claims_printed_from_a_drawn_cohort_are_feasible_and_its_sequence_is_among_those_counted()
    {
        // Draw a cohort of 5 to 60 patients, print its figures at a paper's precision: the audit of the figures must
        // find them feasible, the reconstruction must find a cohort, and the drawn sequence must be one the counting
        // accepts (exactly the set it counts).
        Gen.Int.SampleFixed(seed =>
        {
            var study = SmallStudies.Draw(new Random(seed), 5, 40, 120);
            var n = study.Times.Length;
            var budget = new SequenceCountOptions { MaximumStates = 20_000, Walks = 200 };
            var engine = SequenceEngine.Create(TimeConstraints.From(study.Claims, n), budget);

            Assert.Equal(FeasibilityDecision.Feasible, engine.Decide());
            Assert.NotNull(TimePlacement.Trace(engine.Stepper, [.. study.Sequence.Select(c => c == 'D')]));
            Assert.True(ClaimFeasibility.Analyze(study.Claims, budget).IsFeasible, study.Json);
            var cohort = CohortReconstruction.Reconstruct(study.Claims, new ReconstructionOptions { Seed = seed, Counting = budget }).Cohorts[0];
            Assert.True(ConsistencyCheck.Check(study.Claims, cohort.ToTable()).AllPassed, study.Json);
        }, iter: 20, seed: "0N0XIzNsQ0O2");
    }
}
