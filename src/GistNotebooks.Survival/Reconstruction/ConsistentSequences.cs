using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Reconstruction;

/// <summary>Whether claims can hold together, as far as the work allowed decides it.</summary>
public enum FeasibilityDecision
{
    /// <summary>Some cohort satisfies them (a consistent sequence was found or counted).</summary>
    Feasible,

    /// <summary>No cohort satisfies them (the counting or an exhaustive search found none).</summary>
    Infeasible,

    /// <summary>The budget ran out before either was shown.</summary>
    Undecided,
}

/// <summary>How much work counting and searching may do.</summary>
public sealed record SequenceCountOptions
{
    /// <summary>The most states the exact counting may hold before it gives way to search and an estimate (the coarse guide of the search may hold three times as many). Default 100,000.</summary>
    public long MaximumStates { get; init; } = 100_000;

    /// <summary>The most states one depth-first search may visit before it gives up. Default 5,000,000.</summary>
    public long MaximumSearchSteps { get; init; } = 5_000_000;

    /// <summary>Walks of sequential importance sampling for an estimate; null for about 400,000 steps' worth (between 500 and 20,000 walks).</summary>
    public int? Walks { get; init; }

    /// <summary>The seed of the search and the sampling. Default 20050601.</summary>
    public int Seed { get; init; } = 20050601;

    /// <summary>Receives a line of progress now and then when the work takes more than 2 seconds.</summary>
    public Action<string>? Progress { get; init; }
}

/// <summary>
/// How many death/censoring sequences — subjects in follow-up order, deaths before censorings at equal times —
/// admit times on the reading's grid that agree with every time claim.
/// </summary>
/// <param name="ClaimIds">The claims that constrain times.</param>
/// <param name="Decision">Whether some sequence exists.</param>
/// <param name="IsExact">Whether <see cref="Count"/> is exact; otherwise an estimate (with <see cref="StandardError"/>) or a lower bound.</param>
/// <param name="Count">The number of consistent sequences, or its estimate.</param>
/// <param name="ExactCount">The exact number, when counted.</param>
/// <param name="StandardError">The standard error of an estimate; null when exact or when no sampled walk was consistent.</param>
/// <param name="Method">How the number was obtained, in words.</param>
/// <param name="Work">States the counting held, or states the searches visited.</param>
public sealed record SequenceCount(
    ImmutableArray<string> ClaimIds,
    FeasibilityDecision Decision,
    bool IsExact,
    double Count,
    BigInteger? ExactCount,
    double? StandardError,
    string Method,
    long Work)
{
    /// <summary>Whether some sequence is known to satisfy the claims.</summary>
    public bool IsFeasible => Decision == FeasibilityDecision.Feasible;
}

/// <summary>
/// The death/censoring sequences that agree with a paper's time claims: counted exactly by dynamic programming
/// over positions when the states fit the budget, otherwise searched for (randomised depth-first search with
/// pruning) and counted approximately (sequential importance sampling). Never stores every sequence.
/// </summary>
/// <remarks>
/// See <c>docs/methods.md</c>, "Counting the consistent sequences". The seed study under its <c>tenth-month</c>
/// reading has 24 sequences; each is listed by <see cref="Enumerate"/>.
/// </remarks>
public static class ConsistentSequences
{
    /// <summary>The largest cohort the counting accepts.</summary>
    public const int MaximumSubjects = 1000;

    /// <summary>Counts the sequences consistent with the time claims of a claim set (under its reading).</summary>
    /// <exception cref="DataValidationException">The claims name no cohort size, or one outside 1 to <see cref="MaximumSubjects"/>.</exception>
    public static SequenceCount Count(ClaimSet claims, SequenceCountOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return SequenceEngine.Create(TimeConstraints.From(claims, CohortSize(claims)), options ?? new SequenceCountOptions()).Count();
    }

    /// <summary>
    /// Every consistent sequence, when they are counted exactly and number at most <paramref name="maximum"/>; each as
    /// an <see cref="EventOrder"/> with the earliest cut positions its times admit. Null otherwise.
    /// </summary>
    /// <exception cref="DataValidationException">The claims name no cohort size, or one outside 1 to <see cref="MaximumSubjects"/>.</exception>
    public static ImmutableArray<EventOrder>? Enumerate(ClaimSet claims, int maximum = 10_000, SequenceCountOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var engine = SequenceEngine.Create(TimeConstraints.From(claims, CohortSize(claims)), options ?? new SequenceCountOptions());
        return engine.Exact is { } exact && exact.Count <= (UInt128)maximum
            ? [.. exact.Enumerate().Select(engine.ToOrder)]
            : null;
    }

    internal static int CohortSize(ClaimSet claims)
    {
        var size = claims.Claims.OfType<CohortSizeClaim>().FirstOrDefault()
            ?? throw new DataValidationException(claims.Study, null, null, "the claims name no cohort size (a claim of kind cohortSize)");
        if (size.Count is < 1 or > MaximumSubjects)
        {
            throw new DataValidationException(claims.Study, null, null, FormattableString.Invariant(
                $"claim {size.Id}: the counting handles 1 to {MaximumSubjects} subjects; the claims give {size.Count}"));
        }

        return size.Count;
    }
}

/// <summary>
/// One claim set's sequences: exact counting when it fits the budget, search and sampling otherwise. Each piece of
/// work is done at most once, when first needed; engines are kept per thread for the last few constraint sets, so
/// that an audit, a cohort and an ensemble of the same claims share them. No result depends on what was asked before.
/// </summary>
internal sealed class SequenceEngine
{
    private const int QuickSearchSteps = 20_000;
    private const int Kept = 4;

    [ThreadStatic]
    private static List<(string Key, SequenceEngine Engine)>? recent;

    private readonly SequenceCountOptions options;
    private readonly Random decideRandom;
    private ExactSequenceSpace? exact;
    private bool exactTried;
    private SequenceSearch? guided;
    private SequenceSearch? plain;
    private SequenceCount? count;
    private FeasibilityDecision? decision;

    private SequenceEngine(TimeConstraints constraints, SequenceCountOptions options)
    {
        Constraints = constraints;
        this.options = options;
        Stepper = new SequenceStepper(constraints);
        decideRandom = new Random(options.Seed);
        Progress = new WorkProgress(options.Progress);
    }

    public TimeConstraints Constraints { get; }

    public SequenceStepper Stepper { get; }

    /// <summary>Where progress goes for the current piece of work.</summary>
    public WorkProgress Progress { get; private set; }

    /// <summary>The exact space, built on first use; null when it exceeds the budget.</summary>
    public ExactSequenceSpace? Exact
    {
        get
        {
            if (!exactTried)
            {
                exactTried = true;
                exact = ExactSequenceSpace.Build(Stepper, options.MaximumStates, Progress);
            }

            return exact;
        }
    }

    /// <summary>Whether sequences are drawn uniformly (they are counted exactly).</summary>
    public bool DrawsUniformly => Exact is not null;

    /// <summary>The engine of a constraint set, reused when this thread asked for the same one recently.</summary>
    public static SequenceEngine Create(TimeConstraints constraints, SequenceCountOptions options)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"{constraints.Key}#{options.MaximumStates}#{options.MaximumSearchSteps}#{options.Walks}#{options.Seed}");
        recent ??= [];
        var at = recent.FindIndex(e => e.Key == key);
        SequenceEngine engine;
        if (at >= 0)
        {
            engine = recent[at].Engine;
            recent.RemoveAt(at);
        }
        else
        {
            engine = new SequenceEngine(constraints, options);
            if (recent.Count == Kept)
            {
                recent.RemoveAt(0);
            }
        }

        recent.Add((key, engine));
        engine.Progress = new WorkProgress(options.Progress);
        engine.guided?.Progress = engine.Progress;
        engine.plain?.Progress = engine.Progress;
        return engine;
    }

    /// <summary>Forgets the engines kept for this thread (so that a measurement starts from cold).</summary>
    public static void ForgetRecent() => recent?.Clear();

    /// <summary>Whether some sequence satisfies the claims, searching only as far as needed: a short search first, then the counting, then a guided search.</summary>
    public FeasibilityDecision Decide()
    {
        if (decision is { } known)
        {
            return known;
        }

        if (exactTried)
        {
            return (decision = exact is null ? DecideBySearch() : exact.Count > UInt128.Zero ? FeasibilityDecision.Feasible : FeasibilityDecision.Infeasible).Value;
        }

        plain ??= new SequenceSearch(Stepper, null, Progress);
        if (plain.Find(decideRandom, Math.Min(QuickSearchSteps, options.MaximumSearchSteps), out var exhausted, remember: true) is not null)
        {
            return (decision = FeasibilityDecision.Feasible).Value;
        }

        if (exhausted)
        {
            return (decision = FeasibilityDecision.Infeasible).Value;
        }

        return (decision = Exact is { } space
            ? space.Count > UInt128.Zero ? FeasibilityDecision.Feasible : FeasibilityDecision.Infeasible
            : DecideBySearch()).Value;
    }

    /// <summary>The count, exact or estimated.</summary>
    public SequenceCount Count()
    {
        if (count is not null)
        {
            return count;
        }

        var ids = Constraints.ClaimIds;
        if (Exact is { } space)
        {
            var number = space.Count;
            return count = new SequenceCount(ids, number > UInt128.Zero ? FeasibilityDecision.Feasible : FeasibilityDecision.Infeasible, IsExact: true, (double)number, (BigInteger)number, null,
                string.Create(CultureInfo.InvariantCulture, $"exact: dynamic programming over {Constraints.Count} positions, {space.States:N0} states"), space.States);
        }

        var feasible = Decide();
        var search = Guided();
        if (feasible != FeasibilityDecision.Feasible)
        {
            return count = feasible == FeasibilityDecision.Infeasible
                ? new SequenceCount(ids, feasible, IsExact: true, 0, BigInteger.Zero, null, string.Create(CultureInfo.InvariantCulture, $"exhaustive search with pruning, {search.Visited:N0} states visited"), search.Visited)
                : new SequenceCount(ids, feasible, IsExact: false, 0, null, null, string.Create(CultureInfo.InvariantCulture, $"undecided: the counting exceeded {options.MaximumStates:N0} states and the search {options.MaximumSearchSteps:N0} steps"), search.Visited);
        }

        var walks = options.Walks ?? Math.Clamp(400_000 / (2 * Constraints.Count), 500, 20_000);
        var (estimate, error, valid) = search.Estimate(new Random(options.Seed), walks);
        return count = valid == 0
            ? new SequenceCount(ids, feasible, IsExact: false, 1, null, null, string.Create(CultureInfo.InvariantCulture, $"lower bound: a search found a sequence but none of {walks:N0} importance-sampling walks did"), search.Visited)
            : new SequenceCount(ids, feasible, IsExact: false, estimate, null, error, string.Create(CultureInfo.InvariantCulture, $"estimate: sequential importance sampling, {walks:N0} walks ({valid:N0} consistent)"), search.Visited);
    }

    /// <summary>Draws one consistent sequence: uniformly when counted exactly, otherwise by randomised search (not uniformly). Null when none is found.</summary>
    public bool[]? Draw(Random random)
    {
        if (Exact is { } space)
        {
            return space.Count > UInt128.Zero ? space.Sample(random) : null;
        }

        return Guided().Find(random, options.MaximumSearchSteps, out _, remember: false);
    }

    /// <summary>A sequence with the earliest cut positions its times admit.</summary>
    public EventOrder ToOrder(bool[] deaths)
    {
        var structure = TimePlacement.Trace(Stepper, deaths)
            ?? throw new InvalidOperationException("A counted sequence does not meet the claims; this is a defect of the counting.");
        return new EventOrder([.. deaths], [.. Constraints.Cuts.Select(c => Constraints.Time(c.Tick))], structure.CutPositions(Constraints.Cuts.Length));
    }

    private SequenceSearch Guided()
        => guided ??= new SequenceSearch(Stepper, ApproximateSequenceSpace.Build(Stepper, options.MaximumStates * 3, Progress), Progress);

    private FeasibilityDecision DecideBySearch()
    {
        var found = Guided().Find(decideRandom, options.MaximumSearchSteps, out var exhausted, remember: true);
        return found is not null ? FeasibilityDecision.Feasible : exhausted ? FeasibilityDecision.Infeasible : FeasibilityDecision.Undecided;
    }
}
