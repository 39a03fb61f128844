using System.Collections.Immutable;

namespace GistNotebooks.Survival.Data;

/// <summary>
/// Survival data and covariates for a regression, after rows with a missing covariate were dropped
/// (R's <c>na.action = na.omit</c>). <see cref="DroppedRows"/> lists them as the source numbers them (for a file, 1-based data rows).
/// </summary>
/// <param name="Data">Times, events (and weights, strata) of the rows kept.</param>
/// <param name="Covariates">The design matrix of the rows kept.</param>
/// <param name="DroppedRows">Rows dropped for a missing covariate, as <see cref="ColumnTable.SourceRow"/> numbers them (for a file, 1-based data rows, header not counted).</param>
/// <param name="Factors">The factor covariates with their levels; the first level is the reference.</param>
public sealed record ModelFrame(
    SurvivalData Data,
    CovariateMatrix Covariates,
    ImmutableArray<int> DroppedRows,
    ImmutableArray<FactorCovariate> Factors)
{
    /// <summary>
    /// Builds a model frame from a table. A column whose present values are all numbers enters as one
    /// term; any other column is a factor with one indicator term per level other than the reference
    /// (named column + level, as R names them). Levels sort ordinally; <paramref name="references"/>
    /// picks the baseline level of a factor (default: the first level).
    /// </summary>
    /// <exception cref="DataValidationException">A column is missing, a time or event is invalid, a reference level does not occur, or a factor has a single level.</exception>
    public static ModelFrame FromTable(
        ColumnTable table,
        string timeColumn,
        string eventColumn,
        IReadOnlyList<string> covariates,
        IReadOnlyDictionary<string, string>? references = null,
        string? strataColumn = null,
        string? weightColumn = null,
        EventCoding? eventCoding = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(covariates);
        if (covariates.Count == 0)
        {
            throw new DataValidationException(table.SourceName, null, null, "a model needs at least one covariate");
        }

        foreach (var name in references?.Keys ?? Enumerable.Empty<string>())
        {
            if (!covariates.Contains(name))
            {
                throw new DataValidationException(table.SourceName, null, name, "a reference level is given for a column that is not a covariate of the model");
            }
        }

        // A large table's survival columns are read on the other core while this one builds the covariates. A fault is
        // still reported in the same order: the survival columns' first, then the covariates'. A very large one is built
        // one part after the other: both at once raised the peak memory of a Cox fit of 10⁷ rows by about 8 %.
        SurvivalData Survival() => SurvivalData.FromTable(table, timeColumn, eventColumn, strataColumn: strataColumn, weightColumn: weightColumn, eventCoding: eventCoding);
        if (table.RowCount is < TimeSort.TwoCoresFromRows or >= OneCoreFromRows)
        {
            var data = Survival();
            return BuildCovariates(table, covariates, references).Frame(data);
        }

        var survival = Task.Run(Survival);
        BuiltCovariates built;
        try
        {
            built = BuildCovariates(table, covariates, references);
        }
        catch (DataValidationException)
        {
            // The survival columns' own fault, if any, comes first.
            _ = survival.GetAwaiter().GetResult();
            throw;
        }

        return built.Frame(survival.GetAwaiter().GetResult());
    }

    /// <summary>From this many rows a frame's survival data and covariates are built one after the other, for memory.</summary>
    internal const int OneCoreFromRows = 4_000_000;

    /// <summary>The design matrix of the rows without a missing covariate, with those rows (null when all are kept).</summary>
    private static BuiltCovariates BuildCovariates(ColumnTable table, IReadOnlyList<string> covariates, IReadOnlyDictionary<string, string>? references)
    {
        var n = table.RowCount;
        var keep = new bool[n];
        Array.Fill(keep, true);

        var numeric = new Dictionary<string, Chunked<double>>(StringComparer.Ordinal);
        var factorText = new Dictionary<string, IReadOnlyList<string?>>(StringComparer.Ordinal);
        foreach (var name in covariates)
        {
            if (numeric.ContainsKey(name) || factorText.ContainsKey(name))
            {
                throw new DataValidationException(table.SourceName, null, name, "the covariate is named twice");
            }

            if (table.IsNumeric(name) && references?.ContainsKey(name) != true)
            {
                var values = table.NumbersOrMissing(name);
                numeric[name] = values;
                for (var k = 0; k < values.ChunkCount; k++)
                {
                    var chunk = values.Chunk(k);
                    var start = k * Chunked<double>.Length;
                    for (var i = 0; i < chunk.Length; i++)
                    {
                        var v = chunk[i];
                        if (double.IsFinite(v))
                        {
                            continue;
                        }

                        if (!double.IsNaN(v))
                        {
                            throw new DataValidationException(table.SourceName, table.SourceRow(start + i), name, FormattableString.Invariant($"expected a finite number, found {v}"));
                        }

                        keep[start + i] = false;
                    }
                }
            }
            else
            {
                var text = table.Labels(name);
                factorText[name] = text;
                for (var i = 0; i < n; i++)
                {
                    if (text[i] is null)
                    {
                        keep[i] = false;
                    }
                }
            }
        }

        var rows = new List<int>(n);
        var dropped = ImmutableArray.CreateBuilder<int>();
        for (var i = 0; i < n; i++)
        {
            if (keep[i])
            {
                rows.Add(i);
            }
            else
            {
                dropped.Add(table.SourceRow(i));
            }
        }

        if (rows.Count == 0)
        {
            throw new DataValidationException(table.SourceName, null, null, "every row has a missing covariate; nothing is left to fit");
        }

        var terms = new List<string>();
        var columns = new List<IReadOnlyList<double>>();
        var factors = ImmutableArray.CreateBuilder<FactorCovariate>();
        var allRows = rows.Count == n;
        foreach (var name in covariates)
        {
            if (numeric.TryGetValue(name, out var values))
            {
                terms.Add(name);
                columns.Add(allRows ? values : rows.Select(i => values[i]).ToArray());
                numeric.Remove(name);
                continue;
            }

            var text = factorText[name];
            var present = rows.Select(i => text[i]!).ToArray();
            var levels = present.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (references is not null && references.TryGetValue(name, out var reference))
            {
                if (!levels.Remove(reference))
                {
                    throw new DataValidationException(table.SourceName, null, name,
                        $"the reference level '{reference}' does not occur; the levels are {string.Join(", ", levels)}");
                }

                levels.Insert(0, reference);
            }

            if (levels.Count < 2)
            {
                // R stops here too ("contrasts can be applied only to factors with 2 or more levels").
                throw new DataValidationException(table.SourceName, null, name,
                    $"the covariate has no variance (every value is '{levels[0]}'); its coefficient cannot be estimated. Remove it from the model");
            }

            LevelLimit.Check("factor", "a model", levels.Count, present.Length, table.SourceName, name);
            factors.Add(new FactorCovariate(name, [.. levels]));
            for (var k = 1; k < levels.Count; k++)
            {
                var level = levels[k];
                terms.Add(name + level);
                columns.Add([.. present.Select(v => v == level ? 1.0 : 0.0)]);
            }
        }

        var p = terms.Count;
        var matrix = new double[rows.Count * p];
        for (var j = 0; j < p; j++)
        {
            if (columns[j] is Chunked<double> chunked)
            {
                chunked.CopyTo(matrix, j, p);
                continue;
            }

            var column = columns[j];
            for (var i = 0; i < rows.Count; i++)
            {
                matrix[(i * p) + j] = column[i];
            }
        }

        return new BuiltCovariates(CovariateMatrix.FromRowMajor(matrix, rows.Count, [.. terms]), dropped.ToImmutable(), factors.ToImmutable(), allRows ? null : [.. rows]);
    }

    /// <summary>Reads a file (only the columns the model uses) and builds a model frame; see <see cref="FromTable"/>.</summary>
    public static ModelFrame FromCsv(
        string path,
        string timeColumn,
        string eventColumn,
        IReadOnlyList<string> covariates,
        IReadOnlyDictionary<string, string>? references = null,
        string? strataColumn = null,
        string? weightColumn = null,
        CsvReadOptions? options = null,
        EventCoding? eventCoding = null)
    {
        ArgumentNullException.ThrowIfNull(covariates);
        var columns = SurvivalData.Needed([timeColumn, eventColumn, strataColumn, weightColumn, .. covariates]);
        return FromTable(ColumnTable.ReadCsv(path, (options ?? CsvReadOptions.Default) with { Columns = columns }), timeColumn, eventColumn, covariates, references, strataColumn, weightColumn, eventCoding);
    }

    private sealed record BuiltCovariates(CovariateMatrix Matrix, ImmutableArray<int> DroppedRows, ImmutableArray<FactorCovariate> Factors, int[]? KeptRows)
    {
        /// <summary>The frame of these covariates and the survival data of the rows kept.</summary>
        public ModelFrame Frame(SurvivalData data) => new(KeptRows is null ? data : data.Subset(KeptRows), Matrix, DroppedRows, Factors);
    }
}

/// <summary>A factor covariate and its levels; the first level is the reference.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Levels">The levels, reference first.</param>
public sealed record FactorCovariate(string Name, ImmutableArray<string> Levels)
{
    /// <summary>The reference (baseline) level.</summary>
    public string Reference => Levels[0];
}
