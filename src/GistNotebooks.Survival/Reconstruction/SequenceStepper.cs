using System.Runtime.InteropServices;
using GistNotebooks.Survival.Estimation;

namespace GistNotebooks.Survival.Reconstruction;

/// <summary>Where the Kaplan–Meier median stands, for a claimed median survival.</summary>
internal enum MedianPhase : byte
{
    /// <summary>Survival has not yet fallen to one half or below.</summary>
    NotReached,

    /// <summary>The last death took survival to exactly one half and the median is its time: the next subject, if a death, is tied with it.</summary>
    AwaitingTie,

    /// <summary>Survival is exactly one half and stays so: no further death.</summary>
    Flat,

    /// <summary>Survival is exactly one half and the median is the midpoint of that death's time and the next death's.</summary>
    AwaitingSecond,

    /// <summary>The median is placed (or none is claimed).</summary>
    Done,
}

/// <summary>
/// One way the times of a prefix of subjects can be placed: how many cuts are passed, the earliest tick the last
/// subject can take under that choice, where the median stands, and the open pair of the follow-up median.
/// </summary>
/// <param name="Cuts">How many cuts are passed.</param>
/// <param name="Last">The earliest tick of the last subject placed (a canonical value when it can no longer matter).</param>
/// <param name="Phase">Where the Kaplan–Meier median stands.</param>
/// <param name="First">The first death of a median pair: its tick (<see cref="MedianPhase.AwaitingSecond"/>) or the largest tick it may be raised to (<see cref="MedianPhase.AwaitingTie"/>).</param>
/// <param name="PairLow">While the follow-up median's pair is open, the lowest tick of its first subject.</param>
/// <param name="PairHigh">While the follow-up median's pair is open, the highest tick of its first subject; below <paramref name="PairLow"/> otherwise.</param>
[StructLayout(LayoutKind.Auto)]
internal readonly record struct Placement(int Cuts, int Last, MedianPhase Phase, int First, int PairLow, int PairHigh) : IComparable<Placement>
{
    public bool PairOpen => PairHigh >= PairLow;

    public int CompareTo(Placement other)
    {
        var c = Cuts.CompareTo(other.Cuts);
        if (c == 0)
        {
            c = Phase.CompareTo(other.Phase);
        }

        if (c == 0)
        {
            c = First.CompareTo(other.First);
        }

        if (c == 0)
        {
            c = PairLow.CompareTo(other.PairLow);
        }

        if (c == 0)
        {
            c = PairHigh.CompareTo(other.PairHigh);
        }

        return c == 0 ? Last.CompareTo(other.Last) : c;
    }

    /// <summary>Whether the two differ at most in <see cref="Last"/>.</summary>
    public bool SameBut(Placement other) => Cuts == other.Cuts && Phase == other.Phase && First == other.First && PairLow == other.PairLow && PairHigh == other.PairHigh;
}

/// <summary>
/// A prefix of a death/censoring sequence as the counting needs it: Kaplan–Meier survival after it, the kind of the
/// last subject (death or censoring), and the set of placements its times admit (an index into
/// <see cref="SequenceStepper.Sets"/>; −1 when none, so that no completion can satisfy the claims).
/// </summary>
internal readonly record struct SequenceState(double Survival, byte Previous, int Set)
{
    public const byte None = 0;
    public const byte Censoring = 1;
    public const byte Death = 2;

    public bool IsDead => Set < 0;
}

/// <summary>
/// The transition of the counting: from a prefix of k subjects to k + 1, given whether subject k + 1 dies. Every
/// choice the times leave open — where each cut falls, how the median is reached — is carried as a set of
/// placements, so that the step is a function of the sequence alone and each sequence is one path.
/// </summary>
/// <remarks>
/// Times are placed greedily: each subject takes the earliest tick its bounds allow. Every bound is either a floor
/// (the segment's first tick, the claimed maximum on the last subject, the median's ticks) or a ceiling, and a later
/// subject's bounds never get looser when an earlier subject is placed later — except through the two sums (the
/// follow-up median tᴸ + tᴿ and the Kaplan–Meier midpoint t + t′). The follow-up pair is adjacent, so the first
/// subject's range is kept open until the second is placed; the midpoint pair may be apart, so each tick of its
/// first death is a placement of its own. A placement whose last tick is smaller dominates one that differs only
/// there; only the dominant one is kept.
/// </remarks>
internal sealed class SequenceStepper
{
    private readonly TimeConstraints constraints;
    private readonly int n;
    private readonly int cutCount;
    private readonly List<Placement[]> sets = [];
    private readonly Dictionary<Placement[], int> index = new(SetComparer.Instance);
    private readonly Dictionary<Placement[], int>.AlternateLookup<ReadOnlySpan<Placement>> lookup;
    private readonly SurvivalReach reach;
    private readonly List<Placement> placed = [];
    private readonly List<Placement> closed = [];

    public SequenceStepper(TimeConstraints constraints)
    {
        this.constraints = constraints;
        n = constraints.Count;
        cutCount = constraints.Cuts.Length;
        lookup = index.GetAlternateLookup<ReadOnlySpan<Placement>>();
        reach = new SurvivalReach(constraints);
    }

    public TimeConstraints Constraints => constraints;

    /// <summary>The interned placement sets.</summary>
    public IReadOnlyList<Placement[]> Sets => sets;

    /// <summary>The state before any subject.</summary>
    public SequenceState Root()
    {
        if (constraints.Impossible is not null)
        {
            return new SequenceState(1.0, SequenceState.None, -1);
        }

        placed.Clear();
        placed.Add(new Placement(0, constraints.SegmentLow[0] - 1, constraints.HasSurvivalMedian ? MedianPhase.NotReached : MedianPhase.Done, 0, 0, -1));
        return new SequenceState(1.0, SequenceState.None, CloseAndIntern(0, 1.0, out _));
    }

    /// <summary>The state after one more subject, who dies or is censored.</summary>
    public SequenceState Step(SequenceState state, int position, bool death)
    {
        if (state.IsDead)
        {
            return state;
        }

        var survival = death ? state.Survival * (1.0 - (1.0 / (n - position))) : state.Survival;
        placed.Clear();
        foreach (var p in sets[state.Set])
        {
            Place(p, position, death, state.Previous, survival, placed);
        }

        var set = CloseAndIntern(position + 1, survival, out var lastMatters);
        var previous = lastMatters ? (death ? SequenceState.Death : SequenceState.Censoring) : SequenceState.None;
        return new SequenceState(survival, previous, set);
    }

    /// <summary>Whether a state after all n subjects satisfies every claim.</summary>
    public bool Accepts(SequenceState state) => !state.IsDead && sets[state.Set].Any(Accepts);

    /// <summary>Whether one placement after all n subjects satisfies every claim.</summary>
    public bool Accepts(Placement p)
        => p.Cuts == cutCount && !p.PairOpen && p.Phase is MedianPhase.Done or MedianPhase.Flat or MedianPhase.AwaitingTie;

    /// <summary>
    /// Places subject <paramref name="position"/> under one placement of the prefix: appends every placement of the
    /// longer prefix it leads to (none when the subject's bounds cross).
    /// </summary>
    public void Place(Placement p, int position, bool death, byte previous, double survivalAfter, List<Placement> output)
    {
        var c = constraints;
        var gap = previous == SequenceState.Censoring && death ? 1 : 0;
        long lower = Math.Max(c.SegmentLow[p.Cuts], (long)p.Last + gap);
        long upper = c.SegmentHigh[p.Cuts];
        if (position == 0)
        {
            upper = Math.Min(upper, c.FirstHigh);
        }

        if (position == n - 1)
        {
            lower = Math.Max(lower, c.LastLow);
        }

        var phase = p.Phase;
        var first = 0;
        var tied = false;
        switch (phase)
        {
            case MedianPhase.AwaitingTie when death:
                // The median is the time of the death that took survival to one half: this death must share it.
                upper = Math.Min(upper, p.First);
                phase = MedianPhase.Done;
                tied = true;
                break;
            case MedianPhase.AwaitingTie:
                phase = MedianPhase.Flat;
                break;
            case MedianPhase.Flat when death:
                return;
            case MedianPhase.AwaitingSecond when death:
                lower = Math.Max(lower, Math.Max((long)p.First + 1, (long)c.SurvivalMedianSum.Low - p.First));
                upper = Math.Min(upper, (long)c.SurvivalMedianSum.High - p.First);
                phase = MedianPhase.Done;
                break;
            case MedianPhase.AwaitingSecond:
                first = p.First;
                break;
            default:
                break;
        }

        var pairLow = p.PairLow;
        var pairHigh = p.PairHigh;
        var opensPair = false;
        if (c.HasFollowUpMedian)
        {
            if (c.MedianLeft == c.MedianRight)
            {
                if (position == c.MedianLeft)
                {
                    lower = Math.Max(lower, CeilingHalf(c.MedianSum.Low));
                    upper = Math.Min(upper, c.MedianSum.High / 2);
                }
            }
            else if (position == c.MedianLeft)
            {
                opensPair = true;
            }
            else if (position == c.MedianRight)
            {
                if (tied)
                {
                    // Tied with the first of the pair: both take one tick v with 2v in the admitted range.
                    lower = Math.Max(lower, Math.Max(CeilingHalf(c.MedianSum.Low), p.PairLow));
                    upper = Math.Min(upper, Math.Min(c.MedianSum.High / 2, p.PairHigh));
                }
                else
                {
                    // Some x in [PairLow, PairHigh] with x ≤ y − gap and x + y in the admitted range exists exactly for these y.
                    lower = Math.Max(lower, Math.Max(Math.Max((long)p.PairLow + gap, (long)c.MedianSum.Low - p.PairHigh), CeilingHalf((long)c.MedianSum.Low + gap)));
                    upper = Math.Min(upper, (long)c.MedianSum.High - p.PairLow);
                }

                pairLow = 0;
                pairHigh = -1;
            }
        }

        if (phase == MedianPhase.NotReached && death && survivalAfter < 0.5 + QuantileRules.Tolerance)
        {
            var point = c.SurvivalMedianPoint;
            if (Math.Abs(survivalAfter - 0.5) < QuantileRules.Tolerance)
            {
                // Exactly one half: the median is this death's time if no later death is untied with it,
                // otherwise the midpoint of this death's time and the next death's.
                var low = Math.Max(lower, point.Low);
                var high = Math.Min(upper, point.High);
                if (low <= high)
                {
                    Emit(p.Cuts, low, MedianPhase.AwaitingTie, (int)high, opensPair ? (int)low : pairLow, opensPair ? (int)high : pairHigh, output);
                }

                var xHigh = Math.Min(upper, (c.SurvivalMedianSum.High - 1) / 2);
                for (var x = lower; x <= xHigh; x++)
                {
                    Emit(p.Cuts, x, MedianPhase.AwaitingSecond, (int)x, opensPair ? (int)x : pairLow, opensPair ? (int)x : pairHigh, output);
                }

                return;
            }

            lower = Math.Max(lower, point.Low);
            upper = Math.Min(upper, point.High);
            phase = MedianPhase.Done;
        }

        if (lower <= upper)
        {
            Emit(p.Cuts, lower, phase, phase == MedianPhase.AwaitingSecond ? first : 0, opensPair ? (int)lower : pairLow, opensPair ? (int)upper : pairHigh, output);
        }
    }

    /// <summary>Appends a placement with every cut that can be passed after it, when it can still lead to a sequence that satisfies the claims.</summary>
    public void Close(Placement p, int boundary, double survival, List<Placement> output)
    {
        while (true)
        {
            if (!IsDead(p, boundary, survival))
            {
                output.Add(p);
            }

            if (p.Cuts == cutCount || !CutHolds(p.Cuts, boundary, survival))
            {
                return;
            }

            p = p with { Cuts = p.Cuts + 1 };
        }
    }

    /// <summary>Whether the last subject's tick can still change an outcome; when it cannot, the tick is forgotten so that more prefixes share a state.</summary>
    public bool LastMatters(Placement p, int boundary)
    {
        var c = constraints;
        if (p.PairOpen || p.Phase is not (MedianPhase.Done or MedianPhase.Flat) || (c.HasFollowUpMedian && boundary <= c.MedianRight))
        {
            return true;
        }

        // Even with a forced step at every remaining subject, the segment's last tick is not reached.
        return (long)p.Last + (n - boundary) > c.SegmentHigh[p.Cuts];
    }

    private static void Emit(int cuts, long last, MedianPhase phase, int first, int pairLow, int pairHigh, List<Placement> output)
        => output.Add(new Placement(cuts, (int)last, phase, first, pairLow, pairHigh));

    private static long CeilingHalf(long value) => (value + 1) >> 1;

    private int CloseAndIntern(int boundary, double survival, out bool lastMatters)
    {
        closed.Clear();
        foreach (var p in placed)
        {
            Close(p, boundary, survival, closed);
        }

        lastMatters = false;
        if (closed.Count == 0)
        {
            return -1;
        }

        for (var i = 0; i < closed.Count; i++)
        {
            var p = closed[i];
            if (LastMatters(p, boundary))
            {
                lastMatters = true;
            }
            else
            {
                closed[i] = p with { Last = constraints.SegmentLow[p.Cuts] - 1 };
            }
        }

        closed.Sort();

        // Keep, of placements that differ only in the last tick, the one with the smallest.
        var kept = 0;
        for (var i = 0; i < closed.Count; i++)
        {
            if (kept > 0 && closed[kept - 1].SameBut(closed[i]))
            {
                continue;
            }

            closed[kept++] = closed[i];
        }

        var span = CollectionsMarshal.AsSpan(closed)[..kept];
        if (!lookup.TryGetValue(span, out var id))
        {
            id = sets.Count;
            var items = span.ToArray();
            sets.Add(items);
            index[items] = id;
        }

        return id;
    }

    /// <summary>Whether every claim at cut k holds when exactly <paramref name="boundary"/> subjects are before it.</summary>
    private bool CutHolds(int k, int boundary, double survival)
    {
        var cut = constraints.Cuts[k];
        foreach (var s in cut.Survival)
        {
            if (!s.Admits(100 * survival))
            {
                return false;
            }
        }

        foreach (var count in cut.Survivors)
        {
            if (n - boundary != count)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether no completion of the prefix under this placement can satisfy the claims.</summary>
    private bool IsDead(Placement p, int boundary, double survival)
    {
        var c = constraints;
        if (boundary > c.FixedFrom[p.Cuts])
        {
            return true;
        }

        if (p.Phase == MedianPhase.NotReached && Math.Max(p.Last, c.SegmentLow[p.Cuts]) > c.CrossingHigh)
        {
            return true;
        }

        return boundary < n ? !reach.CanContinue(p.Cuts, boundary, survival) : p.Cuts < cutCount;
    }

    /// <summary>Compares placement sets by content, also against a span (so that a lookup allocates nothing).</summary>
    private sealed class SetComparer : IEqualityComparer<Placement[]>, IAlternateEqualityComparer<ReadOnlySpan<Placement>, Placement[]>
    {
        public static readonly SetComparer Instance = new();

        public bool Equals(Placement[]? x, Placement[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(Placement[] obj) => Hash(obj);

        public bool Equals(ReadOnlySpan<Placement> alternate, Placement[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<Placement> alternate) => Hash(alternate);

        public Placement[] Create(ReadOnlySpan<Placement> alternate) => alternate.ToArray();

        private static int Hash(ReadOnlySpan<Placement> items)
        {
            var hash = default(HashCode);
            foreach (var p in items)
            {
                hash.Add(p);
            }

            return hash.ToHashCode();
        }
    }
}
