using System.Collections.Immutable;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Reconstruction;

/// <summary>The orders of deaths and censorings that agree with every time claim of a claims file.</summary>
/// <param name="Orders">Every consistent order, in a fixed (depth-first, deaths before censorings) sequence.</param>
/// <param name="ClaimIds">The claims that constrained the enumeration.</param>
/// <param name="CandidatesVisited">How many partial orders the search visited (a measure of its work).</param>
public sealed record OrderEnumerationResult(ImmutableArray<EventOrder> Orders, ImmutableArray<string> ClaimIds, long CandidatesVisited)
{
    /// <summary>The number of consistent orders.</summary>
    public int Count => Orders.Length;
}

/// <summary>
/// Exhaustive enumeration of the orders of deaths and censorings of n subjects (distinct times) whose
/// Kaplan–Meier values at the claimed times round to the reported figures, together with the claims on
/// the follow-up median and range and on the number followed beyond a time.
/// </summary>
/// <remarks>
/// Depth-first over positions in time order, choosing death or censoring and where each claimed time
/// falls. Kaplan–Meier survival can only fall, so a branch whose survival is already below a pending
/// claim's interval is cut. Every order is visited, not sampled: for n = 18 the search is complete in
/// milliseconds. The search grows as 2ⁿ in the worst case; it refuses n above 40.
/// </remarks>
public static class OrderEnumeration
{
    /// <summary>The largest cohort the exhaustive search accepts.</summary>
    public const int MaximumSubjects = 40;

    /// <summary>Enumerates every consistent order for the claims of a claims file.</summary>
    /// <exception cref="DataValidationException">The claims file has no cohort size claim, or the cohort is larger than <see cref="MaximumSubjects"/>.</exception>
    public static OrderEnumerationResult Enumerate(ClaimSet claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return Enumerate(TimeConstraints.From(claims, CohortSize(claims)));
    }

    internal static int CohortSize(ClaimSet claims)
    {
        var size = claims.Claims.OfType<CohortSizeClaim>().FirstOrDefault()
            ?? throw new DataValidationException(claims.Study, null, null, "the claims name no cohort size (a claim of kind cohortSize)");
        if (size.Count is < 1 or > MaximumSubjects)
        {
            throw new DataValidationException(claims.Study, null, null, FormattableString.Invariant(
                $"claim {size.Id}: the exhaustive enumeration handles 1 to {MaximumSubjects} subjects; the claims give {size.Count}"));
        }

        return size.Count;
    }

    internal static OrderEnumerationResult Enumerate(TimeConstraints constraints, int stopAfter = int.MaxValue)
    {
        var search = new Search(constraints, stopAfter);
        search.Run();
        return new OrderEnumerationResult([.. search.Found], constraints.ClaimIds, search.Visited);
    }

    private sealed class Search
    {
        private readonly TimeConstraints constraints;
        private readonly int n;
        private readonly double[] cutTimes;
        private readonly bool[] deaths;
        private readonly double[] survivalAfter;
        private readonly int[] cuts;
        private readonly int stopAfter;

        public Search(TimeConstraints constraints, int stopAfter)
        {
            this.stopAfter = stopAfter;
            this.constraints = constraints;
            n = constraints.Count;
            cutTimes = [.. constraints.CutTimes];
            deaths = new bool[n];
            survivalAfter = new double[n + 1];
            survivalAfter[0] = 1.0;
            cuts = new int[cutTimes.Length];
        }

        public List<EventOrder> Found { get; } = [];

        public long Visited { get; private set; }

        public void Run() => Step(0, 0);

        private void Step(int placed, int cut)
        {
            Visited++;
            if (Found.Count >= stopAfter)
            {
                return;
            }

            var s = survivalAfter[placed];
            if (IsDead(placed, cut, s))
            {
                return;
            }

            if (cut < cutTimes.Length && CutHolds(placed, cut))
            {
                cuts[cut] = placed;
                Step(placed, cut + 1);
            }

            if (placed == n)
            {
                if (cut == cutTimes.Length)
                {
                    Accept();
                }

                return;
            }

            deaths[placed] = true;
            survivalAfter[placed + 1] = s * (1.0 - (1.0 / (n - placed)));
            Step(placed + 1, cut);
            deaths[placed] = false;
            survivalAfter[placed + 1] = s;
            Step(placed + 1, cut);
        }

        /// <summary>Whether no completion of this branch can satisfy a pending claim.</summary>
        private bool IsDead(int placed, int cut, double s)
        {
            for (var k = cut; k < cutTimes.Length; k++)
            {
                foreach (var c in constraints.SurvivalAt)
                {
                    if (c.Time == cutTimes[k] && 100 * s < c.Percent.Lower - 1e-9)
                    {
                        return true;
                    }
                }

                foreach (var c in constraints.SurvivorsBeyond)
                {
                    if (c.Time == cutTimes[k] && n - placed < c.Count)
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>Whether the claims at cut time k hold when exactly <paramref name="placed"/> subjects are at or before it.</summary>
        private bool CutHolds(int placed, int k)
        {
            var tau = cutTimes[k];
            var s = survivalAfter[placed];
            foreach (var c in constraints.SurvivalAt)
            {
                if (c.Time == tau && !c.Percent.Admits(100 * s))
                {
                    return false;
                }
            }

            foreach (var c in constraints.SurvivorsBeyond)
            {
                if (c.Time == tau && n - placed != c.Count)
                {
                    return false;
                }
            }

            foreach (var c in constraints.MedianSurvival)
            {
                // The Kaplan–Meier median is the event time at which survival first reaches 0.5 or below:
                // the last subject at or before it is a death that takes survival from above 0.5 to 0.5 or below.
                if (c.Median.Value == tau && !(placed > 0 && deaths[placed - 1] && s <= 0.5 && survivalAfter[placed - 1] > 0.5))
                {
                    return false;
                }
            }

            return true;
        }

        private void Accept()
        {
            var order = new EventOrder([.. deaths], [.. cutTimes], [.. cuts]);
            if (constraints.FollowUp is null && constraints.CutTimes.IsEmpty)
            {
                Found.Add(order);
                return;
            }

            if (TimeGrid.For(order, constraints).IsFeasible())
            {
                Found.Add(order);
            }
        }
    }
}
