using System.Diagnostics;

namespace GistNotebooks.Survival.Reconstruction;

/// <summary>
/// Every prefix state of the consistent death/censoring sequences, layer by layer, with the number of ways each
/// can be completed: dynamic programming over positions whose state is the Kaplan–Meier value (merged when two
/// values agree to 2⁻⁴⁰ relative), the kind of the last subject and the set of placements its times admit.
/// </summary>
/// <remarks>
/// The step is a function of the sequence, so each consistent sequence is exactly one path from the root to an
/// accepting state and the number of completions of the root is the number of consistent sequences. A sequence
/// is drawn uniformly by walking from the root and taking each branch with probability proportional to its
/// completions. Memory is linear in the number of states; building stops (returns null) once the states exceed
/// the budget.
/// </remarks>
internal sealed class ExactSequenceSpace
{
    private readonly int n;
    private readonly int[][] nextDeath;
    private readonly int[][] nextCensoring;
    private readonly UInt128[][] completions;

    private ExactSequenceSpace(int n, int[][] nextDeath, int[][] nextCensoring, UInt128[][] completions, long states)
    {
        this.n = n;
        this.nextDeath = nextDeath;
        this.nextCensoring = nextCensoring;
        this.completions = completions;
        States = states;
    }

    /// <summary>The number of consistent sequences.</summary>
    public UInt128 Count => completions[0].Length == 0 ? UInt128.Zero : completions[0][0];

    /// <summary>How many states the layers hold.</summary>
    public long States { get; }

    /// <summary>Builds the layers, or returns null when they would hold more than <paramref name="maximumStates"/> states (or a count overflows).</summary>
    public static ExactSequenceSpace? Build(SequenceStepper stepper, long maximumStates, WorkProgress? progress)
    {
        var n = stepper.Constraints.Count;
        var root = stepper.Root();
        var layers = new SequenceState[n + 1][];
        var nextDeath = new int[n][];
        var nextCensoring = new int[n][];
        layers[0] = root.IsDead ? [] : [root];
        long total = layers[0].Length;
        for (var b = 0; b < n; b++)
        {
            var current = layers[b];
            var lookup = new Dictionary<(long Survival, int SetAndPrevious), int>();
            var next = new List<SequenceState>();
            var deaths = new int[current.Length];
            var censorings = new int[current.Length];
            for (var i = 0; i < current.Length; i++)
            {
                deaths[i] = Insert(stepper.Step(current[i], b, death: true));
                censorings[i] = Insert(stepper.Step(current[i], b, death: false));
            }

            layers[b + 1] = [.. next];
            nextDeath[b] = deaths;
            nextCensoring[b] = censorings;
            total += next.Count;
            progress?.Report(() => FormattableString.Invariant($"counting sequences: position {b + 1} of {n}, {total:N0} states"));
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

                var key = (Key(state.Survival), (state.Set * 4) + state.Previous);
                if (!lookup.TryGetValue(key, out var at))
                {
                    at = next.Count;
                    next.Add(state);
                    lookup[key] = at;
                }

                return at;
            }
        }

        var completions = new UInt128[n + 1][];
        completions[n] = [.. layers[n].Select(s => stepper.Accepts(s) ? UInt128.One : UInt128.Zero)];
        try
        {
            for (var b = n - 1; b >= 0; b--)
            {
                var after = completions[b + 1];
                var here = new UInt128[layers[b].Length];
                for (var i = 0; i < here.Length; i++)
                {
                    var d = nextDeath[b][i] < 0 ? UInt128.Zero : after[nextDeath[b][i]];
                    var c = nextCensoring[b][i] < 0 ? UInt128.Zero : after[nextCensoring[b][i]];
                    here[i] = checked(d + c);
                }

                completions[b] = here;
            }
        }
        catch (OverflowException)
        {
            return null;
        }

        return new ExactSequenceSpace(n, nextDeath, nextCensoring, completions, total);
    }

    /// <summary>The key under which two Kaplan–Meier values are one state: the double rounded to 40 bits of mantissa.</summary>
    internal static long Key(double survival) => (BitConverter.DoubleToInt64Bits(survival) + 2048) >> 12;

    /// <summary>Draws one consistent sequence, every one equally likely.</summary>
    /// <exception cref="InvalidOperationException">There is none.</exception>
    public bool[] Sample(Random random)
    {
        if (Count == UInt128.Zero)
        {
            throw new InvalidOperationException("There is no consistent sequence to draw.");
        }

        var deaths = new bool[n];
        var at = 0;
        for (var b = 0; b < n; b++)
        {
            var d = nextDeath[b][at];
            var dCount = d < 0 ? UInt128.Zero : completions[b + 1][d];
            var pick = Below(completions[b][at], random);
            deaths[b] = pick < dCount;
            at = deaths[b] ? d : nextCensoring[b][at];
        }

        return deaths;
    }

    /// <summary>Every consistent sequence, deaths-first order (D before c at each position).</summary>
    public IEnumerable<bool[]> Enumerate()
    {
        var deaths = new bool[n];
        var stack = new Stack<(int Boundary, int State, int Choice)>();
        if (Count == UInt128.Zero)
        {
            yield break;
        }

        stack.Push((0, 0, 0));
        while (stack.Count > 0)
        {
            var (b, s, choice) = stack.Pop();
            if (b == n)
            {
                yield return (bool[])deaths.Clone();
                continue;
            }

            if (choice > 1)
            {
                continue;
            }

            stack.Push((b, s, choice + 1));
            var next = choice == 0 ? nextDeath[b][s] : nextCensoring[b][s];
            if (next >= 0 && completions[b + 1][next] > UInt128.Zero)
            {
                deaths[b] = choice == 0;
                stack.Push((b + 1, next, 0));
            }
        }
    }

    /// <summary>A uniform whole number in [0, bound), by rejection on random bits.</summary>
    private static UInt128 Below(UInt128 bound, Random random)
    {
        Debug.Assert(bound > UInt128.Zero, "The bound is positive.");
        var bits = 128 - (int)UInt128.LeadingZeroCount(bound - UInt128.One);
        Span<byte> bytes = stackalloc byte[16];
        while (true)
        {
            random.NextBytes(bytes);
            var value = new UInt128(BitConverter.ToUInt64(bytes[8..]), BitConverter.ToUInt64(bytes[..8]));
            value = bits == 0 ? UInt128.Zero : value >> (128 - bits);
            if (value < bound)
            {
                return value;
            }
        }
    }
}
