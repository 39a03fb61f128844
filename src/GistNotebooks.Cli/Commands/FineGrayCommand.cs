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
        var terms = new RegressionOptions();
        var command = new Command("finegray", "Fine–Gray regression for competing risks, as cmprsk::crr.");
        common.AddTo(command);
        command.Options.Add(status);
        command.Options.Add(cause);
        terms.AddTo(command);

        console.SetAction(command, parse =>
        {
            var names = terms.Names(parse);
            var table = ColumnTable.ReadCsv(parse.GetValue(common.Data)!, common.Csv(parse));
            var statusColumn = parse.GetValue(status)!;
            var options = new FineGrayOptions { FailureCode = parse.GetValue(cause) };
            var model = CommonOptions.InFile(
                table.SourceName,
                () => FineGray.Fit(table, parse.GetValue(common.Time)!, statusColumn, names, terms.References(parse), options),
                statusColumn);
            RegressionOutput.Print(console.Output, common.Json(parse), model.ToText(), json => WriteJson(json, model));

            return 0;
        });
        return command;
    }

    private static void WriteJson(JsonOutput json, FineGrayModel model)
    {
        json.Integer("cause", model.FailureCode);
        json.Integer("n", model.N);
        json.Integer("events", model.Events);
        json.Integer("competingEvents", model.CompetingEvents);
        RegressionOutput.Fit(json, model.DroppedRows, model.Converged, model.Iterations);
        json.Array("coefficients", model.Coefficients, c => RegressionOutput.Coefficient(json, c.Term, c.Coefficient, c.StandardError, c.Z, c.P, (c.HazardRatio, c.Lower, c.Upper)));
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
        RegressionOutput.Warnings(json, model.Warnings);
    }
}
