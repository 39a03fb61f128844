using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Regression;
using Microsoft.Data.Analysis;

namespace GistNotebooks.Reporting.Tables;

/// <content>
/// Every estimator fed straight from a DataFrame: Kaplan–Meier, log-rank (strata, weights), Cox (covariates, strata,
/// weights, cluster, offset), parametric regression, competing risks (cumulative incidence with or without case weights, Gray's test, Fine–Gray
/// regression) and conditional survival. Each goes through <see cref="ToColumnTable"/>
/// and the library's own <c>FromTable</c> readers, so a DataFrame gives the same fit as the same data read from a file,
/// and a bad cell is refused with the same message (the source is named "DataFrame", rows are numbered from 1).
/// </content>
public static partial class DataFrames
{
    /// <summary>Survival data from the DataFrame's columns: times, events, and the groups, strata and weights named.</summary>
    /// <exception cref="DataValidationException">A column is missing, or a cell is missing or invalid; the message names the column and the 1-based row.</exception>
    public static SurvivalData ToSurvivalData(this DataFrame frame, SurvivalColumns columns)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(columns);
        return SurvivalData.FromTable(frame.ToColumnTable(), columns.Time, columns.Event, columns.Group, columns.Strata, columns.Weights, columns.EventCoding);
    }

    /// <summary>
    /// Kaplan–Meier curves of the DataFrame's columns: one per group level in R's order when <see cref="SurvivalColumns.Group"/>
    /// is named (as <c>survfit(Surv(time, event) ~ group, weights = w)</c>), else one curve.
    /// </summary>
    /// <exception cref="DataValidationException">As <see cref="ToSurvivalData(DataFrame, SurvivalColumns)"/>.</exception>
    public static IReadOnlyList<KaplanMeierCurve> EstimateKaplanMeier(this DataFrame frame, SurvivalColumns columns, KaplanMeierOptions? options = null)
        => KaplanMeier.EstimateByGroup(frame.ToSurvivalData(columns), options);

    /// <summary>
    /// The log-rank (or Fleming–Harrington) test of the groups named by <see cref="SurvivalColumns.Group"/>, stratified by
    /// <see cref="SurvivalColumns.Strata"/> and weighted by <see cref="SurvivalColumns.Weights"/> when named, as R's
    /// <c>survdiff(Surv(time, event) ~ group + strata(s))</c>.
    /// </summary>
    /// <exception cref="ArgumentException">No group column is named.</exception>
    /// <exception cref="DataValidationException">As <see cref="ToSurvivalData(DataFrame, SurvivalColumns)"/>.</exception>
    public static LogRankResult TestLogRank(this DataFrame frame, SurvivalColumns columns, LogRankOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Group is null)
        {
            throw new ArgumentException("A log-rank test compares groups: name the group column in SurvivalColumns.Group.", nameof(columns));
        }

        return LogRank.Test(frame.ToSurvivalData(columns), options);
    }

    /// <summary>
    /// A Cox model frame from the DataFrame: numeric covariates enter as one term each, string columns as factors
    /// (<paramref name="references"/> picks a factor's baseline level), with the strata and weights named; rows with a
    /// missing covariate are dropped, as <see cref="ModelFrame.FromTable"/> does.
    /// </summary>
    /// <exception cref="DataValidationException">As <see cref="ModelFrame.FromTable"/>.</exception>
    public static ModelFrame ToModelFrame(this DataFrame frame, SurvivalColumns columns, IReadOnlyList<string> covariates, IReadOnlyDictionary<string, string>? references = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(columns);
        return ModelFrame.FromTable(frame.ToColumnTable(), columns.Time, columns.Event, covariates, references, columns.Strata, columns.Weights, columns.EventCoding);
    }

    /// <summary>
    /// A Cox model fitted to the DataFrame's columns, as R's <c>coxph(Surv(time, event) ~ covariates + strata(s) +
    /// cluster(c) + offset(o), weights = w)</c>: the cluster and offset columns, when named, fill
    /// <see cref="CoxOptions.Clusters"/> and <see cref="CoxOptions.Offsets"/> for the rows the model frame keeps (they
    /// replace any given in <paramref name="options"/>).
    /// </summary>
    /// <exception cref="DataValidationException">As <see cref="ModelFrame.FromTable"/>, or a kept row's cluster label or offset is missing or not finite.</exception>
    public static CoxModel FitCox(
        this DataFrame frame,
        SurvivalColumns columns,
        IReadOnlyList<string> covariates,
        IReadOnlyDictionary<string, string>? references = null,
        CoxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(columns);
        var table = frame.ToColumnTable();
        var model = ModelFrame.FromTable(table, columns.Time, columns.Event, covariates, references, columns.Strata, columns.Weights, columns.EventCoding);
        options ??= new CoxOptions();
        if (columns.Cluster is { } cluster)
        {
            var labels = table.GetText(cluster);
            options = options with { Clusters = KeptRows(table, model, cluster, i => labels[i] is not null, i => labels[i]!, "the cluster label is missing") };
        }

        if (columns.Offset is { } offset)
        {
            var numbers = table.GetNumbersOrMissing(offset);
            options = options with
            {
                Offsets = KeptRows(table, model, offset, i => double.IsFinite(numbers[i]), i => numbers[i], "the offset is missing or not a finite number"),
            };
        }

        return CoxRegression.Fit(model, options);
    }

    /// <summary>
    /// A parametric survival model (Weibull by default) fitted to the DataFrame's columns, as R's
    /// <c>survreg(Surv(time, event) ~ covariates, weights = w, dist = ...)</c>: covariates and factors as for
    /// <see cref="ToModelFrame(DataFrame, SurvivalColumns, IReadOnlyList{string}, IReadOnlyDictionary{string, string}?)"/>;
    /// strata are not supported.
    /// </summary>
    /// <exception cref="DataValidationException">As <see cref="ModelFrame.FromTable"/> and <see cref="ParametricRegression.Fit(ModelFrame, ParametricOptions?)"/>.</exception>
    /// <exception cref="ArgumentException">A strata column is named.</exception>
    public static ParametricModel FitParametric(
        this DataFrame frame,
        SurvivalColumns columns,
        IReadOnlyList<string> covariates,
        IReadOnlyDictionary<string, string>? references = null,
        ParametricOptions? options = null)
        => ParametricRegression.Fit(frame.ToModelFrame(columns, covariates, references), options);

    /// <summary>
    /// Cumulative incidence of every cause from the DataFrame's time and status columns (0 censored, 1, 2, … causes), per
    /// group when a group column is named, as cmprsk's <c>cuminc</c>.
    /// </summary>
    /// <exception cref="DataValidationException">As <see cref="CompetingRisksData.FromTable"/>.</exception>
    public static CumulativeIncidenceResult EstimateCumulativeIncidence(this DataFrame frame, string timeColumn, string statusColumn, string? groupColumn = null)
        => CumulativeIncidence.Estimate(frame.ToCompetingRisksData(timeColumn, statusColumn, groupColumn));

    /// <summary>
    /// Cumulative incidence of every cause from the DataFrame's time and status columns, per group when a group column
    /// is named, and weighted by a column of case weights when one is named: then the weighted Aalen–Johansen estimate
    /// of R's <c>survfit(Surv(time, factor(status)) ~ group, weights = w)</c> with its infinitesimal-jackknife variance
    /// (<see cref="CumulativeIncidenceOptions.Weights"/>); without weights as cmprsk's <c>cuminc</c>.
    /// </summary>
    /// <exception cref="DataValidationException">As <see cref="CompetingRisksData.FromTable"/> and <see cref="CumulativeIncidenceOptions.FromTable"/>.</exception>
    public static CumulativeIncidenceResult EstimateCumulativeIncidence(this DataFrame frame, string timeColumn, string statusColumn, string? groupColumn, string? weightColumn)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var table = frame.ToColumnTable();
        var data = CompetingRisksData.FromTable(table, timeColumn, statusColumn, groupColumn);
        return CumulativeIncidence.Estimate(data, CumulativeIncidenceOptions.FromTable(table, weightColumn));
    }

    /// <summary>
    /// Gray's test, for every cause, that its cumulative incidence is the same in each group of the DataFrame's group
    /// column, as cmprsk's <c>cuminc(time, status, group, rho)$Tests</c>.
    /// </summary>
    /// <exception cref="DataValidationException">As <see cref="CompetingRisksData.FromTable"/>, or too many groups.</exception>
    /// <exception cref="ArgumentException">The group column has fewer than two levels, or no subject has an event.</exception>
    public static GrayTestResult TestGray(this DataFrame frame, string timeColumn, string statusColumn, string groupColumn, GrayTestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(groupColumn);
        return GrayTest.Test(frame.ToCompetingRisksData(timeColumn, statusColumn, groupColumn), options);
    }

    /// <summary>
    /// A Fine–Gray model of the subdistribution hazard of <see cref="FineGrayOptions.FailureCode"/> fitted to the
    /// DataFrame's time, status (0 censored, 1, 2, … causes) and covariate columns, as <c>cmprsk::crr</c>: numeric
    /// columns enter as one term each, string columns as factors (<paramref name="references"/> picks a factor's
    /// baseline level), and rows with a missing covariate are dropped (see <see cref="FineGray.Fit(ColumnTable, string, string, IReadOnlyList{string}, IReadOnlyDictionary{string, string}?, FineGrayOptions?)"/>).
    /// </summary>
    /// <exception cref="DataValidationException">A column is missing, a cell is invalid (the message names the column and the 1-based row), or the model cannot be fitted.</exception>
    public static FineGrayModel FitFineGray(
        this DataFrame frame,
        string timeColumn,
        string statusColumn,
        IReadOnlyList<string> covariates,
        IReadOnlyDictionary<string, string>? references = null,
        FineGrayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return FineGray.Fit(frame.ToColumnTable(), timeColumn, statusColumn, covariates, references, options);
    }

    /// <summary>
    /// Conditional survival S(t + s) / S(t) read off the Kaplan–Meier curve of each group (one curve without a group
    /// column), in the order of <see cref="EstimateKaplanMeier"/>.
    /// </summary>
    /// <param name="frame">The DataFrame.</param>
    /// <param name="columns">The time and event columns, and optionally groups and weights.</param>
    /// <param name="given">The time t already survived, finite and not negative.</param>
    /// <param name="additional">The further time s, finite and not negative.</param>
    /// <param name="convention">Whether t is survived beyond (the default) or only reached at risk.</param>
    /// <param name="options">The Kaplan–Meier options (confidence level and scale of the limits).</param>
    /// <exception cref="DataValidationException">As <see cref="ToSurvivalData(DataFrame, SurvivalColumns)"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A time is negative or not finite.</exception>
    public static IReadOnlyList<ConditionalSurvivalResult> EstimateConditionalSurvival(
        this DataFrame frame,
        SurvivalColumns columns,
        double given,
        double additional,
        ConditionalSurvivalConvention convention = ConditionalSurvivalConvention.SurvivedBeyond,
        KaplanMeierOptions? options = null)
        => [.. frame.EstimateKaplanMeier(columns, options).Select(curve => ConditionalSurvival.Estimate(curve, given, additional, convention))];

    /// <summary>A column's value on each row the model frame kept (rows dropped for a missing covariate are skipped); a missing value is refused.</summary>
    private static T[] KeptRows<T>(ColumnTable table, ModelFrame model, string column, Func<int, bool> present, Func<int, T> value, string problem)
    {
        var dropped = model.DroppedRows.ToHashSet();
        var kept = new List<T>(model.Data.Count);
        for (var i = 0; i < table.RowCount; i++)
        {
            if (dropped.Contains(table.SourceRow(i)))
            {
                continue;
            }

            kept.Add(present(i) ? value(i) : throw new DataValidationException(table.SourceName, table.SourceRow(i), column, problem));
        }

        return [.. kept];
    }
}
