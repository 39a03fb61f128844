using System.CommandLine;
using GistNotebooks.Cli.Infrastructure;
using GistNotebooks.Reporting.Formatting;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Cli.Commands;

/// <summary><c>gistnb analyze cox</c>: Cox proportional hazards regression (Efron or Breslow ties, optionally Firth-penalised).</summary>
internal static class CoxCommand
{
    public static Command Create(CliConsole console)
    {
        var common = new CommonOptions();
        var eventColumn = new Option<string>("--event") { Description = "The column of event indicators (1 = event, 0 = censored).", Required = true };
        var covariates = new Option<string>("--covariates") { Description = "Covariate columns, separated by commas. Non-numeric columns are factors.", Required = true };
        var reference = new Option<string[]>("--reference") { Description = "Baseline level of a factor, as column=level (repeatable).", AllowMultipleArgumentsPerToken = true };
        var ties = new Option<string>("--ties") { Description = "efron (R's default) or breslow.", DefaultValueFactory = _ => "efron" };
        ties.AcceptOnlyFromAmong("efron", "breslow");
        var firth = new Option<bool>("--firth") { Description = "Firth's penalised likelihood with profile-likelihood limits (for small samples and monotone likelihood)." };
        var command = new Command("cox", "Cox proportional hazards regression, as R's coxph.");
        common.AddTo(command);
        command.Options.Add(eventColumn);
        command.Options.Add(covariates);
        command.Options.Add(reference);
        command.Options.Add(ties);
        command.Options.Add(firth);
        command.Options.Add(common.EventLabels);

        console.SetAction(command, parse =>
        {
            var references = ReferenceLevels.Parse(parse.GetValue(reference));
            var names = parse.GetValue(covariates)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var path = parse.GetValue(common.Data)!;
            var coding = common.Coding(parse);
            var options = new CoxOptions { Ties = parse.GetValue(ties) == "breslow" ? TieMethod.Breslow : TieMethod.Efron, Firth = parse.GetValue(firth) };

            // The frame is made where it is fitted and held by no variable, so that its covariate matrix can be collected
            // once the fit has its own sorted copy (hundreds of megabytes at ten million rows).
            var model = CommonOptions.InFile(path, () => CoxRegression.Fit(
                ModelFrame.FromCsv(path, parse.GetValue(common.Time)!, parse.GetValue(eventColumn)!, names, references, options: common.Csv(parse), eventCoding: coding), options));
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

    private static void WriteJson(TextWriter output, CoxModel model) => JsonOutput.Write(output, json =>
    {
        json.Integer("n", model.N);
        json.Integer("events", model.Events);
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
            json.Number("coefficient", c.IsInfinite ? null : c.Coefficient);
            json.Number("standardError", c.IsInfinite ? null : c.StandardError);
            json.Number("hazardRatio", c.IsInfinite ? null : c.HazardRatio);
            json.Number("lower", c.IsInfinite ? null : c.Lower);
            json.Number("upper", c.IsInfinite ? null : c.Upper);
            json.Number("z", c.IsInfinite ? null : c.Z);
            json.Number("p", c.IsInfinite ? null : c.P);
        });
        json.Object("logLikelihood", () =>
        {
            json.Number("null", model.LogLikelihoodNull);
            json.Number("final", model.LogLikelihood);
        });
        json.Object("tests", () =>
        {
            void Test(string name, CoxTest t) => json.Object(name, () =>
            {
                json.Number("statistic", t.Statistic);
                json.Integer("df", t.DegreesOfFreedom);
                json.Number("p", t.P);
            });
            Test("likelihoodRatio", model.LikelihoodRatioTest);
            Test("wald", model.WaldTest);
            Test("score", model.ScoreTest);
        });
        json.Object("concordance", () =>
        {
            json.Number("estimate", model.Concordance.Estimate);
            json.Number("standardError", model.Concordance.StandardError);
        });
        json.Writer.WriteStartArray("warnings");
        foreach (var warning in model.Warnings)
        {
            json.Writer.WriteStringValue(warning);
        }

        json.Writer.WriteEndArray();
    });
}
