using System.CommandLine;
using System.Globalization;
using GistNotebooks.Cli.Infrastructure;
using GistNotebooks.Reporting.Charts;
using GistNotebooks.Reporting.Files;
using GistNotebooks.Reporting.Formatting;
using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;

namespace GistNotebooks.Cli.Commands;

/// <summary><c>gistnb analyze km</c>: Kaplan–Meier curves with Greenwood limits, quartiles, survival at times and the restricted mean.</summary>
internal static class KaplanMeierCommand
{
    public static Command Create(CliConsole console)
    {
        var common = new CommonOptions();
        var eventColumn = new Option<string>("--event") { Description = "The column of event indicators (1 = event, 0 = censored).", Required = true };
        var group = new Option<string?>("--group") { Description = "A column of group labels: one curve per level, in sorted order." };
        var confType = new Option<string>("--conf-type") { Description = "Confidence interval transform: log (R's default), log-log or plain.", DefaultValueFactory = _ => "log" };
        confType.AcceptOnlyFromAmong("log", "log-log", "plain");
        var times = new Option<string?>("--times") { Description = "Times at which to report survival, e.g. 365,730 (R's summary(fit, times=))." };
        var tau = new Option<double?>("--rmst-tau") { Description = "Restricted mean survival time up to this time." };
        var plot = new PlotOption("the curves (with the numbers at risk, and the log-rank p for groups)");
        var start = new Option<string?>("--start") { Description = "A column of entry times: counting-process (start, stop] data with --time as the stop, as R's survfit(Surv(start, stop, event) ~ ...) (delayed entry)." };
        var command = new Command("km", "Kaplan–Meier survival curves, as R's survfit.");
        common.AddTo(command);
        command.Options.Add(eventColumn);
        command.Options.Add(group);
        command.Options.Add(confType);
        command.Options.Add(times);
        command.Options.Add(tau);
        command.Options.Add(common.EventLabels);
        command.Options.Add(common.Weights);
        command.Options.Add(common.NoTimeFix);
        command.Options.Add(start);
        command.Options.Add(plot.Option);

        console.SetAction(command, parse =>
        {
            var data = SurvivalData.FromCsv(parse.GetValue(common.Data)!, parse.GetValue(common.Time)!, parse.GetValue(eventColumn)!, parse.GetValue(group), weightColumn: parse.GetValue(common.Weights), options: common.Csv(parse), eventCoding: common.Coding(parse));
            var options = new KaplanMeierOptions
            {
                TimeFix = !parse.GetValue(common.NoTimeFix),
                ConfidenceType = parse.GetValue(confType) switch
                {
                    "log-log" => ConfidenceIntervalType.LogLog,
                    "plain" => ConfidenceIntervalType.Plain,
                    _ => ConfidenceIntervalType.Log,
                },
            };
            var plotPath = plot.Path(parse, parse.GetValue(common.Data)!);
            var at = CommonOptions.Numbers(parse.GetValue(times), "--times");
            var rmstTau = parse.GetValue(tau);
            if (rmstTau is double t && (!double.IsFinite(t) || t <= 0))
            {
                throw new CliUsageException("--rmst-tau expects a positive time");
            }

            IReadOnlyList<KaplanMeierCurve> curves;
            if (parse.GetValue(start) is string startColumn)
            {
                var path = parse.GetValue(common.Data)!;
                var starts = CommonOptions.InFile(path, () => ColumnTable.ReadCsv(path, common.Csv(parse) with { Columns = [startColumn] }).GetNumbers(startColumn));
                var counting = CommonOptions.InFile(path, () => CountingProcessData.Create(starts, data.Times, [.. data.Events.Select(e => e ? 1 : 0)], data.HasWeights ? data.Weights : null));
                curves = parse.GetValue(group) is null ? [KaplanMeier.Estimate(counting, options)] : KaplanMeier.EstimateByGroup(counting, data.Groups, options);
            }
            else
            {
                curves = parse.GetValue(group) is null ? [KaplanMeier.Estimate(data, options)] : KaplanMeier.EstimateByGroup(data, options);
            }

            if (common.Json(parse))
            {
                WriteJson(console.Output, curves, at, rmstTau);
            }
            else
            {
                WriteText(console.Output, curves, at, rmstTau);
            }

            if (plotPath is not null)
            {
                // The time column's name titles the axis: the file does not say in which unit time is counted.
                var timeColumn = parse.GetValue(common.Time)!;
                var logRank = curves.Count > 1 && parse.GetValue(start) is null ? LogRank.Test(data, new LogRankOptions { TimeFix = options.TimeFix }) : null;
                curves.ToChart(title: "Kaplan–Meier estimate", timeUnit: timeColumn, timeAxisTitle: timeColumn, logRank: logRank).Save(plotPath);
            }

            return 0;
        });
        return command;
    }

    private static void WriteJson(TextWriter output, IReadOnlyList<KaplanMeierCurve> curves, double[] at, double? tau) => JsonOutput.Write(output, json =>
    {
        json.Array("curves", curves, curve =>
        {
            json.Text("group", curve.Group);
            json.Integer("n", curve.N);
            json.Number("events", curve.Events);
            json.Array("table", curve.Table, row =>
            {
                json.Number("time", row.Time);
                json.Number("atRisk", row.AtRisk);
                json.Number("events", row.Events);
                json.Number("censored", row.Censored);
                json.Number("survival", row.Survival);
                json.Number("standardError", row.StandardError);
                json.Number("lower", row.Lower);
                json.Number("upper", row.Upper);
                json.Number("cumulativeHazard", row.CumulativeHazard);
            });
            json.Object("median", () =>
            {
                json.Number("estimate", curve.Median.Estimate);
                json.Number("lower", curve.Median.Lower);
                json.Number("upper", curve.Median.Upper);
            });
            json.Array("quartiles", curve.Quantiles(), q =>
            {
                json.Number("probability", q.Probability);
                json.Number("estimate", q.Estimate);
                json.Number("lower", q.Lower);
                json.Number("upper", q.Upper);
            });
            var lastFollowUp = LastFollowUp(curve);
            json.Array("survivalAt", curve.SurvivalAt(at), p =>
            {
                json.Number("time", p.Time);
                json.Number("atRisk", p.AtRisk);
                json.Number("survival", p.Survival);
                json.Number("standardError", p.StandardError);
                json.Number("lower", p.Lower);
                json.Number("upper", p.Upper);
                json.Writer.WriteBoolean("extrapolated", p.Time > lastFollowUp);
            });
            if (tau is double t)
            {
                var rmst = curve.RestrictedMean(t);
                json.Object("rmst", () =>
                {
                    json.Number("tau", rmst.Tau);
                    json.Number("estimate", rmst.Estimate);
                    json.Number("standardError", rmst.StandardError);
                    json.Writer.WriteBoolean("extrapolated", rmst.Tau > lastFollowUp);
                });
            }
            else
            {
                json.Writer.WriteNull("rmst");
            }
        });
    });

    private static void WriteText(TextWriter output, IReadOnlyList<KaplanMeierCurve> curves, double[] at, double? tau)
    {
        var tables = new List<ResultTable>();
        foreach (var curve in curves)
        {
            tables.Add(curve.ToLifeTable());
            tables.Add(curve.ToQuantileTable());
            if (at.Length > 0)
            {
                tables.Add(curve.ToSurvivalAtTable(at, timeUnit: string.Empty, percent: false));
            }

            if (tau is double t)
            {
                tables.Add(curve.ToRestrictedMeanTable(t));
            }
        }

        output.WriteLine(ResultTable.Text(tables));
        foreach (var curve in curves)
        {
            var last = LastFollowUp(curve);
            var beyond = at.Where(a => a > last).Select(a => a.ToString("G6", CultureInfo.InvariantCulture)).ToList();
            var group = curve.Group is null ? string.Empty : $" in group {curve.Group}";
            if (beyond.Count > 0)
            {
                output.WriteLine($"Extrapolated: time {string.Join(", ", beyond)} lies past the last follow-up{group} ({last.ToString("G6", CultureInfo.InvariantCulture)}); the survival shown there is the last value carried forward, not an estimate.");
            }

            if (tau > last)
            {
                output.WriteLine($"Extrapolated: the RMST horizon {tau.Value.ToString("G6", CultureInfo.InvariantCulture)} lies past the last follow-up{group} ({last.ToString("G6", CultureInfo.InvariantCulture)}); the area beyond it assumes the curve stays flat.");
            }
        }
    }

    /// <summary>The longest follow-up time of a curve (an event or a censoring): past it the curve is not estimated but carried forward.</summary>
    private static double LastFollowUp(KaplanMeierCurve curve) => curve.Table.IsEmpty ? 0 : curve.Table[^1].Time;
}
