using System.Text;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Reconstruction;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Survival.Tests.Claims;

/// <summary>
/// Each kind of claim checked against a six-patient cohort whose figures are worked out by hand, and audited from the
/// figures alone.
/// </summary>
/// <remarks>
/// Overall (t, e): 2 D, 4 c, 5 D, 7 D, 9 c, 12 c. Kaplan–Meier: 5/6 after 2, ×3/4 after 5 (4 at risk) = 0.625, ×2/3
/// after 7 = 0.4167, so S(6) = 62.5%, the median is 7, and 3 subjects (7, 9, 12) are at risk at 6. Greenwood:
/// 1/(6·5) + 1/(4·3) = 0.11667, se(log S) = 0.34157, log interval 0.625·exp(∓1.96·0.34157) = 32.0% and 122% (cut to
/// 100%). Observed follow-up: median (5 + 7)/2 = 6, range 2–12. Reverse Kaplan–Meier (censorings as events): 4/5 after
/// 4, ×1/2 after 9, median 9. Disease-free among the five curative (dfs, relapse): 1 D, 3 D, 4 c, 6 D, 9 c: 0.8, 0.6,
/// then 0.3 after 6, so S(5) = 60% and the median is 6, range 1–9. Ages 50, 61, 47, 70, 58, 66: median 59.5, range
/// 47–70, mean 352/6 = 58.667, SD √(399.33/5) = 8.937. flag = yes in 2 of 6 (33.3%). margin clear (2 D, 4 c, 9 c,
/// 12 c): S(6) = 3/4; involved (5 D, 7 D): S(6) = 1/2.
/// </remarks>
public sealed class ClaimKindsTests
{
    private const string Cohort = """
        patient,t,e,dfs,relapse,curative,age,flag,margin
        P1,2,1,1,1,yes,50,yes,clear
        P2,4,0,4,0,yes,61,no,clear
        P3,5,1,3,1,yes,47,yes,involved
        P4,7,1,6,1,yes,70,no,involved
        P5,9,0,9,0,yes,58,no,clear
        P6,12,0,12,0,no,66,no,clear
        """;

    private static ColumnTable Table() => ColumnTable.ParseCsv(Cohort.Replace("\r", string.Empty, StringComparison.Ordinal) + "\n", "hand.csv");

    private static ClaimSet Claims(params string[] claims) => ClaimSet.Parse(Encoding.UTF8.GetBytes($$"""
        { "study": { "id": "hand", "citation": "-", "timeUnit": "months", "timeColumn": "t", "eventColumn": "e", "idColumn": "patient",
                     "endpoints": { "diseaseFree": { "label": "disease-free survival", "timeColumn": "dfs", "eventColumn": "relapse", "amongColumn": "curative", "amongLevel": "yes", "subjects": 5 } } },
          "claims": [ { "id": "N", "kind": "cohortSize", "description": "6", "sentence": "-", "count": 6 }{{string.Concat(claims.Select(c => ",\n" + c))}} ] }
        """), "hand.json");

    private static string Claim(string id, string kind, string fields) => $$"""{ "id": "{{id}}", "kind": "{{kind}}", "description": "{{id}}", "sentence": "-", {{fields}} }""";

    private static string Printed(double value, int decimals) => FormattableString.Invariant($"{{ \"value\": {value}, \"decimals\": {decimals} }}");

    private static ClaimCheck Check(string kind, string fields) => ConsistencyCheck.Check(Claims(Claim("X", kind, fields)), Table(), "X");

    [Theory]
    [InlineData("\"time\": 6, \"percent\": { \"value\": 62.5, \"decimals\": 1 }, \"atRisk\": 3", true)]
    [InlineData("\"time\": 6, \"percent\": { \"value\": 62.5, \"decimals\": 1 }, \"atRisk\": 4", false)]
    [InlineData("\"time\": 6, \"percent\": { \"value\": 62.5, \"decimals\": 1 }, \"interval\": { \"lower\": { \"value\": 32.0, \"decimals\": 1 }, \"upper\": { \"value\": 100.0, \"decimals\": 1 } }", true)]
    [InlineData("\"time\": 6, \"percent\": { \"value\": 62.5, \"decimals\": 1 }, \"interval\": { \"lower\": { \"value\": 35.0, \"decimals\": 1 }, \"upper\": { \"value\": 100.0, \"decimals\": 1 } }", false)]
    [InlineData("\"endpoint\": \"diseaseFree\", \"time\": 5, \"percent\": { \"value\": 60, \"decimals\": 0 }", true)]
    [InlineData("\"endpoint\": \"diseaseFree\", \"time\": 5, \"percent\": { \"value\": 62.5, \"decimals\": 1 }", false)]
    public void Survival_at_a_time_with_its_number_at_risk_and_interval_is_checked_on_the_cohort(string fields, bool passes)
        => Assert.Equal(passes, Check("survivalAt", fields).Passed);

    [Theory]
    [InlineData("\"median\": { \"value\": 7, \"decimals\": 0 }, \"minimum\": { \"value\": 2, \"decimals\": 0 }, \"maximum\": { \"value\": 12, \"decimals\": 0 }", true)]
    [InlineData("\"median\": { \"value\": 7, \"decimals\": 0 }, \"minimum\": { \"value\": 3, \"decimals\": 0 }, \"maximum\": { \"value\": 12, \"decimals\": 0 }", false)]
    [InlineData("\"endpoint\": \"diseaseFree\", \"median\": { \"value\": 6, \"decimals\": 0 }, \"minimum\": { \"value\": 1, \"decimals\": 0 }, \"maximum\": { \"value\": 9, \"decimals\": 0 }", true)]
    [InlineData("\"endpoint\": \"diseaseFree\", \"median\": { \"value\": 7, \"decimals\": 0 }", false)]
    public void A_median_with_its_range_is_checked_on_the_endpoint_and_subgroup_it_names(string fields, bool passes)
        => Assert.Equal(passes, Check("medianSurvival", fields).Passed);

    [Theory]
    [InlineData("\"median\": { \"value\": 6, \"decimals\": 0 }", true)]
    [InlineData("\"median\": { \"value\": 6, \"decimals\": 0 }, \"minimum\": { \"value\": 2, \"decimals\": 0 }, \"maximum\": { \"value\": 12, \"decimals\": 0 }", true)]
    [InlineData("\"median\": { \"value\": 9, \"decimals\": 0 }, \"method\": \"reverseKaplanMeier\"", true)]
    [InlineData("\"median\": { \"value\": 6, \"decimals\": 0 }, \"method\": \"reverseKaplanMeier\"", false)]
    public void Follow_up_is_a_median_alone_with_a_range_or_a_reverse_Kaplan_Meier_median(string fields, bool passes)
        => Assert.Equal(passes, Check("followUp", fields).Passed);

    [Theory]
    [InlineData("\"column\": \"flag\", \"level\": \"yes\", \"percent\": { \"value\": 33, \"decimals\": 0 }", true)]
    [InlineData("\"column\": \"flag\", \"level\": \"yes\", \"percent\": { \"value\": 50, \"decimals\": 0 }", false)]
    [InlineData("\"column\": \"age\", \"mean\": { \"value\": 58.7, \"decimals\": 1 }, \"sd\": { \"value\": 8.9, \"decimals\": 1 }", true)]
    [InlineData("\"column\": \"age\", \"mean\": { \"value\": 58.7, \"decimals\": 1 }, \"sd\": { \"value\": 9.0, \"decimals\": 1 }", false)]
    [InlineData("\"column\": \"age\", \"median\": { \"value\": 59.5, \"decimals\": 1 }, \"minimum\": { \"value\": 47, \"decimals\": 0 }, \"maximum\": { \"value\": 70, \"decimals\": 0 }", true)]
    [InlineData("\"column\": \"age\", \"median\": { \"value\": 61, \"decimals\": 0 }", false)]
    public void Percentages_alone_and_covariate_summaries_are_checked_on_the_cohort(string fields, bool passes)
        => Assert.Equal(passes, Check(fields.Contains("flag", StringComparison.Ordinal) ? "count" : "covariateSummary", fields).Passed);

    [Fact]
    public void A_group_comparison_checks_sizes_each_groups_survival_and_the_log_rank_p()
    {
        var table = Table();
        var p = LogRank.Test(SurvivalData.FromTable(table, "t", "e", groupColumn: "margin")).P;
        string Fields(double clear, double pValue) => FormattableString.Invariant(
            $"\"column\": \"margin\", \"groups\": [ {{ \"level\": \"clear\", \"count\": 4, \"time\": 6, \"percent\": {Printed(clear, 0)} }}, {{ \"level\": \"involved\", \"count\": 2, \"time\": 6, \"percent\": {Printed(50, 0)} }} ], \"p\": {Printed(Math.Round(pValue, 3), 3)}");

        Assert.True(Check("groupComparison", Fields(75, p)).Passed);
        Assert.False(Check("groupComparison", Fields(80, p)).Passed);
        Assert.False(Check("groupComparison", Fields(75, p + 0.01)).Passed);
        Assert.True(Check("groupComparison", "\"column\": \"margin\", \"groups\": [ { \"level\": \"clear\" }, { \"level\": \"involved\" } ], \"p\": { \"notSignificant\": true }").Passed == p >= 0.05);
    }

    [Fact]
    public void A_hazard_ratio_is_checked_with_its_interval_and_p_against_a_Cox_fit_of_the_levels_indicator()
    {
        var table = Table();
        var involved = table.GetText("margin").Select(v => v == "involved" ? 1.0 : 0.0).ToArray();
        var fit = CoxRegression.Fit(SurvivalData.FromTable(table, "t", "e"), CovariateMatrix.FromColumn("margin", involved)).Coefficients[0];
        Assert.True(double.IsFinite(fit.Upper!.Value), fit.ToString());
        string Fields(double ratio) => FormattableString.Invariant(
            $"\"column\": \"margin\", \"level\": \"involved\", \"value\": {Printed(Math.Round(ratio, 2), 2)}, \"interval\": {{ \"lower\": {Printed(Math.Round(fit.Lower!.Value, 2), 2)}, \"upper\": {Printed(Math.Round(fit.Upper!.Value, 2), 2)} }}, \"p\": {Printed(Math.Round(fit.P, 2), 2)}");

        Assert.True(Check("hazardRatio", Fields(fit.HazardRatio)).Passed);
        Assert.False(Check("hazardRatio", Fields(fit.HazardRatio + 0.1)).Passed);
    }

    [Fact]
    public void Recorded_sentences_other_denominators_and_missing_columns_are_not_checkable_with_their_reason()
    {
        var claims = Claims(
            Claim("R", "recorded", "\"reason\": \"no groups or p-values are given\""),
            Claim("O", "otherDenominator", "\"population\": \"patients explored\", \"denominator\": 75, \"count\": 3"),
            Claim("K", "covariateSummary", "\"column\": \"tumourSize\", \"median\": { \"value\": 8, \"decimals\": 0 }"),
            Claim("S", "survivalAt", "\"time\": 6, \"percent\": { \"value\": 62.5, \"decimals\": 1 }"));

        var report = ConsistencyCheck.Check(claims, Table());

        Assert.Equal(["pass", "not checkable", "not checkable", "not checkable", "pass"], report.Checks.Select(c => c.Status));
        Assert.Equal("no groups or p-values are given", report.Checks[1].NotCheckableReason);
        Assert.Equal("about 75 patients explored, not the cohort", report.Checks[2].NotCheckableReason);
        Assert.Equal("the cohort has no column tumourSize", report.Checks[3].NotCheckableReason);
        Assert.True(report.AllPassed);
    }

    [Fact]
    public void The_audit_judges_every_kind_from_the_figures_alone()
    {
        // 50% of 6 is 3; 33% of 6 is 2 only; 12 + 8 patients in groups exceed 6; disease-free S = 55.0% is not a
        // Kaplan–Meier value of 5 subjects (the attainable ones are products of 4/5, 3/4, 2/3, 1/2, 0); HR 3.0 is not
        // the geometric centre of 1.0–4.0.
        var claims = Claims(
            Claim("P", "count", "\"column\": \"flag\", \"level\": \"yes\", \"percent\": { \"value\": 33, \"decimals\": 0 }"),
            Claim("D", "survivalAt", "\"endpoint\": \"diseaseFree\", \"time\": 5, \"percent\": { \"value\": 60, \"decimals\": 0 }"),
            Claim("E", "survivalAt", "\"endpoint\": \"diseaseFree\", \"time\": 8, \"percent\": { \"value\": 55.0, \"decimals\": 1 }"),
            Claim("A", "covariateSummary", "\"column\": \"age\", \"mean\": { \"value\": 58.7, \"decimals\": 1 }, \"sd\": { \"value\": 8.9, \"decimals\": 1 }"),
            Claim("G", "groupComparison", "\"column\": \"margin\", \"groups\": [ { \"level\": \"clear\", \"count\": 12 }, { \"level\": \"involved\", \"count\": 8 } ]"),
            Claim("H", "hazardRatio", "\"column\": \"flag\", \"level\": \"yes\", \"value\": { \"value\": 3.0, \"decimals\": 1 }, \"interval\": { \"lower\": { \"value\": 1.0, \"decimals\": 1 }, \"upper\": { \"value\": 4.0, \"decimals\": 1 } }"),
            Claim("R", "recorded", "\"reason\": \"nothing to check\""));

        var audit = ClaimAudit.Audit(claims);
        AuditStatus Status(string id) => audit.Claims.Single(c => c.Id == id).Status;

        Assert.Equal([2], audit.Claims.Single(c => c.Id == "P").MatchingCounts.ToArray());
        Assert.Equal(AuditStatus.Attainable, Status("P"));
        Assert.Equal(AuditStatus.Attainable, Status("D"));
        Assert.Equal(AuditStatus.Unattainable, Status("E"));
        Assert.Equal(AuditStatus.Attainable, Status("A"));
        Assert.Equal(AuditStatus.Unattainable, Status("G"));
        Assert.Equal(AuditStatus.Unattainable, Status("H"));
        Assert.Equal(AuditStatus.NotCheckable, Status("R"));
        Assert.False(audit.Feasible);
        Assert.Contains(audit.Conflicts, c => c.ClaimIds.SequenceEqual(["E"]));
        Assert.Contains(audit.Conflicts, c => c.ClaimIds.SequenceEqual(["G"]));
        Assert.Contains(audit.Conflicts, c => c.ClaimIds.SequenceEqual(["H"]));
    }

    [Fact]
    public void A_bad_claims_file_gives_one_line_per_problem_naming_claim_and_field()
    {
        var file = """
            { "study": { "id": "b", "citation": "-", "timeUnit": "months", "timeColumn": "t", "eventColumn": "e" },
              "claims": [
                { "id": "A1", "kind": "cohortSize", "description": "6", "sentence": "-", "count": 6 },
                { "id": "A2", "kind": "survivalAt", "description": "-", "sentence": "-", "percent": { "value": 50, "decimals": 0 } },
                { "id": "A3", "kind": "oddsRatio", "description": "-", "sentence": "-" },
                { "id": "A4", "kind": "count", "description": "-", "sentence": "-", "column": "x", "level": "y" },
                { "id": "A5", "kind": "survivalAt", "description": "-", "sentence": "-", "endpoint": "pfs", "time": 1, "percent": "50%" },
                { "id": "A6", "kind": "covariateSummary", "description": "-", "sentence": "-", "column": "age", "median": { "value": 6, "decimals": 0 }, "mean": { "value": 6, "decimals": 0 }, "unit": "years" } ] }
            """;

        var error = Assert.Throws<DataValidationException>(() => ClaimSet.Parse(Encoding.UTF8.GetBytes(file), "bad.json"));
        var lines = error.Message.Split(Environment.NewLine);

        Assert.Equal(
            [
                "bad.json: claim A6, field 'unit': unknown field; a claim of kind covariateSummary has id, kind, description, sentence, column, valueDecimals, subjects, median, minimum, maximum, mean, sd, alternatives",
                "bad.json: claim A2, field 'time': missing",
                "bad.json: claim A3, field 'kind': unknown kind 'oddsRatio'; expected cohortSize, categoryCounts, count, survivalAt, medianSurvival, followUp, survivorsBeyond, covariateSummary, groupComparison, hazardRatio, noSignificantPredictor, otherDenominator or recorded",
                "bad.json: claim A4, field 'count': missing; give the count, the printed percentage, or both",
                "bad.json: claim A5, field 'percent': expected an object",
                "bad.json: claim A5, field 'endpoint': the study defines no endpoint 'pfs'; define it under study.endpoints with its time and event columns",
                "bad.json: claim A6, field 'mean': give either a median (with an optional minimum and maximum) or a mean (with an optional sd), not both",
            ],
            lines);
    }
}
