using System.Runtime.CompilerServices;
using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Inference;

namespace GistNotebooks.Survival.Comparison;

/// <summary>
/// The log-rank test and its Fleming–Harrington G(ρ) family for comparing the survival of groups, optionally
/// stratified, matching R's <c>survival::survdiff</c> (survival 3.5-3); and the test for trend across ordered groups.
/// </summary>
/// <remarks>
/// At each distinct event time t (within a stratum) with d events among n at risk, n_g of them in group g, and
/// weight w = Ŝ(t−)^ρ from the pooled Kaplan–Meier estimate of that stratum:
/// O_g += w·d_g, E_g += w·d·n_g/n, and the hypergeometric variance
/// V_gh += w²·d·(n − d)/(n − 1)·(n_g/n)·(δ_gh − n_h/n) (Mantel 1966; Peto &amp; Peto 1972; Harrington &amp; Fleming 1982).
/// Ties are handled by that hypergeometric term; a time with a single subject at risk adds no variance.
/// Case weights are frequency weights: a row of weight w counts as w identical rows (survdiff itself has no
/// weights argument; with integer weights the result equals survdiff on the replicated rows). Times are compared
/// exactly (survdiff's <c>timefix</c> rounding of nearly equal times is not applied).
/// Cost: the cached time sort, then one pass over the rows and O(k²) work per event time and stratum.
/// </remarks>
public static class LogRank
{
    // survival's cholesky2 default tolerance (coxph.control toler.chol = .Machine$double.eps^0.75), relative to the largest pivot.
    private static readonly double SingularityTolerance = Math.Pow(2.220446049250313e-16, 0.75);

    /// <summary>
    /// Tests whether the groups of <paramref name="data"/> have the same survival, as <c>survdiff(Surv(time, event) ~ group [+ strata(s)], rho = ρ)</c>.
    /// </summary>
    /// <param name="data">Survival data with group labels (<see cref="SurvivalData.Groups"/>, levels in <see cref="SurvivalData.GroupLevels"/> order) and, for a stratified test, strata labels.</param>
    /// <param name="options">The weight exponent ρ; default <see cref="LogRankOptions.Default"/> (ρ = 0, the log-rank test).</param>
    /// <returns>
    /// χ² = (O − E)ᵀ V⁻ (O − E) over the groups with expected events greater than zero, less the first of them (as survdiff),
    /// with V⁻ a generalised inverse (LDLᵀ with zero pivots dropped, as survival's cholesky2), on rank(V) degrees of freedom.
    /// With strata, O, E and V are sums of the within-stratum terms, and the ρ weights use each stratum's own Kaplan–Meier estimate.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">ρ is not finite.</exception>
    /// <exception cref="DataValidationException">The data have no group labels, fewer than two groups or more than <see cref="LevelLimit.Maximum"/> groups or strata, there are no events to compare, or the groups carry no information (zero variance).</exception>
    public static LogRankResult Test(SurvivalData data, LogRankOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= LogRankOptions.Default;
        if (!double.IsFinite(options.Rho))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Rho, "Rho must be a finite number.");
        }

        if (options.TimeFix)
        {
            data = TimeFix.Apply(data);
        }

        var levels = data.GroupLevels;
        var groupOf = GroupIndices(data, levels);
        var (stratumOf, strataCount) = StratumIndices(data);
        var k = levels.Length;
        var observed = new double[k];
        var expected = new double[k];
        var variance = new double[checked(k * k)];
        Accumulate(data, groupOf, k, stratumOf, strataCount, options.Rho, observed, expected, variance);

        var (statistic, rank) = ChiSquare(levels, observed, expected, variance);
        var counts = new int[k];
        foreach (var g in groupOf)
        {
            counts[g]++;
        }

        var groups = ImmutableArray.CreateBuilder<LogRankGroup>(k);
        var rows = ImmutableArray.CreateBuilder<ImmutableArray<double>>(k);
        for (var g = 0; g < k; g++)
        {
            groups.Add(new LogRankGroup(levels[g], counts[g], observed[g], expected[g]));
            rows.Add(ImmutableArray.Create(variance, g * k, k));
        }

        return new LogRankResult(
            statistic,
            rank,
            Distributions.ChiSquareUpperTail(statistic, rank),
            options.Rho,
            groups.MoveToImmutable(),
            rows.MoveToImmutable(),
            strataCount);
    }

    /// <summary>
    /// Tests for a trend in survival across ordered groups: χ² = (Σ_g s_g (O_g − E_g))² / (sᵀ V s) on 1 degree of freedom,
    /// with O, E and V from <see cref="Test(SurvivalData, LogRankOptions?)"/> (so ρ weights and strata apply).
    /// </summary>
    /// <param name="data">Survival data with at least two groups.</param>
    /// <param name="scores">One finite score per group, in <see cref="SurvivalData.GroupLevels"/> order; default 1, 2, …, k. Only differences between scores matter.</param>
    /// <param name="options">The weight exponent ρ; default ρ = 0.</param>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The number of scores differs from the number of groups, or a score is not finite.</exception>
    /// <exception cref="DataValidationException">As <see cref="Test(SurvivalData, LogRankOptions?)"/>, or sᵀ V s is zero (the scores carry no information, for example all equal).</exception>
    public static LogRankTrendResult TrendTest(SurvivalData data, IReadOnlyList<double>? scores = null, LogRankOptions? options = null)
    {
        var comparison = Test(data, options);
        var k = comparison.Groups.Length;
        double[] s;
        if (scores is null)
        {
            s = new double[k];
            for (var g = 0; g < k; g++)
            {
                s[g] = g + 1;
            }
        }
        else
        {
            if (scores.Count != k)
            {
                throw new ArgumentException(
                    FormattableString.Invariant($"Expected one score per group ({k}: {string.Join(", ", comparison.Groups.Select(g => g.Group))}), found {scores.Count}."),
                    nameof(scores));
            }

            s = [.. scores];
            if (s.Any(x => !double.IsFinite(x)))
            {
                throw new ArgumentException("Every score must be a finite number.", nameof(scores));
            }
        }

        var score = 0.0;
        var scoreVariance = 0.0;
        for (var g = 0; g < k; g++)
        {
            score += s[g] * comparison.Groups[g].ObservedMinusExpected;
            var row = comparison.Variance[g];
            for (var h = 0; h < k; h++)
            {
                scoreVariance += s[g] * row[h] * s[h];
            }
        }

        if (!(scoreVariance > 0))
        {
            throw new DataValidationException("the trend test has no information: the variance of the score sᵀVs is zero (are all scores equal, or do only groups with equal scores have events?)");
        }

        var statistic = score * score / scoreVariance;
        return new LogRankTrendResult(statistic, Distributions.ChiSquareUpperTail(statistic, 1), score, scoreVariance, [.. s], comparison);
    }

    private static int[] GroupIndices(SurvivalData data, ImmutableArray<string> levels)
    {
        var codes = data.GroupCodes
            ?? throw new DataValidationException("the log-rank test compares groups, but the data have no group labels; give a group column (groupColumn) or group labels");
        if (levels.Length < 2)
        {
            throw new DataValidationException(string.Create(
                CultureInfo.InvariantCulture,
                $"the log-rank test needs at least two groups; found one ('{levels[0]}') in all {codes.Length} rows"));
        }

        LevelLimit.Check("group", "the log-rank test", levels.Length, codes.Length);
        return codes;
    }

    private static (int[]? StratumOf, int Count) StratumIndices(SurvivalData data)
    {
        if (data.StratumCodes is not { } codes)
        {
            return (null, 1);
        }

        var levels = data.StrataLevels;
        LevelLimit.Check("strata", "the stratified log-rank test", levels.Length, codes.Length);
        return (codes, levels.Length);
    }

    /// <summary>
    /// One pass over the rows in time order (events before censorings at a tie), all strata at once: at-risk
    /// counts start at the stratum-by-group totals and are reduced as each distinct time is passed.
    /// </summary>
    /// <remarks>
    /// Each row's cell (stratum × group) and event flag are first packed into one small code in row order, so that
    /// the pass in time order reads one byte (or two) per row out of sequence instead of a group index, a stratum
    /// index and an event flag from three arrays: at 10⁶ rows that was most of the test's time.
    /// </remarks>
    private static void Accumulate(
        SurvivalData data,
        int[] groupOf,
        int k,
        int[]? stratumOf,
        int strataCount,
        double rho,
        double[] observed,
        double[] expected,
        double[] variance)
    {
        var cells = strataCount * k;
        if (2L * cells <= byte.MaxValue + 1)
        {
            Accumulate(data, Codes<byte>(data, groupOf, k, stratumOf), k, strataCount, rho, observed, expected, variance);
        }
        else if (2L * cells <= ushort.MaxValue + 1)
        {
            Accumulate(data, Codes<ushort>(data, groupOf, k, stratumOf), k, strataCount, rho, observed, expected, variance);
        }
        else
        {
            Accumulate(data, Codes<int>(data, groupOf, k, stratumOf), k, strataCount, rho, observed, expected, variance);
        }
    }

    /// <summary>Per row, in row order: 2 × (stratum × k + group) + 1 for an event.</summary>
    private static TCode[] Codes<TCode>(SurvivalData data, int[] groupOf, int k, int[]? stratumOf)
        where TCode : unmanaged, IBinaryInteger<TCode>
    {
        var status = data.StatusArray;
        var codes = new TCode[status.Length];
        for (var i = 0; i < codes.Length; i++)
        {
            var cell = ((stratumOf is null ? 0 : stratumOf[i]) * k) + groupOf[i];
            codes[i] = TCode.CreateTruncating((2 * cell) + (status[i] ? 1 : 0));
        }

        return codes;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate<TCode>(
        SurvivalData data,
        TCode[] codes,
        int k,
        int strataCount,
        double rho,
        double[] observed,
        double[] expected,
        double[] variance)
        where TCode : unmanaged, IBinaryInteger<TCode>
    {
        var weight = data.WeightArray;
        var order = data.TimeOrder;
        var sortedTime = data.SortedTimes;
        var n = order.Length;
        var cells = strataCount * k;
        var atRisk = new double[cells];
        var stratumAtRisk = new double[strataCount];
        for (var i = 0; i < n; i++)
        {
            var cell = int.CreateTruncating(codes[i]) >> 1;
            var w = weight is null ? 1.0 : weight[i];
            atRisk[cell] += w;
            stratumAtRisk[cell / k] += w;
        }

        var survival = new double[strataCount];
        Array.Fill(survival, 1.0);
        var deaths = new double[cells];
        var leaving = new double[cells];
        var touched = new int[strataCount];
        var isTouched = new bool[strataCount];

        var position = 0;
        while (position < n)
        {
            var t = sortedTime[position];
            var touchedCount = 0;
            var end = position;
            while (end < n && sortedTime[end] == t)
            {
                var row = order[end];
                var code = int.CreateTruncating(codes[row]);
                var cell = code >> 1;
                var s = cell / k;
                var w = weight is null ? 1.0 : weight[row];
                leaving[cell] += w;
                if ((code & 1) != 0)
                {
                    deaths[cell] += w;
                }

                if (!isTouched[s])
                {
                    isTouched[s] = true;
                    touched[touchedCount++] = s;
                }

                end++;
            }

            for (var m = 0; m < touchedCount; m++)
            {
                var s = touched[m];
                var offset = s * k;
                var d = 0.0;
                for (var g = 0; g < k; g++)
                {
                    d += deaths[offset + g];
                }

                if (d > 0)
                {
                    var nRisk = stratumAtRisk[s];

                    // survdiff weights by the pooled Kaplan–Meier of this stratum just before t (left-continuous).
                    var w = rho == 0 ? 1.0 : Math.Pow(survival[s], rho);
                    for (var g = 0; g < k; g++)
                    {
                        observed[g] += w * deaths[offset + g];
                        expected[g] += w * d * atRisk[offset + g] / nRisk;
                    }

                    // As survdiff, a lone subject at risk carries no variance (and n − 1 would be zero).
                    if (nRisk > 1)
                    {
                        var factor = w * w * d * (nRisk - d) / (nRisk * (nRisk - 1));
                        for (var g = 0; g < k; g++)
                        {
                            var term = factor * atRisk[offset + g];
                            var rowOffset = g * k;
                            variance[rowOffset + g] += term;
                            for (var h = 0; h < k; h++)
                            {
                                variance[rowOffset + h] -= term * atRisk[offset + h] / nRisk;
                            }
                        }
                    }

                    survival[s] = survival[s] * (nRisk - d) / nRisk;
                }

                for (var g = 0; g < k; g++)
                {
                    atRisk[offset + g] -= leaving[offset + g];
                    stratumAtRisk[s] -= leaving[offset + g];
                    leaving[offset + g] = 0;
                    deaths[offset + g] = 0;
                }

                isTouched[s] = false;
            }

            position = end;
        }
    }

    /// <summary>
    /// survdiff's statistic: keep the groups with expected events above zero, drop the first of them (O − E and
    /// each row of V sum to zero, so one group is redundant), and form uᵀ V⁻ u with a generalised inverse.
    /// </summary>
    private static (double Statistic, int Rank) ChiSquare(ImmutableArray<string> levels, double[] observed, double[] expected, double[] variance)
    {
        var k = observed.Length;
        var informative = new List<int>(k);
        for (var g = 0; g < k; g++)
        {
            if (expected[g] > 0)
            {
                informative.Add(g);
            }
        }

        if (informative.Count == 0)
        {
            throw new DataValidationException("the log-rank test has nothing to compare: there are no events (with positive weight) in the data");
        }

        if (informative.Count == 1)
        {
            throw new DataValidationException(
                $"the log-rank test has nothing to compare: only group '{levels[informative[0]]}' has subjects at risk at the event times");
        }

        var m = informative.Count - 1;
        var u = new double[m];
        var matrix = new double[m * m];
        for (var a = 0; a < m; a++)
        {
            var g = informative[a + 1];
            u[a] = observed[g] - expected[g];
            for (var b = 0; b < m; b++)
            {
                matrix[(a * m) + b] = variance[(g * k) + informative[b + 1]];
            }
        }

        var (statistic, rank) = GeneralisedQuadraticForm(matrix, u, m);
        if (rank == 0)
        {
            throw new DataValidationException("the log-rank test has no information: the variance of O − E is zero, because at every event time all the subjects at risk are in one group (the groups' follow-up does not overlap, or each event time has a single subject at risk)");
        }

        return (statistic, rank);
    }

    /// <summary>
    /// uᵀ A⁻ u for a symmetric positive semi-definite A by an LDLᵀ factorisation in which a pivot below
    /// tolerance × the largest diagonal is set to zero with its column (survival's cholesky2 convention);
    /// then uᵀ A⁻ u = Σ y_i² / D_i over the non-zero pivots, where L y = u. Returns the number of non-zero pivots as the rank.
    /// </summary>
    private static (double Value, int Rank) GeneralisedQuadraticForm(double[] a, double[] u, int m)
    {
        var largest = 0.0;
        for (var i = 0; i < m; i++)
        {
            largest = Math.Max(largest, Math.Abs(a[(i * m) + i]));
        }

        var epsilon = largest == 0 ? SingularityTolerance : SingularityTolerance * largest;
        var rank = 0;
        for (var i = 0; i < m; i++)
        {
            var pivot = a[(i * m) + i];
            if (!(pivot >= epsilon))
            {
                a[(i * m) + i] = 0;
                for (var j = i + 1; j < m; j++)
                {
                    a[(j * m) + i] = 0;
                }

                continue;
            }

            rank++;
            for (var j = i + 1; j < m; j++)
            {
                var ratio = a[(j * m) + i] / pivot;
                a[(j * m) + i] = ratio;
                a[(j * m) + j] -= ratio * ratio * pivot;
                for (var l = j + 1; l < m; l++)
                {
                    a[(l * m) + j] -= ratio * a[(l * m) + i];
                }
            }
        }

        var y = (double[])u.Clone();
        var value = 0.0;
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < i; j++)
            {
                y[i] -= a[(i * m) + j] * y[j];
            }

            var pivot = a[(i * m) + i];
            if (pivot != 0)
            {
                value += y[i] * y[i] / pivot;
            }
        }

        return (value, rank);
    }
}
