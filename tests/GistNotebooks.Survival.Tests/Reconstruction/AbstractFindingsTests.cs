using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Reconstruction;
using Xunit.Abstractions;

namespace GistNotebooks.Survival.Tests.Reconstruction;

public class AbstractFindingsTests(ITestOutputHelper output)
{
    private static readonly ClaimSet Nunobe = ClaimSet.Load(TestData.NunobeClaims);

    private static readonly Lazy<AbstractFindings> Findings = new(() => AbstractFindings.Compute(Nunobe, new CohortEnsembleOptions { CohortsPerReading = 8, Seed = 4 }));

    private static string Value(string figure) => Findings.Value.Fixed.Single(f => f.Figure == figure).Value;

    [Fact]
    public void The_abstract_fixes_survival_its_error_at_36_months_the_deaths_by_36_and_the_first_censoring()
    {
        foreach (var f in Findings.Value.Fixed)
        {
            output.WriteLine($"{f.Figure}: {f.Value}");
        }

        // Six deaths by 36 months among 18: 17/18 · 16/17 … over the sequences, 63.73%; Greenwood 11.88% (methods.md, audit).
        Assert.Equal("63.73", Value("Kaplan–Meier survival at 36 months (%)"));
        Assert.Equal("33.99", Value("Kaplan–Meier survival at 60 months (%)"));
        Assert.Equal("11.88", Value("Greenwood standard error at 36 months (%)"));
        Assert.Equal("6", Value("deaths by 36 months"));
        Assert.Equal("9 to 13 (the number itself is not fixed)", Value("range of deaths in all"));
        Assert.Equal("was censored (alive at last contact)", Value("the patient with the shortest follow-up"));
        Assert.StartsWith("impossible: conflicts with C06", Value("C08 read as a Kaplan–Meier median survival of 36"), StringComparison.Ordinal);
        Assert.DoesNotContain(Findings.Value.Fixed, f => f.Figure == "deaths by 60 months");
        Assert.Equal(16, Findings.Value.SequencesExamined);
    }

    [Fact]
    public void What_the_reconstruction_chose_varies_over_the_ensemble_and_is_given_under_every_reading()
    {
        foreach (var f in Findings.Value.Chosen)
        {
            output.WriteLine($"{f}  [{f.TextByReading()}]");
        }

        var chosen = Findings.Value.Chosen;
        Assert.Equal(32, Findings.Value.Cohorts);
        Assert.All(chosen, f => Assert.False(f.IsFixed));
        Assert.Contains(chosen, f => f.Figure == "Kaplan–Meier median survival (months)");
        Assert.Contains(chosen, f => f.Figure == "median follow-up by reverse Kaplan–Meier (months)");
        // Survival at 36 months is fixed under the default reading (63.73%), but with follow-up of exactly 60 months
        // counted among the long-term survivors, five deaths by 36 months can also give 63.66%: both print as 63.7.
        var at36 = chosen.Single(f => f.Figure == "survival at 36 months (%)");
        var whole = at36.ByReading.Single(r => r.Key == "whole-month").Value;
        Assert.Equal(whole.Minimum!.Value, whole.Maximum!.Value, 9);
        Assert.All(at36.ByReading, r => Assert.InRange(r.Value.Minimum!.Value, 63.65, 63.75));
        Assert.All(at36.ByReading, r => Assert.InRange(r.Value.Maximum!.Value, 63.65, 63.75));
        Assert.All(chosen, f => Assert.Equal(["whole-month", "tenth-month", "at-least-5-years", "each-site"], f.ByReading.Select(r => r.Key)));
        Assert.Equal([16.0, 24.0], Findings.Value.Readings.Take(2).Select(r => r.Value.Count));
    }
}
