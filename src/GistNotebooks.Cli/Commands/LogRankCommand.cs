using System.CommandLine;
using GistNotebooks.Cli.Infrastructure;
using GistNotebooks.Reporting.Formatting;
using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Cli.Commands;

/// <summary><c>gistnb analyze logrank</c>: the k-group log-rank or Fleming–Harrington test, optionally stratified.</summary>
internal static class LogRankCommand
{
    public static Command Create(CliConsole console)
    {
        var common = new CommonOptions();
        var eventColumn = new Option<string>("--event") { Description = "The column of event indicators (1 = event, 0 = censored).", Required = true };
        var group = new Option<string>("--group") { Description = "The column of group labels to compare.", Required = true };
        var rho = new Option<double>("--rho") { Description = "Fleming–Harrington weight S(t-)^rho: 0 is the log-rank test (default), 1 the Peto–Peto test.", DefaultValueFactory = _ => 0.0 };
        var strata = new Option<string?>("--strata") { Description = "A column of strata: the test is stratified, as survdiff with strata()." };
        var start = new Option<string?>("--start") { Description = "Not available: R's survdiff has no test for counting-process (start, stop] data; compare the groups with analyze cox --start instead." };
        var command = new Command("logrank", "Compare survival between groups, as R's survdiff.");
        common.AddTo(command);
        command.Options.Add(eventColumn);
        command.Options.Add(group);
        command.Options.Add(rho);
        command.Options.Add(strata);
        command.Options.Add(common.EventLabels);
        command.Options.Add(common.Weights);
        command.Options.Add(common.NoTimeFix);
        command.Options.Add(start);

        console.SetAction(command, parse =>
        {
            if (parse.GetValue(start) is not null)
            {
                // survdiff refuses Surv(start, stop, event) too; the Cox score test is the delayed-entry counterpart.
                throw new CliUsageException("--start: the log-rank test is not defined here for counting-process (start, stop] data (R's survdiff refuses them too); compare the groups with 'gistnb analyze cox --start COL --covariates GROUP', whose score test extends the log-rank test to delayed entry");
            }

            var data = SurvivalData.FromCsv(parse.GetValue(common.Data)!, parse.GetValue(common.Time)!, parse.GetValue(eventColumn)!, parse.GetValue(group), parse.GetValue(strata), parse.GetValue(common.Weights), options: common.Csv(parse), eventCoding: common.Coding(parse));
            var weight = parse.GetValue(rho);
            if (!double.IsFinite(weight))
            {
                throw new CliUsageException("--rho expects a finite number");
            }

            if (data.GroupLevels.Length < 2)
            {
                throw new DataValidationException(parse.GetValue(common.Data)!, null, parse.GetValue(group), FormattableString.Invariant(
                    $"the log-rank test needs at least two groups; every one of the {data.Count} rows is in group '{data.GroupLevels[0]}'"));
            }

            var result = CommonOptions.InFile(parse.GetValue(common.Data)!, () => LogRank.Test(data, new LogRankOptions { Rho = weight, TimeFix = !parse.GetValue(common.NoTimeFix) }));
            if (common.Json(parse))
            {
                JsonOutput.Write(console.Output, json =>
                {
                    json.Number("statistic", result.Statistic);
                    json.Integer("df", result.DegreesOfFreedom);
                    json.Number("p", result.P);
                    json.Array("groups", result.Groups, g =>
                    {
                        json.Text("group", g.Group);
                        json.Integer("n", g.N);
                        json.Number("observed", g.Observed);
                        json.Number("expected", g.Expected);
                    });
                });
                return 0;
            }

            console.Output.WriteLine(result.ToText());
            return 0;
        });
        return command;
    }
}
