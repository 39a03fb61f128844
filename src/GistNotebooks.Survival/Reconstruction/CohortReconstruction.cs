using System.Collections.Immutable;
using System.Globalization;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Reconstruction;

/// <summary>How cohorts are reconstructed.</summary>
public sealed record ReconstructionOptions
{
    /// <summary>The seed of every random choice; the same seed gives the same cohorts byte for byte. Default 20050601.</summary>
    public int Seed { get; init; } = 20050601;

    /// <summary>How many cohorts to draw (the first is the one shipped). Default 1.</summary>
    public int Count { get; init; } = 1;

    /// <summary>How many times a cohort's characteristics are redrawn before its times are redrawn, when a claim such as "no significant predictor" fails. Default 200.</summary>
    public int AttemptsPerOrder { get; init; } = 200;

    /// <summary>How many sequences and time placements are tried before giving up. Default 200.</summary>
    public int MaximumRedraws { get; init; } = 200;

    /// <summary>Called after each cohort with the number done and the number asked for (for a progress bar).</summary>
    public Action<int, int>? Progress { get; init; }

    /// <summary>How much work counting and searching may do.</summary>
    public SequenceCountOptions Counting { get; init; } = new();
}

/// <summary>Claims that cannot hold together, found before any cohort was drawn.</summary>
public sealed class InfeasibleClaimsException : Exception
{
    /// <summary>Creates the exception from the report that names the conflicting claims.</summary>
    public InfeasibleClaimsException(FeasibilityReport report)
        : base("The claims cannot hold together:" + Environment.NewLine + report)
        => Report = report;

    /// <summary>Creates the exception with a message.</summary>
    public InfeasibleClaimsException(string message)
        : base(message) => Report = new FeasibilityReport([]);

    /// <summary>Creates the exception with a message and a cause.</summary>
    public InfeasibleClaimsException(string message, Exception innerException)
        : base(message, innerException) => Report = new FeasibilityReport([]);

    /// <summary>Creates the exception with no message.</summary>
    public InfeasibleClaimsException()
        : this("The claims cannot hold together.")
    {
    }

    /// <summary>The conflicting claims and why.</summary>
    public FeasibilityReport Report { get; }
}

/// <summary>The work allowed was not enough to decide whether the claims can hold together (or to find a cohort).</summary>
public sealed class UndecidedClaimsException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public UndecidedClaimsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public UndecidedClaimsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public UndecidedClaimsException()
        : this("The claims could not be decided within the budget.")
    {
    }
}

/// <summary>A drawn cohort failed a claim when checked as <c>gistnb check</c> checks it; nothing should be written.</summary>
public sealed class UnmetClaimsException : Exception
{
    /// <summary>Creates the exception from the failing checks.</summary>
    public UnmetClaimsException(IReadOnlyCollection<ClaimCheck> failures)
        : base(string.Join(Environment.NewLine, (failures ?? []).Select(f => $"claim {f.Id} fails: reported {f.Reported}, reproduced {f.Reproduced}")))
        => Failures = [.. failures ?? []];

    /// <summary>Creates the exception with a message.</summary>
    public UnmetClaimsException(string message)
        : base(message) => Failures = [];

    /// <summary>Creates the exception with a message and a cause.</summary>
    public UnmetClaimsException(string message, Exception innerException)
        : base(message, innerException) => Failures = [];

    /// <summary>Creates the exception with no message.</summary>
    public UnmetClaimsException()
        : this("A reconstructed cohort fails a claim.")
    {
    }

    /// <summary>The failing checks.</summary>
    public ImmutableArray<ClaimCheck> Failures { get; }
}

/// <summary>A reconstruction: the cohorts drawn, the sequences they were drawn from, and what constrains each column.</summary>
/// <param name="Cohorts">The cohorts, the first being the one to ship; each passes every claim.</param>
/// <param name="Sequences">How many death/censoring sequences agree with the time claims.</param>
/// <param name="Provenance">Where the cohorts come from, for <c>cohort.json</c>.</param>
public sealed record ReconstructionResult(ImmutableArray<Cohort> Cohorts, SequenceCount Sequences, CohortProvenance Provenance);

/// <summary>What a reconstructed cohort rests on.</summary>
/// <param name="Study">The study id.</param>
/// <param name="Notice">That the cohort is synthetic.</param>
/// <param name="Seed">The seed.</param>
/// <param name="LibraryVersion">The version of this library.</param>
/// <param name="ClaimsSha256">The SHA-256 of the claims file.</param>
/// <param name="Reading">The reading of the claims file the cohort follows, or null when the file has none.</param>
/// <param name="ConsistentOrders">How many death/censoring sequences (subjects in follow-up order) admit times that agree with the time claims.</param>
/// <param name="ConsistentOrdersExact">Whether <paramref name="ConsistentOrders"/> is exact (otherwise an estimate).</param>
/// <param name="Sampling">How a cohort's sequence is drawn: uniformly among the consistent ones, or by search (not uniformly).</param>
/// <param name="TimeGrid">The resolution of placed times.</param>
/// <param name="ConstrainedColumns">For each column, the claims that fix it (wholly or in part).</param>
/// <param name="Unconstrained">What no claim fixes: values drawn at random, never to be read as findings.</param>
public sealed record CohortProvenance(
    string Study,
    string Notice,
    int Seed,
    string LibraryVersion,
    string ClaimsSha256,
    string? Reading,
    double ConsistentOrders,
    bool ConsistentOrdersExact,
    string Sampling,
    string TimeGrid,
    ImmutableDictionary<string, ImmutableArray<string>> ConstrainedColumns,
    ImmutableArray<string> Unconstrained);

/// <summary>
/// Summary-constrained reconstruction: draws patient-level cohorts that agree with every claim of a claims file
/// (under its reading). A death/censoring sequence is drawn from the consistent ones (uniformly when they are
/// counted exactly), times are placed on the reading's grid to satisfy every time claim, the reported margins of
/// each characteristic are assigned at random, and every cohort is checked against every claim by
/// <see cref="ConsistencyCheck"/> — the check of <c>gistnb check</c> — and for coherence across claims
/// (<see cref="CoherenceProblems"/>), and redrawn until it passes both.
/// </summary>
public static partial class CohortReconstruction
{
    /// <summary>Reconstructs cohorts.</summary>
    /// <exception cref="InfeasibleClaimsException">The claims cannot hold together; the exception names the smallest conflicting sets.</exception>
    /// <exception cref="UndecidedClaimsException">The budget was not enough to decide the claims or to find a cohort.</exception>
    /// <exception cref="UnmetClaimsException">No drawn cohort passed every claim within the redraw limits; the exception names the claims.</exception>
    public static ReconstructionResult Reconstruct(ClaimSet claims, ReconstructionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(claims);
        options ??= new ReconstructionOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Count, 1);
        var n = ConsistentSequences.CohortSize(claims);
        var engine = SequenceEngine.Create(TimeConstraints.From(claims, n), options.Counting);
        var decision = engine.Decide();
        if (decision == FeasibilityDecision.Undecided)
        {
            throw new UndecidedClaimsException(FormattableString.Invariant(
                $"could not decide within the budget whether the time claims can hold together for {n} subjects (the counting exceeded {options.Counting.MaximumStates:N0} states and the search {options.Counting.MaximumSearchSteps:N0} steps)"));
        }

        var feasibility = decision == FeasibilityDecision.Infeasible || claims.Claims.Any(c => c is CategoryCountsClaim or CountClaim or SurvivorsBeyondClaim)
            ? ClaimFeasibility.Analyze(claims, options.Counting)
            : new FeasibilityReport([]);
        if (decision == FeasibilityDecision.Infeasible || !feasibility.IsFeasible)
        {
            throw new InfeasibleClaimsException(feasibility);
        }

        var random = new Random(options.Seed);
        var cohorts = ImmutableArray.CreateBuilder<Cohort>(options.Count);
        for (var k = 0; k < options.Count; k++)
        {
            cohorts.Add(Draw(claims, engine, random, options));
            options.Progress?.Invoke(k + 1, options.Count);
        }

        var sequences = engine.Count();
        return new ReconstructionResult(cohorts.MoveToImmutable(), sequences, Describe(claims, engine, sequences, options.Seed));
    }

    private static Cohort Draw(ClaimSet claims, SequenceEngine engine, Random random, ReconstructionOptions options)
    {
        ImmutableArray<ClaimCheck> failures = [];
        var incoherent = 0;
        for (var redraw = 0; redraw < options.MaximumRedraws; redraw++)
        {
            var deaths = engine.Draw(random)
                ?? throw new UndecidedClaimsException(FormattableString.Invariant($"the search found no consistent sequence within {options.Counting.MaximumSearchSteps:N0} steps"));
            var structure = TimePlacement.Trace(engine.Stepper, deaths);
            var ticks = structure is null ? null : TimePlacement.Place(engine.Constraints, deaths, structure, random);
            if (structure is null || ticks is null)
            {
                continue;
            }

            var times = ticks.Select(t => engine.Constraints.Time(t)).ToArray();
            for (var attempt = 0; attempt < options.AttemptsPerOrder; attempt++)
            {
                var columns = Assign(claims, deaths, times, engine.Constraints, random);
                if (FailingPredictor(claims, columns) is { } predictor)
                {
                    failures = [new ClaimCheck(predictor.Id, predictor.Description, predictor.Reported, "a log-rank p below the threshold in every assignment tried", Passed: false)];
                    continue;
                }

                var cohort = new Cohort(columns);
                var table = cohort.ToTable();
                var report = ConsistencyCheck.Check(claims, table);
                if (report.AllPassed)
                {
                    // Coherence is tested last, so that a draw that already was coherent is kept exactly as before.
                    if (CoherenceProblems(claims, table).IsEmpty)
                    {
                        return cohort;
                    }

                    incoherent++;
                    continue;
                }

                failures = [.. report.Checks.Where(c => !c.Passed)];
                if (failures.Any(f => claims[f.Id] is not NoSignificantPredictorClaim))
                {
                    break;
                }
            }
        }

        if (failures.IsEmpty && incoherent > 0)
        {
            failures = [new ClaimCheck("-", "coherence across claims", "patients whose columns agree with one another", FormattableString.Invariant($"{incoherent} draws passed every claim but contradicted themselves (CoherenceProblems)"), Passed: false)];
        }

        if (failures.IsEmpty)
        {
            failures = [new ClaimCheck("-", "every claim", "a cohort that passes every claim", FormattableString.Invariant($"none after {options.MaximumRedraws} sequences × {options.AttemptsPerOrder} assignments"), Passed: false)];
        }

        throw new UnmetClaimsException(failures);
    }

    private static List<(string Name, string[] Values)> Assign(ClaimSet claims, bool[] deaths, double[] times, TimeConstraints grid, Random random)
    {
        var n = deaths.Length;
        string Format(double time) => time.ToString("F" + grid.Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var columns = new List<(string Name, string[] Values)>
        {
            (claims.IdColumn, [.. Enumerable.Range(1, n).Select(i => string.Create(CultureInfo.InvariantCulture, $"P{i:00}"))]),
        };
        string[] Column(string name) => columns.First(c => c.Name == name).Values;

        foreach (var c in claims.Claims.OfType<CategoryCountsClaim>())
        {
            columns.Add((c.Column, Shuffled(c.Counts.SelectMany(p => Enumerable.Repeat(p.Key, p.Value)), random)));
        }

        // Whole-cohort counts first, then counts among a subgroup (which need the subgroup's column).
        foreach (var c in claims.Claims.OfType<CountClaim>().OrderBy(c => c.AmongColumn is null ? 0 : 1))
        {
            var values = Enumerable.Repeat(Complement(c.Level), n).ToArray();
            var eligible = c.AmongColumn is null
                ? Enumerable.Range(0, n).ToArray()
                : [.. Enumerable.Range(0, n).Where(i => Column(c.AmongColumn)[i] == c.AmongLevel)];
            // A percentage printed without its count: any count whose percentage rounds to it.
            var matching = c.Count is null ? PercentCounts.Matching(c.Percent!.Value, Math.Max(1, eligible.Length)) : [];
            var count = c.Count ?? (matching.IsEmpty ? 0 : matching[random.Next(matching.Length)]);
            foreach (var i in Shuffled(eligible, random).Take(count))
            {
                values[i] = c.Level;
            }

            columns.Add((c.Column, values));
        }

        columns.Add((claims.TimeColumn, [.. times.Select(Format)]));
        columns.Add((claims.EventColumn, [.. deaths.Select(d => d ? "1" : "0")]));

        foreach (var (eventColumn, timeColumn) in claims.EventTimeColumns.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var events = Column(eventColumn);
            var eventTimes = new string[n];
            for (var i = 0; i < n; i++)
            {
                // An event other than death is dated uniformly on the grid between one step and the last follow-up.
                var ticks = Math.Max(1, (int)Math.Round(times[i] * grid.TicksPerUnit));
                eventTimes[i] = events[i] == "1" ? Format(grid.Time(1 + random.Next(ticks))) : string.Empty;
            }

            columns.Add((timeColumn, eventTimes));
        }

        foreach (var c in claims.Claims.OfType<SurvivorsBeyondClaim>().Where(c => c.ConditionColumn is not null))
        {
            var atLeast = (int)Math.Ceiling(c.ConditionAtLeast ?? 1);
            var values = new string[n];
            for (var i = 0; i < n; i++)
            {
                // Those beyond the time meet the condition; the others get any value from 1 up to it.
                var value = c.IsBeyond(times[i]) ? atLeast + random.Next(2) : 1 + random.Next(atLeast);
                values[i] = value.ToString(CultureInfo.InvariantCulture);
            }

            columns.Add((c.ConditionColumn!, values));
        }

        // A median (range) of a characteristic: the extremes and the middle values as printed, the rest drawn between them.
        foreach (var c in claims.Claims.OfType<CovariateSummaryClaim>().Where(c => c is { Median: not null, Minimum: not null, Maximum: not null, Subjects: null }))
        {
            if (SummaryValues(c, n, random) is { } values)
            {
                columns.Add((c.Column, values));
            }
        }

        return columns;
    }

    /// <summary>
    /// n values on the claim's grid with its median and range: the minimum, the maximum, the middle value (or two middle
    /// values averaging the median), and the others drawn uniformly between the extremes and the middle; null when the
    /// printed figures admit no such values.
    /// </summary>
    private static string[]? SummaryValues(CovariateSummaryClaim c, int n, Random random)
    {
        var unit = Math.Pow(10, c.ValueDecimals);
        // The printed figures themselves, on the grid (a value printed to more decimals than the grid has none).
        long? OnGrid(ReportedValue v, double scale) => Math.Round(v.Value * scale) is var k && v.Admits(k / scale) ? (long)k : null;

        if (OnGrid(c.Minimum!.Value, unit) is not long low || OnGrid(c.Maximum!.Value, unit) is not long high || OnGrid(c.Median!.Value, 2 * unit) is not long twice || n < 3)
        {
            return null;
        }

        var sorted = new long[n];
        var (left, right) = ((n - 1) / 2, n / 2);
        sorted[left] = n % 2 == 1 ? twice / 2 : Math.Clamp(twice / 2, low, high);
        sorted[right] = twice - sorted[left];
        if ((n % 2 == 1 && twice % 2 != 0) || sorted[left] < low || sorted[right] > high)
        {
            return null;
        }

        sorted[0] = low;
        sorted[^1] = high;
        for (var i = 1; i < left; i++)
        {
            sorted[i] = low + (long)(random.NextDouble() * (sorted[left] - low + 1));
        }

        for (var i = right + 1; i < n - 1; i++)
        {
            sorted[i] = sorted[right] + (long)(random.NextDouble() * (high - sorted[right] + 1));
        }

        var format = "F" + c.ValueDecimals.ToString(CultureInfo.InvariantCulture);
        return Shuffled(sorted.Select(v => (v / unit).ToString(format, CultureInfo.InvariantCulture)), random);
    }

    /// <summary>The claim of no significant predictor that the assignment breaks, or null.</summary>
    private static NoSignificantPredictorClaim? FailingPredictor(ClaimSet claims, List<(string Name, string[] Values)> columns)
    {
        var claim = claims.Claims.OfType<NoSignificantPredictorClaim>().FirstOrDefault();
        if (claim is null)
        {
            return null;
        }

        var times = columns.First(c => c.Name == claims.TimeColumn).Values.Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var events = columns.First(c => c.Name == claims.EventColumn).Values.Select(v => v == "1").ToArray();
        foreach (var predictor in claim.Predictors)
        {
            var values = columns.First(c => c.Name == predictor.Column).Values;
            var p = predictor.LogRankP(times, events, values);
            if (p is double value && value < claim.Alpha)
            {
                return claim;
            }
        }

        return null;
    }

    private static CohortProvenance Describe(ClaimSet claims, SequenceEngine engine, SequenceCount sequences, int seed)
    {
        var constrained = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string column, string id)
        {
            if (!constrained.TryGetValue(column, out var ids))
            {
                constrained[column] = ids = [];
            }

            if (!ids.Contains(id))
            {
                ids.Add(id);
            }
        }

        foreach (var claim in claims.Claims)
        {
            switch (claim)
            {
                case CategoryCountsClaim c: Add(c.Column, c.Id); break;
                case CountClaim c: Add(c.Column, c.Id); break;
                case CovariateSummaryClaim { Median: not null, Minimum: not null, Subjects: null } c: Add(c.Column, c.Id); break;
                case SurvivalAtClaim or FollowUpClaim or MedianSurvivalClaim when TimeConstraints.Enters(claim):
                    Add(claims.TimeColumn, claim.Id);
                    Add(claims.EventColumn, claim.Id);
                    break;
                case SurvivorsBeyondClaim c:
                    Add(claims.TimeColumn, c.Id);
                    if (c.ConditionColumn is not null)
                    {
                        Add(c.ConditionColumn, c.Id);
                    }

                    break;
                case NoSignificantPredictorClaim c:
                    foreach (var p in c.Predictors)
                    {
                        Add(p.Column, c.Id);
                    }

                    Add(claims.TimeColumn, c.Id);
                    Add(claims.EventColumn, c.Id);
                    break;
                default:
                    break;
            }
        }

        var unconstrained = new List<string>
        {
            "which patient has which characteristic: only the margins are reported, so characteristics are assigned at random (subject to the claim of no significant predictor)",
            $"exact times: only the order of deaths and censorings relative to the claimed times, the follow-up median and range are fixed; times between them are drawn uniformly on a grid of {engine.Constraints.GridText(claims.TimeUnit)}",
            engine.DrawsUniformly
                ? "which of the death/censoring sequences consistent with the claims is the real one: each cohort draws one at random, every one equally likely"
                : "which of the death/censoring sequences consistent with the claims is the real one: each cohort takes the first found by a randomised search, which does not make every sequence equally likely",
            "patient ids: numbered in order of follow-up time",
        };
        foreach (var (eventColumn, timeColumn) in claims.EventTimeColumns)
        {
            unconstrained.Add($"{timeColumn}: no claim dates {eventColumn}; drawn uniformly on the grid between one step and the last follow-up");
        }

        foreach (var c in claims.Claims.OfType<SurvivorsBeyondClaim>().Where(c => c.ConditionColumn is not null))
        {
            unconstrained.Add(FormattableString.Invariant(
                $"{c.ConditionColumn}: only its lower bound for the subjects beyond {c.Time} {claims.TimeUnit} is claimed ({c.Id}); every value is drawn"));
        }

        return new CohortProvenance(
            claims.Study,
            "Synthetic cohort reconstructed from the published summary figures; it is not patient data. Only what the claims fix is a finding; every other value is drawn at random.",
            seed,
            typeof(CohortReconstruction).Assembly.GetName().Version?.ToString(3) ?? "unknown",
            claims.Sha256,
            claims.Reading,
            sequences.Count,
            sequences.IsExact,
            engine.DrawsUniformly
                ? "each cohort's death/censoring sequence is drawn uniformly from the consistent ones (exact counts)"
                : "each cohort's death/censoring sequence is the first found by a randomised depth-first search with pruning; not uniform",
            $"times placed on a grid of {engine.Constraints.GridText(claims.TimeUnit)}; ties allowed, deaths before censorings",
            constrained.ToImmutableDictionary(p => p.Key, p => p.Value.ToImmutableArray()),
            [.. unconstrained]);
    }

    private static string Complement(string level) => level switch
    {
        "1" => "0",
        "0" => "1",
        "yes" => "no",
        "no" => "yes",
        "true" => "false",
        "false" => "true",
        _ => "not " + level,
    };

    private static T[] Shuffled<T>(IEnumerable<T> items, Random random)
    {
        var array = items.ToArray();
        random.Shuffle(array);
        return array;
    }
}
