using GistNotebooks.Reporting.Formatting;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Inference;
using GistNotebooks.Survival.Regression;
using static GistNotebooks.Reporting.Tests.TestData;

namespace GistNotebooks.Reporting.Tests.Formatting;

/// <summary>Parametric models through the kit's one table renderer, laid out as <c>summary(survreg(...))</c>.</summary>
public sealed class ResultFormatParametricTests
{
    private static ModelFrame Lung() =>
        ModelFrame.FromTable(ColumnTable.ReadCsv(Reference("lung.csv")), "time", "event", ["age", "sex", "ph.ecog"], new Dictionary<string, string> { ["ph.ecog"] = "0" });

    [Fact]
    public void A_weibull_model_prints_R_s_table_its_scale_log_likelihoods_and_hazard_ratios()
    {
        var model = ParametricRegression.Fit(Lung());
        var lines = model.ToText().Split('\n');

        // summary(survreg(Surv(time, event) ~ age + sex + ph.ecog, lung)): Scale= 0.73, Loglik(model)= -1132.3,
        // Loglik(intercept only)= -1147.4, Chisq= 30.32 on 5 degrees of freedom.
        Assert.Equal("Weibull accelerated failure time model (R's survreg)", lines[0]);
        Assert.Equal(["(Intercept)", "age", "sex", "ph.ecog1", "ph.ecog2", "ph.ecog3", "Log(scale)"], lines.Skip(3).Take(7).Select(l => l.Split(' ')[0]).ToArray());
        Assert.EndsWith(PValueFormat.Format(model.Coefficients[2].P), lines[5], StringComparison.Ordinal);
        Assert.Contains("Scale = 0.7298", lines);
        Assert.Contains("Loglik(model) = -1132.3, Loglik(intercept only) = -1147.4", lines);
        Assert.Contains(lines, l => l.StartsWith("Likelihood ratio test = 30.32 on 5 df, p = ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("AIC = 2278.5, BIC = 2302.5", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("1 rows dropped for missing values: 14", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Proportional-hazards form", StringComparison.Ordinal));
        Assert.Contains(">Proportional-hazards form: hazard ratio exp(−β/scale), Weibull shape 1/scale = 1.37</caption>", model.ToHtml(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_fixed_scale_is_said_and_only_proportional_hazards_models_get_hazard_ratios()
    {
        var exponential = ParametricRegression.Fit(Lung(), new ParametricOptions { Distribution = ParametricDistribution.Exponential });
        Assert.Contains("Scale fixed at 1", exponential.ToText().Split('\n'));
        Assert.DoesNotContain("Log(scale)", exponential.ToText(), StringComparison.Ordinal);

        var lognormal = ParametricRegression.Fit(Lung(), new ParametricOptions { Distribution = ParametricDistribution.LogNormal });
        Assert.Single(lognormal.ToTables());
        Assert.StartsWith("Log-normal accelerated failure time model", lognormal.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_fine_gray_model_prints_crr_s_table_with_the_sandwich_errors_and_counts()
    {
        var table = ColumnTable.ReadCsv(Reference("crcov.csv"));
        var data = CompetingRisksData.FromTable(table, "time", "status");
        var frame = ModelFrame.FromTable(table, "time", "status", ["x1", "x2", "x3"], eventCoding: EventCoding.FromLabels(["2"], []));
        var model = FineGray.Fit(frame, data.CauseCodes);
        var lines = model.ToText().Split('\n');

        // summary(crr(time, status, model.matrix(~ x1 + x2 + x3)[, -1])): x1 coef 0.5592, se 0.0875, p 1.7e-10.
        Assert.Equal("Competing risks regression (Fine–Gray) for cause 1, as cmprsk::crr", lines[0]);
        Assert.Equal("term     coef  exp(coef)  se(coef)       z         p  lower .95  upper .95", lines[1]);
        Assert.Equal("x1     0.5592      1.749    0.0875   6.391  1.65e-10      1.474      2.077", lines[3]);
        Assert.Contains("n = 300: 127 events of cause 1, 114 competing events, 59 censored", lines);
        Assert.Contains(lines, l => l.StartsWith("Wald test = 58.46 on 4 df, p = ", StringComparison.Ordinal));
        Assert.Matches("<th scope=\"row\"[^>]*>x2b</th>", model.ToHtml());
    }
}
