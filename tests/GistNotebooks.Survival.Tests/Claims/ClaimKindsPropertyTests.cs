using System.Globalization;
using System.Text;
using CsCheck;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Reconstruction;
using GistNotebooks.Survival.Regression;
using GistNotebooks.Testing;
using static GistNotebooks.Survival.Tests.Reconstruction.SmallStudies;

namespace GistNotebooks.Survival.Tests.Claims;

/// <summary>
/// Draw a cohort, print every kind of figure a paper prints about it at a paper's precision: the cohort passes its own
/// claims, the audit calls them feasible, reconstruction finds a cohort that passes every claim it can be checked on,
/// and the drawn death/censoring sequence is among those the counting accepts.
/// </summary>
public sealed class ClaimKindsPropertyTests
{
    [Fact]
    public void Every_kind_printed_from_a_drawn_cohort_holds_for_it_is_feasible_and_is_reconstructed()
    {
        Gen.Int.SampleFixed(seed =>
        {
            var random = new Random(seed);
            var (table, json) = Draw(random);
            var claims = ClaimSet.Parse(Encoding.UTF8.GetBytes(json), "drawn.json");
            var budget = new SequenceCountOptions { MaximumStates = 20_000, Walks = 200 };

            var own = ConsistencyCheck.Check(claims, table);
            Assert.True(own.Checks.All(c => c.Passed || (claims[c.Id] is RecordedClaim && !c.IsCheckable)), json + string.Join("\n", own.Checks.Where(c => !c.Passed)));

            var audit = ClaimAudit.Audit(claims, new AuditOptions { Counting = budget });
            Assert.True(audit.Feasible, json + string.Join("\n", audit.Conflicts));
            Assert.DoesNotContain(audit.Claims, c => c.Status == AuditStatus.Unattainable);

            var n = table.RowCount;
            var engine = SequenceEngine.Create(TimeConstraints.From(claims, n), budget);
            var data = SurvivalData.FromTable(table, "t", "e");
            Assert.NotNull(TimePlacement.Trace(engine.Stepper, [.. SequenceOf(data.Times, [.. data.Events.Select(e => e ? 1 : 0)]).Select(c => c == 'D')]));

            var cohort = CohortReconstruction.Reconstruct(claims, new ReconstructionOptions { Seed = seed, Counting = budget }).Cohorts[0];
            Assert.True(ConsistencyCheck.Check(claims, cohort.ToTable()).AllPassed, json);
        }, iter: 12, seed: "0N0XIzNsQ0O2");
    }

    /// <summary>A cohort of 8 to 40 with overall and progression-free times, a group, an age and a flag, and the claims a paper would print.</summary>
    private static (ColumnTable Table, string Json) Draw(Random random)
    {
        var n = random.Next(8, 41);
        var t = Enumerable.Range(0, n).Select(_ => (double)random.Next(1, 121)).ToArray();
        var e = Enumerable.Range(0, n).Select(_ => random.Next(3) == 0 ? 0 : 1).ToArray();
        var pt = t.Select(x => (double)random.Next(1, (int)x + 1)).ToArray();
        var pe = Enumerable.Range(0, n).Select(i => pt[i] < t[i] || e[i] == 1 ? 1 : random.Next(2)).ToArray();
        var group = Enumerable.Range(0, n).Select(i => i < 2 ? (i == 0 ? "a" : "b") : random.Next(2) == 0 ? "a" : "b").ToArray();
        var age = Enumerable.Range(0, n).Select(_ => random.Next(20, 91)).ToArray();
        var flag = Enumerable.Range(0, n).Select(_ => random.Next(3) == 0 ? "yes" : "no").ToArray();
        var csv = new StringBuilder("t,e,pt,pe,g,age,flag\n");
        for (var i = 0; i < n; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{t[i]},{e[i]},{pt[i]},{pe[i]},{group[i]},{age[i]},{flag[i]}\n");
        }

        var table = ColumnTable.ParseCsv(csv.ToString(), "drawn.csv");
        var data = SurvivalData.FromTable(table, "t", "e");
        var curve = KaplanMeier.Estimate(data);
        var sorted = t.Order().ToArray();
        var claims = new List<string>
        {
            Claim("N", "cohortSize", $"\"count\": {n}"),
            Claim("F", "followUp", $"\"median\": {Printed(n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2, random.Next(2))}, \"minimum\": {Printed(sorted[0], 0)}, \"maximum\": {Printed(sorted[^1], 0)}, \"timeDecimals\": 0"),
        };

        var tau = random.Next(1, 121);
        claims.Add(Claim("S", "survivalAt", $"\"time\": {tau}, \"percent\": {Printed(100 * curve.SurvivalAtTime(tau), random.Next(2))}, \"atRisk\": {t.Count(x => x >= tau)}"));
        if (curve.Median.Estimate is double m && random.Next(2) == 0)
        {
            claims.Add(Claim("M", "medianSurvival", $"\"median\": {Printed(m, random.Next(2))}, \"minimum\": {Printed(sorted[0], 0)}, \"maximum\": {Printed(sorted[^1], 0)}"));
        }

        claims.Add(Claim("P", "count", $"\"column\": \"flag\", \"level\": \"yes\", \"percent\": {Printed(100.0 * flag.Count(f => f == "yes") / n, random.Next(2))}"));

        var mean = age.Average();
        var sd = Math.Sqrt(age.Sum(a => (a - mean) * (a - mean)) / (n - 1));
        var ages = age.Select(a => (double)a).Order().ToArray();
        claims.Add(random.Next(2) == 0
            ? Claim("A", "covariateSummary", $"\"column\": \"age\", \"mean\": {Printed(mean, 1)}, \"sd\": {Printed(sd, random.Next(1, 3))}")
            : Claim("A", "covariateSummary", $"\"column\": \"age\", \"median\": {Printed(n % 2 == 1 ? ages[n / 2] : (ages[(n / 2) - 1] + ages[n / 2]) / 2, 1)}, \"minimum\": {Printed(ages[0], 0)}, \"maximum\": {Printed(ages[^1], 0)}"));

        var groupTau = random.Next(1, 121);
        var groups = new[] { "a", "b" }.Select(level =>
        {
            var members = Enumerable.Range(0, n).Where(i => group[i] == level).ToArray();
            var s = KaplanMeier.Estimate(SurvivalData.Create([.. members.Select(i => t[i])], [.. members.Select(i => e[i])])).SurvivalAtTime(groupTau);
            return $"{{ \"level\": \"{level}\", \"count\": {members.Length}, \"time\": {groupTau}, \"percent\": {Printed(100 * s, 0)} }}";
        });
        var p = data.Events.Any(x => x) ? LogRank.Test(SurvivalData.FromTable(table, "t", "e", groupColumn: "g")).P : double.NaN;
        claims.Add(Claim("G", "groupComparison", $"\"column\": \"g\", \"groups\": [ {string.Join(", ", groups)} ]" + (double.IsFinite(p) ? $", \"p\": {Printed(p, 3)}" : string.Empty)));

        var indicator = group.Select(g => g == "b" ? 1.0 : 0.0).ToArray();
        var fit = data.Events.Any(x => x) ? CoxRegression.Fit(data, CovariateMatrix.FromColumn("g", indicator)).Coefficients[0] : null;
        if (fit is { IsInfinite: false, Lower: double lower, Upper: double upper } && lower >= 0.05 && upper <= 50)
        {
            claims.Add(Claim("H", "hazardRatio", $"\"column\": \"g\", \"level\": \"b\", \"value\": {Printed(fit.HazardRatio, 2)}, \"interval\": {{ \"lower\": {Printed(lower, 2)}, \"upper\": {Printed(upper, 2)} }}, \"p\": {Printed(fit.P, 3)}"));
        }

        var progression = KaplanMeier.Estimate(SurvivalData.Create(pt, pe));
        var pfsTau = random.Next(1, 121);
        claims.Add(Claim("Q", "survivalAt", $"\"endpoint\": \"progressionFree\", \"time\": {pfsTau}, \"percent\": {Printed(100 * progression.SurvivalAtTime(pfsTau), random.Next(2))}"));
        claims.Add(Claim("R", "recorded", "\"reason\": \"a sentence with nothing to check\""));

        var json = $$"""
            { "study": { "id": "drawn", "citation": "-", "timeUnit": "months", "timeColumn": "t", "eventColumn": "e",
                         "endpoints": { "progressionFree": { "label": "progression-free survival", "timeColumn": "pt", "eventColumn": "pe" } } },
              "claims": [ {{string.Join(",\n", claims)}} ] }
            """;
        return (table, json);
    }

    private static string Claim(string id, string kind, string fields) => $$"""{ "id": "{{id}}", "kind": "{{kind}}", "description": "{{id}}", "sentence": "-", {{fields}} }""";
}
