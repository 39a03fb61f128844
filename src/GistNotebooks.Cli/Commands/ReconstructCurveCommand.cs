using System.CommandLine;
using System.Globalization;
using System.Text;
using GistNotebooks.Cli.Infrastructure;
using GistNotebooks.Reporting.Files;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Reconstruction;

namespace GistNotebooks.Cli.Commands;

/// <summary><c>gistnb reconstruct-curve</c>: patient-level data from a digitised Kaplan–Meier curve and its numbers at risk (Guyot et al. 2012).</summary>
internal static class ReconstructCurveCommand
{
    public static Command Create(CliConsole console)
    {
        var pointsOption = new Option<string>("--points") { Description = "The digitised curve (CSV with columns time,survival).", Required = true };
        var atRiskOption = new Option<string>("--at-risk") { Description = "The numbers at risk (CSV with columns time,atRisk; the first time is 0).", Required = true };
        var eventsOption = new Option<int?>("--events") { Description = "The reported total number of events, when known." };
        var outOption = new Option<string>("--out") { Description = "The reconstructed data to write (CSV with columns time,event).", Required = true };
        var command = new Command("reconstruct-curve", "Reconstruct patient-level data from a digitised Kaplan–Meier curve and its numbers at risk (Guyot et al. 2012).")
        {
            pointsOption, atRiskOption, eventsOption, outOption,
        };
        console.SetAction(command, parse =>
        {
            var pointsTable = ColumnTable.ReadCsv(parse.GetValue(pointsOption)!);
            var pointTimes = pointsTable.GetNumbers("time");
            var survival = pointsTable.GetNumbers("survival");
            var points = pointTimes.Select((t, i) => (t, survival[i])).ToList();

            var atRiskTable = ColumnTable.ReadCsv(parse.GetValue(atRiskOption)!);
            var riskTimes = atRiskTable.GetNumbers("time");
            var counts = atRiskTable.GetNumbers("atRisk");
            var atRisk = new List<(double Time, int AtRisk)>(counts.Length);
            for (var i = 0; i < counts.Length; i++)
            {
                if (counts[i] != Math.Round(counts[i]) || counts[i] < 0 || counts[i] > int.MaxValue)
                {
                    throw new DataValidationException(atRiskTable.SourceName, atRiskTable.SourceRow(i), "atRisk",
                        FormattableString.Invariant($"expected a whole number of 0 or more, found {counts[i]}"));
                }

                atRisk.Add((riskTimes[i], (int)counts[i]));
            }

            var result = CurveReconstruction.Reconstruct(points, atRisk, parse.GetValue(eventsOption));

            var text = new StringBuilder("time,event\n");
            for (var i = 0; i < result.Count; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{result.Times[i]:R},{(result.Events[i] ? 1 : 0)}\n");
            }

            var path = Path.GetFullPath(parse.GetValue(outOption)!);
            SourceGuard.EnsureNoSourceIsWritten([path], [parse.GetValue(pointsOption)!, parse.GetValue(atRiskOption)!]);
            AtomicFile.WriteAllText(path, text.ToString(), staged =>
            {
                // Read back before it replaces anything: the same number of subjects and events.
                var written = ColumnTable.ReadCsv(staged);
                if (written.RowCount != result.Count || written.GetNumbers("event").Sum() != result.EventCount)
                {
                    throw new DataValidationException(path, null, null, "the reconstructed data written do not read back; nothing was moved into place");
                }
            });
            console.Output.WriteLine(FormattableString.Invariant($"Reconstructed {result.Count} subjects ({result.EventCount} events); wrote {path}."));
            return 0;
        });
        return command;
    }
}
