using System.Collections.Immutable;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Estimation;

public static partial class CumulativeIncidence
{
    /// <summary>
    /// Estimates one cumulative incidence curve per group and cause; with <see cref="CumulativeIncidenceOptions.Weights"/>
    /// as R's weighted multi-state <c>survfit(Surv(time, factor(status)) ~ group, weights = w)</c>, without them as
    /// <see cref="Estimate(CompetingRisksData)"/>.
    /// </summary>
    /// <remarks>
    /// With case weights the counts are weighted: n(t) is the weight at risk and d_k(t) the weight of cause-k events,
    /// and F_k(t) = Σ_{u≤t} S(u−)·d_k(u)/n(u), S the weighted Kaplan–Meier survival from any cause (Aalen–Johansen).
    /// The variance is R's infinitesimal jackknife, Σ_i (w_i·∂F_k(t)/∂w_i)², computed in one pass per group from
    /// running sums (the derivative is the same for every subject still at risk, and linear in F_k(t) for those who
    /// have left). As R, near-equal times are merged first (<see cref="TimeFix"/>), and a row of weight zero keeps its
    /// time on the curve but moves nothing. Curves are ordered cause first, then group.
    /// </remarks>
    /// <param name="data">Validated competing-risks data.</param>
    /// <param name="options">The case weights; default none.</param>
    /// <returns>The curves, one per (cause, group); each point's variance is the square of R's <c>std.err</c>.</returns>
    /// <exception cref="DataValidationException">No subject has an event, or a weight is negative, not finite, or the number of weights differs from the number of subjects.</exception>
    public static CumulativeIncidenceResult Estimate(CompetingRisksData data, CumulativeIncidenceOptions? options)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (options?.Weights is not { } given)
        {
            return Estimate(data);
        }

        var weights = CheckWeights(given, data.Count);
        var causes = data.Causes;
        if (causes.IsEmpty)
        {
            throw new DataValidationException("status", null, null, "every subject is censored (status 0); with no event of any cause there is no cumulative incidence to estimate");
        }

        var levels = data.HasGroups ? data.GroupLevels : [];
        LevelLimit.Check("group", "the cumulative incidence estimate", levels.Length, data.Count);
        var groupCount = Math.Max(1, levels.Length);
        var rowsByGroup = SplitByGroup(data, levels);
        var time = TimeFix.Merge(data.TimeArray, data.TimeOrder) ?? data.TimeArray;
        var ordered = ImmutableArray.CreateBuilder<CumulativeIncidenceCurve>(causes.Length * groupCount);
        var curves = new CumulativeIncidenceCurve[groupCount][];
        for (var g = 0; g < groupCount; g++)
        {
            curves[g] = EstimateWeightedGroup(time, data.CauseArray, weights, rowsByGroup[g], causes, levels.IsEmpty ? null : levels[g]);
        }

        for (var k = 0; k < causes.Length; k++)
        {
            for (var g = 0; g < groupCount; g++)
            {
                ordered.Add(curves[g][k]);
            }
        }

        return new CumulativeIncidenceResult(ordered.MoveToImmutable());
    }

    private static double[] CheckWeights(IReadOnlyList<double> weights, int count)
    {
        if (weights.Count != count)
        {
            throw new DataValidationException("weights", null, null, FormattableString.Invariant($"there are {weights.Count} weights for {count} subjects"));
        }

        var result = new double[count];
        for (var i = 0; i < count; i++)
        {
            var value = weights[i];
            if (!double.IsFinite(value) || value < 0)
            {
                throw new DataValidationException("weights", i + 1, null, FormattableString.Invariant($"expected a finite weight of zero or more, found {value}"));
            }

            result[i] = value;
        }

        return result;
    }

    /// <summary>
    /// The weighted Aalen–Johansen curves of one group and their infinitesimal-jackknife variance.
    /// </summary>
    /// <remarks>
    /// With h(u) = d(u)/(n(u)(n(u) − d(u))) and H its running sum, the derivative of F_k(t) with respect to the weight
    /// of a subject who left at x with cause c (0 if censored) is, for t &lt; x, M_k(t) − G_k(t), where
    /// M_k(t) = Σ_{u≤t} f_k(u)·H(u−), G_k(t) = Σ_{u≤t} f_k(u)/n(u) and f_k the jumps of F_k; and for t ≥ x it is
    /// a − e·F_k(t) with e = [c ≠ 0]/(n(x) − d(x)) − H(x) and a = M_k(x) − G_k(x) + e·F_k(x) + [c = k]·S(x−)/n(x).
    /// So the variance at t needs only Σ w² over those still at risk and Σ w²a², Σ w²ae, Σ w²e² over those who left.
    /// </remarks>
    private static CumulativeIncidenceCurve[] EstimateWeightedGroup(double[] time, int[] cause, double[] weight, List<int> rows, ImmutableArray<int> causes, string? group)
    {
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

        var n = rows.Count;
        double atRisk = 0;
        double atRiskSquares = 0;
        foreach (var row in rows)
        {
            atRisk += weight[row];
            atRiskSquares += weight[row] * weight[row];
        }

        var incidence = new double[causeCount];
        var sumM = new double[causeCount];
        var sumG = new double[causeCount];
        var sumAA = new double[causeCount];
        var sumAE = new double[causeCount];
        var sumEE = new double[causeCount];
        var deaths = new double[causeCount];
        double survival = 1;
        double cumulativeH = 0;
        var start = 0;
        while (start < n)
        {
            var t = time[rows[start]];
            var end = start;
            Array.Clear(deaths);
            double totalDeaths = 0;
            double leavingWeight = 0;
            double leavingSquares = 0;
            while (end < n && time[rows[end]] == t)
            {
                var row = rows[end];
                var c = cause[row];
                if (c != 0)
                {
                    deaths[causeIndex[c]] += weight[row];
                    totalDeaths += weight[row];
                }

                leavingWeight += weight[row];
                leavingSquares += weight[row] * weight[row];
                end++;
            }

            var survivalBefore = survival;
            var hBefore = cumulativeH;
            var anyDeath = totalDeaths > 0 && atRisk > 0;
            var survivors = atRisk - totalDeaths;
            if (anyDeath)
            {
                for (var k = 0; k < causeCount; k++)
                {
                    var jump = survivalBefore * deaths[k] / atRisk;
                    incidence[k] += jump;
                    sumM[k] += jump * hBefore;
                    sumG[k] += jump / atRisk;
                }

                // When everyone at risk fails, S drops to 0 and no later time moves a curve; h is then never used.
                cumulativeH += survivors > 0 ? totalDeaths / (atRisk * survivors) : 0;
                survival = survivors > 0 ? survivalBefore * survivors / atRisk : 0;
            }

            var leaverE = anyDeath && survivors > 0 ? 1 / survivors : 0;
            for (var i = start; i < end; i++)
            {
                var row = rows[i];
                var w2 = weight[row] * weight[row];
                if (w2 == 0)
                {
                    continue;
                }

                var c = cause[row];
                var e = (c != 0 ? leaverE : 0) - cumulativeH;
                for (var k = 0; k < causeCount; k++)
                {
                    var a = sumM[k] - sumG[k] + (e * incidence[k]);
                    if (c != 0 && causeIndex[c] == k)
                    {
                        a += survivalBefore / atRisk;
                    }

                    sumAA[k] += w2 * a * a;
                    sumAE[k] += w2 * a * e;
                    sumEE[k] += w2 * e * e;
                }
            }

            atRisk -= leavingWeight;
            atRiskSquares -= leavingSquares;
            for (var k = 0; k < causeCount; k++)
            {
                var common = sumM[k] - sumG[k];
                var f = incidence[k];
                var variance = (common * common * Math.Max(atRiskSquares, 0)) + sumAA[k] - (2 * f * sumAE[k]) + (f * f * sumEE[k]);
                points[k].Add(new CumulativeIncidencePoint(t, f, Math.Max(variance, 0)));
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
}
