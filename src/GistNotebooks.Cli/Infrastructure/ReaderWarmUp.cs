using GistNotebooks.Survival.Data;

namespace GistNotebooks.Cli.Infrastructure;

/// <summary>
/// Compiles the CSV reader's code on the second core while the first one parses the command line. The tokenizer's
/// vectorised parsers are compiled fully optimised on first use (40 to 50 ms at start-up on the 2-core machine of the
/// benchmarks), which otherwise delays the first row of every analysis; reading a three-row text on a spare thread
/// moves that work off the path, since both cores are busy only once the file's rows flow.
/// </summary>
internal static class ReaderWarmUp
{
    private static int started;

    /// <summary>Starts the warm-up once per process, on a background thread that never reports anything.</summary>
    public static void Start()
    {
        if (Interlocked.Exchange(ref started, 1) == 1 || Environment.ProcessorCount < 2)
        {
            return;
        }

        new Thread(Run) { IsBackground = true, Name = "gistnb reader warm-up" }.Start();
    }

    private static void Run()
    {
        try
        {
            _ = ColumnTable.ParseCsv("time,status,group\n1.5,1,a\n2,0,b\n\"3\",1,a\n", "warm-up").GetNumbers("time");
        }
#pragma warning disable CA1031 // Nothing here may disturb the command: a failure only means the code compiles later.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
