using System.Globalization;
using System.Text;

namespace GistNotebooks.Benchmarks;

/// <summary>
/// The synthetic registry of the performance design: x1 ~ N(0,1), x2 ~ Bernoulli(0.5), x3 ~ U(0,1),
/// T ~ Exp(0.1·exp(0.5·x1 + 0.7·x2 − 1.0·x3)), censoring C ~ Exp(0.034) (about 30% censored),
/// follow-up min(T, C) rounded to 2 decimals (heavy ties: about 8,700 distinct times at a million rows).
/// </summary>
internal static class SyntheticCohort
{
    /// <summary>The censoring rate that leaves about 30% of this design censored (solved numerically once).</summary>
    public const double CensoringRate = 0.034;

    /// <summary>The seed every benchmark and the comparison script use.</summary>
    public const int DefaultSeed = 20050601;

    public sealed record Columns(double[] Time, int[] Status, double[] X1, double[] X2, double[] X3);

    /// <summary>Draws the cohort; the same size and seed give the same numbers on every machine.</summary>
    public static Columns Draw(int count, int seed = DefaultSeed)
    {
        var random = new Random(seed);
        var time = new double[count];
        var status = new int[count];
        var x1 = new double[count];
        var x2 = new double[count];
        var x3 = new double[count];
        for (var i = 0; i < count; i++)
        {
            // Box–Muller with 1 − U in (0, 1], so the logarithm is finite. Covariates are kept to 6 decimals,
            // the precision the file carries, so that the file and the in-memory benchmarks hold the same data.
            var u1 = 1 - random.NextDouble();
            var u2 = random.NextDouble();
            x1[i] = Math.Round(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2), 6);
            x2[i] = random.NextDouble() < 0.5 ? 1 : 0;
            x3[i] = Math.Round(random.NextDouble(), 6);
            var hazard = 0.1 * Math.Exp((0.5 * x1[i]) + (0.7 * x2[i]) - (1.0 * x3[i]));
            var eventTime = -Math.Log(1 - random.NextDouble()) / hazard;
            var censorTime = -Math.Log(1 - random.NextDouble()) / CensoringRate;
            status[i] = eventTime <= censorTime ? 1 : 0;
            time[i] = Math.Round(Math.Min(eventTime, censorTime), 2);
        }

        return new Columns(time, status, x1, x2, x3);
    }

    /// <summary>Writes the cohort as CSV with the header time,status,x1,x2,x3.</summary>
    public static void Write(string path, int count, int seed = DefaultSeed)
    {
        var columns = Draw(count, seed);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.NewLine = "\n";
        writer.WriteLine("time,status,x1,x2,x3");
        var culture = CultureInfo.InvariantCulture;
        for (var i = 0; i < count; i++)
        {
            writer.Write(columns.Time[i].ToString("R", culture));
            writer.Write(columns.Status[i] == 1 ? ",1," : ",0,");
            writer.Write(columns.X1[i].ToString("R", culture));
            writer.Write(columns.X2[i] == 1 ? ",1," : ",0,");
            writer.WriteLine(columns.X3[i].ToString("R", culture));
        }
    }
}
