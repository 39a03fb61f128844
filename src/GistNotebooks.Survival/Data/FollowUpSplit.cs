using System.Collections.Immutable;

namespace GistNotebooks.Survival.Data;

/// <summary>
/// Follow-up split at cut points, as R's <c>survSplit</c>: each row's interval (start, stop] becomes the pieces
/// (start, c₁], (c₁, c₂], …, (c_k, stop] at the cuts that lie strictly inside it; only the last piece keeps the
/// row's event. The risk sets, and so every Cox fit, Kaplan–Meier curve and Nelson–Aalen estimate, are unchanged;
/// the pieces let a covariate change value at the cuts (a step function of time) or a model be stratified by period.
/// </summary>
public static class FollowUpSplit
{
    /// <summary>Splits right-censored data (each row followed from time 0) at the cut points.</summary>
    /// <param name="data">Times, events, weights and strata; group labels are not carried.</param>
    /// <param name="cuts">The cut points, in any order; duplicates and cuts outside a row's follow-up are ignored.</param>
    /// <returns>The pieces, with the source row of each so that covariates can follow (<see cref="CovariateMatrix.Subset"/>).</returns>
    /// <exception cref="ArgumentException">A cut point is not finite.</exception>
    public static FollowUpSplitResult AtCuts(SurvivalData data, IReadOnlyList<double> cuts)
    {
        ArgumentNullException.ThrowIfNull(data);
        return AtCuts(
            CountingProcessData.Create(
                new double[data.Count],
                data.TimeArray,
                [.. data.StatusArray.Select(e => e ? 1 : 0)],
                data.WeightArray,
                data.StratumArray),
            cuts);
    }

    /// <summary>Splits counting-process data at the cut points.</summary>
    /// <param name="data">Starts, stops, events, weights and strata.</param>
    /// <param name="cuts">The cut points, in any order; duplicates and cuts outside a row's interval are ignored.</param>
    /// <returns>The pieces, in row order and time order within a row, with the source row and period of each.</returns>
    /// <exception cref="ArgumentException">A cut point is not finite.</exception>
    public static FollowUpSplitResult AtCuts(CountingProcessData data, IReadOnlyList<double> cuts)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(cuts);
        if (cuts.Any(c => !double.IsFinite(c)))
        {
            throw new ArgumentException("Every cut point must be finite.", nameof(cuts));
        }

        double[] grid = [.. cuts.Distinct().Order()];
        var starts = new List<double>(data.Count);
        var stops = new List<double>(data.Count);
        var events = new List<int>(data.Count);
        var weights = data.WeightArray is null ? null : new List<double>(data.Count);
        var strata = data.StratumArray is null ? null : new List<string>(data.Count);
        var source = ImmutableArray.CreateBuilder<int>(data.Count);
        var periods = ImmutableArray.CreateBuilder<int>(data.Count);
        for (var i = 0; i < data.Count; i++)
        {
            var from = data.StartArray[i];
            var to = data.StopArray[i];

            // The first cut above the start: the period of the first piece is the number of cuts at or below its start.
            var k = Array.BinarySearch(grid, from);
            k = k >= 0 ? k + 1 : ~k;
            var pieceStart = from;
            while (true)
            {
                var last = k >= grid.Length || grid[k] >= to;
                var pieceStop = last ? to : grid[k];
                starts.Add(pieceStart);
                stops.Add(pieceStop);
                events.Add(last && data.StatusArray[i] ? 1 : 0);
                weights?.Add(data.WeightArray![i]);
                strata?.Add(data.StratumArray![i]);
                source.Add(i);
                periods.Add(k);
                if (last)
                {
                    break;
                }

                pieceStart = pieceStop;
                k++;
            }
        }

        return new FollowUpSplitResult(
            CountingProcessData.Create(starts, stops, events, weights, strata),
            source.ToImmutable(),
            periods.ToImmutable());
    }
}

/// <summary>Follow-up split at cut points (<see cref="FollowUpSplit"/>).</summary>
/// <param name="Data">The pieces as counting-process data.</param>
/// <param name="SourceRows">For each piece, the 0-based row of the input it comes from.</param>
/// <param name="Periods">For each piece, the number of cut points at or below its start (0 before the first cut; R's <c>episode</c> less one).</param>
public sealed record FollowUpSplitResult(CountingProcessData Data, ImmutableArray<int> SourceRows, ImmutableArray<int> Periods);
