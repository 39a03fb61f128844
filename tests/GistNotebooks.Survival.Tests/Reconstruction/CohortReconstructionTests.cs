using System.Text;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Reconstruction;

namespace GistNotebooks.Survival.Tests.Reconstruction;

public class CohortReconstructionTests
{
    private static readonly ClaimSet Nunobe = ClaimSet.Load(TestData.NunobeClaims);

    /// <summary>An invented abstract of 15 patients with a median survival printed to a tenth of a month.</summary>
    private static readonly ClaimSet Fifteen = ClaimSet.Parse("""
        { "study": { "id": "n15", "citation": "An invented series of 15 patients", "timeUnit": "months", "timeColumn": "months", "eventColumn": "dead" },
          "claims": [
            { "id": "A1", "kind": "cohortSize", "description": "15 patients", "sentence": "-", "count": 15 },
            { "id": "A2", "kind": "survivalAt", "description": "1-year survival 86.7%", "sentence": "-", "time": 12, "percent": { "value": 86.7, "decimals": 1 } },
            { "id": "A3", "kind": "survivalAt", "description": "2-year survival 61.8%", "sentence": "-", "time": 24, "percent": { "value": 61.8, "decimals": 1 } },
            { "id": "A4", "kind": "medianSurvival", "description": "median survival 33.6 months", "sentence": "-", "median": { "value": 33.6, "decimals": 1 } },
            { "id": "A5", "kind": "followUp", "description": "follow-up 22.8 (4.6-94.9) months", "sentence": "-", "median": { "value": 22.8, "decimals": 1 }, "minimum": { "value": 4.6, "decimals": 1 }, "maximum": { "value": 94.9, "decimals": 1 } },
            { "id": "A6", "kind": "survivorsBeyond", "description": "2 followed beyond 5 years", "sentence": "-", "time": 60, "count": 2 } ] }
        """u8.ToArray(), "n15.json");

    private static double? MedianSurvival(ClaimSet claims, Cohort cohort)
        => KaplanMeier.Estimate(SurvivalData.FromTable(cohort.ToTable(), claims.TimeColumn, claims.EventColumn)).Median.Estimate;

    [Fact]
    public void A_median_survival_claim_holds_in_every_cohort_of_a_100_cohort_ensemble()
    {
        var result = CohortReconstruction.Reconstruct(Fifteen, new ReconstructionOptions { Seed = 3, Count = 100 });

        Assert.True(result.Sequences.IsExact);
        foreach (var cohort in result.Cohorts)
        {
            var report = ConsistencyCheck.Check(Fifteen, cohort.ToTable());
            Assert.True(report.AllPassed, string.Join("; ", report.Checks.Where(c => !c.Passed).Select(c => $"{c.Id}: {c.Reproduced}")));
            Assert.Equal(33.6, MedianSurvival(Fifteen, cohort)!.Value, 9);
        }
    }

    [Fact]
    public void A_median_survival_claim_holds_at_every_seed()
    {
        // The death at which survival first falls to one half is bounded from below and from above by the printed
        // median, so no seed can place it at 33.5 (the printed 33.6 admits [33.55, 33.65) only).
        for (var seed = 1; seed <= 40; seed++)
        {
            var cohort = CohortReconstruction.Reconstruct(Fifteen, new ReconstructionOptions { Seed = seed }).Cohorts[0];

            Assert.True(ConsistencyCheck.Check(Fifteen, cohort.ToTable()).AllPassed, $"seed {seed}");
            Assert.Equal(33.6, MedianSurvival(Fifteen, cohort)!.Value, 9);
        }
    }

    [Fact]
    public void A_median_at_exactly_one_half_is_the_midpoint_to_the_next_death()
    {
        // n = 4, S(20) printed as 50% and a median of 25 months (both without decimals, so whole months). Survival is
        // exactly 1/2 only after DD (3/4 · 2/3) or ccD (1/2), and S(20) = 1/2 puts that death at 20 months or before;
        // the median 25 is then R's midpoint (t + t′)/2 with the next death t′ after 20 — so a later death is needed:
        // DDDD, DDDc, DDcD and ccDD; DDcc and ccDc stay at one half and their median would be t ≤ 20.
        var claims = ClaimSet.Parse("""
            { "study": { "id": "half", "citation": "-", "timeUnit": "months", "timeColumn": "t", "eventColumn": "e" },
              "claims": [
                { "id": "A", "kind": "cohortSize", "description": "4", "sentence": "-", "count": 4 },
                { "id": "B", "kind": "survivalAt", "description": "S(20)", "sentence": "-", "time": 20, "percent": { "value": 50, "decimals": 0 } },
                { "id": "C", "kind": "medianSurvival", "description": "median 25", "sentence": "-", "median": { "value": 25, "decimals": 0 } } ] }
            """u8.ToArray(), "half.json");

        var sequences = ConsistentSequences.Enumerate(claims)!.Value.Select(o => string.Concat(o.Deaths.Select(d => d ? 'D' : 'c'))).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(["DDDD", "DDDc", "DDcD", "ccDD"], sequences);
        for (var seed = 1; seed <= 30; seed++)
        {
            var cohort = CohortReconstruction.Reconstruct(claims, new ReconstructionOptions { Seed = seed }).Cohorts[0];
            var curve = KaplanMeier.Estimate(SurvivalData.FromTable(cohort.ToTable(), "t", "e"));

            Assert.True(ConsistencyCheck.Check(claims, cohort.ToTable()).AllPassed, $"seed {seed}");
            Assert.Equal(0.5, curve.SurvivalAtTime(20), 12);
            Assert.InRange(curve.Median.Estimate!.Value, 24.5, 25.49);
        }
    }

    [Fact]
    public void The_shipped_cohort_passes_all_twelve_claims()
    {
        var report = ConsistencyCheck.Check(Nunobe, ColumnTable.ReadCsv(TestData.NunobeCohort));

        Assert.Equal(12, report.Checks.Length);
        Assert.All(report.Checks, c => Assert.True(c.Passed, $"{c.Id}: reported {c.Reported}, reproduced {c.Reproduced}"));
    }

    [Fact]
    public void The_default_seed_regenerates_the_shipped_cohort_byte_for_byte()
    {
        var result = CohortReconstruction.Reconstruct(Nunobe);

        Assert.Equal(File.ReadAllText(TestData.NunobeCohort), result.Cohorts[0].ToCsv());
        Assert.Equal(File.ReadAllText(Path.Combine(Path.GetDirectoryName(TestData.NunobeCohort)!, "cohort.json")), ReconstructionFiles.ProvenanceJson(result, Nunobe));
    }

    [Fact]
    public void The_same_seed_gives_the_same_ensemble_and_another_seed_another()
    {
        var a = CohortReconstruction.Reconstruct(Nunobe, new ReconstructionOptions { Seed = 7, Count = 5 });
        var b = CohortReconstruction.Reconstruct(Nunobe, new ReconstructionOptions { Seed = 7, Count = 5 });
        var c = CohortReconstruction.Reconstruct(Nunobe, new ReconstructionOptions { Seed = 8, Count = 5 });

        Assert.Equal(a.Cohorts.Select(x => x.ToCsv()), b.Cohorts.Select(x => x.ToCsv()));
        Assert.NotEqual(a.Cohorts.Select(x => x.ToCsv()), c.Cohorts.Select(x => x.ToCsv()));
    }

    [Fact]
    public void A_cohort_table_is_the_table_its_csv_text_reads_as()
    {
        var result = CohortReconstruction.Reconstruct(Nunobe, new ReconstructionOptions { Seed = 3, Count = 10 });

        foreach (var cohort in result.Cohorts)
        {
            var direct = cohort.ToTable();
            var viaText = ColumnTable.ParseCsv(cohort.ToCsv(), "cohort.csv");
            Assert.Equal(viaText.ColumnNames, direct.ColumnNames);
            Assert.Equal(viaText.RowCount, direct.RowCount);
            foreach (var name in direct.ColumnNames)
            {
                Assert.Equal(viaText.KindOf(name), direct.KindOf(name));
                Assert.Equal(viaText.GetText(name), direct.GetText(name));
                Assert.Equal(cohort[name].Select(v => v.Length == 0 ? null : v), direct.GetText(name));
                if (direct.KindOf(name) == ColumnKind.Numbers)
                {
                    Assert.Equal(viaText.GetNumbersOrMissing(name), direct.GetNumbersOrMissing(name));
                }
            }
        }
    }

    [Fact]
    public void Every_cohort_of_an_ensemble_passes_every_claim()
    {
        var result = CohortReconstruction.Reconstruct(Nunobe, new ReconstructionOptions { Seed = 11, Count = 40 });

        foreach (var cohort in result.Cohorts)
        {
            Assert.True(ConsistencyCheck.Check(Nunobe, cohort.ToTable()).AllPassed);
        }
    }

    [Fact]
    public void The_ensemble_shows_that_survival_at_the_claimed_times_is_fixed_but_p_values_are_not()
    {
        var result = CohortReconstruction.Reconstruct(Nunobe, new ReconstructionOptions { Seed = 3, Count = 60 });

        var figures = EnsembleSummary.Summarize(Nunobe, result.Cohorts).ToDictionary(f => f.Figure);
        var s36 = figures["survival at 36 months (%)"];
        Assert.Equal(s36.Minimum!.Value, s36.Maximum!.Value, 12);
        Assert.Equal(63.7, Math.Round(s36.Median!.Value, 1));
        var p = figures["log-rank p, primary site: stomach vs other"];
        Assert.True(p.Minimum >= 0.05 && p.Maximum > p.Minimum);
    }

    [Fact]
    public void Reading_the_median_as_a_Kaplan_Meier_median_is_infeasible_with_the_three_year_survival()
    {
        var follow = (FollowUpClaim)Nunobe["C08"];
        var asMedian = new MedianSurvivalClaim { Id = "C08", Description = "C08 read as a Kaplan–Meier median", Sentence = follow.Sentence, Median = follow.Median };
        var claims = Nunobe with { Claims = [.. Nunobe.Claims.Select(c => c.Id == "C08" ? asMedian : c)] };

        var report = ClaimFeasibility.Analyze(claims);

        var conflict = Assert.Single(report.Conflicts);
        Assert.Equal(["C06", "C08"], conflict.ClaimIds.ToArray());
        Assert.StartsWith("C08 as a Kaplan–Meier median of 36 months contradicts C06: S(36) = 63.7% > 50%", conflict.Reason, StringComparison.Ordinal);
        var error = Assert.Throws<InfeasibleClaimsException>(() => CohortReconstruction.Reconstruct(claims));
        Assert.Contains("C06 + C08", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Margins_that_do_not_add_up_are_named()
    {
        var text = File.ReadAllText(TestData.NunobeClaims).Replace("\"stomach\": 10,", "\"stomach\": 11,", StringComparison.Ordinal);
        var claims = ClaimSet.Parse(Encoding.UTF8.GetBytes(text), "bad.json");

        var conflict = Assert.Single(ClaimFeasibility.Analyze(claims).Conflicts);

        Assert.Equal(["C01", "C02"], conflict.ClaimIds.ToArray());
        Assert.Equal("the counts of primarySite add up to 19, not to the 18 subjects", conflict.Reason);
    }

    [Fact]
    public void Another_papers_claims_file_works_without_code_changes()
    {
        // An invented study: 20 patients, 1-year survival 80%, 2-year 50%, follow-up median 20 (6–48) months,
        // sex 8 female, 3 beyond 36 months, no significant difference by sex.
        var claims = ClaimSet.Parse("""
            { "study": { "id": "invented", "citation": "An invented study", "timeUnit": "months", "timeColumn": "months", "eventColumn": "dead", "idColumn": "id" },
              "claims": [
                { "id": "A1", "kind": "cohortSize", "description": "20 patients", "sentence": "-", "count": 20 },
                { "id": "A2", "kind": "categoryCounts", "description": "sex", "sentence": "-", "column": "sex", "counts": { "female": 8, "male": 12 } },
                { "id": "A3", "kind": "survivalAt", "description": "1-year", "sentence": "-", "time": 12, "percent": { "value": 80, "decimals": 0 } },
                { "id": "A4", "kind": "survivalAt", "description": "2-year", "sentence": "-", "time": 24, "percent": { "value": 50, "decimals": 0 } },
                { "id": "A5", "kind": "followUp", "description": "follow-up", "sentence": "-", "median": { "value": 20, "decimals": 0 }, "minimum": { "value": 6, "decimals": 0 }, "maximum": { "value": 48, "decimals": 0 } },
                { "id": "A6", "kind": "survivorsBeyond", "description": "beyond 3 years", "sentence": "-", "time": 36, "count": 3 },
                { "id": "A7", "kind": "noSignificantPredictor", "description": "sex", "sentence": "-", "alpha": 0.05,
                  "predictors": [ { "column": "sex", "level": "female", "label": "female vs male" } ] } ] }
            """u8.ToArray(), "invented.json");

        var result = CohortReconstruction.Reconstruct(claims, new ReconstructionOptions { Seed = 5 });

        Assert.True(result.Sequences.Count > 0);
        var report = ConsistencyCheck.Check(claims, result.Cohorts[0].ToTable());
        Assert.All(report.Checks, c => Assert.True(c.Passed, $"{c.Id}: {c.Reproduced}"));
        Assert.Equal(["id", "sex", "months", "dead"], result.Cohorts[0].Columns.ToArray());
    }

    [Fact]
    public void A_cohort_that_breaks_a_claim_fails_it_at_the_reported_precision()
    {
        var lines = File.ReadAllLines(TestData.NunobeCohort);
        var first = lines[1].Split(',');
        first[1] = first[1] == "ileum" ? "stomach" : "ileum";
        lines[1] = string.Join(',', first);
        var csv = string.Join('\n', lines) + "\n";

        var report = ConsistencyCheck.Check(Nunobe, ColumnTable.ParseCsv(csv, "edited.csv"));

        Assert.Equal(["C02"], report.Checks.Where(c => !c.Passed).Select(c => c.Id).ToArray());
    }
}
