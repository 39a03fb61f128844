using System.Collections.Immutable;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Inference;

namespace GistNotebooks.Survival.Comparison;

/// <summary>Settings of Gray's test.</summary>
/// <param name="Rho">The power ρ of the weight (1 − F(t−))^ρ; 0 by default, as in <c>cmprsk::cuminc</c>.</param>
public sealed record GrayTestOptions(double Rho = 0)
{
    /// <summary>The defaults (ρ = 0).</summary>
    public static GrayTestOptions Default { get; } = new();
}

/// <summary>Gray's test for one cause.</summary>
/// <param name="Cause">The cause compared across groups.</param>
/// <param name="Statistic">s′V⁻¹s, or null when V is singular (cmprsk then reports −1).</param>
/// <param name="DegreesOfFreedom">The number of groups minus one.</param>
/// <param name="PValue">The upper χ² tail of the statistic, or null with the statistic.</param>
/// <param name="Scores">The scores s of the first g − 1 groups.</param>
/// <param name="Variance">The (g − 1) × (g − 1) variance of the scores, as an array of rows.</param>
public sealed record GrayTestCause(
    int Cause,
    double? Statistic,
    int DegreesOfFreedom,
    double? PValue,
    ImmutableArray<double> Scores,
    ImmutableArray<ImmutableArray<double>> Variance);

/// <summary>Gray's test for every cause.</summary>
/// <param name="Tests">One test per cause, causes ascending (the rows of <c>cuminc(...)$Tests</c>).</param>
/// <param name="Groups">The group levels in the order used for the scores.</param>
/// <param name="Rho">The weight power used.</param>
public sealed record GrayTestResult(ImmutableArray<GrayTestCause> Tests, ImmutableArray<string> Groups, double Rho)
{
    /// <summary>The test of one cause.</summary>
    /// <exception cref="KeyNotFoundException">The cause does not occur.</exception>
    public GrayTestCause For(int cause)
    {
        foreach (var test in Tests)
        {
            if (test.Cause == cause)
            {
                return test;
            }
        }

        throw new KeyNotFoundException(FormattableString.Invariant($"Cause {cause} does not occur in the data."));
    }
}

/// <summary>
/// Gray's (1988) k-sample test that the cumulative incidence of a cause is the same in every group,
/// as <c>cmprsk::cuminc(time, cause, group, rho = 0)$Tests</c> (unstratified).
/// </summary>
public static class GrayTest
{
    /// <summary>Tests, for each cause, whether its cumulative incidence differs between groups.</summary>
    /// <remarks>
    /// The score for group j sums, over event times, (1 − F̂(t−))^ρ [d_{1j} − d₁·R_j/Σ_r R_r] with
    /// R_j = n_j(1 − F̂_{1j}(t−))/Ŝ_j(t−), comparing each group's subdistribution hazard with the pooled one; its
    /// variance is Gray's asymptotic estimator, computed with cmprsk's <c>crst</c> recursion (tie corrections
    /// included). The statistic s′V⁻¹s over the first g − 1 groups is χ² with g − 1 degrees of freedom.
    /// Gray RJ (1988), Ann Stat 16:1141–1154.
    /// </remarks>
    /// <param name="data">Competing-risks data with group labels.</param>
    /// <param name="options">The weight power ρ; default 0.</param>
    /// <exception cref="ArgumentException">The data have fewer than two groups or no events.</exception>
    /// <exception cref="DataValidationException">The data have more than <see cref="LevelLimit.GrayTestMaximum"/> groups.</exception>
    public static GrayTestResult Test(CompetingRisksData data, GrayTestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= GrayTestOptions.Default;
        if (!data.HasGroups || data.GroupLevels.Length < 2)
        {
            throw new ArgumentException("Gray's test needs group labels with at least two levels.", nameof(data));
        }

        if (data.Causes.IsEmpty)
        {
            throw new ArgumentException("No subject has an event, so there is no cause to test.", nameof(data));
        }

        var levels = data.GroupLevels;
        LevelLimit.Check("group", "Gray's test", levels.Length, data.Count, maximum: LevelLimit.GrayTestMaximum);
        var groupIndex = CumulativeIncidence.GroupIndices(data, levels);
        var order = data.TimeOrder;
        var tests = ImmutableArray.CreateBuilder<GrayTestCause>(data.Causes.Length);
        foreach (var cause in data.Causes)
        {
            tests.Add(TestCause(data, order, groupIndex, levels.Length, cause, options.Rho));
        }

        return new GrayTestResult(tests.MoveToImmutable(), levels, options.Rho);
    }

    private static GrayTestCause TestCause(CompetingRisksData data, int[] order, int[] groupIndex, int groupCount, int cause, double rho)
    {
        var time = data.TimeArray;
        var codes = data.CauseArray;
        var g = groupCount;
        var g1 = g - 1;
        var atRisk = new int[g];
        foreach (var i in order)
        {
            atRisk[groupIndex[i]]++;
        }

        // Per group: F(t−), F(t), S(t−), S(t) and the event counts at the current time.
        var incidenceBefore = new double[g];
        var incidence = new double[g];
        var survivalBefore = new double[g];
        var survival = new double[g];
        Array.Fill(survivalBefore, 1.0);
        Array.Fill(survival, 1.0);
        var ownDeaths = new int[g];
        var otherDeaths = new int[g];
        var c = new double[g, g];
        var a = new double[g, g];
        var v3 = new double[g];
        var v2 = new double[g1, g];
        var v = new double[g1, g1];
        var score = new double[g1];
        double pooledBefore = 0;
        double pooled = 0;
        var n = order.Length;
        var start = 0;
        while (start < n)
        {
            var t = time[order[start]];
            var end = start;
            Array.Clear(ownDeaths);
            Array.Clear(otherDeaths);
            while (end < n && time[order[end]] == t)
            {
                var row = order[end];
                if (codes[row] == cause)
                {
                    ownDeaths[groupIndex[row]]++;
                }
                else if (codes[row] != 0)
                {
                    otherDeaths[groupIndex[row]]++;
                }

                end++;
            }

            var own = 0;
            var other = 0;
            for (var j = 0; j < g; j++)
            {
                own += ownDeaths[j];
                other += otherDeaths[j];
            }

            if (own > 0 || other > 0)
            {
                double weightedRisk = 0;
                double weightedFree = 0;
                for (var j = 0; j < g; j++)
                {
                    if (atRisk[j] <= 0)
                    {
                        continue;
                    }

                    survival[j] = survivalBefore[j] * (atRisk[j] - ownDeaths[j] - otherDeaths[j]) / atRisk[j];
                    incidence[j] = incidenceBefore[j] + (survivalBefore[j] * ownDeaths[j] / atRisk[j]);
                    weightedRisk += atRisk[j] / survivalBefore[j];
                    weightedFree += atRisk[j] * (1 - incidenceBefore[j]) / survivalBefore[j];
                }

                pooled = pooledBefore + (own / weightedRisk);
                var weight = Math.Pow(1 - pooledBefore, rho);
                for (var i = 0; i < g; i++)
                {
                    for (var j = i; j < g; j++)
                    {
                        a[i, j] = 0;
                    }

                    if (atRisk[i] <= 0)
                    {
                        continue;
                    }

                    var ti = atRisk[i] / survivalBefore[i];
                    a[i, i] = weight * ti * (1 - (ti / weightedRisk));
                    c[i, i] += a[i, i] * own / (weightedRisk * (1 - pooledBefore));
                    for (var j = i + 1; j < g; j++)
                    {
                        if (atRisk[j] <= 0)
                        {
                            continue;
                        }

                        a[i, j] = -weight * ti * atRisk[j] / (survivalBefore[j] * weightedRisk);
                        c[i, j] += a[i, j] * own / (weightedRisk * (1 - pooledBefore));
                    }
                }

                for (var i = 1; i < g; i++)
                {
                    for (var j = 0; j < i; j++)
                    {
                        a[i, j] = a[j, i];
                        c[i, j] = c[j, i];
                    }
                }

                for (var i = 0; i < g1; i++)
                {
                    if (atRisk[i] > 0)
                    {
                        score[i] += weight * (ownDeaths[i] - (own * atRisk[i] * (1 - incidenceBefore[i]) / (survivalBefore[i] * weightedFree)));
                    }
                }

                if (own > 0)
                {
                    for (var k = 0; k < g; k++)
                    {
                        if (atRisk[k] <= 0)
                        {
                            continue;
                        }

                        var t4 = survival[k] > 0 ? 1 - ((1 - pooled) / survival[k]) : 1.0;
                        // Tie correction for the pooled cause-specific jump, on the group's weighted risk scale.
                        var tie = own > 1 ? 1 - ((own - 1) / ((weightedRisk * survivalBefore[k]) - 1)) : 1.0;
                        var t3 = tie * survivalBefore[k] * own / (weightedRisk * atRisk[k]);
                        v3[k] += t4 * t4 * t3;
                        for (var i = 0; i < g1; i++)
                        {
                            var t1 = a[i, k] - (t4 * c[i, k]);
                            v2[i, k] += t1 * t4 * t3;
                            for (var j = 0; j <= i; j++)
                            {
                                var t2 = a[j, k] - (t4 * c[j, k]);
                                v[i, j] += t1 * t2 * t3;
                            }
                        }
                    }
                }

                if (other > 0)
                {
                    for (var k = 0; k < g; k++)
                    {
                        if (survival[k] <= 0 || otherDeaths[k] <= 0)
                        {
                            continue;
                        }

                        var t4 = (1 - pooled) / survival[k];
                        var tie = otherDeaths[k] > 1 ? 1 - ((otherDeaths[k] - 1.0) / (atRisk[k] - 1.0)) : 1.0;
                        var t3 = tie * (survivalBefore[k] * survivalBefore[k] * otherDeaths[k]) / ((double)atRisk[k] * atRisk[k]);
                        v3[k] += t4 * t4 * t3;
                        for (var i = 0; i < g1; i++)
                        {
                            var t1 = t4 * c[i, k];
                            v2[i, k] -= t1 * t4 * t3;
                            for (var j = 0; j <= i; j++)
                            {
                                var t2 = t4 * c[j, k];
                                v[i, j] += t1 * t2 * t3;
                            }
                        }
                    }
                }
            }

            for (var r = start; r < end; r++)
            {
                atRisk[groupIndex[order[r]]]--;
            }

            pooledBefore = pooled;
            Array.Copy(incidence, incidenceBefore, g);
            Array.Copy(survival, survivalBefore, g);
            start = end;
        }

        for (var i = 0; i < g1; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                for (var k = 0; k < g; k++)
                {
                    v[i, j] += (c[i, k] * c[j, k] * v3[k]) + (c[i, k] * v2[j, k]) + (c[j, k] * v2[i, k]);
                }

                v[j, i] = v[i, j];
            }
        }

        var statistic = QuadraticForm(score, v);
        var rows = ImmutableArray.CreateBuilder<ImmutableArray<double>>(g1);
        for (var i = 0; i < g1; i++)
        {
            var row = new double[g1];
            for (var j = 0; j < g1; j++)
            {
                row[j] = v[i, j];
            }

            rows.Add([.. row]);
        }

        return new GrayTestCause(
            cause,
            statistic,
            g1,
            statistic is double x ? Distributions.ChiSquareUpperTail(x, g1) : null,
            [.. score],
            rows.MoveToImmutable());
    }

    /// <summary>s′V⁻¹s by Cholesky-free Gaussian elimination with partial pivoting; null when V is singular (relative pivot below 1e-7, R's <c>qr</c> tolerance).</summary>
    private static double? QuadraticForm(double[] score, double[,] variance)
    {
        var m = score.Length;
        var work = (double[,])variance.Clone();
        var rhs = (double[])score.Clone();
        double scale = 0;
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < m; j++)
            {
                scale = Math.Max(scale, Math.Abs(work[i, j]));
            }
        }

        if (!(scale > 0) || !double.IsFinite(scale))
        {
            return null;
        }

        for (var col = 0; col < m; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < m; r++)
            {
                if (Math.Abs(work[r, col]) > Math.Abs(work[pivot, col]))
                {
                    pivot = r;
                }
            }

            if (Math.Abs(work[pivot, col]) <= 1e-7 * scale)
            {
                return null;
            }

            if (pivot != col)
            {
                for (var j = 0; j < m; j++)
                {
                    (work[col, j], work[pivot, j]) = (work[pivot, j], work[col, j]);
                }

                (rhs[col], rhs[pivot]) = (rhs[pivot], rhs[col]);
            }

            for (var r = col + 1; r < m; r++)
            {
                var factor = work[r, col] / work[col, col];
                for (var j = col; j < m; j++)
                {
                    work[r, j] -= factor * work[col, j];
                }

                rhs[r] -= factor * rhs[col];
            }
        }

        var solution = new double[m];
        for (var i = m - 1; i >= 0; i--)
        {
            var sum = rhs[i];
            for (var j = i + 1; j < m; j++)
            {
                sum -= work[i, j] * solution[j];
            }

            solution[i] = sum / work[i, i];
        }

        double statistic = 0;
        for (var i = 0; i < m; i++)
        {
            statistic += score[i] * solution[i];
        }

        return statistic;
    }
}
