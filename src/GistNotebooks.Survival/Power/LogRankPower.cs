using GistNotebooks.Survival.Inference;

namespace GistNotebooks.Survival.Power;

/// <summary>The number of events a two-sided log-rank test needs.</summary>
/// <param name="Events">The required number of events, unrounded.</param>
/// <param name="EventsRoundedUp">The events rounded up to a whole number (what a protocol states).</param>
/// <param name="HazardRatio">The hazard ratio to detect.</param>
/// <param name="Alpha">The two-sided significance level.</param>
/// <param name="Power">The power asked for.</param>
/// <param name="Allocation">The fraction of subjects in the group whose hazard is <see cref="HazardRatio"/> times the other's.</param>
/// <param name="Method">"Schoenfeld" or "Freedman".</param>
public sealed record RequiredEventsResult(double Events, int EventsRoundedUp, double HazardRatio, double Alpha, double Power, double Allocation, string Method);

/// <summary>How simulated subjects are censored.</summary>
/// <param name="AdministrativeFollowUp">Every subject still event-free at this time is censored there; null for no administrative end.</param>
/// <param name="ExponentialRate">The rate of exponential random censoring (loss to follow-up); 0 for none.</param>
public sealed record CensoringModel(double? AdministrativeFollowUp = null, double ExponentialRate = 0)
{
    /// <summary>No censoring: every subject's event is observed.</summary>
    public static CensoringModel None { get; } = new();

    /// <summary>Censoring at a fixed end of follow-up.</summary>
    public static CensoringModel Administrative(double followUp) => new(followUp);

    /// <summary>Exponential random censoring with the given rate.</summary>
    public static CensoringModel Exponential(double rate) => new(null, rate);
}

/// <summary>Simulated power of the two-sided log-rank test.</summary>
/// <param name="Power">The fraction of replicates with log-rank p &lt; alpha.</param>
/// <param name="MonteCarloStandardError">√(P(1 − P)/R), the simulation's own standard error.</param>
/// <param name="Replicates">R, the number of simulated trials.</param>
/// <param name="Rejections">How many replicates rejected.</param>
/// <param name="MeanEvents">The average number of observed events per replicate.</param>
/// <param name="Seed">The seed that reproduces the answer.</param>
public sealed record SimulatedPowerResult(double Power, double MonteCarloStandardError, int Replicates, int Rejections, double MeanEvents, int Seed);

/// <summary>
/// Events and power for the two-sided log-rank test comparing two groups: the closed forms of Schoenfeld (1981, 1983)
/// and Freedman (1982), and a seeded simulation for small samples.
/// </summary>
/// <remarks>
/// Throughout, <c>allocation</c> p is the fraction of subjects in the group whose hazard is HR times the other's (0.5 for
/// 1:1); α is two-sided; z_a = Φ⁻¹(1 − α/2) and z_b = Φ⁻¹(power). The closed-form powers ignore the far tail, as is usual.
/// </remarks>
public static class LogRankPower
{
    /// <summary>Schoenfeld's required events D = (z_a + z_b)² / (p(1 − p)(ln HR)²); for 1:1 this is 4(z_a + z_b)²/(ln HR)².</summary>
    /// <remarks>Schoenfeld D (1981) Biometrika 68:316–319; (1983) Biometrics 39:499–503.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">HR is not positive or is 1, α or power or allocation is not in (0, 1).</exception>
    public static RequiredEventsResult SchoenfeldEvents(double hazardRatio, double alpha = 0.05, double power = 0.8, double allocation = 0.5)
    {
        Validate(hazardRatio, alpha, allocation);
        RequireProbability(power, nameof(power));
        var z = Distributions.NormalQuantile(1 - (alpha / 2)) + Distributions.NormalQuantile(power);
        var logHazardRatio = Math.Log(hazardRatio);
        var events = z * z / (allocation * (1 - allocation) * logHazardRatio * logHazardRatio);
        return new RequiredEventsResult(events, RoundUp(events), hazardRatio, alpha, power, allocation, "Schoenfeld");
    }

    /// <summary>Freedman's required events D = (z_a + z_b)²(1 + k·HR)² / (k(1 − HR)²) with k = p/(1 − p); for 1:1, ((1 + HR)/(1 − HR))²(z_a + z_b)².</summary>
    /// <remarks>Freedman LS (1982) Stat Med 1:121–129.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="SchoenfeldEvents"/>.</exception>
    public static RequiredEventsResult FreedmanEvents(double hazardRatio, double alpha = 0.05, double power = 0.8, double allocation = 0.5)
    {
        Validate(hazardRatio, alpha, allocation);
        RequireProbability(power, nameof(power));
        var z = Distributions.NormalQuantile(1 - (alpha / 2)) + Distributions.NormalQuantile(power);
        var k = allocation / (1 - allocation);
        var ratio = (1 + (k * hazardRatio)) / (1 - hazardRatio);
        var events = z * z * ratio * ratio / k;
        return new RequiredEventsResult(events, RoundUp(events), hazardRatio, alpha, power, allocation, "Freedman");
    }

    /// <summary>Schoenfeld's power with D events: Φ(√(D·p(1 − p))·|ln HR| − z_a).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Events are not positive, or as <see cref="SchoenfeldEvents"/>.</exception>
    public static double SchoenfeldPower(double events, double hazardRatio, double alpha = 0.05, double allocation = 0.5)
    {
        Validate(hazardRatio, alpha, allocation);
        RequirePositive(events, nameof(events));
        var drift = Math.Sqrt(events * allocation * (1 - allocation)) * Math.Abs(Math.Log(hazardRatio));
        return Distributions.NormalCdf(drift - Distributions.NormalQuantile(1 - (alpha / 2)));
    }

    /// <summary>Freedman's power with D events: Φ(√(D·k)·|1 − HR|/(1 + k·HR) − z_a), k = p/(1 − p).</summary>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="SchoenfeldPower"/>.</exception>
    public static double FreedmanPower(double events, double hazardRatio, double alpha = 0.05, double allocation = 0.5)
    {
        Validate(hazardRatio, alpha, allocation);
        RequirePositive(events, nameof(events));
        var k = allocation / (1 - allocation);
        var drift = Math.Sqrt(events * k) * Math.Abs(1 - hazardRatio) / (1 + (k * hazardRatio));
        return Distributions.NormalCdf(drift - Distributions.NormalQuantile(1 - (alpha / 2)));
    }

    /// <summary>The smallest hazard ratio above 1 that D events detect with the given power (Schoenfeld): exp((z_a + z_b)/√(D·p(1 − p))); its reciprocal is the matching ratio below 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Events are not positive; α, power or allocation is not in (0, 1).</exception>
    public static double DetectableHazardRatio(double events, double alpha = 0.05, double power = 0.8, double allocation = 0.5)
    {
        RequirePositive(events, nameof(events));
        RequireProbability(alpha, nameof(alpha));
        RequireProbability(power, nameof(power));
        RequireProbability(allocation, nameof(allocation));
        var z = Distributions.NormalQuantile(1 - (alpha / 2)) + Distributions.NormalQuantile(power);
        return Math.Exp(z / Math.Sqrt(events * allocation * (1 - allocation)));
    }

    /// <summary>
    /// Simulates the power of the two-sided log-rank test for two small groups with exponential event times.
    /// </summary>
    /// <remarks>
    /// Each replicate draws event times with hazard λ (control) and λ·HR (treated), censors them by
    /// <paramref name="censoring"/>, and rejects when the log-rank χ² (1 df; hypergeometric variance with the usual
    /// tie factor) exceeds the 1 − α quantile, i.e. p &lt; α. The power is the fraction of rejections with Monte Carlo
    /// standard error √(P(1 − P)/R). Uses <see cref="Random"/> with the seed, so the same seed gives the same answer;
    /// buffers are allocated once and each replicate sorts them once.
    /// </remarks>
    /// <param name="controlSize">Subjects in the control group (hazard λ).</param>
    /// <param name="treatedSize">Subjects in the treated group (hazard λ·HR).</param>
    /// <param name="baselineHazard">λ, the control group's exponential hazard.</param>
    /// <param name="hazardRatio">HR, the treated group's hazard relative to control.</param>
    /// <param name="censoring">Administrative and/or exponential censoring.</param>
    /// <param name="replicates">The number of simulated trials; 1000 by default.</param>
    /// <param name="seed">The random seed; 1 by default.</param>
    /// <param name="alpha">The two-sided significance level; 0.05 by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">A group is empty, a rate is not positive and finite, replicates are below 1, or α is not in (0, 1).</exception>
    public static SimulatedPowerResult Simulate(
        int controlSize,
        int treatedSize,
        double baselineHazard,
        double hazardRatio,
        CensoringModel censoring,
        int replicates = 1000,
        int seed = 1,
        double alpha = 0.05)
    {
        ArgumentNullException.ThrowIfNull(censoring);
        ArgumentOutOfRangeException.ThrowIfLessThan(controlSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(treatedSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicates, 1);
        RequirePositive(baselineHazard, nameof(baselineHazard));
        RequirePositive(hazardRatio, nameof(hazardRatio));
        RequireProbability(alpha, nameof(alpha));
        if (censoring.ExponentialRate < 0 || !double.IsFinite(censoring.ExponentialRate))
        {
            throw new ArgumentOutOfRangeException(nameof(censoring), censoring.ExponentialRate, "The censoring rate must be finite and zero or more.");
        }

        if (censoring.AdministrativeFollowUp is double end && !(end > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(censoring), end, "The administrative follow-up must be positive.");
        }

        var critical = Distributions.ChiSquareQuantile(1 - alpha, 1);
        var n = controlSize + treatedSize;
        var times = new double[n];
        // Code per subject: bit 0 = event, bit 1 = treated group.
        var codes = new int[n];
        var random = new Random(seed);
        var treatedHazard = baselineHazard * hazardRatio;
        var followUp = censoring.AdministrativeFollowUp ?? double.PositiveInfinity;
        var rejections = 0;
        long totalEvents = 0;
        for (var replicate = 0; replicate < replicates; replicate++)
        {
            for (var i = 0; i < n; i++)
            {
                var treated = i >= controlSize;
                // 1 − U lies in (0, 1], so the logarithm is finite.
                var eventTime = -Math.Log(1 - random.NextDouble()) / (treated ? treatedHazard : baselineHazard);
                var censorTime = followUp;
                if (censoring.ExponentialRate > 0)
                {
                    censorTime = Math.Min(censorTime, -Math.Log(1 - random.NextDouble()) / censoring.ExponentialRate);
                }

                var isEvent = eventTime <= censorTime;
                times[i] = isEvent ? eventTime : censorTime;
                codes[i] = (isEvent ? 1 : 0) | (treated ? 2 : 0);
            }

            Array.Sort(times, codes);
            var (statistic, events) = TwoGroupLogRank(times, codes, treatedSize);
            totalEvents += events;
            if (statistic > critical)
            {
                rejections++;
            }
        }

        var power = (double)rejections / replicates;
        return new SimulatedPowerResult(power, Math.Sqrt(power * (1 - power) / replicates), replicates, rejections, (double)totalEvents / replicates, seed);
    }

    /// <summary>The two-group log-rank χ² over times sorted ascending (codes: bit 0 event, bit 1 treated); 0 when there is no variance.</summary>
    internal static (double Statistic, int Events) TwoGroupLogRank(double[] times, int[] codes, int treatedSize)
    {
        var n = times.Length;
        double atRisk = n;
        double treatedAtRisk = treatedSize;
        double observedMinusExpected = 0;
        double variance = 0;
        var events = 0;
        var start = 0;
        while (start < n)
        {
            var t = times[start];
            var end = start;
            var deaths = 0;
            var treatedDeaths = 0;
            var treatedLeaving = 0;
            while (end < n && times[end] == t)
            {
                var code = codes[end];
                if ((code & 1) != 0)
                {
                    deaths++;
                    if ((code & 2) != 0)
                    {
                        treatedDeaths++;
                    }
                }

                if ((code & 2) != 0)
                {
                    treatedLeaving++;
                }

                end++;
            }

            if (deaths > 0)
            {
                var share = treatedAtRisk / atRisk;
                observedMinusExpected += treatedDeaths - (deaths * share);
                if (atRisk > 1)
                {
                    variance += deaths * share * (1 - share) * (atRisk - deaths) / (atRisk - 1);
                }

                events += deaths;
            }

            atRisk -= end - start;
            treatedAtRisk -= treatedLeaving;
            start = end;
        }

        return (variance > 0 ? observedMinusExpected * observedMinusExpected / variance : 0, events);
    }

    private static int RoundUp(double events) => events >= int.MaxValue ? int.MaxValue : (int)Math.Ceiling(events - 1e-9);

    private static void Validate(double hazardRatio, double alpha, double allocation)
    {
        RequirePositive(hazardRatio, nameof(hazardRatio));
        if (hazardRatio == 1)
        {
            throw new ArgumentOutOfRangeException(nameof(hazardRatio), hazardRatio, "A hazard ratio of 1 cannot be detected (no number of events is enough).");
        }

        RequireProbability(alpha, nameof(alpha));
        RequireProbability(allocation, nameof(allocation));
    }

    private static void RequirePositive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "The value must be positive and finite.");
        }
    }

    private static void RequireProbability(double value, string name)
    {
        if (!(value > 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "The value must lie strictly between 0 and 1.");
        }
    }
}
