using System.Diagnostics;
using System.Globalization;
using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Benchmarks;

/// <summary>
/// Times each step once on a file already read into memory (the counterpart of <c>system.time</c> around
/// <c>survfit</c>, <c>survdiff</c> and <c>coxph</c> in R) and prints the numbers that the comparison script checks
/// against R's. Output lines: <c>time STEP SECONDS</c> and <c>value NAME NUMBER</c>.
/// </summary>
internal static class StepTimer
{
    public static readonly double[] ReportTimes = [1, 5, 10, 20, 40];

    public static int Run(string path, int repeats)
    {
        var culture = CultureInfo.InvariantCulture;
        var clock = Stopwatch.StartNew();
        var table = ColumnTable.ReadCsv(path);
        var data = SurvivalData.FromTable(table, "time", "status", groupColumn: "x2");
        var covariates = CovariateMatrix.FromColumns(["x1", "x2", "x3"], [table.GetNumbers("x1"), table.GetNumbers("x2"), table.GetNumbers("x3")]);
        Print("read", clock.Elapsed.TotalSeconds);

        for (var repeat = 0; repeat < repeats; repeat++)
        {
            // Each repeat starts from fresh data, so the cached time sort is paid inside the first step as in R.
            var fresh = SurvivalData.FromTable(table, "time", "status", groupColumn: "x2");
            clock.Restart();
            var curve = KaplanMeier.Estimate(fresh);
            Print("km", clock.Elapsed.TotalSeconds);

            fresh = SurvivalData.FromTable(table, "time", "status", groupColumn: "x2");
            clock.Restart();
            var test = LogRank.Test(fresh);
            Print("logrank", clock.Elapsed.TotalSeconds);

            fresh = SurvivalData.FromTable(table, "time", "status");
            clock.Restart();
            var efron = CoxRegression.Fit(fresh, covariates);
            Print("cox_efron", clock.Elapsed.TotalSeconds);

            fresh = SurvivalData.FromTable(table, "time", "status");
            clock.Restart();
            var breslow = CoxRegression.Fit(fresh, covariates, new CoxOptions { Ties = TieMethod.Breslow });
            Print("cox_breslow", clock.Elapsed.TotalSeconds);

            if (repeat > 0)
            {
                continue;
            }

            foreach (var point in curve.SurvivalAt(ReportTimes))
            {
                Value(FormattableString.Invariant($"km_surv_{point.Time}"), point.Survival);
                Value(FormattableString.Invariant($"km_se_{point.Time}"), point.StandardError);
            }

            Value("km_median", curve.Median.Estimate);
            Value("logrank_chisq", test.Statistic);
            foreach (var group in test.Groups)
            {
                Value("logrank_expected_" + group.Group, group.Expected);
            }

            foreach (var (name, model) in new[] { ("efron", efron), ("breslow", breslow) })
            {
                foreach (var c in model.Coefficients)
                {
                    Value($"cox_{name}_coef_{c.Term}", c.Coefficient);
                    Value($"cox_{name}_se_{c.Term}", c.StandardError);
                }

                Value($"cox_{name}_loglik", model.LogLikelihood);
                Value($"cox_{name}_concordance", model.Concordance.Estimate);
            }
        }

        return 0;

        void Print(string step, double seconds) => Console.WriteLine(string.Create(culture, $"time {step} {seconds:F4}"));

        void Value(string name, double? value) => Console.WriteLine(string.Create(culture, $"value {name} {(value is double v ? v.ToString("R", culture) : "NA")}"));
    }
}
