using System.Globalization;
using GistNotebooks.Survival.Data;
using GistNotebooks.Survival.Regression;
using Plotly.NET;

namespace GistNotebooks.Reporting.Charts;

/// <summary>One line of a forest plot: a label, a hazard ratio and its confidence limits (null when they do not exist).</summary>
/// <param name="Label">The term or subgroup.</param>
/// <param name="HazardRatio">The estimated hazard ratio.</param>
/// <param name="Lower">The lower confidence limit, or null.</param>
/// <param name="Upper">The upper confidence limit, or null.</param>
public sealed record ForestRow(string Label, double HazardRatio, double? Lower, double? Upper)
{
    /// <summary>The number of subjects in the row (a factor level, or everyone for a numeric covariate), or null to leave the N column out.</summary>
    public int? N { get; init; }

    /// <summary>The number of events among them, or null.</summary>
    public double? Events { get; init; }

    /// <summary>The p-value of the hazard ratio, or null to leave the p column out.</summary>
    public double? P { get; init; }

    /// <summary>Whether the row is a factor's reference level: drawn without a square, its numbers read "reference".</summary>
    public bool IsReference { get; init; }
}

public static partial class SurvivalCharts
{
    // With one column of numbers the plot takes the left two thirds and the column the rest. Three columns (N, HR with
    // its interval, p) need about 300 px, so the plot gives up more: at the 900 px of a default static export the
    // numbers area is 315 px wide (the 180 px left margin holds the row labels).
    private static readonly double[] ForestPlotDomain = [0.0, 0.68];
    private static readonly double[] ForestNumbersDomain = [0.72, 1.0];
    private static readonly double[] ForestPlotDomainWithColumns = [0.0, 0.52];
    private static readonly double[] ForestNumbersDomainWithColumns = [0.55, 1.0];
    private static readonly double[] UnitRange = [0.0, 1.0];

    /// <summary>
    /// A forest plot of hazard ratios: a square per row with its confidence interval as a line, on a logarithmic axis
    /// (so 0.5 and 2 are equally far from 1), a dashed line at 1 (no effect), and beside the plot a column with the
    /// numbers, "HR (lower–upper)". Rows run top to bottom in the order given.
    /// </summary>
    /// <param name="rows">The rows.</param>
    /// <param name="title">The chart title; default "Hazard ratios".</param>
    /// <param name="confidenceLevel">The level of the intervals, used in the column heading; default 0.95.</param>
    /// <param name="axisTitle">The axis title; default "Hazard ratio (log scale)".</param>
    /// <param name="height">The figure height in pixels; default 140 + 40 per row.</param>
    /// <param name="footer">A line under the plot (for a model: events, global p, AIC, concordance); default none.</param>
    /// <remarks>
    /// When any row has <see cref="ForestRow.N"/> or <see cref="ForestRow.P"/>, the numbers beside the plot are three
    /// columns, "N (events)", "HR (CI)" and "p". Reference rows carry no square or interval. The axis spans the
    /// estimates, the limits and 1, with a margin of a twentieth of that span (at least 0.05 decades) each side.
    /// </remarks>
    /// <exception cref="ArgumentException">No rows, or a hazard ratio or limit that is not positive.</exception>
    public static GenericChart Forest(
        IReadOnlyList<ForestRow> rows,
        string? title = null,
        double confidenceLevel = 0.95,
        string? axisTitle = null,
        int? height = null,
        string? footer = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("At least one row is needed.", nameof(rows));
        }

        foreach (var row in rows)
        {
            if (!(row.HazardRatio > 0) || row.Lower is <= 0 || row.Upper is <= 0)
            {
                throw new ArgumentException($"Row '{row.Label}': a hazard ratio and its limits must be positive on a log axis.", nameof(rows));
            }
        }

        // Row i is drawn at y = count − 1 − i so the first row is at the top.
        double Y(int i) => rows.Count - 1 - i;
        var intervalX = new List<double?>();
        var intervalY = new List<double?>();
        var drawn = Enumerable.Range(0, rows.Count).Where(i => !rows[i].IsReference).ToArray();
        foreach (var i in drawn)
        {
            intervalX.AddRange([rows[i].Lower ?? rows[i].HazardRatio, rows[i].Upper ?? rows[i].HazardRatio, null]);
            intervalY.AddRange([Y(i), Y(i), null]);
        }

        var values = rows.SelectMany(r => new[] { r.HazardRatio, r.Lower ?? r.HazardRatio, r.Upper ?? r.HazardRatio }).Append(1.0).ToArray();
        // A small margin beyond the extremes keeps squares and interval ends off the frame without running far past them.
        var margin = Math.Max(0.05, (Math.Log10(values.Max()) - Math.Log10(values.Min())) / 20);
        var logRange = new[] { Math.Log10(values.Min()) - margin, Math.Log10(values.Max()) + margin };
        var columns = rows.Any(r => r.N is not null || r.P is not null);
        var level = (100 * confidenceLevel).ToString("0.#", CultureInfo.InvariantCulture);
        var labels = rows.Select(r => System.Net.WebUtility.HtmlEncode(r.Label)).ToArray();
        var traces = new List<Trace>
        {
            Figure.Trace(
                "scatter",
                ("name", $"{level}% confidence interval"),
                ("x", intervalX.ToArray()),
                ("y", intervalY.ToArray()),
                ("mode", "lines"),
                ("line", Figure.Object(("color", ChartStyle.Color(0)), ("width", 2))),
                ("connectgaps", false),
                ("hoverinfo", "skip"),
                ("showlegend", false),
                ("meta", "interval")),
            Figure.Trace(
                "scatter",
                ("name", "Hazard ratio"),
                ("x", drawn.Select(i => rows[i].HazardRatio).ToArray()),
                ("y", drawn.Select(Y).ToArray()),
                ("mode", "markers"),
                ("marker", Figure.Object(("symbol", "square"), ("size", 12), ("color", ChartStyle.Color(0)))),
                ("text", drawn.Select(i => labels[i]).ToArray()),
                ("hovertemplate", "%{text}: HR %{x:.3f}<extra></extra>"),
                ("showlegend", false),
                ("meta", "estimate")),
            Figure.Trace(
                "scatter",
                ("name", "Numbers"),
                ("x", Enumerable.Repeat(columns ? NumbersColumn : 0.0, rows.Count).ToArray()),
                ("y", Enumerable.Range(0, rows.Count).Select(Y).ToArray()),
                ("text", rows.Select(r => r.IsReference ? "reference" : HazardRatioText(r)).ToArray()),
                ("mode", "text"),
                ("textposition", "middle right"),
                ("cliponaxis", false),
                ("hoverinfo", "skip"),
                ("showlegend", false),
                ("xaxis", "x2"),
                ("meta", "numbers")),
        };

        if (columns)
        {
            traces.Add(TextColumn("N (events)", 0.0, rows.Select(r => r.N is int n ? n.ToString(CultureInfo.InvariantCulture) + (r.Events is double e ? $" ({Number(e)})" : string.Empty) : string.Empty), Y, "counts"));
            traces.Add(TextColumn("p", PColumn, rows.Select(r => r.P is double p ? GistNotebooks.Survival.Inference.PValueFormat.Format(p) : string.Empty), Y, "p"));
        }

        var headings = new List<DynamicObj.DynamicObj>
        {
            ColumnHeading($"<b>HR ({level}% CI)</b>", columns ? NumbersColumn : 0.0, "heading-hr"),
        };
        if (columns)
        {
            headings.Add(ColumnHeading("<b>N (events)</b>", 0.0, "heading-n"));
            headings.Add(ColumnHeading("<b>p</b>", PColumn, "heading-p"));
        }

        if (footer is not null)
        {
            headings.Add(Figure.Object(
                ("text", System.Net.WebUtility.HtmlEncode(footer)),
                ("xref", "paper"),
                ("yref", "paper"),
                ("x", 0.0),
                ("xanchor", "left"),
                ("y", 0.0),
                ("yanchor", "top"),
                ("yshift", -75),
                ("showarrow", false),
                ("font", Figure.Object(("size", ChartStyle.FontSize - 1))),
                ("name", "footer")));
        }

        var yRange = new[] { -0.7, rows.Count - 0.3 };
        var layout = Figure.Layout(
            title ?? "Hazard ratios",
            height ?? (140 + (40 * rows.Count)),
            ("xaxis", Figure.Axis(
                axisTitle ?? "Hazard ratio (log scale)",
                ("type", "log"),
                ("range", logRange),
                // Plotly's automatic log ticks label 0.5–0.9 as "5 … 9"; named ratios read unambiguously.
                ("tickmode", "array"),
                ("tickvals", LogAxisTicks(logRange)),
                ("domain", columns ? ForestPlotDomainWithColumns : ForestPlotDomain),
                ("showgrid", false),
                ("anchor", "y"))),
            ("xaxis2", Figure.Object(
                ("domain", columns ? ForestNumbersDomainWithColumns : ForestNumbersDomain),
                ("range", UnitRange),
                ("visible", false),
                ("anchor", "y"))),
            ("yaxis", Figure.Axis(
                null,
                ("range", yRange),
                ("tickmode", "array"),
                ("tickvals", Enumerable.Range(0, rows.Count).Select(Y).ToArray()),
                ("ticktext", labels),
                ("showgrid", false),
                ("ticks", ""),
                ("fixedrange", true))),
            ("shapes", new[]
            {
                Figure.Object(
                    ("type", "line"),
                    ("xref", "x"),
                    ("yref", "paper"),
                    ("x0", 1.0),
                    ("x1", 1.0),
                    ("y0", 0.0),
                    ("y1", 1.0),
                    ("line", Figure.Object(("color", ChartStyle.TextColor), ("dash", "dash"), ("width", 1)))),
            }),
            ("annotations", headings.ToArray()),
            ("margin", Figure.Object(("l", 180), ("r", 20), ("t", 80), ("b", footer is null ? 60 : 110))));
        return Figure.Chart(traces, layout);
    }

    /// <summary>
    /// The forest plot of a Cox model as a reader of its table expects: each factor with its reference level first
    /// (drawn without a square, "reference"), then its other levels; labels from the model's terms in words
    /// ("primarySite" and level "oesophagus" read "Primary site: oesophagus"); per row the number of subjects and
    /// events in the model frame (every subject for a numeric covariate), the hazard ratio with its interval and its
    /// p-value; and a footer with the events, the global p of the score (log-rank) test, the AIC (−2 log L + 2 × the
    /// number of coefficients, as R's <c>AIC(fit)</c>) and the concordance. An infinite estimate is left out and
    /// named in the title.
    /// </summary>
    /// <param name="model">The fitted model.</param>
    /// <param name="frame">The model frame the model was fitted to, for the counts per level.</param>
    /// <param name="title">The chart title; default "Hazard ratios (Cox model)".</param>
    /// <param name="height">The figure height in pixels; default 140 + 40 per row.</param>
    /// <exception cref="ArgumentException">The frame's covariates are not the model's terms.</exception>
    public static GenericChart ToForestChart(this CoxModel model, ModelFrame frame, string? title = null, int? height = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(frame);
        if (!frame.Covariates.Terms.SequenceEqual(model.Terms))
        {
            throw new ArgumentException("The model frame's covariates are not the model's terms; pass the frame the model was fitted to.", nameof(frame));
        }

        var data = frame.Data;
        var rows = new List<ForestRow>();
        var infinite = new List<string>();
        foreach (var term in model.ModelTerms)
        {
            var factor = frame.Factors.FirstOrDefault(f => f.Name == term.Name);
            if (factor is null)
            {
                foreach (var column in term.Columns)
                {
                    var c = model.Coefficients[column];
                    if (c.IsInfinite)
                    {
                        infinite.Add(c.Term);
                        continue;
                    }

                    rows.Add(new ForestRow(Words(c.Term), c.HazardRatio, c.Lower, c.Upper) { N = data.Count, Events = data.EventCount, P = c.P });
                }

                continue;
            }

            // A subject is at a level whose indicator is 1, or at the reference when every indicator of the factor is 0.
            var indicators = term.Columns.ToArray();
            int[] Members(int? column) => [.. Enumerable.Range(0, data.Count).Where(i => column is int k
                ? frame.Covariates[i, k] == 1
                : indicators.All(k => frame.Covariates[i, k] == 0))];
            foreach (var levelName in factor.Levels)
            {
                var label = Words(factor.Name) + ": " + levelName;
                int? column = levelName == factor.Reference ? null : indicators.FirstOrDefault(k => model.Terms[k] == factor.Name + levelName, -1) is var k && k >= 0 ? k : null;
                if (levelName != factor.Reference && column is null)
                {
                    continue;
                }

                var members = Members(column);
                var events = (double)members.Count(i => data.Events[i]);
                if (column is not int index)
                {
                    rows.Add(new ForestRow(label, 1, null, null) { N = members.Length, Events = events, IsReference = true });
                    continue;
                }

                var c = model.Coefficients[index];
                if (c.IsInfinite)
                {
                    infinite.Add(c.Term);
                    continue;
                }

                rows.Add(new ForestRow(label, c.HazardRatio, c.Lower, c.Upper) { N = members.Length, Events = events, P = c.P });
            }
        }

        var heading = title ?? "Hazard ratios (Cox model)";
        if (infinite.Count > 0)
        {
            heading += "<br><sup>Not shown, infinite estimate: " + System.Net.WebUtility.HtmlEncode(string.Join(", ", infinite)) + "</sup>";
        }

        var aic = (-2 * model.LogLikelihood) + (2 * model.Coefficients.Length);
        var footer = string.Create(
            CultureInfo.InvariantCulture,
            $"Events: {model.Events}; global p (log-rank): {GistNotebooks.Survival.Inference.PValueFormat.Format(model.ScoreTest.P)}; AIC: {aic:0.00}; concordance: {model.Concordance.Estimate:0.00}");
        return Forest(rows, heading, model.ConfidenceLevel, height: height, footer: footer);
    }

    // Positions of the three number columns in the numbers area (0 to 1): "N (events)" at 0 (about 75 px with its
    // bold heading), "HR (lower–upper)" from 85 px (up to about 140 px for "12.34 (10.11–150.23)"), p from 240 px.
    private const double NumbersColumn = 0.27;
    private const double PColumn = 0.76;

    private static Trace TextColumn(string name, double x, IEnumerable<string> texts, Func<int, double> y, string meta)
    {
        var text = texts.ToArray();
        return Figure.Trace(
            "scatter",
            ("name", name),
            ("x", Enumerable.Repeat(x, text.Length).ToArray()),
            ("y", Enumerable.Range(0, text.Length).Select(y).ToArray()),
            ("text", text),
            ("mode", "text"),
            ("textposition", "middle right"),
            ("cliponaxis", false),
            ("hoverinfo", "skip"),
            ("showlegend", false),
            ("xaxis", "x2"),
            ("meta", meta));
    }

    private static DynamicObj.DynamicObj ColumnHeading(string text, double x, string name) => Figure.Object(
        ("text", text),
        ("xref", "x2"),
        ("yref", "paper"),
        ("x", x),
        ("xanchor", "left"),
        ("y", 1.0),
        ("yanchor", "bottom"),
        ("showarrow", false),
        ("name", name));

    /// <summary>A variable name in words: "primarySite" reads "Primary site", "age_at_diagnosis" "Age at diagnosis".</summary>
    internal static string Words(string name)
    {
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c is '_' or '.')
            {
                text.Append(' ');
            }
            else if (char.IsUpper(c) && i > 0 && char.IsLower(name[i - 1]))
            {
                text.Append(' ').Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.Length == 0 ? name : char.ToUpperInvariant(text[0]) + text.ToString(1, text.Length - 1);
    }

    /// <summary>
    /// The forest plot of a Cox model's hazard ratios exp(β) with their confidence limits; an infinite estimate
    /// (monotone likelihood) is left out and named in the title, since it has no place on the axis.
    /// </summary>
    /// <param name="model">The fitted model.</param>
    /// <param name="title">The chart title; default "Hazard ratios (Cox model)".</param>
    /// <param name="height">The figure height in pixels; default 140 + 40 per row.</param>
    public static GenericChart ToForestChart(this CoxModel model, string? title = null, int? height = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var finite = model.Coefficients.Select((c, index) => (Coefficient: c, Label: TermLabel(model, index))).Where(c => !c.Coefficient.IsInfinite).ToArray();
        var infinite = model.Coefficients.Where(c => c.IsInfinite).Select(c => c.Term).ToArray();
        var heading = title ?? "Hazard ratios (Cox model)";
        if (infinite.Length > 0)
        {
            heading += "<br><sup>Not shown, infinite estimate: " + System.Net.WebUtility.HtmlEncode(string.Join(", ", infinite)) + "</sup>";
        }

        return Forest([.. finite.Select(c => new ForestRow(c.Label, c.Coefficient.HazardRatio, c.Coefficient.Lower, c.Coefficient.Upper))], heading, model.ConfidenceLevel, height: height);
    }

    /// <summary>A factor level's coefficient reads "factor: level" (R names it "factorlevel"); a numeric covariate keeps its name.</summary>
    private static string TermLabel(CoxModel model, int index)
    {
        var name = model.Coefficients[index].Term;
        var term = model.ModelTerms.FirstOrDefault(t => t.Columns.Contains(index));
        return term is not null && name.Length > term.Name.Length && name.StartsWith(term.Name, StringComparison.Ordinal)
            ? term.Name + ": " + name[term.Name.Length..]
            : name;
    }

    /// <summary>"1.23 (0.45–3.21)" with three significant decimals, "NA" for a missing limit.</summary>
    internal static string HazardRatioText(ForestRow row) =>
        $"{Fixed(row.HazardRatio)} ({(row.Lower is double l ? Fixed(l) : "NA")}–{(row.Upper is double u ? Fixed(u) : "NA")})";

    /// <summary>Two decimals, or two significant digits below 0.01 so a small limit does not print as 0.00.</summary>
    private static string Fixed(double value) =>
        value is > 0 and < 0.01 ? value.ToString("G2", CultureInfo.InvariantCulture) : value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>
    /// Named hazard-ratio ticks for a log axis spanning <paramref name="logRange"/> (log10 units): the fine series
    /// (0.5, 0.7, 1, 1.5, 2 ...) over about a decade, 1–2–5 steps over a few decades, and powers of ten beyond, so the
    /// labels never crowd however wide an interval is (a Firth interval can reach 0.004).
    /// </summary>
    internal static double[] LogAxisTicks(double[] logRange)
    {
        var span = logRange[1] - logRange[0];
        double[] mantissas = span <= 1.3 ? [] : span <= 2.5 ? [1, 2, 5] : [1];
        var candidates = span <= 1.3
            ? HazardRatioTicks
            : Enumerable.Range((int)Math.Floor(logRange[0]), (int)Math.Ceiling(logRange[1]) - (int)Math.Floor(logRange[0]) + 1)
                .SelectMany(power => mantissas.Select(m => m * Math.Pow(10, power)))
                .ToArray();
        return [.. candidates.Where(t => Math.Log10(t) >= logRange[0] - 1e-9 && Math.Log10(t) <= logRange[1] + 1e-9)];
    }
}
