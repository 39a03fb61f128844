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

    /// <summary>How many orders and time placements are tried before giving up. Default 200.</summary>
    public int MaximumRedraws { get; init; } = 200;

    /// <summary>Called after each cohort with the number done and the number asked for (for a progress bar).</summary>
    public Action<int, int>? Progress { get; init; }
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

/// <summary>A reconstruction: the cohorts drawn, the orders they were drawn from, and what constrains each column.</summary>
/// <param name="Cohorts">The cohorts, the first being the one to ship.</param>
/// <param name="Orders">Every order of deaths and censorings consistent with the time claims.</param>
/// <param name="Provenance">Where the cohorts come from, for <c>cohort.json</c>.</param>
public sealed record ReconstructionResult(ImmutableArray<Cohort> Cohorts, OrderEnumerationResult Orders, CohortProvenance Provenance);

/// <summary>What a reconstructed cohort rests on.</summary>
/// <param name="Study">The study id.</param>
/// <param name="Notice">That the cohort is synthetic.</param>
/// <param name="Seed">The seed.</param>
/// <param name="LibraryVersion">The version of this library.</param>
/// <param name="ClaimsSha256">The SHA-256 of the claims file.</param>
/// <param name="ConsistentOrders">How many orders (deaths, censorings and where each claimed time falls) agree with the time claims.</param>
/// <param name="ConsistentSequences">How many distinct death/censoring sequences those orders hold.</param>
/// <param name="TimeGrid">The resolution of placed times.</param>
/// <param name="ConstrainedColumns">For each column, the claims that fix it (wholly or in part).</param>
/// <param name="Unconstrained">What no claim fixes: values drawn at random, never to be read as findings.</param>
public sealed record CohortProvenance(
    string Study,
    string Notice,
    int Seed,
    string LibraryVersion,
    string ClaimsSha256,
    int ConsistentOrders,
    int ConsistentSequences,
    string TimeGrid,
    ImmutableDictionary<string, ImmutableArray<string>> ConstrainedColumns,
    ImmutableArray<string> Unconstrained);

/// <summary>
/// Summary-constrained reconstruction: draws patient-level cohorts that agree with every claim of a
/// claims file. An order of deaths and censorings is drawn from the complete consistent set, times are
/// placed on a 0.1 grid to satisfy every time claim, the reported margins of each characteristic are
/// assigned at random, and a cohort that breaks a claim (such as "no significant predictor") is redrawn.
/// </summary>
public static class CohortReconstruction
{
    /// <summary>Reconstructs cohorts.</summary>
    /// <exception cref="InfeasibleClaimsException">The claims cannot hold together; the exception names the smallest conflicting sets.</exception>
    /// <exception cref="InvalidOperationException">No cohort satisfying every claim was found within the redraw limits.</exception>
    public static ReconstructionResult Reconstruct(ClaimSet claims, ReconstructionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(claims);
        options ??= new ReconstructionOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Count, 1);
        var n = OrderEnumeration.CohortSize(claims);
        var constraints = TimeConstraints.From(claims, n);
        var orders = OrderEnumeration.Enumerate(constraints);
        if (orders.Count == 0 || claims.Claims.Any(c => c is CategoryCountsClaim or CountClaim or SurvivorsBeyondClaim))
        {
            var feasibility = ClaimFeasibility.Analyze(claims);
            if (orders.Count == 0 || !feasibility.IsFeasible)
            {
                throw new InfeasibleClaimsException(feasibility);
            }
        }

        var random = new Random(options.Seed);
        var cohorts = ImmutableArray.CreateBuilder<Cohort>(options.Count);
        for (var k = 0; k < options.Count; k++)
        {
            cohorts.Add(Draw(claims, constraints, orders, random, options));
            options.Progress?.Invoke(k + 1, options.Count);
        }

        return new ReconstructionResult(cohorts.MoveToImmutable(), orders, Describe(claims, orders, options.Seed));
    }

    private static Cohort Draw(ClaimSet claims, TimeConstraints constraints, OrderEnumerationResult orders, Random random, ReconstructionOptions options)
    {
        for (var redraw = 0; redraw < options.MaximumRedraws; redraw++)
        {
            var order = orders.Orders[random.Next(orders.Count)];
            var times = TimeGrid.For(order, constraints).Place(random)
                ?? throw new InvalidOperationException("An enumerated order has no time placement; this is a defect of the enumeration.");
            for (var attempt = 0; attempt < options.AttemptsPerOrder; attempt++)
            {
                var columns = Assign(claims, order, times, random);
                if (PredictorsHold(claims, columns))
                {
                    return new Cohort(columns);
                }
            }
        }

        throw new InvalidOperationException(FormattableString.Invariant(
            $"No cohort satisfied every claim after {options.MaximumRedraws} orders × {options.AttemptsPerOrder} assignments; the claims may be nearly contradictory."));
    }

    private static List<(string Name, string[] Values)> Assign(ClaimSet claims, EventOrder order, double[] times, Random random)
    {
        var n = order.Count;
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
            foreach (var i in Shuffled(eligible, random).Take(c.Count))
            {
                values[i] = c.Level;
            }

            columns.Add((c.Column, values));
        }

        columns.Add((claims.TimeColumn, [.. times.Select(Format)]));
        columns.Add((claims.EventColumn, [.. order.Deaths.Select(d => d ? "1" : "0")]));

        foreach (var (eventColumn, timeColumn) in claims.EventTimeColumns.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var events = Column(eventColumn);
            var eventTimes = new string[n];
            for (var i = 0; i < n; i++)
            {
                // An event other than death is dated uniformly on the grid between 0.1 and the last follow-up.
                var ticks = (int)Math.Round(times[i] * TimeGrid.StepsPerUnit);
                eventTimes[i] = events[i] == "1" ? Format((1 + random.Next(ticks)) / (double)TimeGrid.StepsPerUnit) : string.Empty;
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
                var value = times[i] > c.Time ? atLeast + random.Next(2) : 1 + random.Next(atLeast);
                values[i] = value.ToString(CultureInfo.InvariantCulture);
            }

            columns.Add((c.ConditionColumn!, values));
        }

        return columns;
    }

    private static bool PredictorsHold(ClaimSet claims, List<(string Name, string[] Values)> columns)
    {
        var claim = claims.Claims.OfType<NoSignificantPredictorClaim>().FirstOrDefault();
        if (claim is null)
        {
            return true;
        }

        var times = columns.First(c => c.Name == claims.TimeColumn).Values.Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var events = columns.First(c => c.Name == claims.EventColumn).Values.Select(v => v == "1").ToArray();
        foreach (var predictor in claim.Predictors)
        {
            var values = columns.First(c => c.Name == predictor.Column).Values;
            var p = predictor.LogRankP(times, events, values);
            if (p is double value && value < claim.Alpha)
            {
                return false;
            }
        }

        return true;
    }

    private static CohortProvenance Describe(ClaimSet claims, OrderEnumerationResult orders, int seed)
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
                case SurvivalAtClaim or FollowUpClaim or MedianSurvivalClaim:
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
            "exact times: only the order of deaths and censorings relative to the claimed times, the follow-up median and range are fixed; times between them are drawn uniformly on a 0.1 grid",
            "which of the orders consistent with the claims is the real one: each cohort draws one at random",
            "patient ids: numbered in order of follow-up time",
        };
        foreach (var (eventColumn, timeColumn) in claims.EventTimeColumns)
        {
            unconstrained.Add($"{timeColumn}: no claim dates {eventColumn}; drawn uniformly between 0.1 and the last follow-up");
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
            orders.Count,
            orders.Orders.Select(o => string.Concat(o.Deaths.Select(d => d ? 'D' : 'c'))).Distinct().Count(),
            FormattableString.Invariant($"times placed on a grid of {1.0 / TimeGrid.StepsPerUnit} {claims.TimeUnit}, distinct"),
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

    private static string Format(double time) => time.ToString("F1", CultureInfo.InvariantCulture);
}
