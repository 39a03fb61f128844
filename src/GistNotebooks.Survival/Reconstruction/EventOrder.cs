using System.Collections.Immutable;
using System.Text;

namespace GistNotebooks.Survival.Reconstruction;

/// <summary>
/// One order of deaths and censorings of n subjects, in time order, together with how many subjects
/// have a time at or before each claimed time (the cuts). Its Kaplan–Meier values at the claimed times
/// follow from it alone: S = Π (1 − 1/nᵢ) over the deaths passed, nᵢ = n − i + 1 at position i.
/// </summary>
/// <param name="Deaths">For each position in time order, whether it is a death.</param>
/// <param name="CutTimes">The claimed times, ascending.</param>
/// <param name="CutCounts">For each claimed time, how many subjects have a time at or before it.</param>
public sealed record EventOrder(ImmutableArray<bool> Deaths, ImmutableArray<double> CutTimes, ImmutableArray<int> CutCounts)
{
    /// <summary>The number of subjects.</summary>
    public int Count => Deaths.Length;

    /// <summary>The number of deaths.</summary>
    public int DeathCount => Deaths.Count(d => d);

    /// <summary>Kaplan–Meier survival after the first <paramref name="passed"/> subjects.</summary>
    public double SurvivalAfter(int passed)
    {
        var s = 1.0;
        for (var i = 0; i < passed; i++)
        {
            if (Deaths[i])
            {
                s *= 1.0 - (1.0 / (Count - i));
            }
        }

        return s;
    }

    /// <summary>The number of deaths among the first <paramref name="passed"/> subjects.</summary>
    public int DeathsBefore(int passed) => Deaths.Take(passed).Count(d => d);

    /// <summary>
    /// Greenwood's standard error of survival after the first <paramref name="passed"/> subjects:
    /// S·√Σ 1/(nᵢ(nᵢ − 1)) over the deaths, nᵢ at risk (tied deaths give the same sum, d/(n(n − d)), as the same deaths
    /// one after another); NaN when a death leaves no one at risk.
    /// </summary>
    public double StandardErrorAfter(int passed)
    {
        var sum = 0.0;
        for (var i = 0; i < passed; i++)
        {
            if (Deaths[i])
            {
                var atRisk = Count - i;
                sum += atRisk > 1 ? 1.0 / (atRisk * (atRisk - 1.0)) : double.PositiveInfinity;
            }
        }

        return double.IsFinite(sum) ? SurvivalAfter(passed) * Math.Sqrt(sum) : double.NaN;
    }

    /// <summary>The order as text: D for a death, c for a censoring, | at each claimed time (e.g. cDDDDcDDc|DDDcDc|ccc).</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        for (var i = 0; i <= Count; i++)
        {
            foreach (var cut in CutCounts.Distinct())
            {
                if (cut == i)
                {
                    text.Append('|');
                }
            }

            if (i < Count)
            {
                text.Append(Deaths[i] ? 'D' : 'c');
            }
        }

        return text.ToString();
    }
}
