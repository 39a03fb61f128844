using System.CommandLine;
using System.Globalization;
using GistNotebooks.Cli.Infrastructure;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Cli.Commands;

/// <summary><c>gistnb analyze concordance</c>: Harrell's C of any numeric column with right-censored survival, as R's <c>concordance(Surv(time, status) ~ x)</c>.</summary>
internal static class ConcordanceCommand
{
    public static Command Create(CliConsole console)
    {
        var common = new CommonOptions();
        var eventColumn = new Option<string>("--event") { Description = "The column of event indicators (1 = event, 0 = censored).", Required = true };
        var predictor = new Option<string>("--predictor") { Description = "The numeric column whose agreement with survival is measured (a score, a marker, a model's prediction).", Required = true };
        var reverse = new Option<bool>("--reverse") { Description = "A larger value predicts a shorter survival (a risk score), as R's reverse = TRUE; by default a larger value predicts a longer survival." };
        var strata = new Option<string?>("--strata") { Description = "A column of strata: pairs are compared only within a stratum, as R's strata()." };
        var command = new Command("concordance", "Harrell's concordance of a numeric column with survival, as R's concordance().");
        common.AddTo(command);
        command.Options.Add(eventColumn);
        command.Options.Add(predictor);
        command.Options.Add(reverse);
        command.Options.Add(strata);
        command.Options.Add(common.EventLabels);
        command.Options.Add(common.Weights);
        command.Options.Add(common.NoTimeFix);

        console.SetAction(command, parse =>
        {
            var path = parse.GetValue(common.Data)!;
            var time = parse.GetValue(common.Time)!;
            var status = parse.GetValue(eventColumn)!;
            var column = parse.GetValue(predictor)!;
            var strataColumn = parse.GetValue(strata);
            var weightColumn = parse.GetValue(common.Weights);
            var columns = new[] { time, status, column, strataColumn, weightColumn }.OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
            var table = ColumnTable.ReadCsv(path, common.Csv(parse) with { Columns = columns });
            var data = SurvivalData.FromTable(table, time, status, strataColumn: strataColumn, weightColumn: weightColumn, eventCoding: common.Coding(parse));
            var values = table.GetNumbers(column);
            var options = new ConcordanceOptions { Reverse = parse.GetValue(reverse), TimeFix = !parse.GetValue(common.NoTimeFix) };
            var result = CommonOptions.InFile(path, () => Concordance.Estimate(data, values, options), column);
            if (common.Json(parse))
            {
                JsonOutput.Write(console.Output, json =>
                {
                    json.Text("predictor", column);
                    json.Text("direction", options.Reverse ? "larger predicts shorter survival" : "larger predicts longer survival");
                    json.Integer("n", data.Count);
                    json.Number("estimate", result.Estimate);
                    json.Number("standardError", result.StandardError);
                    json.Object("pairs", () =>
                    {
                        json.Number("concordant", result.Concordant);
                        json.Number("discordant", result.Discordant);
                        json.Number("tiedPredictor", result.TiedRisk);
                        json.Number("tiedTime", result.TiedTime);
                        json.Number("tiedBoth", result.TiedBoth);
                    });
                });
                return 0;
            }

            static string F(double? value) => value is double v ? v.ToString("G6", CultureInfo.InvariantCulture) : "NA";
            console.Output.WriteLine($"Concordance of {column} with survival ({(options.Reverse ? "a larger value predicts a shorter survival" : "a larger value predicts a longer survival")}), n = {data.Count}");
            console.Output.WriteLine($"  C = {F(result.Estimate)} (se {F(result.StandardError)})");
            console.Output.WriteLine($"  pairs: concordant {F(result.Concordant)}, discordant {F(result.Discordant)}, tied on {column} {F(result.TiedRisk)}, tied on time {F(result.TiedTime)}, tied on both {F(result.TiedBoth)}");
            return 0;
        });
        return command;
    }
}
