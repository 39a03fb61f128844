namespace GistNotebooks.Survival.Regression;

/// <summary>
/// What a caller of the risk-set pass adds to the log-likelihood, score and information that every pass computes.
/// Implemented by structs, so each extension gets its own compiled pass and an empty one costs nothing.
/// </summary>
internal interface IRiskSetExtension
{
    /// <summary>Whether the pass must keep the third-moment sums Σ r·x_a·x_b·x_m (read through <see cref="RiskSetTerm.Third"/>).</summary>
    static abstract bool UsesThirdMoments { get; }

    /// <summary>Whether the extension reads the terms: without it the pass builds no <see cref="RiskSetTerm"/> and never calls <see cref="Term"/>.</summary>
    static abstract bool ObservesTerms { get; }

    /// <summary>Called for each death at sorted row <paramref name="row"/>, with case weight <paramref name="weight"/>, in the time group starting at sorted row <paramref name="groupFirst"/>.</summary>
    void Death(int groupFirst, int row, double weight);

    /// <summary>Called for each risk-set term of the time group starting at sorted row <paramref name="groupFirst"/>, after the pass has added it to ℓ, U and I.</summary>
    void Term(int groupFirst, in RiskSetTerm term);
}

/// <summary>
/// One risk-set term of the pass: its weight (the deaths' weight, divided by d for Efron's d terms), T0, the mean
/// T1/T0, and on request the second and third moments T2 and T3, where each T is the risk-set sum less the
/// term's tie fraction of the tied deaths' own sum (T = S − f·D; f = 0 for Breslow and for Efron's first term).
/// </summary>
internal readonly ref struct RiskSetTerm
{
    private readonly int terms;
    private readonly double fraction;
    private readonly ReadOnlySpan<double> risk2;
    private readonly ReadOnlySpan<double> death2;
    private readonly ReadOnlySpan<double> risk3;
    private readonly ReadOnlySpan<double> death3;

    /// <summary>Creates a term view over the pass's sums; second moments packed by rows of the lower triangle, third moments at (packed (a, b))·p + m.</summary>
    public RiskSetTerm(
        int terms,
        double weight,
        double fraction,
        double sum0,
        ReadOnlySpan<double> mean,
        ReadOnlySpan<double> risk2,
        ReadOnlySpan<double> death2,
        ReadOnlySpan<double> risk3,
        ReadOnlySpan<double> death3)
    {
        this.terms = terms;
        this.fraction = fraction;
        this.risk2 = risk2;
        this.death2 = death2;
        this.risk3 = risk3;
        this.death3 = death3;
        Weight = weight;
        Sum0 = sum0;
        Mean = mean;
    }

    /// <summary>The term's weight in ℓ, U and I.</summary>
    public double Weight { get; }

    /// <summary>T0, the term's (tie-reduced) sum of relative risks.</summary>
    public double Sum0 { get; }

    /// <summary>The weighted mean covariate T1/T0 of the term's risk set.</summary>
    public ReadOnlySpan<double> Mean { get; }

    /// <summary>T2 at (a, b), in either order.</summary>
    public double Second(int a, int b)
    {
        var index = a >= b ? Packed(a, b) : Packed(b, a);
        return risk2[index] - (fraction * death2[index]);
    }

    /// <summary>T3 at (a, b, m) for a ≥ b (the pass keeps it only for an extension that uses third moments).</summary>
    public double Third(int a, int b, int m)
    {
        var index = (Packed(a, b) * terms) + m;
        return risk3[index] - (fraction * death3[index]);
    }

    private static int Packed(int a, int b) => (a * (a + 1) / 2) + b;
}

/// <summary>The ordinary pass: ℓ, U and I only.</summary>
internal readonly struct NoExtension : IRiskSetExtension
{
    public static bool UsesThirdMoments => false;

    public static bool ObservesTerms => false;

    public void Death(int groupFirst, int row, double weight)
    {
    }

    public void Term(int groupFirst, in RiskSetTerm term)
    {
    }
}

/// <summary>
/// The derivative of the information for Firth's penalised score U*_m = U_m + ½·tr(I⁻¹ ∂I/∂β_m): each term adds
/// weight·∂/∂β_m (T2_ab/T0 − m_a·m_b) with m = T1/T0, using ∂T0 = T1, ∂T1 = T2, ∂T2 = T3.
/// </summary>
internal readonly struct InformationDerivative : IRiskSetExtension
{
    private readonly double[] derivative;
    private readonly int terms;

    /// <summary>Clears <paramref name="derivative"/> (p³ entries, ∂I_ab/∂β_m at (a·p + b)·p + m) and accumulates into it.</summary>
    public InformationDerivative(double[] derivative, int terms)
    {
        Array.Clear(derivative);
        this.derivative = derivative;
        this.terms = terms;
    }

    public static bool UsesThirdMoments => true;

    public static bool ObservesTerms => true;

    public void Death(int groupFirst, int row, double weight)
    {
    }

    public void Term(int groupFirst, in RiskSetTerm term)
    {
        var p = terms;
        var d0 = term.Sum0;
        var mean = term.Mean;
        var weight = term.Weight;
        for (var a = 0; a < p; a++)
        {
            for (var b = 0; b <= a; b++)
            {
                for (var m = 0; m < p; m++)
                {
                    var value = (term.Third(a, b, m) / d0)
                        - (term.Second(a, b) * mean[m] / d0)
                        - (term.Second(a, m) * mean[b] / d0)
                        - (term.Second(b, m) * mean[a] / d0)
                        + (2 * mean[a] * mean[b] * mean[m]);
                    derivative[(((a * p) + b) * p) + m] += weight * value;
                    if (a != b)
                    {
                        derivative[(((b * p) + a) * p) + m] += weight * value;
                    }
                }
            }
        }
    }
}

/// <summary>
/// The γ part of the score and information of the model with time interactions x·g(t) (see
/// <see cref="CoxLikelihood.EvaluateTimeInteraction"/>): each death adds g·w·x to U_γ; each term subtracts
/// g·weight·mean from U_γ and adds g·v and g²·v to the G and H blocks, v being the term's contribution to I.
/// </summary>
internal readonly struct TimeInteraction : IRiskSetExtension
{
    private readonly CoxLikelihood likelihood;
    private readonly double[] timeValue;
    private readonly double[] score;
    private readonly double[] information;

    /// <summary>Clears <paramref name="score"/> (2p) and <paramref name="information"/> (2p × 2p) and fills U_γ and the lower triangles of G and H.</summary>
    public TimeInteraction(CoxLikelihood likelihood, double[] timeValue, double[] score, double[] information)
    {
        Array.Clear(score);
        Array.Clear(information);
        this.likelihood = likelihood;
        this.timeValue = timeValue;
        this.score = score;
        this.information = information;
    }

    public static bool UsesThirdMoments => false;

    public static bool ObservesTerms => true;

    public void Death(int groupFirst, int row, double weight)
    {
        var p = likelihood.TermCount;
        var gt = timeValue[likelihood.Order[groupFirst]];
        for (var j = 0; j < p; j++)
        {
            score[p + j] += gt * weight * likelihood.Covariate(row, j);
        }
    }

    public void Term(int groupFirst, in RiskSetTerm term)
    {
        var p = likelihood.TermCount;
        var q = 2 * p;
        var gt = timeValue[likelihood.Order[groupFirst]];
        var mean = term.Mean;
        for (var a = 0; a < p; a++)
        {
            score[p + a] -= gt * term.Weight * mean[a];
        }

        for (var a = 0; a < p; a++)
        {
            for (var b = 0; b <= a; b++)
            {
                var v = term.Weight * ((term.Second(a, b) / term.Sum0) - (mean[a] * mean[b]));
                information[(a * q) + p + b] += gt * v;
                information[((p + a) * q) + p + b] += gt * gt * v;
            }
        }
    }
}
