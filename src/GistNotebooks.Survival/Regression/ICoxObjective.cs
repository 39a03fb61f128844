namespace GistNotebooks.Survival.Regression;

/// <summary>A Cox partial log-likelihood that Newton–Raphson can maximise: right-censored or counting-process.</summary>
internal interface ICoxObjective
{
    /// <summary>The number of coefficients.</summary>
    int TermCount { get; }

    /// <summary>The log-likelihood at <paramref name="beta"/>; fills the score vector and the information matrix (row-major).</summary>
    double Evaluate(ReadOnlySpan<double> beta, double[] score, double[] information, double[]? informationDerivative = null);
}
