using System.Collections.Immutable;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Inference;

namespace GistNotebooks.Survival.Regression;

/// <summary>
/// Fine–Gray regression (Fine &amp; Gray 1999) of the subdistribution hazard of one cause in competing-risks data,
/// matching <c>cmprsk::crr</c> in cmprsk 2.2-11. See docs/methods.md, "Fine–Gray regression".
/// </summary>
/// <remarks>
/// <para>
/// The subdistribution hazard of cause 1 is λ₁(t | x) = λ₁₀(t)·exp(xᵀβ), the hazard of the cumulative incidence
/// F₁(t | x) = 1 − exp(−∫λ₁). β maximises the weighted partial likelihood in which a subject who failed from
/// another cause stays in the risk set with weight Ĝ(t−)/Ĝ(tᵢ−) (Ĝ the Kaplan–Meier estimate of censoring).
/// As crr: Newton–Raphson from β = 0 with backtracking (the step halved, up to 20 times, until the objective falls
/// by at least 1e-4 of the predicted decrease), convergence when maxⱼ|Uⱼ|·max(|βⱼ|, 1) &lt; max(|ℓ|, 1)·1e-6, at
/// most 10 iterations; the same path is followed, so β̂ equals crr's to rounding even though that criterion stops
/// short of the exact maximum. Tied times are handled as crr handles them: tied events of the cause enter as
/// Breslow's approximation, and a subject censored or failing from another cause at an event time is still in
/// its risk set with weight 1.
/// </para>
/// <para>
/// The variance is crr's sandwich, I⁻¹·Σᵢ(ηᵢ + ψᵢ)(ηᵢ + ψᵢ)ᵀ·I⁻¹, where ηᵢ is subject i's score term with the
/// baseline hazard estimated and ψᵢ the term from the estimated censoring distribution (Fine &amp; Gray 1999,
/// section 3); the naive I⁻¹ is kept as well.
/// </para>
/// <para>
/// Not supported (crr supports them): time-varying covariates (crr's <c>cov2</c> and <c>tf</c>), censoring
/// groups with separate censoring distributions (<c>cengroup</c>), starting values, and case weights (crr has none).
/// </para>
/// </remarks>
public static class FineGray
{
    /// <summary>Fits a Fine–Gray model for the cause <see cref="FineGrayOptions.FailureCode"/>.</summary>
    /// <param name="data">Times and cause codes (0 censored, 1, 2, … causes); group labels are ignored.</param>
    /// <param name="covariates">One row per subject, one column per coefficient.</param>
    /// <param name="options">Settings; defaults as crr (<see cref="FineGrayOptions"/>).</param>
    /// <returns>The fitted model; non-convergence is reported in <see cref="FineGrayModel.Converged"/> and its warnings.</returns>
    /// <exception cref="DataValidationException">The rows differ in number, there are no events of the cause, a covariate has no variance, covariates are collinear, or the information is singular.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static FineGrayModel Fit(CompetingRisksData data, CovariateMatrix covariates, FineGrayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(covariates);
        return FitCore(data, covariates, options ?? new FineGrayOptions(), [], []);
    }

    /// <summary>
    /// Fits a Fine–Gray model to a model frame (covariates and factors as for Cox) and the cause code of each of its
    /// rows. Build the frame with the status column as its event column, coded so that every cause counts as an
    /// event (for instance <see cref="EventCoding.FromLabels"/> with the cause codes); the frame's dropped rows are
    /// kept in <see cref="FineGrayModel.DroppedRows"/>.
    /// </summary>
    /// <param name="frame">Times and covariates; weights and strata are not supported.</param>
    /// <param name="causes">The cause code (0 censored, 1, 2, …) of each row of the frame, after its dropped rows.</param>
    /// <param name="options">Settings; defaults as crr.</param>
    /// <exception cref="DataValidationException">As <see cref="Fit(CompetingRisksData, CovariateMatrix, FineGrayOptions?)"/>, or a cause code is negative.</exception>
    /// <exception cref="ArgumentException">The number of causes is not the number of rows, or the frame has weights or strata.</exception>
    public static FineGrayModel Fit(ModelFrame frame, IReadOnlyList<int> causes, FineGrayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(causes);
        if (causes.Count != frame.Data.Count)
        {
            throw new ArgumentException($"There are {causes.Count} cause codes for {frame.Data.Count} rows; give one per row of the frame.", nameof(causes));
        }

        if (frame.Data.HasWeights || !frame.Data.Strata.IsEmpty)
        {
            throw new ArgumentException("Case weights and strata are not supported by the Fine–Gray regression (cmprsk::crr has neither).", nameof(frame));
        }

        return FitCore(CompetingRisksData.Create(frame.Data.Times, causes), frame.Covariates, options ?? new FineGrayOptions(), frame.DroppedRows, frame.Factors);
    }

    /// <summary>
    /// Fits a Fine–Gray model to columns of a table (read from a file, built in memory, or made from a DataFrame), as
    /// <c>crr(time, status, model.matrix(~ covariates)[, -1], failcode)</c> after R's <c>na.omit</c>: numeric covariates
    /// enter as one term each, label columns as factors (<paramref name="references"/> picks a factor's baseline level),
    /// and rows with a missing covariate are dropped and listed in <see cref="FineGrayModel.DroppedRows"/> as the table
    /// numbers its rows.
    /// </summary>
    /// <param name="table">The table.</param>
    /// <param name="timeColumn">The column of follow-up times.</param>
    /// <param name="statusColumn">The column of status codes: 0 censored, 1, 2, … causes.</param>
    /// <param name="covariates">The covariate columns, at least one.</param>
    /// <param name="references">The reference level of a factor, by column; default the first level in R's order.</param>
    /// <param name="options">Settings; defaults as crr (cause 1).</param>
    /// <exception cref="DataValidationException">A column is missing, a value is invalid (the message names the source, row and column), or as <see cref="Fit(CompetingRisksData, CovariateMatrix, FineGrayOptions?)"/>.</exception>
    public static FineGrayModel Fit(
        ColumnTable table,
        string timeColumn,
        string statusColumn,
        IReadOnlyList<string> covariates,
        IReadOnlyDictionary<string, string>? references = null,
        FineGrayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(statusColumn);
        var data = CompetingRisksData.FromTable(table, timeColumn, statusColumn);

        // The model frame drops rows with a missing covariate; every cause code counts as an event there, and each kept
        // row's cause is read back by the row number the frame reports for the rows it dropped.
        var causeLabels = new HashSet<string>(StringComparer.Ordinal);
        var labels = table.GetText(statusColumn);
        for (var i = 0; i < table.RowCount; i++)
        {
            if (data.CauseCodes[i] != 0)
            {
                causeLabels.Add(labels[i]!);
            }
        }

        var frame = ModelFrame.FromTable(table, timeColumn, statusColumn, covariates, references, eventCoding: EventCoding.FromLabels(causeLabels, []));
        var dropped = frame.DroppedRows.ToHashSet();
        var causes = new List<int>(frame.Data.Count);
        for (var i = 0; i < table.RowCount; i++)
        {
            if (!dropped.Contains(table.SourceRow(i)))
            {
                causes.Add(data.CauseCodes[i]);
            }
        }

        return Fit(frame, causes, options);
    }

    private static FineGrayModel FitCore(CompetingRisksData data, CovariateMatrix covariates, FineGrayOptions options, ImmutableArray<int> droppedRows, ImmutableArray<FactorCovariate> factors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxIterations);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.FailureCode);
        if (!(options.GradientTolerance > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The gradient tolerance must be positive.");
        }

        if (!(options.ConfidenceLevel > 0 && options.ConfidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The confidence level must lie strictly between 0 and 1.");
        }

        if (covariates.RowCount != data.Count)
        {
            throw new DataValidationException("covariates", null, null, FormattableString.Invariant($"has {covariates.RowCount} rows but the competing-risks data have {data.Count}; they must be equal"));
        }

        var codes = data.CauseArray;
        var events = codes.Count(c => c == options.FailureCode);
        if (events == 0)
        {
            throw new DataValidationException("causes", null, null, FormattableString.Invariant($"there are no events of cause {options.FailureCode}; a Fine–Gray model for it cannot be fitted (the causes present are {(data.Causes.IsEmpty ? "none" : string.Join(", ", data.Causes))})"));
        }

        DesignCheck.RequireFullRank(SurvivalData.Create(data.Times, [.. codes.Select(c => c != 0)]), covariates);
        var likelihood = new FineGrayLikelihood(data, covariates, options.FailureCode);
        var p = covariates.TermCount;
        var (beta, objective, hessian, iterations, converged) = Newton(likelihood, p, options);
        var warnings = ImmutableArray.CreateBuilder<string>();
        if (!converged)
        {
            warnings.Add(FormattableString.Invariant($"The Newton–Raphson iteration did not meet crr's convergence criterion within {options.MaxIterations} iterations (or the backtracking failed); the estimates are those of the last iteration (crr: converged = FALSE)."));
        }

        var solver = new SymmetricSolver(p);
        if (!solver.Factorize(hessian))
        {
            throw new DataValidationException("covariates", null, null, "the information matrix at the estimate is singular; check for covariates that do not vary among the subjects at risk");
        }

        var naive = solver.Inverse();
        var sandwich = Sandwich(naive, likelihood.ScoreOuterProduct(beta), p);
        var critical = Distributions.NormalQuantile(1 - ((1 - options.ConfidenceLevel) / 2));
        var terms = covariates.Terms;
        var coefficients = ImmutableArray.CreateBuilder<FineGrayCoefficient>(p);
        for (var j = 0; j < p; j++)
        {
            var b = beta[j];
            var se = Math.Sqrt(sandwich[(j * p) + j]);
            var z = b / se;
            coefficients.Add(new FineGrayCoefficient(terms[j], b, se, Math.Exp(b), Math.Exp(b - (critical * se)), Math.Exp(b + (critical * se)), z, Distributions.NormalTwoSidedP(z)));
        }

        warnings.AddRange(CovariateScale.Warnings(
            terms,
            CovariateScale.StandardDeviations(covariates, null),
            beta,
            [.. coefficients.Select(c => (double?)c.Lower)],
            [.. coefficients.Select(c => (double?)c.Upper)],
            "subdistribution hazard ratio"));
        var waldSolver = new SymmetricSolver(p);
        var wald = waldSolver.Factorize(sandwich) ? waldSolver.InverseQuadraticForm(beta) : double.PositiveInfinity;
        return new FineGrayModel
        {
            FailureCode = options.FailureCode,
            Terms = terms,
            Coefficients = coefficients.MoveToImmutable(),
            Variance = Rows(sandwich, p),
            NaiveVariance = Rows(naive, p),
            LogPseudoLikelihood = -objective,
            LogPseudoLikelihoodNull = -likelihood.Evaluate(new double[p], null, null),
            WaldTest = new ChiSquareTest(wald, p, Distributions.ChiSquareUpperTail(wald, p)),
            EventTimes = [.. likelihood.EventTimes],
            BaselineHazardJumps = [.. likelihood.BaselineJumps(beta)],
            N = data.Count,
            Events = events,
            CompetingEvents = codes.Count(c => c != 0 && c != options.FailureCode),
            Iterations = iterations,
            Converged = converged,
            DroppedRows = droppedRows.IsDefault ? [] : droppedRows,
            Factors = factors.IsDefault ? [] : factors,
            Warnings = warnings.ToImmutable(),
            ConfidenceLevel = options.ConfidenceLevel,
        };
    }

    /// <summary>crr's Newton–Raphson with backtracking, on the negative log pseudo-likelihood.</summary>
    private static (double[] Beta, double Objective, double[] Hessian, int Iterations, bool Converged) Newton(FineGrayLikelihood likelihood, int p, FineGrayOptions options)
    {
        const double StepFactor = 0.5;
        const int MaxBacktracks = 20;
        var beta = new double[p];
        var gradient = new double[p];
        var hessian = new double[p * p];
        var candidate = new double[p];
        var solver = new SymmetricSolver(p);
        for (var iteration = 0; ; iteration++)
        {
            var objective = likelihood.Evaluate(beta, gradient, hessian);
            var largest = 0.0;
            for (var j = 0; j < p; j++)
            {
                largest = Math.Max(largest, Math.Abs(gradient[j]) * Math.Max(Math.Abs(beta[j]), 1));
            }

            if (largest < Math.Max(Math.Abs(objective), 1) * options.GradientTolerance)
            {
                return (beta, objective, hessian, iteration, true);
            }

            if (iteration == options.MaxIterations || !solver.Factorize(hessian))
            {
                return (beta, objective, hessian, iteration, false);
            }

            var step = (double[])gradient.Clone();
            solver.Solve(step);
            var slope = 0.0;
            for (var j = 0; j < p; j++)
            {
                step[j] = -step[j];
                slope += step[j] * gradient[j];
            }

            var backtracks = 0;
            var trial = Trial(likelihood, beta, step, candidate);
            while (double.IsNaN(trial) || trial > objective + (1e-4 * slope))
            {
                backtracks++;
                for (var j = 0; j < p; j++)
                {
                    step[j] *= StepFactor;
                }

                slope *= StepFactor;
                trial = Trial(likelihood, beta, step, candidate);
                if (backtracks > MaxBacktracks)
                {
                    return (beta, objective, hessian, iteration, false);
                }
            }

            Array.Copy(candidate, beta, p);
        }
    }

    private static double Trial(FineGrayLikelihood likelihood, double[] beta, double[] step, double[] candidate)
    {
        for (var j = 0; j < beta.Length; j++)
        {
            candidate[j] = beta[j] + step[j];
        }

        return likelihood.Evaluate(candidate, null, null);
    }

    private static double[] Sandwich(double[] inverse, double[] middle, int p)
    {
        var temp = new double[p * p];
        var result = new double[p * p];
        for (var i = 0; i < p; i++)
        {
            for (var j = 0; j < p; j++)
            {
                for (var k = 0; k < p; k++)
                {
                    temp[(i * p) + j] += inverse[(i * p) + k] * middle[(k * p) + j];
                }
            }
        }

        for (var i = 0; i < p; i++)
        {
            for (var j = 0; j < p; j++)
            {
                for (var k = 0; k < p; k++)
                {
                    result[(i * p) + j] += temp[(i * p) + k] * inverse[(j * p) + k];
                }
            }
        }

        return result;
    }

    private static ImmutableArray<ImmutableArray<double>> Rows(double[] matrix, int p) =>
        [.. Enumerable.Range(0, p).Select(i => ImmutableArray.Create(matrix, i * p, p))];
}
