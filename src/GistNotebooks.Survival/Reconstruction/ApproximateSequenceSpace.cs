namespace GistNotebooks.Survival.Reconstruction;

/// <summary>
/// The counting of <see cref="ExactSequenceSpace"/> on a coarse scale: Kaplan–Meier values that fall in one bin of
/// log S (of width δ) share a state, so the number of states stays within a budget at any n. Its counts are not the
/// number of sequences; they only guide sampling (which branch to try, and with what probability), while every step
/// of a walk is still taken by the stepper on the exact value.
/// </summary>
/// <remarks>
/// The first value to reach a bin stands for the bin. δ starts at 10⁻³ and is multiplied by 4 until the states fit.
/// </remarks>
internal sealed class ApproximateSequenceSpace
{
    private readonly Dictionary<(long Bin, int SetAndPrevious), double>[] completions;
    private readonly double width;

    private ApproximateSequenceSpace(Dictionary<(long, int), double>[] completions, double width, long states)
    {
        this.completions = completions;
        this.width = width;
        States = states;
    }

    /// <summary>How many states the coarse layers hold.</summary>
    public long States { get; }

    /// <summary>Builds the coarse layers with the finest bins that fit the budget; null when even coarse bins do not.</summary>
    public static ApproximateSequenceSpace? Build(SequenceStepper stepper, long maximumStates, WorkProgress? progress)
    {
        for (var width = 1e-3; width < 1; width *= 4)
        {
            var space = TryBuild(stepper, maximumStates, width, progress);
            if (space is not null)
            {
                return space;
            }
        }

        return null;
    }

    /// <summary>The approximate number of completions of a state after <paramref name="boundary"/> subjects (0 when the coarse layers never met it).</summary>
    public double Completions(int boundary, SequenceState state)
        => state.IsDead ? 0 : completions[boundary].GetValueOrDefault((Bin(state.Survival, width), (state.Set * 4) + state.Previous));

    private static long Bin(double survival, double width) => survival <= 0 ? long.MinValue : (long)Math.Floor(Math.Log(survival) / width);

    private static ApproximateSequenceSpace? TryBuild(SequenceStepper stepper, long maximumStates, double width, WorkProgress? progress)
    {
        var n = stepper.Constraints.Count;
        var root = stepper.Root();
        var layers = new List<SequenceState>[n + 1];
        var keys = new Dictionary<(long, int), int>[n + 1];
        var death = new int[n][];
        var censoring = new int[n][];
        layers[0] = root.IsDead ? [] : [root];
        keys[0] = root.IsDead ? [] : new() { [(Bin(root.Survival, width), (root.Set * 4) + root.Previous)] = 0 };
        long total = layers[0].Count;
        for (var b = 0; b < n; b++)
        {
            var next = new List<SequenceState>();
            var lookup = new Dictionary<(long, int), int>();
            var current = layers[b];
            death[b] = new int[current.Count];
            censoring[b] = new int[current.Count];
            for (var i = 0; i < current.Count; i++)
            {
                death[b][i] = Insert(stepper.Step(current[i], b, death: true));
                censoring[b][i] = Insert(stepper.Step(current[i], b, death: false));
            }

            layers[b + 1] = next;
            keys[b + 1] = lookup;
            total += next.Count;
            progress?.Report(() => FormattableString.Invariant($"guiding the search: position {b + 1} of {n}, {total:N0} coarse states"));
            if (total > maximumStates)
            {
                return null;
            }

            int Insert(SequenceState state)
            {
                if (state.IsDead)
                {
                    return -1;
                }

                var key = (Bin(state.Survival, width), (state.Set * 4) + state.Previous);
                if (!lookup.TryGetValue(key, out var at))
                {
                    at = next.Count;
                    next.Add(state);
                    lookup[key] = at;
                }

                return at;
            }
        }

        var counts = new double[n + 1][];
        counts[n] = [.. layers[n].Select(s => stepper.Accepts(s) ? 1.0 : 0.0)];
        for (var b = n - 1; b >= 0; b--)
        {
            counts[b] = new double[layers[b].Count];
            for (var i = 0; i < counts[b].Length; i++)
            {
                counts[b][i] = (death[b][i] < 0 ? 0 : counts[b + 1][death[b][i]]) + (censoring[b][i] < 0 ? 0 : counts[b + 1][censoring[b][i]]);
            }
        }

        var completions = new Dictionary<(long, int), double>[n + 1];
        for (var b = 0; b <= n; b++)
        {
            completions[b] = new Dictionary<(long, int), double>(keys[b].Count);
            foreach (var (key, at) in keys[b])
            {
                if (counts[b][at] > 0)
                {
                    completions[b][key] = counts[b][at];
                }
            }
        }

        return new ApproximateSequenceSpace(completions, width, total);
    }
}
