using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Regression;

/// <summary>
/// The Cox partial log-likelihood for counting-process (start, stop] data, with its score and information, as R's
/// <c>agfit4</c> computes it: the risk set at an event time t holds the rows with start &lt; t ≤ stop. One sweep per
/// evaluation over the distinct event times of each stratum, from the last back: a row joins the running sums when t
/// reaches its stop and leaves them when t reaches its start, so each row is added and removed once.
/// </summary>
internal sealed partial class CountingProcessLikelihood : ICoxObjective
{
    private readonly int count;
    private readonly int terms;
    private readonly double[] covariates;
    private readonly double[] start;
    private readonly double[] stop;
    private readonly bool[] status;
    private readonly double[] weights;
    private readonly double[]? offsets;
    private readonly TieMethod ties;
    private readonly int[][] byStop;
    private readonly int[][] byStart;
    private readonly double[] risk;

    /// <summary>Centres the covariates by <paramref name="centers"/> and sorts each stratum's rows by stop and by start, both descending.</summary>
    public CountingProcessLikelihood(CountingProcessData data, CovariateMatrix matrix, ReadOnlySpan<double> centers, TieMethod ties, IReadOnlyList<double>? offsets)
    {
        count = data.Count;
        terms = matrix.TermCount;
        this.ties = ties;
        start = data.StartArray;
        stop = data.StopArray;
        status = data.StatusArray;
        weights = data.WeightArray ?? [.. Enumerable.Repeat(1.0, count)];
        this.offsets = offsets is null ? null : [.. offsets];
        covariates = new double[count * terms];
        var values = matrix.Values;
        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < terms; j++)
            {
                covariates[(i * terms) + j] = values[(i * terms) + j] - centers[j];
            }
        }

        var strata = StratumRows(data);
        byStop = new int[strata.Length][];
        byStart = new int[strata.Length][];
        for (var s = 0; s < strata.Length; s++)
        {
            var rows = strata[s];
            byStop[s] = [.. rows.OrderByDescending(i => stop[i]).ThenByDescending(i => status[i])];
            byStart[s] = [.. rows.OrderByDescending(i => start[i])];
        }

        risk = new double[count];
    }

    /// <inheritdoc/>
    public int TermCount => terms;

    /// <summary>The linear predictor of each row (input order) at <paramref name="beta"/>, centred covariates plus offset (unless <paramref name="withOffsets"/> is false).</summary>
    public double[] LinearPredictor(ReadOnlySpan<double> beta, bool withOffsets = true)
    {
        var eta = new double[count];
        for (var i = 0; i < count; i++)
        {
            var value = offsets is null || !withOffsets ? 0.0 : offsets[i];
            for (var j = 0; j < terms; j++)
            {
                value += beta[j] * covariates[(i * terms) + j];
            }

            eta[i] = value;
        }

        return eta;
    }

    /// <inheritdoc/>
    public double Evaluate(ReadOnlySpan<double> beta, double[] score, double[] information, double[]? informationDerivative = null)
    {
        Array.Clear(score);
        Array.Clear(information);
        var eta = SetRisk(beta);
        var terms = new LikelihoodTerms(this, eta, score, information);
        Sweep(ref terms);
        return terms.LogLikelihood;
    }

    /// <summary>Sets each row's risk exp(η) at <paramref name="beta"/>, and returns η.</summary>
    private double[] SetRisk(ReadOnlySpan<double> beta)
    {
        var eta = LinearPredictor(beta);
        for (var i = 0; i < count; i++)
        {
            risk[i] = Math.Exp(eta[i]);
        }

        return eta;
    }

    /// <summary>What a sweep over the risk sets does with each death as it joins, and at each event time.</summary>
    private interface IRiskSetVisitor
    {
        /// <summary>A death of row <paramref name="row"/>, weight <paramref name="weight"/>, joins the sums.</summary>
        void Death(int row, double weight);

        /// <summary>
        /// An event time: the weighted risk sums of the rows at risk (s0, s1, s2: Σ w·r, Σ w·r·x, Σ w·r·x·xᵀ, lower
        /// triangle), the same sums over its deaths (d0, d1, d2), how many deaths and their total weight.
        /// </summary>
        void EventTime(double time, double s0, double[] s1, double[] s2, double d0, double[] d1, double[] d2, int deaths, double weightSum);
    }

    /// <summary>
    /// One sweep over the distinct stop times of each stratum, from the last back, at the risks set by
    /// <see cref="SetRisk"/>: a row joins the running sums when t reaches its stop and leaves them when t reaches its
    /// start. A struct visitor is inlined, so the likelihood and its variants pay nothing for sharing it.
    /// </summary>
    private void Sweep<TVisitor>(ref TVisitor visitor)
        where TVisitor : struct, IRiskSetVisitor
    {
        var p = terms;
        var s1 = new double[p];
        var s2 = new double[p * p];
        var d1 = new double[p];
        var d2 = new double[p * p];
        for (var s = 0; s < byStop.Length; s++)
        {
            var stops = byStop[s];
            var starts = byStart[s];
            var s0 = 0.0;
            Array.Clear(s1);
            Array.Clear(s2);
            var atRisk = 0;
            var next = 0;
            var leaving = 0;
            while (next < stops.Length)
            {
                var t = stop[stops[next]];

                // Rows whose start is at or after t are no longer at risk.
                while (leaving < starts.Length && start[starts[leaving]] >= t)
                {
                    var row = starts[leaving++];
                    Accumulate(row, -weights[row] * risk[row], ref s0, s1, s2);
                    atRisk--;
                }

                if (atRisk == 0)
                {
                    // Nothing at risk: clear the rounding left by adding and removing.
                    s0 = 0;
                    Array.Clear(s1);
                    Array.Clear(s2);
                }

                // Rows ending at t join (events first, then censorings), and the deaths' sums are formed.
                var d0 = 0.0;
                var deaths = 0;
                var weightSum = 0.0;
                Array.Clear(d1);
                Array.Clear(d2);
                while (next < stops.Length && stop[stops[next]] == t)
                {
                    var row = stops[next++];
                    var w = weights[row];
                    var wr = w * risk[row];
                    Accumulate(row, wr, ref s0, s1, s2);
                    atRisk++;
                    if (status[row])
                    {
                        deaths++;
                        weightSum += w;
                        visitor.Death(row, w);
                        Accumulate(row, wr, ref d0, d1, d2);
                    }
                }

                if (deaths > 0)
                {
                    visitor.EventTime(t, s0, s1, s2, d0, d1, d2, deaths, weightSum);
                }
            }
        }
    }

    /// <summary>
    /// The terms of one event time, Breslow's one or Efron's d (the k-th of d tied deaths sees the risk set less k/d of
    /// the deaths' own risk), added to ℓ, U and I.
    /// </summary>
    private void AddEventTime(double s0, double[] s1, double[] s2, double d0, double[] d1, double[] d2, int deaths, double weightSum, double[] mean, ref double logLikelihood, double[] score, double[] information)
    {
        if (ties == TieMethod.Breslow || deaths == 1)
        {
            AddDeathTerm(s0, s1, s2, 0, 0, d1, d2, weightSum, mean, ref logLikelihood, score, information);
            return;
        }

        var meanWeight = weightSum / deaths;
        for (var k = 0; k < deaths; k++)
        {
            AddDeathTerm(s0, s1, s2, (double)k / deaths, d0, d1, d2, meanWeight, mean, ref logLikelihood, score, information);
        }
    }

    /// <summary>The partial log-likelihood, its score and information: each death adds w·η and w·x, each event time its terms.</summary>
    private struct LikelihoodTerms(CountingProcessLikelihood likelihood, double[] eta, double[] score, double[] information) : IRiskSetVisitor
    {
        private readonly double[] mean = new double[likelihood.terms];

        public double LogLikelihood;

        public void Death(int row, double weight)
        {
            LogLikelihood += weight * eta[row];
            var p = likelihood.terms;
            for (var j = 0; j < p; j++)
            {
                score[j] += weight * likelihood.covariates[(row * p) + j];
            }
        }

        public void EventTime(double time, double s0, double[] s1, double[] s2, double d0, double[] d1, double[] d2, int deaths, double weightSum)
            => likelihood.AddEventTime(s0, s1, s2, d0, d1, d2, deaths, weightSum, mean, ref LogLikelihood, score, information);
    }

    private void Accumulate(int row, double factor, ref double s0, double[] s1, double[] s2)
    {
        var p = terms;
        s0 += factor;
        var offset = row * p;
        for (var j = 0; j < p; j++)
        {
            var xj = covariates[offset + j];
            s1[j] += factor * xj;
            for (var k = 0; k <= j; k++)
            {
                s2[(j * p) + k] += factor * xj * covariates[offset + k];
            }
        }
    }

    /// <summary>One term of the log-likelihood's denominator: the risk sums less fraction <paramref name="fraction"/> of the deaths' sums, times <paramref name="multiplier"/>.</summary>
    private void AddDeathTerm(double s0, double[] s1, double[] s2, double fraction, double d0, double[] d1, double[] d2, double multiplier, double[] mean, ref double logLikelihood, double[] score, double[] information)
    {
        var p = terms;
        var denominator = s0 - (fraction * d0);
        logLikelihood -= multiplier * Math.Log(denominator);
        for (var j = 0; j < p; j++)
        {
            mean[j] = (s1[j] - (fraction * d1[j])) / denominator;
            score[j] -= multiplier * mean[j];
        }

        for (var j = 0; j < p; j++)
        {
            for (var k = 0; k <= j; k++)
            {
                var value = multiplier * ((((s2[(j * p) + k] - (fraction * d2[(j * p) + k])) / denominator)) - (mean[j] * mean[k]));
                information[(j * p) + k] += value;
                if (k != j)
                {
                    information[(k * p) + j] += value;
                }
            }
        }
    }

    /// <summary>The rows of each stratum (levels in order), in input order.</summary>
    internal static int[][] StratumRows(CountingProcessData data)
    {
        if (data.StratumArray is not { } labels)
        {
            return [[.. Enumerable.Range(0, data.Count)]];
        }

        var levels = data.StrataLevels;
        var lookup = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var s = 0; s < levels.Length; s++)
        {
            lookup[levels[s]] = s;
        }

        var lists = levels.Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < labels.Length; i++)
        {
            lists[lookup[labels[i]]].Add(i);
        }

        return [.. lists.Select(l => l.ToArray())];
    }
}
