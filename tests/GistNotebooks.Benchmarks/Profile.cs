using System.Diagnostics;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Benchmarks;

internal static class Profile
{
    public static void Run(int n)
    {
        var c = SyntheticCohort.Draw(n);
        for (var rep = 0; rep < 3; rep++)
        {
            var data = SurvivalData.Create(c.Time, c.Status, groups: [.. c.X2.Select(x => x == 1 ? "1" : "0")]);
            var m = CovariateMatrix.FromColumns(["x1", "x2", "x3"], [c.X1, c.X2, c.X3]);
            var w = Stopwatch.StartNew();
            var order = data.TimeOrder;
            T("sort");
            var arrays = CurveArrays.Compute(data.TimeArray, data.StatusArray, null, order, false);
            T("curvearrays");
            _ = new KaplanMeierCurve(arrays, null, n, KaplanMeierOptions.Default);
            T("curve");
            DesignCheck.RequireFullRank(data, m);
            T("designcheck");
            var lik = new CoxLikelihood(data, m, [0, 0, 0], TieMethod.Efron);
            T("coxctor");
            var score = new double[3]; var info = new double[9];
            for (var e = 0; e < 6; e++)
            {
                lik.Evaluate([0.5, 0.7, -1], score, info);
                T("evaluate");
            }
            var ex = new double[n];
            for (var e = 0; e < 3; e++)
            {
                for (var i = 0; i < n; i++) { ex[i] = Math.Exp(c.X1[i] * 0.5); }
                T("exp");
            }
            var lp = lik.LinearPredictor([0.5, 0.7, -1]);
            T("lp");
            ConcordanceCalculator.Compute(data, lp, lik.Order, CoxLikelihood.StratumIndex(data));
            T("concordance");
            void T(string s) { Console.WriteLine($"{s} {w.Elapsed.TotalMilliseconds:F1} ms"); w.Restart(); }
        }
    }
}
