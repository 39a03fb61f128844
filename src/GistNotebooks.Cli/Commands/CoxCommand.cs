using System.Collections.Immutable;
using System.CommandLine;
using GistNotebooks.Cli.Infrastructure;
using GistNotebooks.Reporting.Charts;
using GistNotebooks.Reporting.Formatting;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;

namespace GistNotebooks.Cli.Commands;

/// <summary><c>gistnb analyze cox</c>: Cox proportional hazards regression (Efron or Breslow ties, optionally Firth-penalised).</summary>
internal static class CoxCommand
{
    public static Command Create(CliConsole console)
    {
        var common = new CommonOptions();
        var eventColumn = new Option<string>("--event") { Description = "The column of event indicators (1 = event, 0 = censored).", Required = true };
        var terms = new RegressionOptions();
        var ties = new Option<string>("--ties") { Description = "efron (R's default) or breslow.", DefaultValueFactory = _ => "efron" };
        ties.AcceptOnlyFromAmong("efron", "breslow");
        var firth = new Option<bool>("--firth") { Description = "Firth's penalised likelihood with profile-likelihood limits (for small samples and monotone likelihood)." };
        var strata = new Option<string?>("--strata") { Description = "A column of strata: one baseline hazard per level, as R's strata()." };
        var cluster = new Option<string?>("--cluster") { Description = "A column of cluster labels: robust variance summed within clusters, as R's cluster()." };
        var offset = new Option<string?>("--offset") { Description = "A numeric column added to each row's linear predictor with no coefficient, as R's offset()." };
        var robust = new Option<bool>("--robust") { Description = "Report the robust sandwich variance (R's robust = TRUE); also the default with --cluster or fractional weights." };
        var residuals = new Option<string?>("--residuals") { Description = "Add residuals as R's residuals.coxph: martingale, deviance, score, schoenfeld, scaledsch, dfbeta or dfbetas." };
        residuals.AcceptOnlyFromAmong(ResidualTypes.Keys.ToArray());
        var predict = new Option<string[]>("--predict") { Description = "Predicted survival for covariate values, e.g. \"age=60,sex=2\" (repeatable), as R's survfit(fit, newdata)." };
        var start = new Option<string?>("--start") { Description = "A column of entry times: counting-process (start, stop] data with --time as the stop, as R's Surv(start, stop, event) (delayed entry, time-dependent covariates)." };
        var plot = new PlotOption("the forest plot (hazard ratios with their intervals, reference levels, N and events, p values, and a footer with the global p, AIC and concordance)");
        var zph = new Option<bool>("--zph") { Description = "Add the proportional-hazards test of R's cox.zph (Kaplan–Meier time transform)." };
        var anova = new Option<string?>("--anova") { Description = "Also fit the smaller model of these covariates (some of --covariates, separated by commas) to the same rows and compare the two by the likelihood-ratio test, as R's anova(smaller, larger)." };
        var command = new Command("cox", "Cox proportional hazards regression, as R's coxph.");
        common.AddTo(command);
        command.Options.Add(eventColumn);
        terms.AddTo(command);
        command.Options.Add(ties);
        command.Options.Add(firth);
        command.Options.Add(common.EventLabels);
        command.Options.Add(common.Weights);
        command.Options.Add(common.NoTimeFix);
        command.Options.Add(strata);
        command.Options.Add(cluster);
        command.Options.Add(robust);
        command.Options.Add(offset);
        command.Options.Add(residuals);
        command.Options.Add(zph);
        command.Options.Add(anova);
        command.Options.Add(predict);
        command.Options.Add(start);
        command.Options.Add(plot.Option);

        console.SetAction(command, parse =>
        {
            var references = terms.References(parse);
            var names = terms.Names(parse);
            var path = parse.GetValue(common.Data)!;
            var coding = common.Coding(parse);
            var options = new CoxOptions
            {
                Ties = parse.GetValue(ties) == "breslow" ? TieMethod.Breslow : TieMethod.Efron,
                Firth = parse.GetValue(firth),
                TimeFix = !parse.GetValue(common.NoTimeFix),
                Variance = parse.GetValue(robust) ? CoxVariance.Robust : CoxVariance.Automatic,
            };
            var time = parse.GetValue(common.Time)!;
            var status = parse.GetValue(eventColumn)!;
            var strataColumn = parse.GetValue(strata);
            var weightColumn = parse.GetValue(common.Weights);
            var clusterColumn = parse.GetValue(cluster);
            var offsetColumn = parse.GetValue(offset);
            var residualType = parse.GetValue(residuals) is string r ? ResidualTypes[r] : (CoxResidualType?)null;
            var testZph = parse.GetValue(zph);
            var settings = (parse.GetValue(predict) ?? []).Select(ParseSetting).ToList();
            var smallerNames = SmallerModel(parse.GetValue(anova), names);
            var smallerReferences = references.Where(pair => smallerNames?.Contains(pair.Key, StringComparer.Ordinal) == true).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
            CoxModelComparison? comparison = null;
            var plotPath = plot.Path(parse, parse.GetValue(common.Data)!);
            ModelFrame? plotFrame = null;
            CoxModel model;
            CoxResiduals? residualValues = null;
            ProportionalHazardsTest? proportionalHazards = null;
            var predictions = new List<(IReadOnlyDictionary<string, string> Setting, IReadOnlyList<CoxSurvivalCurve> Curves)>();
            var startColumn = parse.GetValue(start);
            if (startColumn is not null)
            {
                if (options.Firth)
                {
                    throw new CliUsageException("--start cannot be combined with --firth: counting-process data are fitted without Firth's correction");
                }

                var table = ColumnTable.ReadCsv(path, common.Csv(parse) with { Columns = [.. new[] { startColumn, time, status, strataColumn, weightColumn, clusterColumn, offsetColumn }.OfType<string>().Concat(names).Distinct(StringComparer.Ordinal)] });
                var frame = CommonOptions.InFile(path, () => ModelFrame.FromTable(table, time, status, names, references, strataColumn, weightColumn, coding));
                if (clusterColumn is not null)
                {
                    options = options with { Clusters = ClusterLabels(table, frame, clusterColumn) };
                }

                if (offsetColumn is not null)
                {
                    options = options with { Offsets = OffsetValues(table, frame, offsetColumn) };
                }

                plotFrame = frame;
                var starts = KeptNumbers(table, frame, startColumn, "the start is missing or not a finite number");
                try
                {
                    model = CommonOptions.InFile(path, () => CoxRegression.Fit(frame, starts, options));
                    if (smallerNames is not null)
                    {
                        var smallerFrame = SmallerFrame(path, frame, () => ModelFrame.FromTable(table, time, status, smallerNames, smallerReferences, strataColumn, weightColumn, coding));
                        comparison = Compare(CommonOptions.InFile(path, () => CoxRegression.Fit(smallerFrame, starts, options)), model);
                    }
                }
                catch (NotSupportedException e)
                {
                    throw new CliUsageException("--start: " + e.Message, e);
                }

                var survival = frame.Data;
                var counting = CountingProcessData.Create(starts, survival.Times, [.. survival.Events.Select(e => e ? 1 : 0)], survival.HasWeights ? survival.Weights : null, survival.Strata.IsEmpty ? null : survival.Strata);
                if (residualType is CoxResidualType type)
                {
                    residualValues = CoxRegression.Residuals(model, counting, frame.Covariates, type, options);
                }

                foreach (var setting in settings)
                {
                    predictions.Add((setting, CoxRegression.PredictSurvival(model, counting, frame.Covariates, PredictionRow(model, frame, setting), options)));
                }

                if (testZph)
                {
                    proportionalHazards = CommonOptions.InFile(path, () => CoxRegression.TestProportionalHazards(model, counting, frame.Covariates, ZphTransform.KaplanMeier, options));
                }
            }
            else if (clusterColumn is null && offsetColumn is null && residualType is null && !testZph && settings.Count == 0 && smallerNames is null && plotPath is null)
            {
                // The frame is made where it is fitted and held by no variable, so that its covariate matrix can be collected
                // once the fit has its own sorted copy (hundreds of megabytes at ten million rows).
                model = CommonOptions.InFile(path, () => CoxRegression.Fit(
                    ModelFrame.FromCsv(path, time, status, names, references, strataColumn, weightColumn, common.Csv(parse), coding), options));
            }
            else
            {
                var table = ColumnTable.ReadCsv(path, common.Csv(parse) with { Columns = [.. new[] { time, status, strataColumn, weightColumn, clusterColumn, offsetColumn }.OfType<string>().Concat(names).Distinct(StringComparer.Ordinal)] });
                var frame = CommonOptions.InFile(path, () => ModelFrame.FromTable(table, time, status, names, references, strataColumn, weightColumn, coding));
                if (clusterColumn is not null)
                {
                    options = options with { Clusters = ClusterLabels(table, frame, clusterColumn) };
                }

                if (offsetColumn is not null)
                {
                    options = options with { Offsets = OffsetValues(table, frame, offsetColumn) };
                }

                plotFrame = frame;
                model = CommonOptions.InFile(path, () => CoxRegression.Fit(frame, options));
                if (smallerNames is not null)
                {
                    var smallerFrame = SmallerFrame(path, frame, () => ModelFrame.FromTable(table, time, status, smallerNames, smallerReferences, strataColumn, weightColumn, coding));
                    comparison = Compare(CommonOptions.InFile(path, () => CoxRegression.Fit(smallerFrame, options)), model);
                }

                if (residualType is CoxResidualType type)
                {
                    residualValues = CoxRegression.Residuals(model, frame, type, options);
                }

                foreach (var setting in settings)
                {
                    predictions.Add((setting, CoxRegression.PredictSurvival(model, frame, PredictionRow(model, frame, setting), options)));
                }

                if (testZph)
                {
                    proportionalHazards = CommonOptions.InFile(path, () => CoxRegression.TestProportionalHazards(model, frame, ZphTransform.KaplanMeier, options));
                }
            }

            RegressionOutput.Print(
                console.Output,
                common.Json(parse),
                model.ToText(),
                json =>
                {
                    WriteJson(json, model, residualValues, proportionalHazards, predictions);
                    if (comparison is not null)
                    {
                        json.Object("anova", () =>
                        {
                            json.Writer.WriteStartArray("smaller");
                            foreach (var name in smallerNames!)
                            {
                                json.Writer.WriteStringValue(name);
                            }

                            json.Writer.WriteEndArray();
                            json.Object("logLikelihood", () =>
                            {
                                json.Number("smaller", comparison.SmallerLogLikelihood);
                                json.Number("larger", comparison.LargerLogLikelihood);
                            });
                            json.Number("chisq", comparison.ChiSquare);
                            json.Integer("df", comparison.DegreesOfFreedom);
                            json.Number("p", comparison.P);
                        });
                    }
                },
                output =>
                {
                    WriteText(output, model, residualValues, proportionalHazards, predictions);
                    if (comparison is not null)
                    {
                        output.WriteLine();
                        output.WriteLine(FormattableString.Invariant($"Likelihood-ratio test against the model of {string.Join(", ", smallerNames!)} (anova): log-likelihood {comparison.SmallerLogLikelihood:G8} → {comparison.LargerLogLikelihood:G8}, chisq {comparison.ChiSquare:G6} on {comparison.DegreesOfFreedom} df, p {comparison.P:G4}"));
                    }
                });

            if (plotPath is not null)
            {
                model.ToForestChart(plotFrame!).Save(plotPath);
            }

            return 0;
        });
        return command;
    }

    /// <summary>The covariates of the smaller model named by --anova: some, not all, of --covariates; null without --anova.</summary>
    private static string[]? SmallerModel(string? text, string[] names)
    {
        if (text is null)
        {
            return null;
        }

        var smaller = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = smaller.Where(name => !names.Contains(name, StringComparer.Ordinal)).ToList();
        if (smaller.Length == 0 || unknown.Count > 0 || smaller.Distinct(StringComparer.Ordinal).Count() >= names.Length)
        {
            throw new CliUsageException($"--anova expects some but not all of the --covariates ({string.Join(",", names)}), separated by commas{(unknown.Count > 0 ? "; not among them: " + string.Join(", ", unknown) : string.Empty)}");
        }

        return smaller;
    }

    /// <summary>The likelihood-ratio test of the --anova model against the full one; a comparison R's anova would refuse is a usage error.</summary>
    private static CoxModelComparison Compare(CoxModel smaller, CoxModel larger)
    {
        try
        {
            return CoxRegression.Compare(smaller, larger);
        }
        catch (DataValidationException e)
        {
            throw new CliUsageException("--anova: the models " + e.Problem, e);
        }
    }

    /// <summary>The smaller model's frame; refused, as R's anova refuses it, when it would keep rows the larger model drops for a missing covariate.</summary>
    private static ModelFrame SmallerFrame(string path, ModelFrame larger, Func<ModelFrame> build)
    {
        var smaller = CommonOptions.InFile(path, build);
        if (!smaller.DroppedRows.SequenceEqual(larger.DroppedRows))
        {
            var extra = larger.DroppedRows.Except(smaller.DroppedRows).Take(5);
            throw new DataValidationException(path, null, null, $"--anova: the larger model drops rows with a missing covariate that the smaller one keeps (rows {string.Join(", ", extra)}); R's anova refuses models fitted to different rows: leave those rows out of the file first");
        }

        return smaller;
    }

    /// <summary>The residual types of R's residuals.coxph by the names it gives them.</summary>
    private static readonly Dictionary<string, CoxResidualType> ResidualTypes = new(StringComparer.Ordinal)
    {
        ["martingale"] = CoxResidualType.Martingale,
        ["deviance"] = CoxResidualType.Deviance,
        ["score"] = CoxResidualType.Score,
        ["schoenfeld"] = CoxResidualType.Schoenfeld,
        ["scaledsch"] = CoxResidualType.ScaledSchoenfeld,
        ["dfbeta"] = CoxResidualType.Dfbeta,
        ["dfbetas"] = CoxResidualType.Dfbetas,
    };

    /// <summary>The cluster label of each row the frame kept (rows dropped for a missing covariate are skipped).</summary>
    private static string[] ClusterLabels(ColumnTable table, ModelFrame frame, string column)
    {
        var dropped = frame.DroppedRows.ToHashSet();
        var text = table.GetText(column);
        var labels = new List<string>(frame.Data.Count);
        for (var i = 0; i < table.RowCount; i++)
        {
            if (dropped.Contains(table.SourceRow(i)))
            {
                continue;
            }

            labels.Add(text[i] ?? throw new DataValidationException(table.SourceName, table.SourceRow(i), column, "the cluster label is missing"));
        }

        return [.. labels];
    }

    /// <summary>The offset of each row the frame kept (rows dropped for a missing covariate are skipped).</summary>
    private static double[] OffsetValues(ColumnTable table, ModelFrame frame, string column)
        => KeptNumbers(table, frame, column, "the offset is missing or not a finite number");

    /// <summary>A numeric column's value on each row the frame kept (rows dropped for a missing covariate are skipped).</summary>
    private static double[] KeptNumbers(ColumnTable table, ModelFrame frame, string column, string problem)
    {
        var dropped = frame.DroppedRows.ToHashSet();
        var numbers = table.GetNumbersOrMissing(column);
        var values = new List<double>(frame.Data.Count);
        for (var i = 0; i < table.RowCount; i++)
        {
            if (dropped.Contains(table.SourceRow(i)))
            {
                continue;
            }

            values.Add(double.IsFinite(numbers[i]) ? numbers[i] : throw new DataValidationException(table.SourceName, table.SourceRow(i), column, problem));
        }

        return [.. values];
    }

    /// <summary>The design row of a --predict setting; an unknown name or level is a usage error.</summary>
    private static ImmutableArray<double> PredictionRow(CoxModel model, ModelFrame frame, IReadOnlyDictionary<string, string> setting)
    {
        try
        {
            return CoxRegression.DesignRow(model, frame, setting);
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException("--predict: " + (e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal)), e);
        }
    }

    /// <summary>Reads a --predict value, name=value pairs separated by commas.</summary>
    private static IReadOnlyDictionary<string, string> ParseSetting(string text)
    {
        var setting = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || pair[0].Length == 0 || pair[1].Length == 0 || !setting.TryAdd(pair[0], pair[1]))
            {
                throw new CliUsageException($"--predict expects covariate=value pairs separated by commas, each covariate once (e.g. \"age=60,sex=2\"), found '{text}'");
            }
        }

        return setting;
    }

    private static string ResidualName(CoxResidualType type) => ResidualTypes.First(pair => pair.Value == type).Key;

    private static void WriteText(TextWriter output, CoxModel model, CoxResiduals? residuals, ProportionalHazardsTest? proportionalHazards, List<(IReadOnlyDictionary<string, string> Setting, IReadOnlyList<CoxSurvivalCurve> Curves)> predictions)
    {
        static string F(double value) => value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
        static string N(double? value) => value is double v ? F(v) : "NA";
        foreach (var (setting, curves) in predictions)
        {
            foreach (var curve in curves)
            {
                output.WriteLine();
                output.WriteLine($"Predicted survival for {string.Join(", ", setting.Select(p => p.Key + " = " + p.Value))}{(curve.Stratum is null ? string.Empty : ", stratum " + curve.Stratum)}:");
                output.WriteLine("  time  survival  lower  upper");
                for (var i = 0; i < curve.Time.Length; i++)
                {
                    output.WriteLine($"  {F(curve.Time[i])}  {F(curve.Survival[i])}  {N(curve.Lower[i])}  {N(curve.Upper[i])}");
                }
            }
        }

        if (model.IsRobust)
        {
            output.WriteLine(FormattableString.Invariant($"Robust variance ({model.Clusters} clusters); model-based standard errors: {string.Join(", ", model.Coefficients.Select((c, j) => c.Term + " " + F(Math.Sqrt(model.NaiveVariance!.Value[j][j]))))}"));
        }

        if (proportionalHazards is not null)
        {
            output.WriteLine();
            output.WriteLine("Proportional hazards (cox.zph, Kaplan–Meier transform):");
            foreach (var term in proportionalHazards.Terms.Append(proportionalHazards.Global))
            {
                output.WriteLine(FormattableString.Invariant($"  {term.Term,-20} chisq {F(term.ChiSquare),10}  df {term.DegreesOfFreedom,2}  p {F(term.P)}"));
            }
        }

        if (residuals is not null)
        {
            output.WriteLine();
            output.WriteLine($"Residuals ({ResidualName(residuals.Type)}): {string.Join(", ", residuals.Terms)}");
            if (residuals.Rows.IsEmpty)
            {
                foreach (var value in residuals.Values)
                {
                    output.WriteLine("  " + F(value));
                }
            }
            else
            {
                for (var i = 0; i < residuals.Rows.Length; i++)
                {
                    var prefix = residuals.EventTimes.IsEmpty ? string.Empty : "t = " + F(residuals.EventTimes[i]) + ": ";
                    output.WriteLine("  " + prefix + string.Join("  ", residuals.Rows[i].Select(F)));
                }
            }
        }
    }

    private static void WriteJson(JsonOutput json, CoxModel model, CoxResiduals? residuals, ProportionalHazardsTest? proportionalHazards, List<(IReadOnlyDictionary<string, string> Setting, IReadOnlyList<CoxSurvivalCurve> Curves)> predictions)
    {
        json.Integer("n", model.N);
        json.Integer("events", model.Events);
        RegressionOutput.Fit(json, model.DroppedRows, model.Converged, model.Iterations);
        json.Array("coefficients", model.Coefficients, c =>
        {
            double? Finite(double? value) => c.IsInfinite ? null : value;
            RegressionOutput.Coefficient(json, c.Term, Finite(c.Coefficient), Finite(c.StandardError), Finite(c.Z), Finite(c.P), (Finite(c.HazardRatio), Finite(c.Lower), Finite(c.Upper)), () =>
            {
                if (model.NaiveVariance is { } naive)
                {
                    var j = model.Coefficients.IndexOf(c);
                    json.Number("naiveStandardError", c.IsInfinite ? null : Math.Sqrt(naive[j][j]));
                }
            });
        });
        json.Object("logLikelihood", () =>
        {
            json.Number("null", model.LogLikelihoodNull);
            json.Number("final", model.LogLikelihood);
        });
        json.Object("tests", () =>
        {
            void Test(string name, CoxTest t) => json.Object(name, () =>
            {
                json.Number("statistic", t.Statistic);
                json.Integer("df", t.DegreesOfFreedom);
                json.Number("p", t.P);
            });
            Test("likelihoodRatio", model.LikelihoodRatioTest);
            Test("wald", model.WaldTest);
            Test("score", model.ScoreTest);
            if (model.RobustScoreTest is { } robustScore)
            {
                Test("robustScore", robustScore);
            }
        });
        if (model.Clusters is int clusters)
        {
            // Only when the robust variance is in force, so that the output of an ordinary fit keeps its keys.
            json.Text("variance", "robust");
            json.Integer("clusters", clusters);
        }

        json.Object("concordance", () =>
        {
            json.Number("estimate", model.Concordance.Estimate);
            json.Number("standardError", model.Concordance.StandardError);
        });
        if (proportionalHazards is not null)
        {
            json.Object("proportionalHazards", () =>
            {
                json.Array("terms", proportionalHazards.Terms, t =>
                {
                    json.Text("term", t.Term);
                    json.Number("chisq", t.ChiSquare);
                    json.Integer("df", t.DegreesOfFreedom);
                    json.Number("p", t.P);
                });
                json.Object("global", () =>
                {
                    json.Number("chisq", proportionalHazards.Global.ChiSquare);
                    json.Integer("df", proportionalHazards.Global.DegreesOfFreedom);
                    json.Number("p", proportionalHazards.Global.P);
                });
            });
        }

        if (predictions.Count > 0)
        {
            json.Array("predictions", predictions.SelectMany(p => p.Curves.Select(c => (p.Setting, Curve: c))), item =>
            {
                json.Object("covariates", () =>
                {
                    foreach (var (name, value) in item.Setting)
                    {
                        json.Text(name, value);
                    }
                });
                if (item.Curve.Stratum is not null)
                {
                    json.Text("stratum", item.Curve.Stratum);
                }

                void Numbers(string name, IEnumerable<double?> values)
                {
                    json.Writer.WriteStartArray(name);
                    foreach (var value in values)
                    {
                        json.Number(value);
                    }

                    json.Writer.WriteEndArray();
                }

                Numbers("time", item.Curve.Time.Select(v => (double?)v));
                Numbers("survival", item.Curve.Survival.Select(v => (double?)v));
                Numbers("lower", item.Curve.Lower);
                Numbers("upper", item.Curve.Upper);
                Numbers("cumulativeHazard", item.Curve.CumulativeHazard.Select(v => (double?)v));
                Numbers("standardError", item.Curve.StandardError);
            });
        }

        if (residuals is not null)
        {
            json.Object("residuals", () =>
            {
                json.Text("type", ResidualName(residuals.Type));
                json.Writer.WriteStartArray("terms");
                foreach (var term in residuals.Terms)
                {
                    json.Writer.WriteStringValue(term);
                }

                json.Writer.WriteEndArray();
                json.Writer.WriteStartArray("values");
                foreach (var value in residuals.Values)
                {
                    json.Number(value);
                }

                foreach (var row in residuals.Rows)
                {
                    json.Writer.WriteStartArray();
                    foreach (var value in row)
                    {
                        json.Number(value);
                    }

                    json.Writer.WriteEndArray();
                }

                json.Writer.WriteEndArray();
                if (!residuals.EventTimes.IsEmpty)
                {
                    json.Writer.WriteStartArray("times");
                    foreach (var t in residuals.EventTimes)
                    {
                        json.Number(t);
                    }

                    json.Writer.WriteEndArray();
                }
            });
        }

        RegressionOutput.Warnings(json, model.Warnings);
    }
}
