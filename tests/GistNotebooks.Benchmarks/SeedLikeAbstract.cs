using System.Globalization;
using System.Text;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;

namespace GistNotebooks.Benchmarks;

/// <summary>
/// The abstract of an invented series of n patients with figures of the seed's kind, printed at its precision: 3- and
/// 5-year survival to a tenth of a percent, the median (minimum–maximum) follow-up in whole months, and the number
/// followed beyond 5 years. The figures come from a drawn cohort (exponential survival with a median of about 42
/// months, uniform censoring from 12 to 162 months, whole months), so they can hold together.
/// </summary>
internal static class SeedLikeAbstract
{
    public static ClaimSet Claims(int n, int seed)
    {
        var random = new Random(seed);
        var times = new double[n];
        var events = new int[n];
        for (var i = 0; i < n; i++)
        {
            var death = Math.Max(1, Math.Round(-Math.Log(1 - random.NextDouble()) * 60));
            var censoring = Math.Round(12 + (random.NextDouble() * 150));
            times[i] = Math.Min(death, censoring);
            events[i] = death <= censoring ? 1 : 0;
        }

        var curve = KaplanMeier.Estimate(SurvivalData.Create(times, events));
        var sorted = times.Order().ToArray();
        var median = n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
        static string Printed(double value, int decimals) => string.Create(CultureInfo.InvariantCulture,
            $"{{ \"value\": {Math.Round(value, decimals, MidpointRounding.AwayFromZero).ToString("F" + decimals, CultureInfo.InvariantCulture)}, \"decimals\": {decimals} }}");
        var json = $$"""
            { "study": { "id": "series{{n}}", "citation": "An invented series of {{n}} patients", "timeUnit": "months", "timeColumn": "months", "eventColumn": "dead" },
              "claims": [
                { "id": "C01", "kind": "cohortSize", "description": "{{n}} patients", "sentence": "-", "count": {{n}} },
                { "id": "C06", "kind": "survivalAt", "description": "3-year survival", "sentence": "-", "time": 36, "percent": {{Printed(100 * curve.SurvivalAtTime(36), 1)}} },
                { "id": "C07", "kind": "survivalAt", "description": "5-year survival", "sentence": "-", "time": 60, "percent": {{Printed(100 * curve.SurvivalAtTime(60), 1)}} },
                { "id": "C08", "kind": "followUp", "description": "median follow-up", "sentence": "-", "median": {{Printed(median, 0)}}, "minimum": {{Printed(sorted[0], 0)}}, "maximum": {{Printed(sorted[^1], 0)}}, "timeDecimals": 0 },
                { "id": "C11", "kind": "survivorsBeyond", "description": "beyond 5 years", "sentence": "-", "time": 60, "count": {{times.Count(t => t > 60)}} } ] }
            """;
        return ClaimSet.Parse(Encoding.UTF8.GetBytes(json), $"series{n}.json");
    }
}
