using System.Collections.Immutable;

namespace GistNotebooks.Survival.Reconstruction;

/// <summary>How a consistent sequence meets the claims: the segment of each subject (how many cuts precede it) and how the Kaplan–Meier median is reached.</summary>
/// <param name="Segments">For each subject in follow-up order, the number of cuts before it.</param>
/// <param name="MedianKind">How the median is reached: none claimed, at one death, at a death tied with the next, or as a midpoint.</param>
/// <param name="MedianFirst">The death at which survival first falls to one half or below (−1 when none is claimed).</param>
/// <param name="MedianSecond">For a midpoint, the next death; −1 otherwise.</param>
internal sealed record SequenceStructure(ImmutableArray<int> Segments, MedianKind MedianKind, int MedianFirst, int MedianSecond)
{
    /// <summary>For each cut, how many subjects precede it.</summary>
    public ImmutableArray<int> CutPositions(int cuts) => [.. Enumerable.Range(0, cuts).Select(k => Segments.Count(s => s <= k))];
}

/// <summary>How a sequence reaches a claimed Kaplan–Meier median.</summary>
internal enum MedianKind
{
    /// <summary>No median survival is claimed.</summary>
    None,

    /// <summary>The median is the time of one death.</summary>
    Point,

    /// <summary>Survival is exactly one half after a death tied with the next death; the median is their common time.</summary>
    Tie,

    /// <summary>Survival is exactly one half until the next death; the median is the midpoint of the two times.</summary>
    Midpoint,
}

/// <summary>
/// Times for one consistent sequence: first how the sequence meets the claims (by following the stepper along it),
/// then ticks drawn inside the bounds that follow: the pairs whose sum is claimed first (uniformly among the pairs
/// that leave the rest feasible), then the first and last subjects and the median death, then each run of free
/// subjects in one segment as a uniformly drawn non-decreasing run (ties allowed except where a censoring precedes a
/// death, which must come strictly later).
/// </summary>
internal static class TimePlacement
{
    /// <summary>Follows the stepper along one sequence; returns how it meets the claims, or null when it does not.</summary>
    public static SequenceStructure? Trace(SequenceStepper stepper, IReadOnlyList<bool> deaths)
    {
        var c = stepper.Constraints;
        var n = c.Count;
        var nodes = new List<(Placement Placement, int Parent)>();
        var current = new List<int>();
        var buffer = new List<Placement>();
        var closed = new List<Placement>();
        var root = stepper.Root();
        if (root.IsDead)
        {
            return null;
        }

        foreach (var p in stepper.Sets[root.Set])
        {
            nodes.Add((p, -1));
            current.Add(nodes.Count - 1);
        }

        var survival = 1.0;
        for (var b = 0; b < n; b++)
        {
            var previous = b == 0 ? SequenceState.None : deaths[b - 1] ? SequenceState.Death : SequenceState.Censoring;
            var after = deaths[b] ? survival * (1.0 - (1.0 / (n - b))) : survival;
            var next = new List<int>();
            foreach (var at in current)
            {
                buffer.Clear();
                stepper.Place(nodes[at].Placement, b, deaths[b], previous, after, buffer);
                foreach (var q in buffer)
                {
                    closed.Clear();
                    stepper.Close(q, b + 1, after, closed);
                    foreach (var r in closed)
                    {
                        var same = next.FindIndex(i => nodes[i].Placement.SameBut(r));
                        if (same < 0)
                        {
                            nodes.Add((r, at));
                            next.Add(nodes.Count - 1);
                        }
                        else if (r.Last < nodes[next[same]].Placement.Last)
                        {
                            nodes.Add((r, at));
                            next[same] = nodes.Count - 1;
                        }
                    }
                }
            }

            current = next;
            survival = after;
        }

        var end = current.FirstOrDefault(i => stepper.Accepts(nodes[i].Placement), -1);
        if (end < 0)
        {
            return null;
        }

        // path[b] is the placement at boundary b (after b subjects, cuts passed).
        var path = new Placement[n + 1];
        for (int b = n, at = end; b >= 0; b--, at = nodes[at].Parent)
        {
            path[b] = nodes[at].Placement;
        }

        var segments = Enumerable.Range(0, n).Select(i => path[i].Cuts).ToImmutableArray();
        if (!c.HasSurvivalMedian)
        {
            return new SequenceStructure(segments, MedianKind.None, -1, -1);
        }

        MedianPhase PhaseAfter(int i) => path[i + 1].Phase;
        var first = Enumerable.Range(0, n).First(i => PhaseAfter(i) != MedianPhase.NotReached);
        return PhaseAfter(first) switch
        {
            MedianPhase.AwaitingTie when first + 1 < n && deaths[first + 1] && PhaseAfter(first + 1) == MedianPhase.Done
                => new SequenceStructure(segments, MedianKind.Tie, first, first + 1),
            MedianPhase.AwaitingSecond => new SequenceStructure(segments, MedianKind.Midpoint, first, Enumerable.Range(first + 1, n - first - 1).First(j => PhaseAfter(j) == MedianPhase.Done)),
            _ => new SequenceStructure(segments, MedianKind.Point, first, -1),
        };
    }

    /// <summary>
    /// Ticks for every subject, in follow-up order, that satisfy the structure's bounds; drawn at random, or the
    /// earliest feasible ones when <paramref name="random"/> is null. Null when no placement exists.
    /// </summary>
    public static long[]? Place(TimeConstraints c, IReadOnlyList<bool> deaths, SequenceStructure structure, Random? random)
    {
        var bounds = Bounds.For(c, deaths, structure);
        if (!bounds.Tighten())
        {
            return null;
        }

        var pairs = new List<(int A, int B, int Low, int High)>();
        if (c.HasFollowUpMedian && c.MedianLeft != c.MedianRight)
        {
            pairs.Add((c.MedianLeft, c.MedianRight, c.MedianSum.Low, c.MedianSum.High));
        }

        if (structure.MedianKind == MedianKind.Midpoint)
        {
            pairs.Add((structure.MedianFirst, structure.MedianSecond, c.SurvivalMedianSum.Low, c.SurvivalMedianSum.High));
        }

        for (var k = 0; k < pairs.Count; k++)
        {
            var (a, b, low, high) = pairs[k];
            var candidates = new List<(long X, long Y)>();
            var delta = bounds.MinimumDifference(a, b);
            for (var x = bounds.Low[a]; x <= bounds.High[a]; x++)
            {
                for (var y = Math.Max(bounds.Low[b], Math.Max(x + delta, low - x)); y <= Math.Min(bounds.High[b], high - x); y++)
                {
                    candidates.Add((x, y));
                }
            }

            var chosen = false;
            while (candidates.Count > 0 && !chosen)
            {
                var pick = random is null ? 0 : random.Next(candidates.Count);
                var trial = bounds.Clone();
                trial.Fix(a, candidates[pick].X);
                trial.Fix(b, candidates[pick].Y);
                if (trial.Tighten() && pairs.Skip(k + 1).All(rest => trial.PairFeasible(rest.A, rest.B, rest.Low, rest.High)))
                {
                    bounds = trial;
                    chosen = true;
                }
                else
                {
                    candidates.RemoveAt(pick);
                }
            }

            if (!chosen)
            {
                return null;
            }
        }

        var anchors = new List<int> { 0, c.Count - 1 };
        if (c.HasFollowUpMedian && c.MedianLeft == c.MedianRight)
        {
            anchors.Add(c.MedianLeft);
        }

        if (structure.MedianKind is MedianKind.Point or MedianKind.Tie)
        {
            anchors.Add(structure.MedianFirst);
        }

        foreach (var i in anchors.Where(i => !bounds.Fixed[i]))
        {
            bounds.Fix(i, random is null ? bounds.Low[i] : bounds.Low[i] + random.NextInt64(bounds.High[i] - bounds.Low[i] + 1));
            if (!bounds.Tighten())
            {
                return null;
            }
        }

        for (var i = 0; i < c.Count; i++)
        {
            if (bounds.Fixed[i])
            {
                continue;
            }

            var j = i;
            while (j + 1 < c.Count && !bounds.Fixed[j + 1] && structure.Segments[j + 1] == structure.Segments[i])
            {
                j++;
            }

            if (!bounds.DrawRun(i, j, random) || !bounds.Tighten())
            {
                return null;
            }

            i = j;
        }

        return bounds.Low;
    }

    /// <summary>Per-subject tick bounds along the chain t₀ ≤ t₁ ≤ … with a least and a greatest step between neighbours.</summary>
    private sealed class Bounds
    {
        private Bounds(long[] low, long[] high, int[] minimumStep, long[] maximumStep, bool[] isFixed)
        {
            Low = low;
            High = high;
            MinimumStep = minimumStep;
            MaximumStep = maximumStep;
            Fixed = isFixed;
        }

        public long[] Low { get; }

        public long[] High { get; }

        public int[] MinimumStep { get; }

        public long[] MaximumStep { get; }

        public bool[] Fixed { get; }

        public static Bounds For(TimeConstraints c, IReadOnlyList<bool> deaths, SequenceStructure s)
        {
            var n = c.Count;
            var low = new long[n];
            var high = new long[n];
            var step = new int[Math.Max(n - 1, 0)];
            var maximum = new long[Math.Max(n - 1, 0)];
            for (var i = 0; i < n; i++)
            {
                low[i] = c.SegmentLow[s.Segments[i]];
                high[i] = c.SegmentHigh[s.Segments[i]];
                if (i < n - 1)
                {
                    // A censoring followed by a death at the same time would be read as the death first.
                    step[i] = !deaths[i] && deaths[i + 1] ? 1 : 0;
                    maximum[i] = long.MaxValue / 4;
                }
            }

            high[0] = Math.Min(high[0], c.FirstHigh);
            low[n - 1] = Math.Max(low[n - 1], c.LastLow);
            if (c.HasFollowUpMedian && c.MedianLeft == c.MedianRight)
            {
                low[c.MedianLeft] = Math.Max(low[c.MedianLeft], (c.MedianSum.Low + 1) / 2);
                high[c.MedianLeft] = Math.Min(high[c.MedianLeft], c.MedianSum.High / 2);
            }

            if (s.MedianKind is MedianKind.Point or MedianKind.Tie)
            {
                low[s.MedianFirst] = Math.Max(low[s.MedianFirst], c.SurvivalMedianPoint.Low);
                high[s.MedianFirst] = Math.Min(high[s.MedianFirst], c.SurvivalMedianPoint.High);
            }

            if (s.MedianKind == MedianKind.Tie)
            {
                maximum[s.MedianFirst] = 0;
            }

            if (s.MedianKind == MedianKind.Midpoint && s.MedianSecond == s.MedianFirst + 1)
            {
                step[s.MedianFirst] = 1;
            }

            return new Bounds(low, high, step, maximum, new bool[n]);
        }

        public Bounds Clone() => new((long[])Low.Clone(), (long[])High.Clone(), MinimumStep, MaximumStep, (bool[])Fixed.Clone());

        public void Fix(int i, long value)
        {
            Low[i] = High[i] = value;
            Fixed[i] = true;
        }

        /// <summary>The least difference t_b − t_a the steps force.</summary>
        public long MinimumDifference(int a, int b)
        {
            long d = 0;
            for (var i = a; i < b; i++)
            {
                d += MinimumStep[i];
            }

            return d;
        }

        /// <summary>Propagates the steps both ways until nothing changes; false when some bounds cross (then there is no placement).</summary>
        public bool Tighten()
        {
            var n = Low.Length;
            var changed = true;
            while (changed)
            {
                changed = false;
                for (var i = 0; i + 1 < n; i++)
                {
                    changed |= Raise(i + 1, Low[i] + MinimumStep[i]);
                    changed |= Lower(i, High[i + 1] - MinimumStep[i]);
                    if (MaximumStep[i] < long.MaxValue / 4)
                    {
                        changed |= Lower(i + 1, High[i] + MaximumStep[i]);
                        changed |= Raise(i, Low[i + 1] - MaximumStep[i]);
                    }
                }

                for (var i = n - 2; i >= 0; i--)
                {
                    changed |= Lower(i, High[i + 1] - MinimumStep[i]);
                    changed |= Raise(i + 1, Low[i] + MinimumStep[i]);
                }

                for (var i = 0; i < n; i++)
                {
                    if (Low[i] > High[i])
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        private bool Raise(int i, long value)
        {
            if (value <= Low[i])
            {
                return false;
            }

            Low[i] = value;
            return true;
        }

        private bool Lower(int i, long value)
        {
            if (value >= High[i])
            {
                return false;
            }

            High[i] = value;
            return true;
        }

        /// <summary>Whether some pair of ticks for a and b within the bounds, with at least the forced difference, has a sum in [low, high].</summary>
        public bool PairFeasible(int a, int b, int low, int high)
        {
            var delta = MinimumDifference(a, b);
            for (var y = Low[b]; y <= High[b]; y++)
            {
                if (Math.Max(Low[a], low - y) <= Math.Min(Math.Min(High[a], y - delta), high - y))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Draws subjects i..j (free, one segment) as a non-decreasing run with the forced steps, uniformly among such
        /// runs inside [Low[i], High[j]]: subtracting the forced steps leaves a multiset of j − i + 1 values from an
        /// interval of size m, drawn as that many distinct values from m + j − i (Floyd's algorithm) minus their ranks.
        /// </summary>
        public bool DrawRun(int i, int j, Random? random)
        {
            var count = j - i + 1;
            var forced = MinimumDifference(i, j);
            var size = High[j] - forced - Low[i] + 1;
            if (size < 1)
            {
                return false;
            }

            var pool = size + count - 1;
            var chosen = new SortedSet<long>();
            if (random is null)
            {
                for (var k = 0; k < count; k++)
                {
                    chosen.Add(k);
                }
            }
            else
            {
                for (var r = pool - count; r < pool; r++)
                {
                    var t = random.NextInt64(r + 1);
                    chosen.Add(chosen.Contains(t) ? r : t);
                }
            }

            var start = Low[i];
            var rank = 0;
            var shift = 0L;
            foreach (var v in chosen)
            {
                var position = i + rank;
                if (rank > 0)
                {
                    shift += MinimumStep[position - 1];
                }

                Fix(position, start + (v - rank) + shift);
                rank++;
            }

            return true;
        }
    }
}
