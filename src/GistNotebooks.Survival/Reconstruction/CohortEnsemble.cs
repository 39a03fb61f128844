using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using GistNotebooks.Survival.Claims;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Survival.Reconstruction;

/// <summary>How an ensemble of reconstructed cohorts is drawn.</summary>
public sealed record CohortEnsembleOptions
{
    /// <summary>How many cohorts to draw under each reading. Default 25.</summary>
    public int CohortsPerReading { get; init; } = 25;

    /// <summary>The seed of every reading's draw. Default 1 (the shipped cohort uses another).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Whether to draw under every reading of the claims file (the default) or only under the reading in force.</summary>
    public bool AcrossReadings { get; init; } = true;
}

/// <summary>One cohort of an ensemble, with the reading it was drawn under and its survival data.</summary>
/// <param name="Reading">The reading (null for a claims file without readings).</param>
/// <param name="Table">The cohort.</param>
/// <param name="Data">Its follow-up times and deaths.</param>
public sealed record EnsembleMember(string? Reading, ColumnTable Table, SurvivalData Data);

/// <summary>The values of one figure over a set of cohorts: minimum, quartiles (type 7, as R's default) and maximum.</summary>
/// <param name="Cohorts">How many cohorts.</param>
/// <param name="Undefined">How many of them had no value (e.g. a median not reached).</param>
/// <param name="Minimum">The smallest value, or null when no cohort has one.</param>
/// <param name="LowerQuartile">The 25th percentile.</param>
/// <param name="Median">The median.</param>
/// <param name="UpperQuartile">The 75th percentile.</param>
/// <param name="Maximum">The largest value.</param>
public sealed record SpreadValues(int Cohorts, int Undefined, double? Minimum, double? LowerQuartile, double? Median, double? UpperQuartile, double? Maximum);

/// <summary>How one figure varies over an ensemble: over all cohorts, and under each reading.</summary>
/// <param name="Figure">The figure in words.</param>
/// <param name="Overall">Minimum, quartiles and maximum over every cohort.</param>
/// <param name="ByReading">The same under each reading, in the claims file's order.</param>
public sealed record FigureSpread(string Figure, SpreadValues Overall, ImmutableArray<KeyValuePair<string, SpreadValues>> ByReading)
{
    /// <summary>Whether every cohort gives the same value, to 1e-9 relative (rounding in the last digits aside), and none lacks one.</summary>
    public bool IsFixed => Overall is { Undefined: 0, Minimum: double low, Maximum: double high } && high - low <= 1e-9 * Math.Max(1, Math.Abs(low));

    /// <summary>
    /// The spread in words, e.g. "47.0 to 93.0 (median 58.0; 160 cohorts)" or "not reached in 12 of 160", with values
    /// formatted by <paramref name="format"/> (a .NET numeric format, default "0.0").
    /// </summary>
    public string Text(string format = "0.0") => Describe(Overall, format);

    /// <summary>The spread under each reading in words, one "reading: …" per reading, separated by "; ".</summary>
    public string TextByReading(string format = "0.0") => string.Join("; ", ByReading.Select(r => $"{r.Key}: {Describe(r.Value, format)}"));

    /// <inheritdoc/>
    public override string ToString() => $"{Figure}: {Text()}";

    private static string Describe(SpreadValues f, string format)
    {
        var total = f.Cohorts;
        string N(double? v) => v!.Value.ToString(format, CultureInfo.InvariantCulture);
        var missing = f.Undefined > 0 ? string.Create(CultureInfo.InvariantCulture, $"; none in {f.Undefined} of {total}") : string.Empty;
        return f.Minimum is null
            ? string.Create(CultureInfo.InvariantCulture, $"none in {total} of {total}")
            : f.Minimum == f.Maximum
                ? string.Create(CultureInfo.InvariantCulture, $"{N(f.Minimum)} in every cohort ({total}){missing}")
                : string.Create(CultureInfo.InvariantCulture, $"{N(f.Minimum)} to {N(f.Maximum)} (median {N(f.Median)}; {total} cohorts{missing})");
    }
}

/// <summary>
/// An ensemble of cohorts that all agree with the claims, drawn under every reading of the claims file (or only the
/// one in force), for the spread of any figure a reconstructed cohort gives. Drawing is deterministic; an ensemble
/// already drawn in this process with the same claims and options is reused, so that several notebooks share one.
/// </summary>
public sealed class CohortEnsemble
{
    private static readonly ConcurrentDictionary<string, Lazy<CohortEnsemble>> Drawn = new(StringComparer.Ordinal);

    /// <summary>The times at which cumulative incidence is read (1, 2, 3 and 5 years in months).</summary>
    private static readonly double[] IncidenceTimes = [12, 24, 36, 60];

    /// <summary>The landmarks of conditional survival (1, 2 and 3 years in months).</summary>
    private static readonly double[] Landmarks = [12, 24, 36];

    private readonly Lazy<ImmutableArray<FigureSpread>> standardFigures;

    private CohortEnsemble(ClaimSet claims, ImmutableArray<EnsembleMember> members, ImmutableArray<string> readings)
    {
        Claims = claims;
        Members = members;
        Readings = readings;
        standardFigures = new Lazy<ImmutableArray<FigureSpread>>(ComputeStandardFigures);
    }

    /// <summary>The claims under the reading in force.</summary>
    public ClaimSet Claims { get; }

    /// <summary>The cohorts, reading by reading.</summary>
    public ImmutableArray<EnsembleMember> Members { get; }

    /// <summary>The readings drawn under ("(none)" for a claims file without readings).</summary>
    public ImmutableArray<string> Readings { get; }

    /// <summary>Draws (or reuses) an ensemble: <see cref="CohortEnsembleOptions.CohortsPerReading"/> cohorts under each reading.</summary>
    /// <exception cref="InfeasibleClaimsException">A reading's claims cannot hold together.</exception>
    /// <exception cref="UndecidedClaimsException">The budget was not enough to decide a reading's claims.</exception>
    /// <exception cref="UnmetClaimsException">No cohort passed every claim of a reading within the redraw limits.</exception>
    public static CohortEnsemble Draw(ClaimSet claims, CohortEnsembleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(claims);
        options ??= new CohortEnsembleOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CohortsPerReading, 1);
        var readings = options.AcrossReadings && !claims.Readings.IsEmpty ? claims.Readings.Select(r => (string?)r.Name).ToList() : [claims.Reading];
        var key = string.Create(CultureInfo.InvariantCulture, $"{claims.Sha256}|{claims.Reading}|{string.Join(",", readings)}|{options.CohortsPerReading}|{options.Seed}");
        return Drawn.GetOrAdd(key, _ => new Lazy<CohortEnsemble>(() =>
        {
            var members = ImmutableArray.CreateBuilder<EnsembleMember>();
            foreach (var reading in readings)
            {
                var under = reading is null ? claims : claims.WithReading(reading);
                var result = CohortReconstruction.Reconstruct(under, new ReconstructionOptions { Seed = options.Seed, Count = options.CohortsPerReading });
                foreach (var cohort in result.Cohorts)
                {
                    var table = cohort.ToTable();
                    members.Add(new EnsembleMember(reading, table, SurvivalData.FromTable(table, claims.TimeColumn, claims.EventColumn)));
                }
            }

            return new CohortEnsemble(claims, members.ToImmutable(), [.. readings.Select(r => r ?? "(none)")]);
        })).Value;
    }

    /// <summary>How a figure varies over the ensemble: over all cohorts and under each reading.</summary>
    /// <param name="figure">The figure in words.</param>
    /// <param name="compute">The figure of one cohort; null (or a non-finite value) when the cohort has none, e.g. a median not reached.</param>
    public FigureSpread Spread(string figure, Func<EnsembleMember, double?> compute)
    {
        ArgumentNullException.ThrowIfNull(figure);
        ArgumentNullException.ThrowIfNull(compute);
        var values = Members.Select(m => (m.Reading, Value: compute(m))).ToList();
        return new FigureSpread(
            figure,
            Describe(values.Select(v => v.Value)),
            [.. Readings.Select(r => KeyValuePair.Create(r, Describe(values.Where(v => (v.Reading ?? "(none)") == r).Select(v => v.Value))))]);
    }

    /// <summary>
    /// The figures a reconstructed cohort gives that the notebooks report: survival and its 95% limits (log) at each
    /// claimed time; the Kaplan–Meier median and its limits; the median of the observed follow-up times and the median
    /// follow-up by reverse Kaplan–Meier; the restricted mean to the last claimed time; deaths in all and by each claimed time; for each dated
    /// event, its cumulative incidence (death without it competing) at 12, 24, 36 and 60 time units; conditional
    /// survival to the last claimed time given 12, 24 and 36; and for each tested characteristic its log-rank p and its
    /// hazard ratio in ordinary and Firth Cox models with every characteristic.
    /// </summary>
    public ImmutableArray<FigureSpread> StandardFigures() => standardFigures.Value;

    /// <summary>One of the <see cref="StandardFigures"/>, by its name (e.g. "Kaplan–Meier median survival (months)").</summary>
    /// <exception cref="KeyNotFoundException">No standard figure has that name; the message lists them.</exception>
    public FigureSpread Figure(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return StandardFigures().FirstOrDefault(f => f.Figure == name)
            ?? throw new KeyNotFoundException($"No standard figure is named '{name}'; the figures are: {string.Join("; ", StandardFigures().Select(f => f.Figure))}.");
    }

    private ImmutableArray<FigureSpread> ComputeStandardFigures()
    {
        var unit = Claims.TimeUnit;
        var times = Claims.Claims.OfType<SurvivalAtClaim>().Select(c => c.Time).Distinct().Order().ToArray();
        var predictors = Claims.Claims.OfType<NoSignificantPredictorClaim>().FirstOrDefault()?.Predictors ?? [];
        var curves = Members.Select(m => KaplanMeier.Estimate(m.Data)).ToArray();
        KaplanMeierCurve Curve(EnsembleMember m) => curves[Members.IndexOf(m)];
        var figures = new List<FigureSpread>();
        foreach (var t in times)
        {
            figures.Add(Spread(Invariant($"survival at {t} {unit} (%)"), m => 100 * Curve(m).SurvivalAtTime(t)));
            figures.Add(Spread(Invariant($"lower 95% limit of survival at {t} {unit} (%)"), m => 100 * Curve(m).SurvivalAt([t])[0].Lower));
            figures.Add(Spread(Invariant($"upper 95% limit of survival at {t} {unit} (%)"), m => 100 * Curve(m).SurvivalAt([t])[0].Upper));
        }

        figures.Add(Spread($"Kaplan–Meier median survival ({unit})", m => Curve(m).Median.Estimate));
        figures.Add(Spread($"lower 95% limit of the median ({unit})", m => Curve(m).Median.Lower));
        figures.Add(Spread($"median of the observed follow-up times ({unit})", m => SampleQuantiles.Median(m.Data.Times)));
        figures.Add(Spread($"median follow-up by reverse Kaplan–Meier ({unit})", m => KaplanMeier.MedianFollowUp(m.Data).Estimate));
        if (times.Length > 0)
        {
            figures.Add(Spread(Invariant($"restricted mean survival to {times[^1]} {unit}"), m => Curve(m).RestrictedMean(times[^1]).Estimate));
            foreach (var given in Landmarks.Where(g => g < times[^1]))
            {
                figures.Add(Spread(Invariant($"survival to {times[^1]} given survival to {given} {unit} (%)"), m => 100 * ConditionalSurvival.Estimate(Curve(m), given, times[^1] - given).Estimate));
            }
        }

        figures.Add(Spread("deaths in all", m => m.Data.EventCount));
        foreach (var t in times)
        {
            figures.Add(Spread(Invariant($"deaths by {t} {unit}"), m => Enumerable.Range(0, m.Data.Count).Count(i => m.Data.Events[i] && m.Data.Times[i] <= t)));
        }

        foreach (var (eventColumn, timeColumn) in Claims.EventTimeColumns.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var t in IncidenceTimes)
            {
                figures.Add(Spread(Invariant($"cumulative incidence of {eventColumn} at {t} {unit} (%)"), m => 100 * Incidence(m, eventColumn, timeColumn, t)));
            }
        }

        for (var k = 0; k < predictors.Length; k++)
        {
            var predictor = predictors[k];
            figures.Add(Spread($"log-rank p, {predictor.Label}", m => predictor.LogRankP(m.Data.Times, m.Data.Events, [.. m.Table.GetText(predictor.Column).Select(v => v ?? string.Empty)])));
        }

        var ordinary = Members.Select(m => Fit(m, predictors, firth: false)).ToArray();
        var firth = Members.Select(m => Fit(m, predictors, firth: true)).ToArray();
        for (var k = 0; k < predictors.Length; k++)
        {
            var term = k;
            figures.Add(Spread($"Cox hazard ratio, {predictors[k].Label}", m => ordinary[Members.IndexOf(m)] is { } fit && !fit.Coefficients[term].IsInfinite ? fit.Coefficients[term].HazardRatio : null));
            figures.Add(Spread($"Firth Cox hazard ratio, {predictors[k].Label}", m => firth[Members.IndexOf(m)]?.Coefficients[term].HazardRatio));
        }

        return [.. figures];
    }

    /// <summary>The ordinary or Firth Cox model of one cohort with every tested characteristic as an indicator; null when it cannot be fitted.</summary>
    private static CoxModel? Fit(EnsembleMember member, ImmutableArray<Predictor> predictors, bool firth)
    {
        if (predictors.IsEmpty)
        {
            return null;
        }

        var covariates = CovariateMatrix.FromColumns(
            [.. predictors.Select(p => p.Column + ": " + p.Level)],
            [.. predictors.Select(p => (IReadOnlyList<double>)[.. member.Table.GetText(p.Column).Select(v => v == p.Level ? 1.0 : 0.0)])]);
        try
        {
            // Only the hazard ratios are read: the Firth fits skip profiling their limits.
            return firth ? CoxRegression.FitFirth(member.Data, covariates, new CoxOptions { FirthProfile = false }) : CoxRegression.Fit(member.Data, covariates);
        }
        catch (DataValidationException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static double? Incidence(EnsembleMember member, string eventColumn, string timeColumn, double time)
    {
        var happened = member.Table.GetText(eventColumn);
        var eventTimes = member.Table.GetNumbersOrMissing(timeColumn);
        var n = member.Data.Count;
        var times = new double[n];
        var causes = new int[n];
        for (var i = 0; i < n; i++)
        {
            var occurred = happened[i] == "1";
            times[i] = occurred ? eventTimes[i] : member.Data.Times[i];
            causes[i] = occurred ? 1 : member.Data.Events[i] ? 2 : 0;
        }

        return CumulativeIncidence.Estimate(CompetingRisksData.Create(times, causes)).Curve(1).At([time])[0].Estimate;
    }

    private static SpreadValues Describe(IEnumerable<double?> values)
    {
        var all = values.ToList();
        var present = all.Where(v => v is double d && double.IsFinite(d)).Select(v => v!.Value).Order().ToArray();
        return present.Length == 0
            ? new SpreadValues(all.Count, all.Count, null, null, null, null, null)
            : new SpreadValues(all.Count, all.Count - present.Length, present[0], SampleQuantiles.QuantileOfSorted(present, 0.25), SampleQuantiles.MedianOfSorted(present), SampleQuantiles.QuantileOfSorted(present, 0.75), present[^1]);
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
