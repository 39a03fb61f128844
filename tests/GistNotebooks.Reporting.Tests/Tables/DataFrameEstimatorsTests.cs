using System.Text.Json;
using GistNotebooks.Reporting.Tables;
using GistNotebooks.Survival.Comparison;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Estimation;
using GistNotebooks.Survival.Regression;
using Microsoft.Data.Analysis;
using static GistNotebooks.Reporting.Tests.TestData;

namespace GistNotebooks.Reporting.Tests.Tables;

/// <summary>
/// Every estimator fed from a DataFrame read by Microsoft.Data.Analysis' own CSV reader (not the kit's) gives the fit
/// the kit gives from the same file, to the last bit; cluster and offset columns built in the frame match R.
/// </summary>
public class DataFrameEstimatorsTests
{
    private static readonly Type[] VeteranTypes = [typeof(double), typeof(string), .. Enumerable.Repeat(typeof(double), 7)];

    private static DataFrame CrcovFrame() =>
        DataFrame.LoadCsv(Reference("crcov.csv"), dataTypes: [typeof(double), typeof(int), typeof(double), typeof(string), typeof(double)]);

    private static DataFrame VeteranFrame() => DataFrame.LoadCsv(Reference("veteran.csv"), dataTypes: VeteranTypes);

    [Fact]
    public void Weighted_Kaplan_Meier_curves_by_group_equal_those_from_the_file()
    {
        // karno (10–99) serves as a case weight: whole numbers, so the fit is the frequency-weighted one.
        var expected = KaplanMeier.EstimateByGroup(SurvivalData.FromCsv(Reference("veteran.csv"), "time", "event", "trt", weightColumn: "karno"));

        var actual = VeteranFrame().EstimateKaplanMeier(new SurvivalColumns("time", "event") { Group = "trt", Weights = "karno" });

        Assert.Equal(expected.Count, actual.Count);
        for (var g = 0; g < expected.Count; g++)
        {
            Assert.Equal(expected[g].Group, actual[g].Group);
            Assert.Equal(expected[g].Table.ToArray(), actual[g].Table.ToArray());
        }

        Assert.NotEqual(KaplanMeier.EstimateByGroup(Veteran())[0].Table.ToArray(), actual[0].Table.ToArray());
    }

    [Fact]
    public void A_stratified_weighted_log_rank_test_equals_the_one_from_the_file()
    {
        var expected = LogRank.Test(SurvivalData.FromCsv(Reference("veteran.csv"), "time", "event", "trt", "celltype", "karno"));

        var actual = VeteranFrame().TestLogRank(new SurvivalColumns("time", "event") { Group = "trt", Strata = "celltype", Weights = "karno" });

        Assert.Equal(expected.Statistic, actual.Statistic);
        Assert.Equal(expected.P, actual.P);
        Assert.Equal(expected.Groups.ToArray(), actual.Groups.ToArray());
        Assert.NotEqual(LogRank.Test(Veteran()).Statistic, actual.Statistic);
    }

    [Fact]
    public void A_log_rank_test_without_a_group_column_says_what_is_missing()
    {
        var error = Assert.Throws<ArgumentException>(() => VeteranFrame().TestLogRank(new SurvivalColumns("time", "event")));
        Assert.Contains("SurvivalColumns.Group", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Cox_model_with_strata_and_weights_equals_the_one_from_the_file()
    {
        string[] covariates = ["trt", "age", "celltype"];
        var table = ColumnTable.ReadCsv(Reference("veteran.csv"));
        var expected = CoxRegression.Fit(ModelFrame.FromTable(table, "time", "event", covariates, strataColumn: "prior", weightColumn: "karno"));

        var actual = VeteranFrame().FitCox(new SurvivalColumns("time", "event") { Strata = "prior", Weights = "karno" }, covariates);

        Assert.Equal(expected.Coefficients.ToArray(), actual.Coefficients.ToArray());
        Assert.Equal(expected.LogLikelihood, actual.LogLikelihood);
    }

    [Fact]
    public void A_Cox_model_with_cluster_and_offset_columns_MatchesRSurvival()
    {
        // coxph.R: cluster = (row - 1) div 3 (robust se), and offset(age / 50), both on veteran, Efron ties.
        using var reference = JsonDocument.Parse(File.ReadAllText(Reference("coxph.expected.json")));
        var frame = VeteranFrame();
        frame.Columns.Add(new StringDataFrameColumn("cl", Enumerable.Range(0, (int)frame.Rows.Count).Select(i => (i / 3).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        frame.Columns.Add(new DoubleDataFrameColumn("ageOffset", Enumerable.Range(0, (int)frame.Rows.Count).Select(i => (double)frame["age"][i]! / 50)));

        var clustered = frame.FitCox(new SurvivalColumns("time", "event") { Cluster = "cl" }, ["trt", "karno", "age", "celltype"], new Dictionary<string, string> { ["celltype"] = "squamous" });
        AssertMatches(reference.RootElement.GetProperty("robust").GetProperty("veteran_cluster_efron"), clustered);
        Assert.Equal(46, clustered.Clusters);

        var offset = frame.FitCox(new SurvivalColumns("time", "event") { Offset = "ageOffset" }, ["karno", "trt"]);
        AssertMatches(reference.RootElement.GetProperty("offsets").GetProperty("veteran_efron"), offset);
    }

    [Fact]
    public void A_cluster_label_missing_on_a_kept_row_is_refused_naming_the_row()
    {
        // lung: row 156 has no institution and every covariate; row 14 lacks ph.ecog and is dropped before clusters are read.
        var types = Enumerable.Repeat(typeof(double), 11).ToArray();
        var frame = DataFrame.LoadCsv(Reference("lung.csv"), dataTypes: types);

        var error = Assert.Throws<DataValidationException>(() => frame.FitCox(new SurvivalColumns("time", "event") { Cluster = "inst" }, ["age", "sex", "ph.ecog"]));

        Assert.Equal("DataFrame, row 156, column 'inst': the cluster label is missing", error.Message);
    }

    [Fact]
    public void Cumulative_incidence_from_a_data_frame_equals_the_one_from_the_file()
    {
        var expected = CumulativeIncidence.Estimate(CompetingRisksData.FromCsv(Reference("crsynth.csv"), "time", "status", "group"));

        var actual = DataFrame.LoadCsv(Reference("crsynth.csv"), dataTypes: [typeof(double), typeof(int), typeof(string)])
            .EstimateCumulativeIncidence("time", "status", "group");

        Assert.Equal(expected.Curves.Length, actual.Curves.Length);
        for (var k = 0; k < expected.Curves.Length; k++)
        {
            Assert.Equal(expected.Curves[k].Points.ToArray(), actual.Curves[k].Points.ToArray());
        }
    }

    [Fact]
    public void Weighted_cumulative_incidence_from_a_data_frame_equals_the_one_from_the_file()
    {
        var table = ColumnTable.ReadCsv(Reference("crweights.csv"));
        var expected = CumulativeIncidence.Estimate(CompetingRisksData.FromTable(table, "time", "status", "group"), new CumulativeIncidenceOptions { Weights = table.GetNumbers("weight") });

        var frame = DataFrame.LoadCsv(Reference("crweights.csv"), dataTypes: [typeof(double), typeof(int), typeof(string), typeof(double)]);
        var actual = frame.EstimateCumulativeIncidence("time", "status", "group", "weight");

        Assert.Equal(expected.Curves.Length, actual.Curves.Length);
        for (var k = 0; k < expected.Curves.Length; k++)
        {
            Assert.Equal(expected.Curves[k].Points.ToArray(), actual.Curves[k].Points.ToArray());
        }

        Assert.NotEqual(frame.EstimateCumulativeIncidence("time", "status", "group").Curves[0].Points.ToArray(), actual.Curves[0].Points.ToArray());
        Assert.Equal(
            frame.EstimateCumulativeIncidence("time", "status", "group").Curves[0].Points.ToArray(),
            frame.EstimateCumulativeIncidence("time", "status", "group", weightColumn: null).Curves[0].Points.ToArray());
    }

    [Fact]
    public void A_negative_weight_in_a_data_frame_is_refused_naming_its_row_and_column()
    {
        var frame = DataFrame.LoadCsv(Reference("crweights.csv"), dataTypes: [typeof(double), typeof(int), typeof(string), typeof(double)]);
        frame["weight"][6] = -1.0;

        var error = Assert.Throws<DataValidationException>(() => frame.EstimateCumulativeIncidence("time", "status", "group", "weight"));

        Assert.Equal(7, error.Row);
        Assert.Equal("weight", error.Column);
        Assert.Contains("expected a finite weight of zero or more, found -1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gray_test_from_a_data_frame_equals_the_one_from_the_file()
    {
        var expected = GrayTest.Test(CompetingRisksData.FromCsv(Reference("crsynth.csv"), "time", "status", "group"));

        var actual = DataFrame.LoadCsv(Reference("crsynth.csv"), dataTypes: [typeof(double), typeof(int), typeof(string)])
            .TestGray("time", "status", "group");

        Assert.Equal(expected.Groups.ToArray(), actual.Groups.ToArray());
        Assert.Equal(expected.Tests.Select(t => (t.Cause, t.Statistic, t.PValue)), actual.Tests.Select(t => (t.Cause, t.Statistic, t.PValue)));
        Assert.Equal(2, actual.Tests.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Fine_Gray_from_a_data_frame_MatchesCmprsk(int cause)
    {
        // parametric.R: crr(time, status, cov1 = model.matrix(~ x1 + x2 + x3, crcov)[, -1], failcode = cause); the
        // DataFrame's string column x2 enters as a factor with reference level a, as model.matrix does.
        using var document = JsonDocument.Parse(File.ReadAllText(Reference("parametric.expected.json")));
        var expected = document.RootElement.GetProperty("crr").EnumerateArray().Single(f => f.GetProperty("label").GetString() == $"crcov cause {cause}");

        var model = CrcovFrame().FitFineGray("time", "status", ["x1", "x2", "x3"], options: new FineGrayOptions { FailureCode = cause });

        Assert.Equal(Texts(expected.GetProperty("terms")), model.Coefficients.Select(c => c.Term).ToArray());
        var coefficients = Numbers(expected.GetProperty("coef"));
        var errors = Numbers(expected.GetProperty("se"));
        for (var j = 0; j < coefficients.Length; j++)
        {
            Assert.Equal(coefficients[j], model.Coefficients[j].Coefficient, 1e-7);
            Assert.Equal(errors[j], model.Coefficients[j].StandardError, 1e-7);
        }

        Assert.Equal(expected.GetProperty("n").GetInt32(), model.N);
    }

    [Fact]
    public void Fine_Gray_drops_a_row_with_a_missing_covariate_and_keeps_every_other_row_s_cause()
    {
        // R's na.omit: the fit with row 5's x1 missing is the fit to the other 299 rows, and row 5 is reported dropped.
        var withMissing = CrcovFrame();
        withMissing["x1"][4] = null;
        var without = CrcovFrame().Filter(new PrimitiveDataFrameColumn<bool>("keep", Enumerable.Range(0, 300).Select(i => i != 4)));

        var dropped = withMissing.FitFineGray("time", "status", ["x1", "x2", "x3"], new Dictionary<string, string> { ["x2"] = "a" });
        var expected = without.FitFineGray("time", "status", ["x1", "x2", "x3"], new Dictionary<string, string> { ["x2"] = "a" });

        Assert.Equal([5], dropped.DroppedRows.ToArray());
        Assert.Equal(299, dropped.N);
        Assert.Equal(expected.Coefficients.ToArray(), dropped.Coefficients.ToArray());
        Assert.NotEqual(CrcovFrame().FitFineGray("time", "status", ["x1", "x2", "x3"]).Coefficients[0].Coefficient, dropped.Coefficients[0].Coefficient);
    }

    [Fact]
    public void A_Fine_Gray_table_round_trips_through_a_data_frame_MatchesCmprsk()
    {
        // In: the DataFrame; out: summary(crr)'s table as a DataFrame, whose cells are the model's and R's.
        using var document = JsonDocument.Parse(File.ReadAllText(Reference("parametric.expected.json")));
        var expected = document.RootElement.GetProperty("crr").EnumerateArray().Single(f => f.GetProperty("label").GetString() == "crcov cause 1");
        var model = CrcovFrame().FitFineGray("time", "status", ["x1", "x2", "x3"]);

        var table = model.ToDataFrame();

        Assert.Equal(["term", "coef", "exp(coef)", "se(coef)", "z", "p", "lower .95", "upper .95"], table.Columns.Select(c => c.Name));
        Assert.Equal(Texts(expected.GetProperty("terms")), table["term"].Cast<string>().ToArray());
        Assert.Equal(model.Coefficients.Select(c => (double?)c.HazardRatio), table["exp(coef)"].Cast<double?>());
        AssertClose(Numbers(expected.GetProperty("coef")), table["coef"], 1e-7);
        AssertClose(Numbers(expected.GetProperty("se")), table["se(coef)"], 1e-7);
        AssertClose(Numbers(expected.GetProperty("p")), table["p"], 1e-7);
        AssertClose(Numbers(expected.GetProperty("hr_lower_95")), table["lower .95"], 1e-6);
        AssertClose(Numbers(expected.GetProperty("hr_upper_95")), table["upper .95"], 1e-6);
    }

    [Fact]
    public void A_Weibull_table_round_trips_through_a_data_frame_MatchesRSurvival()
    {
        // parametric.R: survreg(Surv(time, event) ~ trt + karno + age + celltype, veteran) with celltype's reference
        // squamous; the table's rows are the coefficients then Log(scale), as summary(survreg) prints them.
        using var document = JsonDocument.Parse(File.ReadAllText(Reference("parametric.expected.json")));
        var expected = document.RootElement.GetProperty("survreg").EnumerateArray()
            .First(f => f.GetProperty("label").GetString() == "veteran" && f.GetProperty("dist").GetString() == "weibull");
        var model = VeteranFrame().FitParametric(new SurvivalColumns("time", "event"), ["trt", "karno", "age", "celltype"], new Dictionary<string, string> { ["celltype"] = "squamous" });

        var table = model.ToDataFrame();

        Assert.Equal(["term", "value", "se", "z", "p", "lower .95", "upper .95"], table.Columns.Select(c => c.Name));
        var terms = table["term"].Cast<string>().ToArray();
        Assert.Equal("Log(scale)", terms[^1]);
        Assert.Equal(Texts(expected.GetProperty("terms")).Order(StringComparer.Ordinal), terms.Order(StringComparer.Ordinal));
        var expectedTerms = Texts(expected.GetProperty("terms"));
        var values = Numbers(expected.GetProperty("value"));
        var errors = Numbers(expected.GetProperty("se"));
        for (var row = 0; row < terms.Length; row++)
        {
            var j = Array.IndexOf(expectedTerms, terms[row]);
            Assert.Equal(values[j], (double)table["value"][row], 1e-6);
            Assert.Equal(errors[j], (double)table["se"][row], 1e-6);
        }
    }

    [Fact]
    public void Conditional_survival_per_group_equals_the_one_read_off_the_file_curves()
    {
        var curves = KaplanMeier.EstimateByGroup(Veteran());

        var actual = VeteranFrame().EstimateConditionalSurvival(new SurvivalColumns("time", "event") { Group = "trt" }, given: 30, additional: 90);

        Assert.Equal(curves.Select(c => ConditionalSurvival.Estimate(c, 30, 90)), actual);
        Assert.Equal(curves.Select(c => (double?)(c.SurvivalAtTime(120) / c.SurvivalAtTime(30))).ToArray(), actual.Select(r => r.Estimate).ToArray());
    }

    private static void AssertClose(double[] expected, DataFrameColumn actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], (double)actual[i], tolerance);
        }
    }

    private static void AssertMatches(JsonElement expected, CoxModel model)
    {
        var terms = expected.GetProperty("terms").EnumerateArray().Select(t => t.GetString()!).ToArray();
        var coefficients = Numbers(expected.GetProperty("coef"));
        var errors = Numbers(expected.GetProperty("se"));
        Assert.Equal(terms.Length, model.Coefficients.Length);
        for (var j = 0; j < terms.Length; j++)
        {
            var fitted = Assert.Single(model.Coefficients, c => c.Term == terms[j]);
            Assert.Equal(coefficients[j], fitted.Coefficient, 1e-7);
            Assert.Equal(errors[j], fitted.StandardError, 1e-7);
        }
    }
}
