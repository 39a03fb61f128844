using System.Runtime.CompilerServices;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Regression;

/// <summary>
/// The Cox partial log-likelihood with its score vector and information matrix, evaluated in one backward pass
/// over the subjects sorted by stratum and time (<see cref="Pass"/>). The same pass serves the ordinary fit,
/// Firth's correction (which also asks it for the derivative of the information) and the proportional-hazards
/// score test (which asks for the time-weighted blocks); each asks through an <see cref="IRiskSetExtension"/>.
/// Holds the centred covariates in sorted order.
/// </summary>
internal sealed partial class CoxLikelihood : ICoxObjective
{
    /// <summary>Rows from which computing the relative risks on two cores pays for starting the second.</summary>
    private const int ParallelThreshold = 50_000;

    private readonly int count;
    private readonly int terms;
    private readonly double[] covariates;
    private readonly bool[] events;
    private readonly double[] weights;
    private readonly int[] groupStart;
    private readonly bool[] groupStartsStratum;
    private readonly TieMethod ties;
    private readonly double[] etaValue;
    private readonly double[] riskValue;
    private readonly double[]? offsetValue;

    // The coefficients the linear predictor in etaValue was last computed at (offsets included), or null when unknown.
    private double[]? riskBeta;

    /// <summary>Sorts the subjects by stratum, then time, and centres the covariates by <paramref name="centers"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public CoxLikelihood(SurvivalData data, CovariateMatrix matrix, ReadOnlySpan<double> centers, TieMethod ties, IReadOnlyList<double>? offsets = null)
    {
        count = data.Count;
        terms = matrix.TermCount;
        this.ties = ties;
        Order = SortedOrder(data);
        var time = data.TimeArray;
        var status = data.StatusArray;
        var stratumIndex = !data.HasStrata ? null : StratumIndex(data);
        covariates = new double[count * terms];
        events = new bool[count];
        weights = new double[count];
        var values = matrix.Values;
        var caseWeights = data.WeightArray;
        var centred = centers.ToArray();
        var order = Order;

        // The rows gathered in sorted order, each on its own: the cache misses of a random gather dominate at 10⁶ rows,
        // so large data is split between two cores.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Gather(int from, int to)
        {
            for (var k = from; k < to; k++)
            {
                var row = order[k];
                events[k] = status[row];
                weights[k] = caseWeights is null ? 1.0 : caseWeights[row];
            }

            // The covariates centred: one short row copy each, the loads independent of one another so that the
            // processor overlaps their cache misses.
            var sortedCovariates = covariates.AsSpan();
            var source = values.AsSpan(0, count * terms);
            for (var k = from; k < to; k++)
            {
                var row = source.Slice(order[k] * terms, terms);
                var target = sortedCovariates.Slice(k * terms, terms);
                for (var j = 0; j < terms; j++)
                {
                    target[j] = row[j] - centred[j];
                }
            }
        }

        if (count < ParallelThreshold || Environment.ProcessorCount < 2)
        {
            Gather(0, count);
        }
        else
        {
            Parallel.Invoke(() => Gather(0, count / 2), () => Gather(count / 2, count));
        }

        // Times in the sorted order: the data's own sorted times when there are no strata (the order is the time order).
        if (!data.HasStrata)
        {
            SortedTimes = data.SortedTimes;
        }
        else
        {
            SortedTimes = new double[count];
            for (var k = 0; k < count; k++)
            {
                SortedTimes[k] = time[Order[k]];
            }
        }

        var starts = new List<int>();
        var stratumStarts = new List<bool>();
        var sortedTimes = SortedTimes;
        for (var k = 0; k < count; k++)
        {
            var newStratum = k == 0 || (stratumIndex is not null && stratumIndex[Order[k]] != stratumIndex[Order[k - 1]]);
            if (newStratum || sortedTimes[k] != sortedTimes[k - 1])
            {
                starts.Add(k);
                stratumStarts.Add(newStratum);
            }
        }

        starts.Add(count);
        groupStart = [.. starts];
        groupStartsStratum = [.. stratumStarts];
        etaValue = new double[count];
        riskValue = new double[count];
        if (offsets is not null)
        {
            // A known part of each linear predictor (R's offset()), in sorted order.
            offsetValue = new double[count];
            for (var k = 0; k < count; k++)
            {
                offsetValue[k] = offsets[Order[k]];
            }
        }
    }

    /// <summary>Row indices sorted by stratum, then by time (events before censorings at equal times).</summary>
    public int[] Order { get; }

    /// <summary>Rows from which the pass without an extension runs on two cores (tests lower it to compare with one).</summary>
    internal int PassOnTwoCoresFromRows { get; init; } = ParallelThreshold;

    /// <summary>The number of terms p.</summary>
    public int TermCount => terms;

    /// <summary>The centred covariate <paramref name="term"/> of sorted row <paramref name="sortedRow"/>.</summary>
    public double Covariate(int sortedRow, int term) => covariates[(sortedRow * terms) + term];

    /// <summary>
    /// Evaluates the log partial likelihood at <paramref name="beta"/>, writing the score into
    /// <paramref name="score"/> and the information (minus the Hessian, row-major) into
    /// <paramref name="information"/>. When <paramref name="informationDerivative"/> is given, it receives
    /// ∂I_ab/∂β_m at index (a·p + b)·p + m, and only then does the pass keep third-moment sums.
    /// </summary>
    public double Evaluate(ReadOnlySpan<double> beta, double[] score, double[] information, double[]? informationDerivative = null)
    {
        if (informationDerivative is null)
        {
            var none = default(NoExtension);
            return Pass(beta, score, information, ref none);
        }

        var derivative = new InformationDerivative(informationDerivative, terms);
        return Pass(beta, score, information, ref derivative);
    }

    /// <summary>
    /// The score and information of the model extended by the time interactions x·g(t), at γ = 0 and the
    /// given β (the one-step score test of Grambsch &amp; Therneau 1994 as survival 3.5-3's <c>zph1</c>
    /// computes it). <paramref name="timeValue"/> holds g at each row's time, in data order;
    /// <paramref name="score"/> receives the 2p score and <paramref name="information"/> the 2p × 2p
    /// information [[V, G], [G, H]] with V = Σ w·Var, G = Σ g·w·Var, H = Σ g²·w·Var over the event terms.
    /// </summary>
    public void EvaluateTimeInteraction(ReadOnlySpan<double> beta, double[] timeValue, double[] score, double[] information)
    {
        var p = terms;
        var q = 2 * p;
        var plainScore = new double[p];
        var plainInformation = new double[p * p];
        var interaction = new TimeInteraction(this, timeValue, score, information);
        Pass(beta, plainScore, plainInformation, ref interaction);

        // The pass gives U and V; the extension filled the γ score and the G and H blocks on and below their diagonals.
        for (var a = 0; a < p; a++)
        {
            score[a] = plainScore[a];
            for (var b = 0; b < p; b++)
            {
                information[(a * q) + b] = plainInformation[(a * p) + b];
            }

            for (var b = 0; b < a; b++)
            {
                information[(b * q) + p + a] = information[(a * q) + p + b];
                information[((p + b) * q) + p + a] = information[((p + a) * q) + p + b];
            }
        }

        for (var a = 0; a < p; a++)
        {
            for (var b = 0; b < p; b++)
            {
                information[((p + a) * q) + b] = information[(b * q) + p + a];
            }
        }
    }

    /// <summary>
    /// The risk-set pass. The relative risks r = w·exp(xβ) are computed first (split between two cores for large
    /// data, each row on its own); then one backward pass over the distinct times of each stratum accumulates the
    /// risk-set sums S0 = Σ r, S1 = Σ r·x and S2 = Σ r·x·xᵀ (lower triangle, packed), and, for the tied deaths at
    /// each time, the same sums D0, D1, D2 of the deaths alone. Each time with d deaths and death weight W adds
    /// terms to ℓ, U and I: with Breslow's method (or d = 1) one term with weight W and the whole risk set; with
    /// Efron's, d terms, the k-th (k = 0 … d − 1) with weight W/d and sums S − (k/d)·D, the risk set with k/d of
    /// each tied death's risk removed. Each term adds −weight·log T0 to ℓ, −weight·T1/T0 to U and
    /// weight·(T2/T0 − (T1/T0)(T1/T0)ᵀ) to I. The extension sees every death and, if it observes terms, every
    /// term; when it asks for third moments the pass also keeps S3 = Σ r·x_a·x_b·x_m (a ≥ b, every m) and the
    /// deaths' part D3. Its flags are constants of a struct type, so what it does not ask for is compiled away.
    /// </summary>
    /// <remarks>
    /// For large data without an extension the pass runs on two cores (<see cref="PassOnTwoCores"/>): the later half of
    /// the times on one, the earlier half on the other, which starts from the risk-set sums of the later half.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Pass<TExtension>(ReadOnlySpan<double> beta, double[] score, double[] information, ref TExtension extension)
        where TExtension : struct, IRiskSetExtension
    {
        var p = terms;
        var packed = p * (p + 1) / 2;
        Array.Clear(score);
        Array.Clear(information);
        var info2 = new double[packed];
        double logLikelihood;
        if (typeof(TExtension) == typeof(NoExtension) && count >= PassOnTwoCoresFromRows && groupStart.Length > 2 && Environment.ProcessorCount > 1)
        {
            logLikelihood = PassOnTwoCores(beta, score, info2);
        }
        else
        {
            ComputeRisk(beta);
            var cube = TExtension.UsesThirdMoments ? packed * p : 0;
            logLikelihood = PassGroups(0, groupStart.Length - 1, 0.0, new double[p], new double[packed], new double[cube], score, info2, ref extension);
        }

        var position = 0;
        for (var a = 0; a < p; a++)
        {
            for (var b = 0; b <= a; b++)
            {
                information[(a * p) + b] = info2[position];
                information[(b * p) + a] = info2[position];
                position++;
            }
        }

        return logLikelihood;
    }

    /// <summary>
    /// The pass of <see cref="Pass"/> on two cores. The times are cut at the group nearest the middle row. One core
    /// computes the relative risks of the later groups from the last, summing S0, S1 and S2 over those of the cut's
    /// stratum in the order the pass would (groups from the last, rows within a group from the first, so that the earlier
    /// half starts from the very sums a single pass reaches there), while the other computes the earlier rows' risks;
    /// then each core runs the pass over its half.
    /// The two halves' log-likelihood, score and information are added: only that last sum can differ from a single
    /// pass, in rounding.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double PassOnTwoCores(ReadOnlySpan<double> beta, double[] score, double[] info2)
    {
        var p = terms;
        var packed = p * (p + 1) / 2;
        var b = beta.ToArray();
        var known = offsetValue;
        riskBeta = b;

        // The cut: the first group starting at or after the middle row; the sums run to the end of its stratum.
        var groups = groupStart.Length - 1;
        var cut = MiddleGroup();
        var stratumEnd = cut + 1;
        while (stratumEnd < groups && !groupStartsStratum[stratumEnd])
        {
            stratumEnd++;
        }

        var risk1 = new double[p];
        var risk2 = new double[packed];
        var riskSum0 = 0.0;
        Parallel.Invoke(
            () => RiskRows(b, known, 0, cut, 0, null, null),
            () => riskSum0 = RiskRows(b, known, cut, groups, stratumEnd, risk1, risk2));

        var laterScore = new double[p];
        var laterInfo2 = new double[packed];
        var earlier = 0.0;
        var later = 0.0;
        Parallel.Invoke(
            () =>
            {
                var none = default(NoExtension);
                earlier = PassGroups(0, cut, riskSum0, risk1, risk2, [], score, info2, ref none);
            },
            () =>
            {
                var none = default(NoExtension);
                later = PassGroups(cut, groups, 0.0, new double[p], new double[packed], [], laterScore, laterInfo2, ref none);
            });

        for (var a = 0; a < p; a++)
        {
            score[a] += laterScore[a];
        }

        for (var i = 0; i < packed; i++)
        {
            info2[i] += laterInfo2[i];
        }

        return earlier + later;
    }

    /// <summary>
    /// Fills <c>etaValue</c> with xβ (plus <paramref name="known"/>, the offsets, when given) and <c>riskValue</c> with
    /// w·exp of it for the rows of the groups <paramref name="firstGroup"/> up to (not including)
    /// <paramref name="endGroup"/>, each row on its own. The rows of the groups before
    /// <paramref name="sumsToGroup"/> also add their r, r·x and r·x·xᵀ (packed) to <paramref name="risk1"/> and
    /// <paramref name="risk2"/> in the order of the backward pass (the groups from the last, each group's rows from its
    /// first), so that the sums are the very ones a single pass reaches. Returns the sum of r over those rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double RiskRows(double[] beta, double[]? known, int firstGroup, int endGroup, int sumsToGroup, double[]? risk1, double[]? risk2)
    {
        var p = terms;
        var x = covariates;
        var eta = etaValue;
        var risk = riskValue;
        var weight = weights;
        var riskSum0 = 0.0;
        for (var g = endGroup - 1; g >= firstGroup; g--)
        {
            var sum = g < sumsToGroup;
            for (var k = groupStart[g]; k < groupStart[g + 1]; k++)
            {
                var offset = k * p;
                var linear = known is null ? 0.0 : known[k];
                for (var j = 0; j < p; j++)
                {
                    linear += beta[j] * x[offset + j];
                }

                eta[k] = linear;
                var r = weight[k] * Math.Exp(linear);
                risk[k] = r;
                if (sum)
                {
                    riskSum0 += r;
                    var index = 0;
                    for (var a = 0; a < p; a++)
                    {
                        var ra = r * x[offset + a];
                        risk1![a] += ra;
                        for (var c = 0; c <= a; c++)
                        {
                            risk2![index++] += ra * x[offset + c];
                        }
                    }
                }
            }
        }

        return riskSum0;
    }

    /// <summary>
    /// The backward pass over the groups of equal times <paramref name="firstGroup"/> up to (not including)
    /// <paramref name="endGroup"/>, from the last: adds the groups' terms to <paramref name="score"/> and
    /// <paramref name="info2"/> (packed lower triangle) and returns their part of the log-likelihood. The risk-set sums
    /// start from <paramref name="riskSum0"/>, <paramref name="risk1"/>, <paramref name="risk2"/> and
    /// <paramref name="risk3"/> (those of the rows after the segment in its stratum; zero for a whole pass) and are
    /// updated in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double PassGroups<TExtension>(int firstGroup, int endGroup, double riskSum0, double[] risk1, double[] risk2, double[] risk3, double[] score, double[] info2, ref TExtension extension)
        where TExtension : struct, IRiskSetExtension
    {
        var p = terms;
        var packed = p * (p + 1) / 2;

        // Small arrays rather than stackalloc: the JIT keeps these loops markedly faster with array sums.
        var death1 = new double[p];
        var death2 = new double[packed];
        var mean1 = new double[p];
        var cube = TExtension.UsesThirdMoments ? packed * p : 0;
        var death3 = new double[cube];
        var x = covariates;
        var logLikelihood = 0.0;
        for (var g = endGroup - 1; g >= firstGroup; g--)
        {
            var last = groupStart[g + 1];
            var first = groupStart[g];
            if (g == groupStart.Length - 2 || groupStartsStratum[g + 1])
            {
                // The backward pass enters a new stratum: its risk sets start empty (a segment that starts inside a
                // stratum starts from the sums it was given instead).
                riskSum0 = 0;
                Array.Clear(risk1);
                Array.Clear(risk2);
                if (TExtension.UsesThirdMoments)
                {
                    Array.Clear(risk3);
                }
            }

            var deathSum0 = 0.0;
            var deathWeight = 0.0;
            var deaths = 0;
            Array.Clear(death1);
            Array.Clear(death2);
            if (TExtension.UsesThirdMoments)
            {
                Array.Clear(death3);
            }

            // Events come first within a time: accumulate them into both the risk and the death sums.
            var k = first;
            for (; k < last && events[k]; k++)
            {
                var offset = k * p;
                var r = riskValue[k];
                var w = weights[k];
                riskSum0 += r;
                deathSum0 += r;
                deaths++;
                deathWeight += w;
                logLikelihood += w * etaValue[k];
                var index = 0;
                for (var a = 0; a < p; a++)
                {
                    var xa = x[offset + a];
                    var ra = r * xa;
                    risk1[a] += ra;
                    death1[a] += ra;
                    score[a] += w * xa;
                    for (var b = 0; b <= a; b++)
                    {
                        var v = ra * x[offset + b];
                        risk2[index] += v;
                        death2[index] += v;
                        index++;
                    }
                }

                if (TExtension.UsesThirdMoments)
                {
                    AddThirdMoments(offset, r, risk3);
                    AddThirdMoments(offset, r, death3);
                }

                extension.Death(first, k, w);
            }

            for (; k < last; k++)
            {
                var offset = k * p;
                var r = riskValue[k];
                riskSum0 += r;
                var index = 0;
                for (var a = 0; a < p; a++)
                {
                    var ra = r * x[offset + a];
                    risk1[a] += ra;
                    for (var b = 0; b <= a; b++)
                    {
                        risk2[index++] += ra * x[offset + b];
                    }
                }

                if (TExtension.UsesThirdMoments)
                {
                    AddThirdMoments(offset, r, risk3);
                }
            }

            if (deaths == 0)
            {
                continue;
            }

            var efron = ties == TieMethod.Efron && deaths > 1;
            var pieces = efron ? deaths : 1;
            var pieceWeight = efron ? deathWeight / deaths : deathWeight;
            if (efron && !TExtension.ObservesTerms && deathSum0 <= 0.5 * riskSum0)
            {
                logLikelihood -= pieceWeight * EfronTerms(deaths, riskSum0, deathSum0, risk1, risk2, death1, death2, pieceWeight, score, info2);
                continue;
            }

            for (var piece = 0; piece < pieces; piece++)
            {
                var fraction = efron ? (double)piece / deaths : 0.0;
                var d0 = riskSum0 - (fraction * deathSum0);

                // One division a piece; the means and second moments multiply by its result.
                var perRisk = 1.0 / d0;
                for (var a = 0; a < p; a++)
                {
                    mean1[a] = (risk1[a] - (fraction * death1[a])) * perRisk;
                    score[a] -= pieceWeight * mean1[a];
                }

                var index = 0;
                for (var a = 0; a < p; a++)
                {
                    for (var b = 0; b <= a; b++)
                    {
                        info2[index] += pieceWeight * (((risk2[index] - (fraction * death2[index])) * perRisk) - (mean1[a] * mean1[b]));
                        index++;
                    }
                }

                logLikelihood -= pieceWeight * Math.Log(d0);
                if (TExtension.ObservesTerms)
                {
                    extension.Term(first, new RiskSetTerm(p, pieceWeight, fraction, d0, mean1, risk2, death2, risk3, death3));
                }
            }
        }

        return logLikelihood;
    }

    /// <summary>
    /// Adds the d terms of Efron's method at a time with d tied deaths to <paramref name="score"/> and
    /// <paramref name="info2"/>, and returns Σ_k log T0_k. With f_k = k/d and T0_k = S0 − f_k·D0, the k-th term's mean
    /// is (S1 − f_k·D1)/T0_k, so the d terms sum to closed forms in five scalar sums over the pieces, A = Σ 1/T0_k,
    /// B = Σ f_k/T0_k, C = Σ 1/T0_k², E = Σ f_k/T0_k² and F = Σ f_k²/T0_k²:
    /// score −= w·(S1·A − D1·B) and information += w·(S2·A − D2·B − (S1·S1ᵀ·C − (S1·D1ᵀ + D1·S1ᵀ)·E + D1·D1ᵀ·F)),
    /// which is O(d + p²) work for the time instead of O(d·p²). The logarithms are taken of products of the T0_k (of
    /// their ratios to S0), folded into a sum before they could underflow: about one logarithm a time instead of one a
    /// death. Only the rounding differs from adding the terms one by one, and only slightly while the deaths hold at most
    /// half the risk (D0 ≤ S0/2, so that each T0_k ≥ S0/2 and the sums are all of one size, where the caller uses this):
    /// when nearly everyone at risk dies, C grows like d²/S0² while what the means contribute stays near d/S0², and the
    /// closed form would lose digits that the term-by-term sum keeps.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double EfronTerms(int deaths, double riskSum0, double deathSum0, double[] risk1, double[] risk2, double[] death1, double[] death2, double pieceWeight, double[] score, double[] info2)
    {
        var p = terms;
        double sumA = 0, sumB = 0, sumC = 0, sumE = 0, sumF = 0;
        var logSum = deaths * Math.Log(riskSum0);
        var product = 1.0;
        var perDeath = 1.0 / deaths;
        var deathShare = deathSum0 / riskSum0;
        for (var piece = 0; piece < deaths; piece++)
        {
            var fraction = piece * perDeath;
            var perRisk = 1.0 / (riskSum0 - (fraction * deathSum0));
            var perRisk2 = perRisk * perRisk;
            sumA += perRisk;
            sumB += fraction * perRisk;
            sumC += perRisk2;
            sumE += fraction * perRisk2;
            sumF += fraction * fraction * perRisk2;
            product *= 1.0 - (fraction * deathShare);
            if (product < 1e-200)
            {
                logSum += Math.Log(product);
                product = 1.0;
            }
        }

        logSum += Math.Log(product);
        var index = 0;
        for (var a = 0; a < p; a++)
        {
            score[a] -= pieceWeight * ((risk1[a] * sumA) - (death1[a] * sumB));
            for (var b = 0; b <= a; b++)
            {
                var outer = (risk1[a] * risk1[b] * sumC) - (((risk1[a] * death1[b]) + (death1[a] * risk1[b])) * sumE) + (death1[a] * death1[b] * sumF);
                info2[index] += pieceWeight * ((risk2[index] * sumA) - (death2[index] * sumB) - outer);
                index++;
            }
        }

        return logSum;
    }

    /// <summary>Adds r·x_a·x_b·x_m of sorted row <c>offset / p</c> to <paramref name="sum3"/> at (packed (a, b))·p + m, for a ≥ b and every m.</summary>
    private void AddThirdMoments(int offset, double r, double[] sum3)
    {
        var p = terms;
        var x = covariates;
        var index = 0;
        for (var a = 0; a < p; a++)
        {
            for (var b = 0; b <= a; b++)
            {
                var rab = r * x[offset + a] * x[offset + b];
                for (var m = 0; m < p; m++)
                {
                    sum3[index++] += rab * x[offset + m];
                }
            }
        }
    }

    /// <summary>Fills <c>etaValue</c> with xβ (plus the offsets unless left out) and <c>riskValue</c> with w·exp of it, row by row (two cores for large data).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ComputeRisk(ReadOnlySpan<double> beta, bool withOffsets = true)
    {
        var b = beta.ToArray();
        var known = withOffsets ? offsetValue : null;
        riskBeta = withOffsets || offsetValue is null ? b : null;
        var groups = groupStart.Length - 1;
        if (count < ParallelThreshold || Environment.ProcessorCount < 2 || groups < 2)
        {
            RiskRows(b, known, 0, groups, 0, null, null);
        }
        else
        {
            var cut = MiddleGroup();
            Parallel.Invoke(() => RiskRows(b, known, 0, cut, 0, null, null), () => RiskRows(b, known, cut, groups, 0, null, null));
        }
    }

    /// <summary>The first group starting at or after the middle row, and never the first or past the last (there are at least two groups).</summary>
    private int MiddleGroup()
    {
        var middle = Array.BinarySearch(groupStart, count / 2);
        return Math.Clamp(middle >= 0 ? middle : ~middle, 1, groupStart.Length - 2);
    }

    /// <summary>
    /// <see cref="SortedLinearPredictor"/> in the likelihood's own working array rather than a new one, for a caller done
    /// with the likelihood: the next evaluation writes over it. When the last evaluation was at <paramref name="beta"/>
    /// (a fit's last one is at its estimate) the array already holds it, computed the same way.
    /// </summary>
    internal double[] SortedLinearPredictorInPlace(ReadOnlySpan<double> beta)
    {
        if (riskBeta is null || !beta.SequenceEqual(riskBeta))
        {
            ComputeRisk(beta);
        }

        riskBeta = null;
        return etaValue;
    }

    /// <summary>The linear predictor of each row (in data order) with the centred covariates, as R's <c>linear.predictors</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double[] LinearPredictor(ReadOnlySpan<double> beta)
    {
        var sorted = SortedLinearPredictor(beta);
        var result = new double[count];
        for (var k = 0; k < count; k++)
        {
            result[Order[k]] = sorted[k];
        }

        return result;
    }

    /// <summary>The linear predictor of each subject in <see cref="Order"/>.</summary>
    public double[] SortedLinearPredictor(ReadOnlySpan<double> beta)
    {
        var result = new double[count];
        for (var k = 0; k < count; k++)
        {
            var eta = offsetValue is null ? 0.0 : offsetValue[k];
            for (var j = 0; j < terms; j++)
            {
                eta += beta[j] * covariates[(k * terms) + j];
            }

            result[k] = eta;
        }

        return result;
    }

    /// <summary>The times in <see cref="Order"/>.</summary>
    public double[] SortedTimes { get; }

    /// <summary>The event indicators in <see cref="Order"/>.</summary>
    public bool[] SortedEvents => events;

    /// <summary>The case weights in <see cref="Order"/>.</summary>
    public double[] SortedWeights => weights;

    /// <summary>Row indices sorted by stratum (levels in order), then time; events before censorings at equal times.</summary>
    internal static int[] SortedOrder(SurvivalData data)
    {
        var byTime = data.TimeOrder;
        if (!data.HasStrata)
        {
            return byTime;
        }

        // A stable counting sort by stratum keeps the time order inside each stratum: one linear pass.
        var stratumIndex = StratumIndex(data);
        var levels = data.StrataLevels.Length;
        var offsets = new int[levels + 1];
        foreach (var s in stratumIndex)
        {
            offsets[s + 1]++;
        }

        for (var s = 0; s < levels; s++)
        {
            offsets[s + 1] += offsets[s];
        }

        var order = new int[byTime.Length];
        foreach (var row in byTime)
        {
            order[offsets[stratumIndex[row]]++] = row;
        }

        return order;
    }

    /// <summary>The 0-based stratum of each row (all 0 without strata).</summary>
    internal static int[] StratumIndex(SurvivalData data)
    {
        return data.StratumCodes ?? new int[data.Count];
    }
}
