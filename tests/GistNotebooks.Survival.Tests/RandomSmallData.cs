using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Tests;

/// <summary>Small random datasets for property tests: times on a coarse grid (many ties, zeros), heavy censoring, weights that include zero, up to three groups.</summary>
internal static class RandomSmallData
{
    private static readonly double[] WeightChoices = [0.0, 0.5, 1.0, 1.0, 2.0, 3.0];

    public static SurvivalData Survival(Random random, bool withWeights = true)
    {
        var n = random.Next(1, 13);
        var times = new double[n];
        var events = new int[n];
        var weights = new double[n];
        var groups = new string[n];
        var groupCount = random.Next(1, 4);
        var censoring = random.NextDouble();
        for (var i = 0; i < n; i++)
        {
            times[i] = random.Next(0, 6) * 0.5;
            events[i] = random.NextDouble() < censoring ? 0 : 1;
            weights[i] = WeightChoices[random.Next(WeightChoices.Length)];
            groups[i] = ((char)('A' + random.Next(groupCount))).ToString();
        }

        return SurvivalData.Create(times, events, withWeights && random.Next(2) == 0 ? weights : null, groups);
    }

    public static CompetingRisksData CompetingRisks(Random random)
    {
        var n = random.Next(1, 13);
        var times = new double[n];
        var causes = new int[n];
        var groups = new string[n];
        for (var i = 0; i < n; i++)
        {
            times[i] = random.Next(0, 6) * 0.5;
            causes[i] = random.Next(0, 3) * (random.Next(3) == 0 ? 0 : 1);
            groups[i] = random.Next(2) == 0 ? "A" : "B";
        }

        return CompetingRisksData.Create(times, causes, groups);
    }
}
