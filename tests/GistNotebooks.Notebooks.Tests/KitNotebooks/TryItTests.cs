using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Inference;
using GistNotebooks.Survival.Power;
using GistNotebooks.Survival.Reconstruction;

namespace GistNotebooks.Notebooks.Tests.KitNotebooks;

/// <summary>
/// Every outcome a kit notebook's "Try it" section states, computed as the notebook's cell would compute it after the
/// change, so that a hint that no longer holds fails here rather than misleads a reader.
/// </summary>
public sealed class TryItTests
{
    private static readonly string Data = Path.Combine(TestNotebooks.RepositoryRoot, "data", "nunobe2005");

    private static readonly ClaimSet Claims = ClaimSet.Load(Path.Combine(Data, "claims.json"));

    private static string CohortText => File.ReadAllText(Path.Combine(Data, "cohort.csv")).ReplaceLineEndings("\n");

    private static ColumnTable Cohort => ColumnTable.ParseCsv(CohortText, "cohort.csv");

    private static SurvivalData Survival(ColumnTable cohort) => SurvivalData.FromTable(cohort, Claims.TimeColumn, Claims.EventColumn);

    /// <summary>The shipped cohort with one cell of one patient's row replaced.</summary>
    private static ColumnTable WithCell(string patient, string column, string value)
    {
        var lines = CohortText.TrimEnd('\n').Split('\n');
        var index = Array.IndexOf(lines[0].Split(','), column);
        for (var i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            if (cells[0] == patient)
            {
                cells[index] = value;
                lines[i] = string.Join(',', cells);
            }
        }

        return ColumnTable.ParseCsv(string.Join('\n', lines) + "\n", "changed.csv");
    }

    private static IEnumerable<string> Failing(ColumnTable cohort) => ConsistencyCheck.Check(Claims, cohort).Checks.Where(c => !c.Passed).Select(c => c.Id);

    [Fact]
    public void StartHere_1_censoring_P02_fails_C06_and_C07_while_P16_changes_nothing()
    {
        Assert.Equal(["C06", "C07"], Failing(WithCell("P02", "death", "0")).Where(id => id is "C06" or "C07"));
        Assert.Empty(Failing(WithCell("P16", "death", "0")));
    }

    [Fact]
    public void StartHere_2_a_cohort_reconstructed_with_seed_1_passes_every_claim_with_other_patients()
    {
        var other = CohortReconstruction.Reconstruct(Claims, new ReconstructionOptions { Seed = 1 }).Cohorts[0];

        Assert.Empty(Failing(other.ToTable()));
        Assert.NotEqual(CohortText, other.ToCsv());
    }

    [Fact]
    public void Cohort_1_the_exact_upper_limit_for_no_death_falls_below_5_percent_at_72_operations()
    {
        var first = Enumerable.Range(1, 200).First(n => Proportion.Estimate(0, n).Upper < 0.05);

        Assert.Equal(72, first);
    }

    [Fact]
    public void Cohort_2_a_90_percent_interval_for_10_of_18_is_narrower_and_still_holds_one_half()
    {
        var narrow = Proportion.Estimate(10, 18, new ProportionOptions(ConfidenceLevel: 0.90));
        var wide = Proportion.Estimate(10, 18);

        Assert.InRange(0.5, narrow.Lower, narrow.Upper);
        Assert.True(narrow.Upper - narrow.Lower < wide.Upper - wide.Lower);
    }

    [Fact]
    public void OverallSurvival_1_the_plain_lower_limit_at_60_months_is_about_6_percent_and_below_both_others()
    {
        var data = Survival(Cohort);
        double Lower(ConfidenceIntervalType type) => KaplanMeier.Estimate(data, new KaplanMeierOptions { ConfidenceType = type }).SurvivalAt([60])[0].Lower!.Value;

        var plain = Lower(ConfidenceIntervalType.Plain);
        Assert.InRange(100 * plain, 5, 6.5);
        Assert.True(plain < Lower(ConfidenceIntervalType.Log));
        Assert.True(plain < Lower(ConfidenceIntervalType.LogLog));
    }

    [Fact]
    public void OverallSurvival_2_a_shorter_horizon_lowers_the_restricted_mean_and_raises_its_ratio_to_the_horizon()
    {
        var curve = KaplanMeier.Estimate(Survival(Cohort));
        var at36 = curve.RestrictedMean(36).Estimate;
        var at60 = curve.RestrictedMean(60).Estimate;

        Assert.True(at36 < at60);
        Assert.True(at36 / 36 > at60 / 60);
    }

    private static (double[] Times, int[] Causes) CompetingRisks(bool deathCompetes)
    {
        var cohort = Cohort;
        var recurred = cohort.GetText("recurrence").Select(v => v == "1").ToArray();
        var recurrenceMonths = cohort.GetNumbersOrMissing("recurrenceMonths");
        var followUp = cohort.GetNumbers("followUpMonths");
        var died = cohort.GetText("death").Select(v => v == "1").ToArray();
        var rows = Enumerable.Range(0, cohort.RowCount).ToArray();
        return (rows.Select(i => recurred[i] ? recurrenceMonths[i] : followUp[i]).ToArray(), rows.Select(i => recurred[i] ? 1 : died[i] && deathCompetes ? 2 : 0).ToArray());
    }

    [Fact]
    public void Recurrence_1_without_the_competing_death_the_incidence_is_one_minus_Kaplan_Meier_and_reaches_100_percent()
    {
        var (times, causes) = CompetingRisks(deathCompetes: false);
        var incidence = CumulativeIncidence.Estimate(CompetingRisksData.Create(times, causes)).Curve(1);
        var naive = KaplanMeier.Estimate(SurvivalData.Create(times, causes.Select(c => c == 1 ? 1 : 0).ToArray()));
        var lastRecurrence = Enumerable.Range(0, times.Length).Where(i => causes[i] == 1).Max(i => times[i]);

        foreach (var t in new[] { 12.0, 24, 36, 60, lastRecurrence })
        {
            Assert.Equal(1 - naive.SurvivalAtTime(t), incidence.At([t])[0].Estimate!.Value, 12);
        }

        Assert.Equal(1.0, incidence.At([lastRecurrence])[0].Estimate!.Value, 12);
    }

    [Fact]
    public void Recurrence_2_ninety_percent_limits_at_12_months_still_span_more_than_30_points()
    {
        var (times, causes) = CompetingRisks(deathCompetes: true);
        var (lower, upper) = CumulativeIncidence.Estimate(CompetingRisksData.Create(times, causes)).Curve(1).At([12])[0].ConfidenceInterval(0.90);

        Assert.True(100 * (upper!.Value - lower!.Value) > 30);
    }

    [Fact]
    public void LongTermSurvivors_1_survival_to_60_given_48_months_and_the_patients_it_rests_on()
    {
        var data = Survival(Cohort);
        var curve = KaplanMeier.Estimate(data, new KaplanMeierOptions { ConfidenceType = ConfidenceIntervalType.LogLog });

        Assert.Equal(0.75, ConditionalSurvival.Estimate(curve, 48, 12).Estimate!.Value, 12);
        Assert.Equal(4, data.Times.Count(t => t >= 48));
    }

    [Fact]
    public void LongTermSurvivors_2_one_resection_for_P18_fails_C11_and_leaves_survival_alone()
    {
        var changed = WithCell("P18", "resections", "1");

        Assert.Equal(["C11"], Failing(changed));
        Assert.Equal(KaplanMeier.Estimate(Survival(Cohort)).SurvivalAt([36, 60]).Select(p => p.Survival), KaplanMeier.Estimate(Survival(changed)).SurvivalAt([36, 60]).Select(p => p.Survival));
    }

    [Fact]
    public void PrognosticFactors_1_a_hazard_ratio_of_4_stays_below_80_percent_power_in_the_simulation()
    {
        // The simulation cell's inputs: the shipped cohort's rates and the stomach split, with the hazard ratio 4.
        var data = Survival(Cohort);
        var deaths = data.EventCount;
        var followUp = data.Times.Sum();
        var deathRate = deaths / followUp;
        var censoringRate = (data.Count - deaths) / followUp;
        var stomach = Cohort.GetText("primarySite").Count(v => v == "stomach");
        var others = data.Count - stomach;
        var baseline = deathRate * data.Count / (others + (2.0 * stomach));

        var result = LogRankPower.Simulate(others, stomach, baseline, 4, CensoringModel.Exponential(censoringRate), replicates: 4000, seed: 2005);

        Assert.True(result.Power < 0.8, $"power {result.Power}");
        Assert.True(result.Power > LogRankPower.Simulate(others, stomach, baseline, 2, CensoringModel.Exponential(censoringRate), replicates: 4000, seed: 2005).Power);
    }

    [Fact]
    public void PrognosticFactors_2_with_65_deaths_the_stomach_split_detects_a_hazard_ratio_of_about_2()
    {
        var share = Cohort.GetText("primarySite").Count(v => v == "stomach") / 18.0;

        Assert.InRange(LogRankPower.DetectableHazardRatio(65, allocation: share), 1.9, 2.1);
    }

    [Fact]
    public void Reconstruction_1_another_seed_gives_cohorts_that_pass_every_claim_with_the_same_survival_at_3_and_5_years()
    {
        foreach (var cohort in CohortReconstruction.Reconstruct(Claims, new ReconstructionOptions { Seed = 2, Count = 20 }).Cohorts)
        {
            var table = cohort.ToTable();
            Assert.Empty(Failing(table));
            var curve = KaplanMeier.Estimate(Survival(table));
            Assert.Equal(63.73, Math.Round(100 * curve.SurvivalAtTime(36), 2));
            Assert.Equal(33.99, Math.Round(100 * curve.SurvivalAtTime(60), 2));
        }
    }

    [Fact]
    public void Reconstruction_2_a_five_year_survival_printed_without_decimals_admits_more_than_16_sequences()
    {
        var coarse = ((SurvivalAtClaim)Claims["C07"]) with { Percent = new ReportedValue(34, 0) };
        var misread = Claims with { Claims = [.. Claims.Claims.Select(c => c.Id == "C07" ? coarse : c)] };

        Assert.Equal(16, ConsistentSequences.Count(Claims).Count);
        Assert.True(ConsistentSequences.Count(misread).Count > 16);
    }

    private static readonly double[] TrialHazardRatios = [0.35, 0.46];

    [Fact]
    public void BeyondTheAbstract_1_ninety_percent_power_needs_about_a_third_more_events_by_Freedman_for_both_trials()
    {
        foreach (var hazardRatio in TrialHazardRatios)
        {
            var ratio = (double)LogRankPower.FreedmanEvents(hazardRatio, power: 0.9).EventsRoundedUp / LogRankPower.FreedmanEvents(hazardRatio).EventsRoundedUp;
            Assert.InRange(ratio, 1.25, 1.42);
        }
    }

    [Fact]
    public void BeyondTheAbstract_2_losing_a_third_of_each_series_widens_every_interval_and_leaves_Gomez_8_patients()
    {
        var series = ColumnTable.ReadCsv(Path.Combine(TestNotebooks.RepositoryRoot, "data", "literature", "liver-resection-series.csv"));
        for (var i = 0; i < series.RowCount; i++)
        {
            var patients = series.GetNumbersOrMissing("patients")[i];
            if (series.GetText("measure")[i] != "overall survival" || series.GetText("years")[i] != "5" || double.IsNaN(patients))
            {
                continue;
            }

            int Width(int n)
            {
                var interval = Proportion.Estimate((int)Math.Round(series.GetNumbers("value")[i] / 100 * n), n);
                return (int)Math.Round(1000 * (interval.Upper - interval.Lower));
            }

            var n = (int)patients;
            Assert.True(Width(2 * n / 3) > Width(n), series.GetText("study")[i]);
            if (series.GetText("study")[i] == "Gomez 2007")
            {
                Assert.Equal(8, 2 * n / 3);
            }
        }
    }
}
