namespace GistNotebooks.Survival.Regression;

internal sealed partial class CountingProcessLikelihood
{
    /// <summary>
    /// The martingale, score and Schoenfeld residuals of each row (input order) at <paramref name="beta"/>, as R's
    /// <c>agmart3</c>, <c>agscore3</c> and <c>coxscho</c> for (start, stop] data, with the fit's ties method.
    /// </summary>
    /// <remarks>
    /// At an event time t of a stratum with d deaths, Efron's k-th term (k = 0 … d − 1) has denominator
    /// D_k = S0(t) − (k/d)·S0_deaths(t), mean x̄_k = (S1 − (k/d)·S1_deaths)/D_k and hazard h_k = w̄/D_k (w̄ the deaths' mean
    /// weight); Breslow's single term has k = 0 and the deaths' total weight. A row at risk at t and not dying there
    /// accrues h = Σ_k h_k and the score −r·Σ_k h_k(x − x̄_k); a death at t accrues Σ_k (1 − k/d)h_k and the score
    /// (x − x̄) − r·Σ_k (1 − k/d)h_k(x − x̄_k), x̄ the average of the x̄_k (its Schoenfeld residual is x − x̄). Sums of h and
    /// h·x̄ are accumulated over the event times, so each row costs two binary searches: O(n log n) in all.
    /// </remarks>
    /// <param name="beta">The coefficients.</param>
    /// <param name="martingale">Receives the martingale residual of each row (input order).</param>
    /// <param name="score">Receives the score residuals, row-major n × p, or null when not wanted.</param>
    /// <param name="schoenfeld">Receives x − x̄ of each event row, or null.</param>
    /// <param name="withOffsets">Whether the offsets enter the linear predictor; false only for R's null score residuals of the robust score test.</param>
    public void Residuals(ReadOnlySpan<double> beta, double[] martingale, double[]? score, double[]? schoenfeld, bool withOffsets = true)
    {
        var p = terms;
        var eta = LinearPredictor(beta, withOffsets);
        for (var i = 0; i < count; i++)
        {
            risk[i] = Math.Exp(eta[i]);
        }

        foreach (var (stops, starts) in byStop.Zip(byStart))
        {
            var times = EventTimeSums(stops, starts);
            var m = times.Count;

            // Cumulative sums over the event times in ascending order: hazard[j] and hazardMean[j·p + a] hold the sums
            // over the first j event times.
            var ascending = times.AsEnumerable().Reverse().ToArray();
            var eventTimes = ascending.Select(e => e.Time).ToArray();
            var hazard = new double[m + 1];
            var hazardMean = new double[(m + 1) * p];
            for (var j = 0; j < m; j++)
            {
                hazard[j + 1] = hazard[j] + ascending[j].Hazard;
                for (var a = 0; a < p; a++)
                {
                    hazardMean[((j + 1) * p) + a] = hazardMean[(j * p) + a] + ascending[j].HazardMean[a];
                }
            }

            foreach (var i in stops)
            {
                var first = UpperBound(eventTimes, start[i]);
                var last = UpperBound(eventTimes, stop[i]);
                var dies = status[i];

                // A death's own event time is the last in (start, stop]; it accrues the deaths' share there.
                var through = dies ? last - 1 : last;
                var r = risk[i];
                var cumulative = hazard[through] - hazard[first];
                martingale[i] = (dies ? 1.0 : 0.0) - (r * (cumulative + (dies ? ascending[through].DeathHazard : 0.0)));
                if (score is not null)
                {
                    for (var a = 0; a < p; a++)
                    {
                        var x = covariates[(i * p) + a];
                        var value = -r * ((x * cumulative) - (hazardMean[(through * p) + a] - hazardMean[(first * p) + a]));
                        if (dies)
                        {
                            var own = ascending[through];
                            value += x - own.Mean[a] - (r * ((x * own.DeathHazard) - own.DeathHazardMean[a]));
                        }

                        score[(i * p) + a] = value;
                    }
                }

                if (schoenfeld is not null)
                {
                    for (var a = 0; a < p; a++)
                    {
                        schoenfeld[(i * p) + a] = dies ? covariates[(i * p) + a] - ascending[through].Mean[a] : double.NaN;
                    }
                }
            }
        }
    }

    /// <summary>The number of values in the ascending <paramref name="sorted"/> that are at most <paramref name="value"/>.</summary>
    private static int UpperBound(double[] sorted, double value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (sorted[middle] <= value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>
    /// The hazard increment and its x̄-weighted sums at each event time of one stratum, from the last back (the sweep of
    /// <see cref="Evaluate"/> with the risks of the last <see cref="Residuals"/> call).
    /// </summary>
    private List<EventTimeSum> EventTimeSums(int[] stops, int[] starts)
    {
        var p = terms;
        var result = new List<EventTimeSum>();
        var s0 = 0.0;
        var s1 = new double[p];
        var d1 = new double[p];
        var atRisk = 0;
        var next = 0;
        var leaving = 0;
        while (next < stops.Length)
        {
            var t = stop[stops[next]];
            while (leaving < starts.Length && start[starts[leaving]] >= t)
            {
                var row = starts[leaving++];
                AccumulateFirst(row, -weights[row] * risk[row], ref s0, s1);
                atRisk--;
            }

            if (atRisk == 0)
            {
                s0 = 0;
                Array.Clear(s1);
            }

            var d0 = 0.0;
            var deaths = 0;
            var weightSum = 0.0;
            Array.Clear(d1);
            while (next < stops.Length && stop[stops[next]] == t)
            {
                var row = stops[next++];
                var wr = weights[row] * risk[row];
                AccumulateFirst(row, wr, ref s0, s1);
                atRisk++;
                if (status[row])
                {
                    deaths++;
                    weightSum += weights[row];
                    AccumulateFirst(row, wr, ref d0, d1);
                }
            }

            if (deaths == 0)
            {
                continue;
            }

            var efron = ties == TieMethod.Efron && deaths > 1;
            var termCount = efron ? deaths : 1;
            var multiplier = efron ? weightSum / deaths : weightSum;
            var sum = new EventTimeSum(t, 0, 0, new double[p], new double[p], new double[p]);
            var hazardSum = 0.0;
            var deathHazardSum = 0.0;
            for (var k = 0; k < termCount; k++)
            {
                var fraction = efron ? (double)k / deaths : 0.0;
                var denominator = s0 - (fraction * d0);
                var h = multiplier / denominator;
                hazardSum += h;
                deathHazardSum += (1 - fraction) * h;
                for (var a = 0; a < p; a++)
                {
                    var mean = (s1[a] - (fraction * d1[a])) / denominator;
                    sum.HazardMean[a] += h * mean;
                    sum.DeathHazardMean[a] += (1 - fraction) * h * mean;
                    sum.Mean[a] += mean / termCount;
                }
            }

            result.Add(sum with { Hazard = hazardSum, DeathHazard = deathHazardSum });
        }

        return result;
    }

    private void AccumulateFirst(int row, double factor, ref double s0, double[] s1)
    {
        s0 += factor;
        var offset = row * terms;
        for (var j = 0; j < terms; j++)
        {
            s1[j] += factor * covariates[offset + j];
        }
    }

    /// <summary>One event time's sums: Σ_k h_k, Σ_k h_k·x̄_k, the deaths' Σ_k (1 − k/d)h_k and Σ_k (1 − k/d)h_k·x̄_k, and the average mean x̄.</summary>
    private sealed record EventTimeSum(double Time, double Hazard, double DeathHazard, double[] HazardMean, double[] DeathHazardMean, double[] Mean);
}
