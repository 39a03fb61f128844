using System.CommandLine;
using GistNotebooks.Cli.Infrastructure;
using GistNotebooks.Reporting.Formatting;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Cli.Commands;

/// <summary><c>gistnb analyze survreg</c>: parametric (accelerated failure time) survival regression, as R's survreg.</summary>
internal static class ParametricCommand
{
    public static Command Create(CliConsole console)
    {
        var common = new CommonOptions();
        var eventColumn = new Option<string>("--event") { Description = "The column of event indicators (1 = event, 0 = censored).", Required = true };
        var terms = new RegressionOptions();
        var distribution = new Option<string>("--dist") { Description = "weibull (R's default), exponential, lognormal, loglogistic, gaussian or logistic.", DefaultValueFactory = _ => "weibull" };
        distribution.AcceptOnlyFromAmong([.. Enum.GetValues<ParametricDistribution>().Select(ParametricRegression.Name)]);
        var command = new Command("survreg", "Parametric survival regression (accelerated failure time), as R's survreg.");
        common.AddTo(command);
        command.Options.Add(eventColumn);
        terms.AddTo(command);
        command.Options.Add(distribution);
        command.Options.Add(common.EventLabels);

        console.SetAction(command, parse =>
        {
            var names = terms.Names(parse);
            var table = ColumnTable.ReadCsv(parse.GetValue(common.Data)!, common.Csv(parse));
            var frame = ModelFrame.FromTable(table, parse.GetValue(common.Time)!, parse.GetValue(eventColumn)!, names, terms.References(parse), eventCoding: common.Coding(parse));
            var options = new ParametricOptions { Distribution = ParametricRegression.ParseDistribution(parse.GetValue(distribution)!) };
            var model = CommonOptions.InFile(table.SourceName, () => ParametricRegression.Fit(frame, options));
            RegressionOutput.Print(console.Output, common.Json(parse), model.ToText(), json => WriteJson(json, model));

            return 0;
        });
        return command;
    }

    private static void WriteJson(JsonOutput json, ParametricModel model)
    {
        json.Text("distribution", ParametricRegression.Name(model.Distribution));
        json.Integer("n", model.N);
        json.Integer("events", model.Events);
        RegressionOutput.Fit(json, model.DroppedRows, model.Converged, model.Iterations);
        json.Array("coefficients", model.Coefficients.Concat(model.LogScale is null ? [] : [model.LogScale]), c => RegressionOutput.Coefficient(json, c.Term, c.Coefficient, c.StandardError, c.Z, c.P));
        json.Number("scale", model.Scale);
        json.Writer.WriteBoolean("scaleFixed", model.IsScaleFixed);
        json.Number("logLikelihood", model.LogLikelihood);
        json.Number("logLikelihoodInterceptOnly", model.LogLikelihoodInterceptOnly);
        json.Number("aic", model.Aic);
        json.Number("bic", model.Bic);
        json.Object("tests", () =>
        {
            void Test(string name, ChiSquareTest? t)
            {
                if (t is null || t.DegreesOfFreedom == 0)
                {
                    json.Writer.WriteNull(name);
                    return;
                }

                json.Object(name, () =>
                {
                    json.Number("statistic", t.Statistic);
                    json.Integer("df", t.DegreesOfFreedom);
                    json.Number("p", t.P);
                });
            }

            Test("likelihoodRatio", model.LikelihoodRatioTest);
            Test("wald", model.WaldTest);
        });
        RegressionOutput.Warnings(json, model.Warnings);
    }
}
