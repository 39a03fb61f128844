using System.CommandLine;
using System.Globalization;
using GistNotebooks.Cli.Infrastructure;
using GistNotebooks.Reporting.Charts;
using GistNotebooks.Reporting.Formatting;
using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;

namespace GistNotebooks.Cli.Commands;

/// <summary><c>gistnb analyze cif</c>: Aalen–Johansen cumulative incidence per cause (and group), with Gray's test, as cmprsk::cuminc.</summary>
internal static class CumulativeIncidenceCommand
{
    public static Command Create(CliConsole console)
    {
        var common = new CommonOptions();
        var status = new Option<string>("--status") { Description = "The column of status codes: 0 = censored, 1, 2, … = causes.", Required = true };
        var group = new Option<string?>("--group") { Description = "A column of group labels: curves per group and Gray's test per cause." };
        var times = new Option<string?>("--times") { Description = "Times at which to report the incidence, e.g. 2,5,10 (default: every event time)." };
        var command = new Command("cif", "Cumulative incidence of competing risks, as cmprsk::cuminc.");
        common.AddTo(command);
        command.Options.Add(status);
        command.Options.Add(group);
        command.Options.Add(times);
        common.Weights.Description = "A column of case weights (zero or more): the weighted Aalen–Johansen estimate with R's infinitesimal-jackknife variance, as survfit(Surv(time, factor(status)) ~ group, weights = w); Gray's test, which has no weighted form, is then left out.";
        command.Options.Add(common.Weights);
        var plot = new PlotOption("the curves of every cause (and group)");
        command.Options.Add(plot.Option);

        console.SetAction(command, parse =>
        {
            var path = parse.GetValue(common.Data)!;
            var plotPath = plot.Path(parse, parse.GetValue(common.Data)!);
            var weightColumn = parse.GetValue(common.Weights);
            var columns = new[] { parse.GetValue(common.Time)!, parse.GetValue(status)!, parse.GetValue(group), weightColumn }.OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
            var table = ColumnTable.ReadCsv(path, common.Csv(parse) with { Columns = columns });
            var data = CompetingRisksData.FromTable(table, parse.GetValue(common.Time)!, parse.GetValue(status)!, parse.GetValue(group));
            var options = CumulativeIncidenceOptions.FromTable(table, weightColumn);
            var at = CommonOptions.Numbers(parse.GetValue(times), "--times");
            var result = CommonOptions.InFile(path, () => CumulativeIncidence.Estimate(data, options), parse.GetValue(status));

            // As cmprsk::cuminc, Gray's test is computed only when there are groups to compare (and, having no
            // weighted form, only without case weights).
            var gray = data.GroupLevels.Length > 1 && weightColumn is null ? GrayTest.Test(data) : null;
            IReadOnlyList<CumulativeIncidenceValue> Points(CumulativeIncidenceCurve curve) => at.Length > 0
                ? curve.At(at)
                : [.. curve.Points.Select(p => new CumulativeIncidenceValue(p.Time, p.Estimate, p.Variance))];

            if (common.Json(parse))
            {
                JsonOutput.Write(console.Output, json =>
                {
                    json.Array("curves", result.Curves, curve =>
                    {
                        json.Text("group", curve.Group);
                        json.Text("cause", curve.Cause.ToString(CultureInfo.InvariantCulture));
                        json.Array("points", Points(curve), p =>
                        {
                            json.Number("time", p.Time);
                            json.Number("estimate", p.Estimate);
                            json.Number("variance", p.Variance);
                        });
                    });
                    json.Array("grayTests", gray?.Tests ?? [], t =>
                    {
                        json.Text("cause", t.Cause.ToString(CultureInfo.InvariantCulture));
                        json.Number("statistic", t.Statistic);
                        json.Integer("df", t.DegreesOfFreedom);
                        json.Number("p", t.PValue);
                    });
                });
            }
            else
            {
                console.Output.WriteLine(ResultTable.Text([.. result.ToTables(at.Length > 0 ? at : null), .. gray is null ? [] : new[] { gray.ToTable() }]));
            }

            if (plotPath is not null)
            {
                // The time column's name stands for the unit: the file does not say in which unit time is counted.
                result.ToChart(title: "Cumulative incidence", timeUnit: parse.GetValue(common.Time)!).Save(plotPath);
            }

            return 0;
        });
        return command;
    }
}
