using System.Diagnostics;

namespace GistNotebooks.Survival.Reconstruction;

/// <summary>Reports progress of long work: nothing in the first 2 seconds, then at most one line a second.</summary>
internal sealed class WorkProgress(Action<string>? sink)
{
    private readonly Stopwatch watch = Stopwatch.StartNew();
    private long last;

    public void Report(Func<string> message)
    {
        if (sink is null)
        {
            return;
        }

        var now = watch.ElapsedMilliseconds;
        if (now < 2000 || now - last < 1000)
        {
            return;
        }

        last = now;
        sink(message());
    }
}

/// <summary>
/// Search over death/censoring sequences when the exact counting would hold too many states: a randomised
/// depth-first search with pruning, which finds consistent sequences (not uniformly) or proves there are none
/// when it runs to the end; and sequential importance sampling, which estimates how many there are.
/// </summary>
/// <remarks>
/// Both walk the same steps as the counting (<see cref="SequenceStepper"/>), so a branch is cut exactly when no
/// completion can satisfy the claims by the stepper's own tests. A search that decides feasibility remembers the
/// states it found dead (up to a bound) so as never to explore one twice.
/// </remarks>
internal sealed class SequenceSearch(SequenceStepper stepper, ApproximateSequenceSpace? guide, WorkProgress? progress)
{
    /// <summary>Where progress goes.</summary>
    public WorkProgress? Progress { get; set; } = progress;

    private const int MaximumRemembered = 1_000_000;
    private readonly int n = stepper.Constraints.Count;
    private readonly HashSet<(int Boundary, long Survival, int SetAndPrevious)> dead = [];

    /// <summary>How many states the searches have visited.</summary>
    public long Visited { get; private set; }

    /// <summary>
    /// Finds one consistent sequence by randomised depth-first search: at each position death or censoring is tried
    /// first at random, with the probabilities of <see cref="DeathFirst"/>. Returns null when none is found within
    /// <paramref name="budget"/> visited states; <paramref name="exhausted"/> then says whether the whole tree was
    /// searched (so that there is none). With <paramref name="remember"/>, dead states are remembered and skipped
    /// (faster, but then what is found depends on earlier searches); without, the result depends on
    /// <paramref name="random"/> alone.
    /// </summary>
    public bool[]? Find(Random random, long budget, out bool exhausted, bool remember)
    {
        exhausted = false;
        var states = new SequenceState[n + 1];
        var death = new SequenceState[n];
        var censoring = new SequenceState[n];
        var firstIsDeath = new bool[n];
        var tried = new int[n + 1];
        var deaths = new bool[n];
        states[0] = stepper.Root();
        if (states[0].IsDead)
        {
            exhausted = true;
            return null;
        }

        var spent = 0L;
        var b = 0;
        Expand(0);
        while (true)
        {
            if (b == n)
            {
                if (stepper.Accepts(states[n]))
                {
                    return deaths;
                }

                if (remember)
                {
                    Remember(n, states[n]);
                }

                b--;
                continue;
            }

            if (tried[b] == 2)
            {
                if (remember)
                {
                    Remember(b, states[b]);
                }

                if (b == 0)
                {
                    exhausted = true;
                    return null;
                }

                b--;
                continue;
            }

            var choice = tried[b] == 0 ? firstIsDeath[b] : !firstIsDeath[b];
            tried[b]++;
            var next = choice ? death[b] : censoring[b];
            if (next.IsDead || (remember && IsKnownDead(b + 1, next)))
            {
                continue;
            }

            if (++spent > budget)
            {
                return null;
            }

            deaths[b] = choice;
            states[b + 1] = next;
            b++;
            if (b < n)
            {
                Expand(b);
            }
            else
            {
                tried[n] = 0;
            }
        }

        void Expand(int at)
        {
            death[at] = stepper.Step(states[at], at, death: true);
            censoring[at] = stepper.Step(states[at], at, death: false);
            Visited += 2;
            if ((Visited & 0xFFFF) < 2)
            {
                Progress?.Report(() => FormattableString.Invariant($"searching sequences: {Visited:N0} states visited"));
            }

            firstIsDeath[at] = random.NextDouble() < DeathFirst(at, death[at], censoring[at]);
            tried[at] = 0;
        }
    }

    /// <summary>
    /// Estimates the number of consistent sequences by sequential importance sampling: each walk takes, at every
    /// position, death with the probability of <see cref="DeathFirst"/> (or the only branch not known to be dead),
    /// and weighs its end by the inverse of the probability of its path; the mean weight over walks (0 for a walk
    /// that fails a claim) is an unbiased estimate of the count, with standard error s/√walks.
    /// </summary>
    public (double Estimate, double StandardError, int Valid) Estimate(Random random, int walks)
    {
        double sum = 0, sumSquares = 0;
        var valid = 0;
        var root = stepper.Root();
        for (var w = 0; w < walks; w++)
        {
            var state = root;
            var weight = root.IsDead ? 0.0 : 1.0;
            for (var b = 0; b < n && weight > 0; b++)
            {
                var death = stepper.Step(state, b, death: true);
                var censoring = stepper.Step(state, b, death: false);
                var deathAlive = !death.IsDead;
                var censoringAlive = !censoring.IsDead;
                Visited += 2;
                if (deathAlive && censoringAlive)
                {
                    var p = DeathFirst(b, death, censoring);
                    var takeDeath = random.NextDouble() < p;
                    weight /= takeDeath ? p : 1 - p;
                    state = takeDeath ? death : censoring;
                }
                else if (deathAlive || censoringAlive)
                {
                    state = deathAlive ? death : censoring;
                }
                else
                {
                    weight = 0;
                }
            }

            if (weight > 0 && !stepper.Accepts(state))
            {
                weight = 0;
            }

            if (weight > 0)
            {
                valid++;
            }

            sum += weight;
            sumSquares += weight * weight;
            var done = w + 1;
            Progress?.Report(() => FormattableString.Invariant($"estimating the number of sequences: {done:N0} of {walks:N0} walks"));
        }

        var mean = sum / walks;
        var variance = Math.Max(0, (sumSquares / walks) - (mean * mean));
        return (mean, Math.Sqrt(variance / walks), valid);
    }

    /// <summary>
    /// The probability of trying death first at a position: in proportion to the coarse counts of completions of the
    /// two branches, mixed with one half (so that every branch keeps a probability of at least 5%); one half without a guide.
    /// </summary>
    private double DeathFirst(int boundary, SequenceState death, SequenceState censoring)
    {
        if (guide is null)
        {
            return 0.5;
        }

        var d = guide.Completions(boundary + 1, death);
        var c = guide.Completions(boundary + 1, censoring);
        return d + c > 0 ? 0.05 + (0.9 * d / (d + c)) : 0.5;
    }

    private bool IsKnownDead(int boundary, SequenceState state)
        => dead.Contains((boundary, ExactSequenceSpace.Key(state.Survival), (state.Set * 4) + state.Previous));

    private void Remember(int boundary, SequenceState state)
    {
        if (dead.Count < MaximumRemembered)
        {
            dead.Add((boundary, ExactSequenceSpace.Key(state.Survival), (state.Set * 4) + state.Previous));
        }
    }
}
