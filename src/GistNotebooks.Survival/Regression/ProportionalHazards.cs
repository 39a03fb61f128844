using System.Collections.Immutable;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Inference;

namespace GistNotebooks.Survival.Regression;

/// <summary>The transform g(t) of time in the proportional-hazards test, as <c>cox.zph</c>'s <c>transform</c>.</summary>
public enum ZphTransform
{
    /// <summary>g(t) = 1 − S(t−), with S the Kaplan–Meier estimate of all subjects pooled; R's default "km".</summary>
    KaplanMeier,

    /// <summary>g(t) = t; R's "identity".</summary>
    Identity,
}

/// <summary>The test of proportional hazards for one model term, or the global test.</summary>
/// <param name="Term">The term name (a factor is one term), or "GLOBAL".</param>
/// <param name="ChiSquare">The score statistic.</param>
/// <param name="DegreesOfFreedom">The number of coefficients tested.</param>
/// <param name="P">P(χ²_df ≥ statistic).</param>
public sealed record ProportionalHazardsTerm(string Term, double ChiSquare, int DegreesOfFreedom, double P);

/// <summary>The result of <see cref="CoxRegression.TestProportionalHazards(CoxModel, SurvivalData, CovariateMatrix, ZphTransform, CoxOptions?)"/>, as R's <c>cox.zph(fit)$table</c>.</summary>
/// <param name="Terms">One test per model term, in model order.</param>
/// <param name="Global">The global test of all coefficients.</param>
/// <param name="Transform">The time transform used.</param>
public sealed record ProportionalHazardsTest(ImmutableArray<ProportionalHazardsTerm> Terms, ProportionalHazardsTerm Global, ZphTransform Transform);

public static partial class CoxRegression
{
    /// <summary>
    /// Tests proportional hazards as <c>cox.zph</c> in survival 3.5-3: for each term, the score test at
    /// γ = 0 of the model with added covariates x·g(t), β held at β̂, using the full 2p × 2p information
    /// (not the older approximation of Grambsch &amp; Therneau 1994 that used the variance of β̂ and the
    /// scaled Schoenfeld residuals); g is centred by its mean over the events.
    /// </summary>
    /// <param name="model">The fitted model (its coefficients, centring and tie method are used).</param>
    /// <param name="data">The same survival data the model was fitted to.</param>
    /// <param name="covariates">The same design matrix the model was fitted to.</param>
    /// <param name="transform">The time transform; default Kaplan–Meier, as R.</param>
    /// <param name="options">The options of the fit, for its time handling (<see cref="CoxOptions.TimeFix"/>); default as <see cref="CoxOptions"/>.</param>
    /// <exception cref="ArgumentException">The data or covariates do not match the model.</exception>
    public static ProportionalHazardsTest TestProportionalHazards(CoxModel model, SurvivalData data, CovariateMatrix covariates, ZphTransform transform = ZphTransform.KaplanMeier, CoxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(covariates);
        IReadOnlyList<double>? offsets = null;
        if (covariates.RowCount == data.Count)
        {
            // The data the fit saw: near-equal times merged and rows of weight zero left out, as the fit did.
            var prepared = Prepare(data, covariates, options ?? new CoxOptions());
            data = prepared.Data;
            covariates = prepared.Covariates;
            offsets = prepared.Offsets;
        }

        if (!covariates.Terms.SequenceEqual(model.Terms) || covariates.RowCount != data.Count || data.Count != model.N)
        {
            throw new ArgumentException("The data and covariates must be those the model was fitted to (same terms and rows).", nameof(covariates));
        }

        var p = model.Terms.Length;
        var beta = model.Coefficients.Select(c => c.Coefficient).ToArray();
        var likelihood = new CoxLikelihood(data, covariates, model.Means.AsSpan(), model.Ties, offsets);

        var g = transform == ZphTransform.Identity ? [.. data.TimeArray] : OneMinusKaplanMeierBefore(data);
        var eventMean = 0.0;
        var status = data.StatusArray;
        for (var i = 0; i < g.Length; i++)
        {
            eventMean += status[i] ? g[i] : 0;
        }

        eventMean /= data.EventCount;
        for (var i = 0; i < g.Length; i++)
        {
            g[i] -= eventMean;
        }

        var score = new double[2 * p];
        var information = new double[4 * p * p];
        likelihood.EvaluateTimeInteraction(beta, g, score, information);

        return ZphScoreTests(model, p, score, information, transform);
    }

    /// <summary>Tests proportional hazards for a model fitted to a model frame; see <see cref="TestProportionalHazards(CoxModel, SurvivalData, CovariateMatrix, ZphTransform, CoxOptions?)"/>.</summary>
    /// <exception cref="ArgumentException">The frame does not match the model.</exception>
    public static ProportionalHazardsTest TestProportionalHazards(CoxModel model, ModelFrame frame, ZphTransform transform = ZphTransform.KaplanMeier, CoxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return TestProportionalHazards(model, frame.Data, frame.Covariates, transform, options);
    }

    /// <summary>1 − S(t−) at each row's time, S the unweighted Kaplan–Meier estimate of all rows pooled (as cox.zph's survfitKM call).</summary>
    private static double[] OneMinusKaplanMeierBefore(SurvivalData data)
    {
        var order = data.TimeOrder;
        var time = data.TimeArray;
        var status = data.StatusArray;
        var result = new double[order.Length];
        var survival = 1.0;
        var k = 0;
        while (k < order.Length)
        {
            var t = time[order[k]];
            var end = k;
            var deaths = 0;
            while (end < order.Length && time[order[end]] == t)
            {
                deaths += status[order[end]] ? 1 : 0;
                end++;
            }

            var atRisk = order.Length - k;
            for (var i = k; i < end; i++)
            {
                result[order[i]] = 1 - survival;
            }

            survival *= 1 - ((double)deaths / atRisk);
            k = end;
        }

        return result;
    }

    /// <summary>
    /// cox.zph's score tests from the score and information of (β, γ) at γ = 0, β̂ (γ the coefficients of g(t)·x):
    /// one per model term over its columns, and the global one over all.
    /// </summary>
    private static ProportionalHazardsTest ZphScoreTests(CoxModel model, int p, double[] score, double[] information, ZphTransform transform)
    {
        ProportionalHazardsTerm TestColumns(string name, IReadOnlyList<int> columns)
        {
            // Score vector (0, U_γ[columns]) against the information of (β, γ[columns]).
            var index = Enumerable.Range(0, p).Concat(columns.Select(c => p + c)).ToArray();
            var k = index.Length;
            var sub = new double[k * k];
            var u = new double[k];
            for (var a = 0; a < k; a++)
            {
                u[a] = a < p ? 0 : score[index[a]];
                for (var b = 0; b < k; b++)
                {
                    sub[(a * k) + b] = information[(index[a] * 2 * p) + index[b]];
                }
            }

            var solver = new SymmetricSolver(k);
            var statistic = solver.Factorize(sub) ? solver.InverseQuadraticForm(u) : double.NaN;
            return new ProportionalHazardsTerm(name, statistic, columns.Count, Distributions.ChiSquareUpperTail(statistic, columns.Count));
        }

        var terms = model.ModelTerms.Select(t => TestColumns(t.Name, t.Columns)).ToImmutableArray();
        var global = TestColumns("GLOBAL", [.. Enumerable.Range(0, p)]);
        return new ProportionalHazardsTest(terms, global, transform);
    }
}
