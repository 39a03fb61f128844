using System.CommandLine;
using System.Globalization;
using GistNotebooks.Cli.Infrastructure;
using GistNotebooks.Reporting.Formatting;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Cli.Commands;

/// <summary><c>gistnb analyze finegray</c>: Fine–Gray regression of the subdistribution hazard of one cause, as cmprsk::crr.</summary>
internal static class FineGrayCommand
{
    public static Command Create(CliConsole console)
    {
        var common = new CommonOptions();
        var status = new Option<string>("--status") { Description = "The column of status codes: 0 = censored, 1, 2, … = causes.", Required = true };
        var cause = new Option<int>("--cause") { Description = "The cause whose subdistribution hazard is modelled (crr's failcode).", DefaultValueFactory = _ => 1 };
        cause.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--cause must be a cause code of 1 or more (0 means censored).");
            }
        });
        var covariates = new Option<string>("--covariates") { Description = "Covariate columns, separated by commas. Non-numeric columns are factors.", Required = true };
        var reference = new Option<string[]>("--reference") { Description = "Baseline level of a factor, as column=level (repeatable).", AllowMultipleArgumentsPerToken = true };
        var command = new Command("finegray", "Fine–Gray regression for competing risks, as cmprsk::crr.");
        common.AddTo(command);
        command.Options.Add(status);
        command.Options.Add(cause);
        command.Options.Add(covariates);
        command.Options.Add(reference);

        console.SetAction(command, parse =>
        {
            var names = parse.GetValue(covariates)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var table = ColumnTable.ReadCsv(parse.GetValue(common.Data)!, common.Csv(parse));
            var statusColumn = parse.GetValue(status)!;
            var data = CompetingRisksData.FromTable(table, parse.GetValue(common.Time)!, statusColumn);

            // The model frame drops rows with a missing covariate; every cause code counts as an event there.
            var causeLabels = table.GetText(statusColumn).OfType<string>()
                .Where(t => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture) != 0).Distinct(StringComparer.Ordinal);
            var frame = ModelFrame.FromTable(table, parse.GetValue(common.Time)!, statusColumn, names, ReferenceLevels.Parse(parse.GetValue(reference)), eventCoding: EventCoding.FromLabels(causeLabels, []));
            var dropped = frame.DroppedRows.ToHashSet();
            var causes = data.CauseCodes.Where((_, i) => !dropped.Contains(i + 1)).ToArray();
            var options = new FineGrayOptions { FailureCode = parse.GetValue(cause) };
            var model = CommonOptions.InFile(table.SourceName, () => FineGray.Fit(frame, causes, options), statusColumn);
            if (common.Json(parse))
            {
                WriteJson(console.Output, model);
            }
            else
            {
                console.Output.WriteLine(model.ToText());
            }

            return 0;
        });
        return command;
    }

    private static void WriteJson(TextWriter output, FineGrayModel model) => JsonOutput.Write(output, json =>
    {
        json.Integer("cause", model.FailureCode);
        json.Integer("n", model.N);
        json.Integer("events", model.Events);
        json.Integer("competingEvents", model.CompetingEvents);
        json.Writer.WriteStartArray("droppedRows");
        foreach (var row in model.DroppedRows)
        {
            json.Writer.WriteNumberValue(row);
        }

        json.Writer.WriteEndArray();
        json.Writer.WriteBoolean("converged", model.Converged);
        json.Integer("iterations", model.Iterations);
        json.Array("coefficients", model.Coefficients, c =>
        {
            json.Text("term", c.Term);
            json.Number("coefficient", c.Coefficient);
            json.Number("standardError", c.StandardError);
            json.Number("hazardRatio", c.HazardRatio);
            json.Number("lower", c.Lower);
            json.Number("upper", c.Upper);
            json.Number("z", c.Z);
            json.Number("p", c.P);
        });
        json.Object("logPseudoLikelihood", () =>
        {
            json.Number("null", model.LogPseudoLikelihoodNull);
            json.Number("final", model.LogPseudoLikelihood);
        });
        json.Object("tests", () =>
        {
            json.Object("pseudoLikelihoodRatio", () =>
            {
                json.Number("statistic", model.PseudoLikelihoodRatio);
                json.Integer("df", model.Terms.Length);
            });
            json.Object("wald", () =>
            {
                json.Number("statistic", model.WaldTest.Statistic);
                json.Integer("df", model.WaldTest.DegreesOfFreedom);
                json.Number("p", model.WaldTest.P);
            });
        });
        json.Writer.WriteStartArray("warnings");
        foreach (var warning in model.Warnings)
        {
            json.Writer.WriteStringValue(warning);
        }

        json.Writer.WriteEndArray();
    });
}
