using GistNotebooks.Reporting.Formatting;
using System.CommandLine;
using System.Globalization;
using GistNotebooks.Cli.Infrastructure;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Reconstruction;

namespace GistNotebooks.Cli.Commands;

/// <summary><c>gistnb audit</c>: an abstract's claims checked against each other from the abstract alone.</summary>
internal static class AuditCommand
{
    /// <summary>Exit code when the budget did not decide.</summary>
    public const int Undecided = 3;

    public static Command Create(CliConsole console)
    {
        var claimsOption = new Option<string>("--claims") { Description = "The claims file (JSON).", Required = true };
        var reading = ClaimCommands.ReadingOption();
        var format = new Option<string>("--format") { Description = "text (default) or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var (maximumStates, maximumSearch) = BudgetOptions();
        var command = new Command("audit", "Check a paper's claims against each other from the abstract alone: each claim at the cohort size, which conflict, what they fix, every reading (exit 0 feasible, 1 not, 3 undecided).")
        {
            claimsOption, reading, format, maximumStates, maximumSearch,
        };
        console.SetAction(command, parse =>
        {
            var claims = ClaimSet.Load(parse.GetValue(claimsOption)!, parse.GetValue(reading));
            var json = parse.GetValue(format) == "json";
            var counting = Budget(parse, maximumStates, maximumSearch, console);
            var report = ClaimAudit.Audit(claims, new AuditOptions { Counting = counting });
            if (json)
            {
                WriteJson(console.Output, report);
            }
            else
            {
                WriteText(console.Output, report, claims);
            }

            return !report.Decided ? Undecided : report.Feasible ? 0 : ClaimCommands.ClaimFails;
        });
        return command;
    }

    /// <summary>The options that bound the work of counting and searching.</summary>
    public static (Option<long> States, Option<long> Search) BudgetOptions() => (
        new Option<long>("--max-states") { Description = "The most states the exact counting may hold before it gives way to search and an estimate (default 100000).", DefaultValueFactory = _ => new SequenceCountOptions().MaximumStates },
        new Option<long>("--max-search") { Description = "The most states one search may visit (default 5000000).", DefaultValueFactory = _ => new SequenceCountOptions().MaximumSearchSteps });

    /// <summary>The counting options a command line asks for, with progress lines on standard error.</summary>
    public static SequenceCountOptions Budget(ParseResult parse, Option<long> states, Option<long> search, CliConsole console)
    {
        var maximumStates = parse.GetValue(states);
        var maximumSearch = parse.GetValue(search);
        if (maximumStates < 1 || maximumSearch < 1)
        {
            throw new CliUsageException("--max-states and --max-search expect a whole number of 1 or more");
        }

        return new SequenceCountOptions { MaximumStates = maximumStates, MaximumSearchSteps = maximumSearch, Progress = line => console.Error.WriteLine("gistnb: " + line) };
    }

    private static string Status(AuditStatus status) => status switch
    {
        AuditStatus.Attainable => "attainable",
        AuditStatus.Unattainable => "unattainable",
        _ => "notCheckable",
    };

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Count(SequenceCount count) => count.IsExact
        ? count.ExactCount!.Value.ToString(CultureInfo.InvariantCulture)
        : count.Decision != FeasibilityDecision.Feasible
            ? "undecided"
            : count.StandardError is double se
                ? string.Create(CultureInfo.InvariantCulture, $"≈ {count.Count:G3} (s.e. {se:G2})")
                : string.Create(CultureInfo.InvariantCulture, $"≥ {count.Count:G3}");

    private static string Range(QuantityRange range, string unit = "")
        => range.IsFixed ? Number(range.Minimum) + unit : $"{Number(range.Minimum)}{unit} to {Number(range.Maximum)}{unit}";

    private static void WriteText(TextWriter output, AuditReport report, ClaimSet claims)
    {
        var reading = report.Reading is null ? string.Empty : $" (reading {report.Reading})";
        var verdict = !report.Decided ? "could not be decided within the budget" : report.Feasible ? "can hold together" : "cannot hold together";
        output.WriteLine($"Audit of {report.Study}{reading}: the claims {verdict}.");
        var table = new ResultTable(string.Empty, ["claim", "status", "reported", "detail"], [.. report.Claims.Select(c => (IReadOnlyList<string>)[c.Id, Status(c.Status), c.Reported, c.Reason])], []) { Numeric = false };
        output.Write(table.ToText());

        if (!report.Conflicts.IsEmpty)
        {
            output.WriteLine("Conflicts:");
            foreach (var conflict in report.Conflicts)
            {
                output.WriteLine($"  {string.Join(" + ", conflict.ClaimIds)}: {conflict.Reason}");
            }
        }

        var fixedLines = new List<string>();
        foreach (var c in report.Claims.Where(c => c.DeathsByTime is not null))
        {
            var claim = (SurvivalAtClaim)claims[c.Id];
            var time = claim.Time.ToString(CultureInfo.InvariantCulture);
            var events = claim.Endpoint is null ? "deaths" : $"{claims.EndpointOf(claim).Label} events (over its own sequences)";
            fixedLines.Add($"{events} by {time} {claims.TimeUnit} ({c.Id}): {Range(c.DeathsByTime!)}");
            if (c.StandardError is { } se)
            {
                fixedLines.Add($"Greenwood standard error at {time} {claims.TimeUnit} ({c.Id}): {Range(se, "%")}");
            }
        }

        if (report.TotalDeaths is { } deaths)
        {
            fixedLines.Add($"deaths in all: {Range(deaths)}");
            var over = deaths.IsExact
                ? $"over all {deaths.Sequences.ToString(CultureInfo.InvariantCulture)} consistent sequences"
                : $"over {deaths.Sequences.ToString(CultureInfo.InvariantCulture)} sequences drawn by search (a sample, not all)";
            output.WriteLine($"What the claims fix ({over}; a single value is fixed, a range is not):");
            foreach (var line in fixedLines)
            {
                output.WriteLine("  " + line);
            }
        }

        var rows = new List<IReadOnlyList<string>>();
        foreach (var r in report.Readings)
        {
            var name = (r.Name ?? "as written") + (r.Name is not null && r.Name == claims.DefaultReading ? " (default)" : string.Empty);
            rows.Add([name, !r.Decided ? "undecided" : r.Feasible ? "yes" : "no", Count(r.Sequences), r.Sequences.Method]);
        }

        output.WriteLine("Readings (death/censoring sequences that agree with every time claim):");
        output.Write(new ResultTable(string.Empty, ["reading", "feasible", "sequences", "how counted"], rows, []) { Numeric = false }.ToText());
    }

    private static void WriteJson(TextWriter output, AuditReport report) => JsonOutput.Write(output, json =>
    {
        var w = json.Writer;
        json.Text("study", report.Study);
        json.Text("reading", report.Reading);
        w.WriteBoolean("feasible", report.Feasible);
        w.WriteBoolean("decided", report.Decided);
        json.Array("claims", report.Claims, c =>
        {
            json.Text("id", c.Id);
            json.Text("kind", c.Kind);
            json.Text("reported", c.Reported);
            json.Text("status", Status(c.Status));
            json.Text("reason", c.Reason);
            w.WriteStartArray("matchingCounts");
            foreach (var k in c.MatchingCounts)
            {
                w.WriteNumberValue(k);
            }

            w.WriteEndArray();
            w.WriteStartArray("nearestSurvival");
            foreach (var v in c.NearestSurvival)
            {
                json.Number(Math.Round(v, 6));
            }

            w.WriteEndArray();
            Range("deathsByTime", c.DeathsByTime);
            Range("standardError", c.StandardError);
        });
        json.Array("conflicts", report.Conflicts, c =>
        {
            w.WriteStartArray("claims");
            foreach (var id in c.ClaimIds)
            {
                w.WriteStringValue(id);
            }

            w.WriteEndArray();
            json.Text("reason", c.Reason);
        });
        Range("totalDeaths", report.TotalDeaths);
        json.Array("readings", report.Readings, r =>
        {
            json.Text("name", r.Name);
            w.WriteBoolean("feasible", r.Feasible);
            w.WriteBoolean("decided", r.Decided);
            json.Number("consistentOrders", r.Sequences.Decision == FeasibilityDecision.Undecided ? null : r.Sequences.Count);
            w.WriteBoolean("exact", r.Sequences.IsExact);
            json.Number("standardError", r.Sequences.StandardError);
            json.Text("method", r.Sequences.Method);
        });

        void Range(string name, QuantityRange? range)
        {
            if (range is null)
            {
                w.WriteNull(name);
                return;
            }

            json.Object(name, () =>
            {
                json.Number("minimum", range.Minimum);
                json.Number("maximum", range.Maximum);
                w.WriteBoolean("fixed", range.IsFixed);
                w.WriteNumber("sequences", range.Sequences);
                w.WriteBoolean("exact", range.IsExact);
            });
        }
    });
}
