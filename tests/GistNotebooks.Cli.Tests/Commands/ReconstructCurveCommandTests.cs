using GistNotebooks.Survival.Data;
using static GistNotebooks.Cli.Tests.Gistnb;

namespace GistNotebooks.Cli.Tests.Commands;

public class ReconstructCurveCommandTests
{
    [Fact]
    public void Reconstruct_curve_writes_the_patients_of_a_tiny_curve_and_refuses_a_rising_at_risk_table()
    {
        // The hand-worked curve of CurveReconstructionTests: deaths at 1 and 3, censorings dated 2 and 3.5.
        var folder = Directory.CreateTempSubdirectory("gistnb-curve-");
        try
        {
            var points = Path.Combine(folder.FullName, "points.csv");
            var atRisk = Path.Combine(folder.FullName, "at-risk.csv");
            var ipd = Path.Combine(folder.FullName, "ipd.csv");
            File.WriteAllText(points, "time,survival\n0,1\n1,1\n1,0.75\n3,0.75\n3,0.375\n4,0.375\n");
            File.WriteAllText(atRisk, "time,atRisk\n0,4\n2.5,2\n");

            var (exit, _, error) = Run("reconstruct-curve", "--points", points, "--at-risk", atRisk, "--events", "2", "--out", ipd);

            Assert.True(exit == 0, error);
            var data = SurvivalData.FromCsv(ipd, "time", "event");
            Assert.Equal([1.0, 2.0, 3.0, 3.5], data.Times.ToArray());
            Assert.Equal([true, false, true, false], data.Events.ToArray());

            File.WriteAllText(atRisk, "time,atRisk\n0,4\n2.5,5\n");
            var (badExit, _, badError) = Run("reconstruct-curve", "--points", points, "--at-risk", atRisk, "--out", ipd);
            Assert.Equal(2, badExit);
            Assert.Contains("row 2", badError, StringComparison.Ordinal);
            Assert.Single(badError.Trim().Split('\n'));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
