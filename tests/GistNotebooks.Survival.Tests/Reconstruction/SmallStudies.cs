using System.Globalization;
using System.Text;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;

namespace GistNotebooks.Survival.Tests.Reconstruction;

/// <summary>A small drawn cohort and the claims a paper would print about it.</summary>
/// <param name="Times">Follow-up times, whole units.</param>
/// <param name="Events">1 for a death.</param>
/// <param name="Claims">The claims, printed at the chosen precision.</param>
/// <param name="Json">The claims file.</param>
internal sealed record SmallStudy(double[] Times, int[] Events, ClaimSet Claims, string Json)
{
    /// <summary>The drawn cohort's death/censoring sequence (follow-up order, deaths first at ties), D and c.</summary>
    public string Sequence => SmallStudies.SequenceOf(Times, Events);
}

/// <summary>
/// Draws small cohorts on a whole-unit grid and writes the figures a paper would print about them: survival at one
/// or two times, the follow-up median (minimum–maximum), sometimes the Kaplan–Meier median and a number followed
/// beyond a time, each printed to 0 or 1 decimals. The cohort passes its own claims by construction.
/// </summary>
internal static class SmallStudies
{
    public static SmallStudy Draw(Random random, int minimumSize, int maximumSize, int maximumTime)
    {
        var n = random.Next(minimumSize, maximumSize + 1);
        var times = Enumerable.Range(0, n).Select(_ => (double)random.Next(1, maximumTime + 1)).ToArray();
        var events = Enumerable.Range(0, n).Select(_ => random.Next(3) == 0 ? 0 : 1).ToArray();
        var data = SurvivalData.Create(times, events);
        var curve = KaplanMeier.Estimate(data);
        var sorted = times.Order().ToArray();
        var median = n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;

        var claims = new List<string>
        {
            Claim("N", "cohortSize", $"\"count\": {n}"),
            Claim("F", "followUp", $"\"median\": {Printed(median, random.Next(2))}, \"minimum\": {Printed(sorted[0], 0)}, \"maximum\": {Printed(sorted[^1], 0)}, \"timeDecimals\": 0"),
        };
        var survivalTimes = Enumerable.Range(1, maximumTime).OrderBy(_ => random.Next()).Take(random.Next(0, 3)).Order().ToList();
        for (var k = 0; k < survivalTimes.Count; k++)
        {
            var tau = survivalTimes[k];
            claims.Add(Claim($"S{k}", "survivalAt", $"\"time\": {tau}, \"percent\": {Printed(100 * curve.SurvivalAtTime(tau), random.Next(2))}"));
        }

        if (curve.Median.Estimate is double m && random.Next(2) == 0)
        {
            claims.Add(Claim("M", "medianSurvival", $"\"median\": {Printed(m, random.Next(2))}"));
        }

        if (random.Next(2) == 0)
        {
            var tau = random.Next(1, maximumTime);
            var inclusive = random.Next(2) == 0;
            var beyond = times.Count(t => inclusive ? t >= tau : t > tau);
            claims.Add(Claim("B", "survivorsBeyond", $"\"time\": {tau}, \"count\": {beyond}, \"inclusive\": {(inclusive ? "true" : "false")}"));
        }

        var json = $$"""
            { "study": { "id": "small", "citation": "-", "timeUnit": "months", "timeColumn": "t", "eventColumn": "e" },
              "claims": [ {{string.Join(",\n", claims)}} ] }
            """;
        return new SmallStudy(times, events, ClaimSet.Parse(Encoding.UTF8.GetBytes(json), "small.json"), json);
    }

    /// <summary>A value as a paper prints it to <paramref name="decimals"/> decimals, such that the printed figure admits the value.</summary>
    public static string Printed(double value, int decimals)
    {
        var unit = Math.Pow(10, -decimals);
        var printed = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        foreach (var candidate in new[] { printed, printed + unit, printed - unit })
        {
            if (new ReportedValue(candidate, decimals).Admits(value))
            {
                return string.Create(CultureInfo.InvariantCulture, $"{{ \"value\": {candidate.ToString("F" + decimals, CultureInfo.InvariantCulture)}, \"decimals\": {decimals} }}");
            }
        }

        throw new InvalidOperationException("No printed figure admits the value.");
    }

    /// <summary>The death/censoring sequence of a cohort: follow-up order, deaths before censorings at equal times.</summary>
    public static string SequenceOf(IReadOnlyList<double> times, IReadOnlyList<int> events)
        => string.Concat(Enumerable.Range(0, times.Count).OrderBy(i => times[i]).ThenByDescending(i => events[i]).Select(i => events[i] == 1 ? 'D' : 'c'));

    /// <summary>A cohort as a table with columns t and e.</summary>
    public static ColumnTable Table(IReadOnlyList<double> times, IReadOnlyList<int> events)
    {
        var text = new StringBuilder("t,e\n");
        for (var i = 0; i < times.Count; i++)
        {
            text.Append(times[i].ToString(CultureInfo.InvariantCulture)).Append(',').Append(events[i]).Append('\n');
        }

        return ColumnTable.ParseCsv(text.ToString(), "small.csv");
    }

    /// <summary>
    /// Every death/censoring sequence for which some whole-unit times in [1, <paramref name="maximumTime"/>] make a
    /// cohort pass every claim, found by trying every non-decreasing time vector and every set of deaths, and checking
    /// each cohort with <see cref="ConsistencyCheck"/>. Vectors whose ends miss the claimed minimum and maximum are skipped.
    /// </summary>
    public static HashSet<string> BruteForce(ClaimSet claims, int maximumTime)
    {
        var n = ((CohortSizeClaim)claims["N"]).Count;
        var follow = (FollowUpClaim)claims["F"];
        var found = new HashSet<string>(StringComparer.Ordinal);
        var times = new double[n];
        var events = new int[n];
        void Fill(int i, int from)
        {
            if (i == n)
            {
                if ((follow.Minimum is { } low && !low.Admits(times[0])) || (follow.Maximum is { } high && !high.Admits(times[^1])))
                {
                    return;
                }

                for (var mask = 0; mask < 1 << n; mask++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        events[j] = (mask >> j) & 1;
                    }

                    var sequence = SequenceOf(times, events);
                    if (!found.Contains(sequence) && ConsistencyCheck.Check(claims, Table(times, events)).AllPassed)
                    {
                        found.Add(sequence);
                    }
                }

                return;
            }

            for (var t = from; t <= maximumTime; t++)
            {
                times[i] = t;
                Fill(i + 1, t);
            }
        }

        Fill(0, 1);
        return found;
    }

    private static string Claim(string id, string kind, string fields)
        => $$"""{ "id": "{{id}}", "kind": "{{kind}}", "description": "-", "sentence": "-", {{fields}} }""";
}
