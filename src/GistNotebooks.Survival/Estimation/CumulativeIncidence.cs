using System.Collections.Immutable;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Estimation;

/// <summary>
/// The cumulative incidence function of each cause in competing-risks data (Aalen–Johansen estimator),
/// with the delta-method variance of <c>cmprsk::cuminc</c>.
/// </summary>
public static partial class CumulativeIncidence
{
    /// <summary>
    /// Estimates one cumulative incidence curve per group and cause, as <c>cmprsk::cuminc(time, cause, group)</c>.
    /// </summary>
    /// <remarks>
    /// With overall Kaplan–Meier survival S(t−) just before a distinct time t, n at risk and d_k events of cause k
    /// there, the incidence of cause k jumps by S(t−)·d_k/n (Aalen &amp; Johansen 1978). The variance is the one
    /// programmed in cmprsk's <c>cinc</c> (Gray): three running sums over event times, combined as
    /// v₁ + F²v₃ − 2Fv₂, with a tie correction 1 − (d − 1)/(n − 1). As in cmprsk, the variance is updated only at
    /// times with an event of the cause itself and carried forward between them. Curves are ordered cause first,
    /// then group in factor-level order (the order of <c>cuminc</c>'s list). Runs in O(n log n) for the sort plus
    /// one pass per group.
    /// </remarks>
    /// <param name="data">Validated competing-risks data.</param>
    /// <returns>The curves, one per (cause, group).</returns>
    /// <exception cref="DataValidationException">No subject has an event (there is no cause to estimate).</exception>
    public static CumulativeIncidenceResult Estimate(CompetingRisksData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var causes = data.Causes;
        if (causes.IsEmpty)
        {
            throw new DataValidationException("status", null, null, "every subject is censored (status 0); with no event of any cause there is no cumulative incidence to estimate");
        }

        var levels = data.HasGroups ? data.GroupLevels : [];
        LevelLimit.Check("group", "the cumulative incidence estimate", levels.Length, data.Count);
        var groupCount = Math.Max(1, levels.Length);
        var rowsByGroup = SplitByGroup(data, levels);
        var curves = new CumulativeIncidenceCurve[causes.Length, groupCount];
        for (var g = 0; g < groupCount; g++)
        {
            var label = levels.IsEmpty ? null : levels[g];
            var perCause = EstimateGroup(data, rowsByGroup[g], causes, label);
            for (var k = 0; k < causes.Length; k++)
            {
                curves[k, g] = perCause[k];
            }
        }

        var ordered = ImmutableArray.CreateBuilder<CumulativeIncidenceCurve>(causes.Length * groupCount);
        for (var k = 0; k < causes.Length; k++)
        {
            for (var g = 0; g < groupCount; g++)
            {
                ordered.Add(curves[k, g]);
            }
        }

        return new CumulativeIncidenceResult(ordered.MoveToImmutable());
    }

    /// <summary>Row indices of each group, each list in time order (taken from the single cached sort).</summary>
    internal static List<int>[] SplitByGroup(CompetingRisksData data, ImmutableArray<string> levels)
    {
        var groupCount = Math.Max(1, levels.Length);
        var rows = new List<int>[groupCount];
        for (var g = 0; g < groupCount; g++)
        {
            rows[g] = [];
        }

        var groupIndex = GroupIndices(data, levels);
        foreach (var i in data.TimeOrder)
        {
            rows[groupIndex[i]].Add(i);
        }

        return rows;
    }

    /// <summary>The 0-based level index of each row (all 0 without groups).</summary>
    internal static int[] GroupIndices(CompetingRisksData data, ImmutableArray<string> levels)
    {
        var labels = data.GroupArray;
        return labels is null || levels.IsEmpty ? new int[data.Count] : LevelIndex.Of(labels, levels);
    }

    private static CumulativeIncidenceCurve[] EstimateGroup(CompetingRisksData data, List<int> rows, ImmutableArray<int> causes, string? group)
    {
        var time = data.TimeArray;
        var cause = data.CauseArray;
        var causeCount = causes.Length;
        var causeIndex = new Dictionary<int, int>();
        for (var k = 0; k < causeCount; k++)
        {
            causeIndex[causes[k]] = k;
        }

        var points = new ImmutableArray<CumulativeIncidencePoint>.Builder[causeCount];
        for (var k = 0; k < causeCount; k++)
        {
            points[k] = ImmutableArray.CreateBuilder<CumulativeIncidencePoint>();
        }

        var incidence = new double[causeCount];
        var variance = new double[causeCount];
        // The three running sums of cmprsk's variance: v1 for F², v2 for the cross term, v3 for the survival part.
        var sumF = new double[causeCount];
        var sumCross = new double[causeCount];
        var sumSurvival = new double[causeCount];
        var deaths = new int[causeCount];
        var n = rows.Count;
        double survivalBefore = 1;
        var start = 0;
        while (start < n)
        {
            var t = time[rows[start]];
            var end = start;
            Array.Clear(deaths);
            var totalDeaths = 0;
            while (end < n && time[rows[end]] == t)
            {
                var c = cause[rows[end]];
                if (c != 0)
                {
                    deaths[causeIndex[c]]++;
                    totalDeaths++;
                }

                end++;
            }

            double atRisk = n - start;
            if (totalDeaths > 0)
            {
                var survivalAfter = survivalBefore * (atRisk - totalDeaths) / atRisk;
                for (var k = 0; k < causeCount; k++)
                {
                    var own = deaths[k];
                    var other = totalDeaths - own;
                    if (own > 0)
                    {
                        incidence[k] += survivalBefore * own / atRisk;
                    }

                    var f = incidence[k];
                    if (other > 0 && survivalAfter > 0)
                    {
                        var weight = JumpVariance(survivalBefore, other, atRisk);
                        var inverse = 1 / survivalAfter;
                        var scaled = f / survivalAfter;
                        sumF[k] += scaled * scaled * weight;
                        sumCross[k] += inverse * scaled * weight;
                        sumSurvival[k] += inverse * inverse * weight;
                    }

                    if (own > 0)
                    {
                        var weight = JumpVariance(survivalBefore, own, atRisk);
                        // At the last time, when everyone has failed, S(t) = 0 and the survival terms vanish.
                        var inverse = survivalAfter > 0 ? 1 / survivalAfter : 0;
                        var scaled = 1 + inverse * f;
                        sumF[k] += scaled * scaled * weight;
                        sumCross[k] += inverse * scaled * weight;
                        sumSurvival[k] += inverse * inverse * weight;
                        variance[k] = sumF[k] + f * f * sumSurvival[k] - 2 * f * sumCross[k];
                    }
                }

                survivalBefore = survivalAfter;
            }

            for (var k = 0; k < causeCount; k++)
            {
                points[k].Add(new CumulativeIncidencePoint(t, incidence[k], variance[k]));
            }

            start = end;
        }

        var lastTime = time[rows[n - 1]];
        var curves = new CumulativeIncidenceCurve[causeCount];
        for (var k = 0; k < causeCount; k++)
        {
            curves[k] = new CumulativeIncidenceCurve(group, causes[k], points[k].ToImmutable(), lastTime);
        }

        return curves;
    }

    /// <summary>S(t−)²·d/n² with the tie correction 1 − (d − 1)/(n − 1) used by cmprsk.</summary>
    private static double JumpVariance(double survivalBefore, int events, double atRisk)
    {
        var tie = events > 1 ? 1 - (events - 1.0) / (atRisk - 1.0) : 1.0;
        return survivalBefore * survivalBefore * tie * events / (atRisk * atRisk);
    }
}
