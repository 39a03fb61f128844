using System.Globalization;
using System.Text.Json;
using static GistNotebooks.Cli.Tests.Gistnb;

namespace GistNotebooks.Cli.Tests.Commands;

/// <summary><c>gistnb audit</c>, readings and reconstruction at any n, as a user runs them.</summary>
public sealed class ClaimCliTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "gistnb-claims-" + Guid.NewGuid().ToString("N"));

    public ClaimCliTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Reconstruct_writes_nothing_and_exits_1_naming_a_claim_no_cohort_passes()
    {
        // S(1) = 83.3% = 5/6 makes the first patient die with all six at risk, so the log-rank test always compares
        // something; no p-value reaches 1.5, so every drawn cohort fails A3. Nothing may be written.
        var claims = Write("impossible-predictor.json", """
            { "study": { "id": "p", "citation": "-", "timeUnit": "months", "timeColumn": "months", "eventColumn": "dead" },
              "claims": [
                { "id": "A1", "kind": "cohortSize", "description": "6 patients", "sentence": "-", "count": 6 },
                { "id": "A2", "kind": "categoryCounts", "description": "sex", "sentence": "-", "column": "sex", "counts": { "female": 3, "male": 3 } },
                { "id": "A4", "kind": "survivalAt", "description": "S(1)", "sentence": "-", "time": 1, "percent": { "value": 83.3, "decimals": 1 } },
                { "id": "A3", "kind": "noSignificantPredictor", "description": "sex", "sentence": "-", "alpha": 1.5,
                  "predictors": [ { "column": "sex", "level": "female", "label": "female vs male" } ] } ] }
            """);
        var output = Path.Combine(folder, "out");

        var (exit, _, error) = Run("reconstruct", "--claims", claims, "--out", output);

        Assert.Equal(1, exit);
        Assert.Contains("claim A3 fails", error, StringComparison.Ordinal);
        Assert.Contains("nothing written", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Reconstruct_draws_under_the_default_reading_or_the_one_named()
    {
        var whole = Path.Combine(folder, "whole");
        var tenth = Path.Combine(folder, "tenth");

        var (exitWhole, outputWhole, _) = Run("reconstruct", "--claims", TestData.NunobeClaims, "--out", whole);
        var (exitTenth, outputTenth, _) = Run("reconstruct", "--claims", TestData.NunobeClaims, "--reading", "tenth-month", "--out", tenth);

        Assert.Equal(0, exitWhole);
        Assert.Equal(0, exitTenth);
        Assert.Contains("16 death/censoring sequences agree with C06, C07, C08, C11 (reading whole-month)", outputWhole, StringComparison.Ordinal);
        Assert.Contains("24 death/censoring sequences agree with C06, C07, C08, C11 (reading tenth-month)", outputTenth, StringComparison.Ordinal);
        Assert.Equal("whole-month", JsonDocument.Parse(File.ReadAllText(Path.Combine(whole, "cohort.json"))).RootElement.GetProperty("reading").GetString());

        // Whole months are written as whole numbers; tenths with one decimal.
        var wholeTimes = File.ReadAllLines(Path.Combine(whole, "cohort.csv")).Skip(1).Select(l => l.Split(',')[7]).ToList();
        Assert.All(wholeTimes, t => Assert.DoesNotContain(".", t, StringComparison.Ordinal));
        Assert.All(File.ReadAllLines(Path.Combine(tenth, "cohort.csv")).Skip(1).Select(l => l.Split(',')[7]), t => Assert.Matches(@"^\d+\.\d$", t));
    }

    [Fact]
    public void Check_takes_a_reading_and_an_unknown_reading_is_a_one_line_input_error()
    {
        var (exit, output, _) = Run("check", "--claims", TestData.NunobeClaims, "--cohort", TestData.NunobeCohort, "--reading", "at-least-5-years");
        var (badExit, _, error) = Run("check", "--claims", TestData.NunobeClaims, "--cohort", TestData.NunobeCohort, "--reading", "decades");

        Assert.Equal(0, exit);
        Assert.Contains("12 of 12 claims pass ✓", output, StringComparison.Ordinal);
        Assert.Equal(2, badExit);
        Assert.Equal("gistnb: nunobe2005: no reading 'decades'; the claims file defines whole-month, tenth-month, at-least-5-years, each-site" + Environment.NewLine, error);
    }

    [Fact]
    public void Audit_json_follows_the_contract_and_reports_every_reading()
    {
        var (exit, output, _) = Run("audit", "--claims", TestData.NunobeClaims, "--format", "json");

        Assert.Equal(0, exit);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.True(root.GetProperty("feasible").GetBoolean());
        Assert.Empty(root.GetProperty("conflicts").EnumerateArray());
        var claims = root.GetProperty("claims").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!, c => c);
        Assert.Equal("attainable", claims["C06"].GetProperty("status").GetString());
        Assert.Equal("notCheckable", claims["C12"].GetProperty("status").GetString());
        Assert.Equal([17], claims["C09"].GetProperty("matchingCounts").EnumerateArray().Select(k => k.GetInt32()).ToArray());

        // Six deaths by 36 months and the Greenwood standard error there are the same in every consistent sequence.
        var deaths = claims["C06"].GetProperty("deathsByTime");
        Assert.True(deaths.GetProperty("fixed").GetBoolean() && deaths.GetProperty("exact").GetBoolean());
        Assert.Equal(6, deaths.GetProperty("minimum").GetDouble());
        Assert.True(claims["C06"].GetProperty("standardError").GetProperty("fixed").GetBoolean());

        var readings = root.GetProperty("readings").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!, r => r);
        Assert.Equal(["whole-month", "tenth-month", "at-least-5-years", "each-site"], readings.Keys.ToArray());
        Assert.Equal(16, readings["whole-month"].GetProperty("consistentOrders").GetDouble());
        Assert.Equal(24, readings["tenth-month"].GetProperty("consistentOrders").GetDouble());
        Assert.All(readings.Values, r => Assert.True(r.GetProperty("exact").GetBoolean() && r.GetProperty("feasible").GetBoolean()));
    }

    [Fact]
    public void Audit_names_conflicting_claims_and_exits_1()
    {
        var (exit, output, _) = Run("audit", "--claims", Path.Combine(AppContext.BaseDirectory, "BadInput", "contradictory-claims.json"), "--format", "json");

        Assert.Equal(1, exit);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.False(root.GetProperty("feasible").GetBoolean());
        var conflict = Assert.Single(root.GetProperty("conflicts").EnumerateArray());
        Assert.Equal(["C06", "C08"], conflict.GetProperty("claims").EnumerateArray().Select(c => c.GetString() ?? string.Empty).ToArray());
        Assert.StartsWith("C08 as a Kaplan–Meier median of 36 months contradicts C06", conflict.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_gives_the_nearest_attainable_survival_and_the_counts_a_percentage_allows()
    {
        // Six patients: every Kaplan–Meier value is a product of some of 5/6, 4/5, 3/4, 2/3, 1/2. Between 4/9 =
        // 5/6·4/5·2/3 (44.44%) and 1/2 there is none, so 45.0% is unattainable. 57% of 6 is no count (3/6 = 50%,
        // 4/6 = 66.7%); 50% of 6 is 3.
        var claims = Write("six.json", """
            { "study": { "id": "six", "citation": "-", "timeUnit": "months", "timeColumn": "months", "eventColumn": "dead" },
              "claims": [
                { "id": "A1", "kind": "cohortSize", "description": "6 patients", "sentence": "-", "count": 6 },
                { "id": "A2", "kind": "survivalAt", "description": "S(10)", "sentence": "-", "time": 10, "percent": { "value": 45.0, "decimals": 1 } },
                { "id": "A3", "kind": "count", "description": "women", "sentence": "-", "column": "sex", "level": "f", "count": 3, "percent": { "value": 57, "decimals": 0 } },
                { "id": "A4", "kind": "count", "description": "men", "sentence": "-", "column": "male", "level": "1", "count": 3, "percent": { "value": 50, "decimals": 0 } } ] }
            """);

        var (exit, output, _) = Run("audit", "--claims", claims, "--format", "json");

        Assert.Equal(1, exit);
        var entries = JsonDocument.Parse(output).RootElement.GetProperty("claims").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!, c => c);
        Assert.Equal("unattainable", entries["A2"].GetProperty("status").GetString());
        Assert.Equal([44.444444, 50.0], entries["A2"].GetProperty("nearestSurvival").EnumerateArray().Select(v => v.GetDouble()).ToArray());
        Assert.Equal("unattainable", entries["A3"].GetProperty("status").GetString());
        Assert.Empty(entries["A3"].GetProperty("matchingCounts").EnumerateArray());
        Assert.Equal([3], entries["A4"].GetProperty("matchingCounts").EnumerateArray().Select(k => k.GetInt32()).ToArray());

        var (_, text, _) = Run("audit", "--claims", claims);
        Assert.Contains("A2: no death/censoring sequence of 6 subjects with times on a grid of 0.1 months satisfies A2; attainable values nearest: 44.44%, 50.00%", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_and_reconstruct_say_plainly_when_the_budget_does_not_decide_and_exit_3()
    {
        var output = Path.Combine(folder, "out");

        var (auditExit, auditText, _) = Run("audit", "--claims", TestData.NunobeClaims, "--max-states", "1", "--max-search", "1");
        var (exit, _, error) = Run("reconstruct", "--claims", TestData.NunobeClaims, "--max-states", "1", "--max-search", "1", "--out", output);

        Assert.Equal(3, auditExit);
        Assert.Contains("the claims could not be decided within the budget", auditText, StringComparison.Ordinal);
        Assert.Equal(3, exit);
        Assert.Contains("could not decide within the budget", error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Audit_of_a_file_that_is_not_json_exits_2()
    {
        var (exit, _, error) = Run("audit", "--claims", Path.Combine(AppContext.BaseDirectory, "BadInput", "claims-not-json.json"));

        Assert.Equal(2, exit);
        Assert.Contains("claims-not-json.json: not valid JSON", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_fields_are_refused_one_line_each_naming_the_claim_and_the_field()
    {
        // An endpoint on a survival claim must not be ignored (the figure would be checked against overall survival):
        // it must name an endpoint the study defines.
        var claims = Write("unknown.json", """
            { "study": { "id": "u", "citation": "-", "timeUnit": "months", "timeColumn": "t", "eventColumn": "e", "unit": "days" },
              "claims": [
                { "id": "A1", "kind": "cohortSize", "description": "6", "sentence": "-", "count": 6 },
                { "id": "A2", "kind": "survivalAt", "description": "S(10)", "sentence": "-", "time": 10, "endpoint": "progression",
                  "percent": { "value": 50, "decimals": 0, "se": 3 } } ] }
            """);
        var output = Path.Combine(folder, "out");

        var (exit, _, error) = Run("reconstruct", "--claims", claims, "--out", output);
        var (auditExit, _, auditError) = Run("audit", "--claims", claims);

        Assert.Equal(2, exit);
        Assert.Equal(
            [
                "gistnb: unknown.json: the file, field 'study', field 'unit': unknown field; the study has id, citation, timeUnit, timeColumn, eventColumn, idColumn, eventTimeColumns, endpoints",
                "gistnb: unknown.json: claim A2, field 'percent', field 'se': unknown field; a printed figure has value, decimals",
                "gistnb: unknown.json: claim A2, field 'endpoint': the study defines no endpoint 'progression'; define it under study.endpoints with its time and event columns",
            ],
            error.TrimEnd().Split(Environment.NewLine));
        Assert.False(Directory.Exists(output));
        Assert.Equal(2, auditExit);
        Assert.Equal(error, auditError);
    }

    [Fact]
    public void An_unknown_kind_is_refused_naming_the_claim()
    {
        var claims = Write("kind.json", """
            { "study": { "id": "k", "citation": "-", "timeUnit": "months", "timeColumn": "t", "eventColumn": "e" },
              "claims": [
                { "id": "A1", "kind": "cohortSize", "description": "6", "sentence": "-", "count": 6 },
                { "id": "A2", "kind": "oddsRatio", "description": "OR", "sentence": "-", "estimate": 0.5 } ] }
            """);

        var (exit, _, error) = Run("audit", "--claims", claims);

        Assert.Equal(2, exit);
        Assert.StartsWith("gistnb: kind.json: claim A2, field 'kind': unknown kind 'oddsRatio'; expected cohortSize", error, StringComparison.Ordinal);
    }
    [Fact]
    public void A_bad_claims_file_gives_one_line_per_problem_exit_2_and_nothing_written()
    {
        var claims = Write("problems.json", """
            { "study": { "id": "b", "citation": "-", "timeUnit": "months", "timeColumn": "t", "eventColumn": "e" },
              "claims": [
                { "id": "A1", "kind": "cohortSize", "description": "6", "sentence": "-", "count": 6 },
                { "id": "A2", "kind": "survivalAt", "description": "-", "sentence": "-", "percent": { "value": 50, "decimals": 0 } },
                { "id": "A3", "kind": "covariateSummary", "description": "-", "sentence": "-", "mean": { "value": 6, "decimals": 0 } },
                { "id": "A4", "kind": "recorded", "description": "-", "sentence": "-" } ] }
            """);
        var output = Path.Combine(folder, "out");

        var (exit, _, error) = Run("reconstruct", "--claims", claims, "--out", output);

        Assert.Equal(2, exit);
        Assert.Equal(
            [
                "gistnb: problems.json: claim A2, field 'time': missing",
                "gistnb: problems.json: claim A3, field 'column': missing",
                "gistnb: problems.json: claim A4, field 'reason': missing",
            ],
            error.TrimEnd().Split(Environment.NewLine));
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Check_and_audit_show_sentences_that_cannot_be_checked_with_their_reason()
    {
        var claims = Write("recorded.json", """
            { "study": { "id": "r", "citation": "-", "timeUnit": "months", "timeColumn": "t", "eventColumn": "e" },
              "claims": [
                { "id": "A1", "kind": "cohortSize", "description": "3", "sentence": "-", "count": 3 },
                { "id": "A2", "kind": "recorded", "description": "treatments", "sentence": "-", "reason": "no counts are given" },
                { "id": "A3", "kind": "otherDenominator", "description": "explored", "sentence": "-", "population": "patients explored", "denominator": 75, "count": 3, "percent": { "value": 4, "decimals": 0 } } ] }
            """);
        var cohort = Write("three.csv", "t,e\n1,1\n2,0\n3,1\n");

        var (exit, output, _) = Run("check", "--claims", claims, "--cohort", cohort);
        var (auditExit, audit, _) = Run("audit", "--claims", claims, "--format", "json");

        Assert.Equal(0, exit);
        Assert.Contains("not checkable: no counts are given", output, StringComparison.Ordinal);
        Assert.Equal(2, output.Split("○ not checkable").Length - 1);
        Assert.Contains("1 of 1 checkable claims pass ✓; 2 not checkable", output, StringComparison.Ordinal);
        Assert.Equal(0, auditExit);
        var statuses = JsonDocument.Parse(audit).RootElement.GetProperty("claims").EnumerateArray().Select(c => c.GetProperty("status").GetString()).ToList();
        Assert.Equal(["attainable", "notCheckable", "attainable"], statuses);
    }
    [Fact]
    public void New_scaffolds_a_study_once_and_refuses_to_overwrite_it()
    {
        var (exit, output, _) = Run("new", "seedcopy", "--claims", TestData.NunobeClaims, "--out", folder);
        var manifest = File.ReadAllText(Path.Combine(folder, "notebooks", "seedcopy", "manifest.json"));
        var cohort = File.ReadAllText(Path.Combine(folder, "data", "seedcopy", "cohort.csv"));
        var (again, _, error) = Run("new", "seedcopy", "--claims", TestData.NunobeClaims, "--out", folder);

        Assert.Equal(0, exit);
        Assert.Contains("gistnb reproduce --notebooks", output, StringComparison.Ordinal);
        Assert.Contains("\"claimsFile\": \"../../data/seedcopy/claims.json\"", manifest, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(TestData.NunobeClaims), File.ReadAllText(Path.Combine(folder, "data", "seedcopy", "claims.json")));
        Assert.Equal(2, again);
        Assert.Contains("already exists; a study is never overwritten", error, StringComparison.Ordinal);
        Assert.Equal(cohort, File.ReadAllText(Path.Combine(folder, "data", "seedcopy", "cohort.csv")));
    }
}
