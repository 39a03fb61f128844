using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Claims;

/// <summary>
/// A paper's claims as data, read from a claims file: the study, the cohort columns that hold time and
/// event, and one <see cref="Claim"/> per reported figure. Any paper's claims file works without code changes.
/// </summary>
/// <remarks>
/// A sentence that can be read more than one way carries its alternatives (a list <c>alternatives</c> on the
/// claim, each with a <c>name</c> and the fields it changes); the file's <c>readings</c> name one alternative per
/// ambiguous claim. <see cref="Claims"/> holds the claims under one reading (<see cref="Reading"/>), by default the
/// reading the file marks as default; <see cref="WithReading"/> gives another.
/// </remarks>
/// <param name="Study">A short id of the study (e.g. nunobe2005).</param>
/// <param name="Citation">The paper.</param>
/// <param name="TimeUnit">The unit of every time (e.g. months).</param>
/// <param name="TimeColumn">The cohort column of follow-up times.</param>
/// <param name="EventColumn">The cohort column of event indicators (1 = death).</param>
/// <param name="IdColumn">The cohort column that names each subject.</param>
/// <param name="EventTimeColumns">For an event column other than death (such as recurrence), the column that holds its time.</param>
/// <param name="Claims">The claims, in the paper's order.</param>
/// <param name="Sha256">The SHA-256 of the file's bytes, for provenance.</param>
public sealed record ClaimSet(
    string Study,
    string Citation,
    string TimeUnit,
    string TimeColumn,
    string EventColumn,
    string IdColumn,
    ImmutableDictionary<string, string> EventTimeColumns,
    ImmutableArray<Claim> Claims,
    string Sha256)
{
    /// <summary>The readings the file defines, in file order; empty when no sentence is ambiguous.</summary>
    public ImmutableArray<ClaimReading> Readings { get; init; } = [];

    /// <summary>The name of the reading <see cref="Claims"/> follows, or null when the file defines none.</summary>
    public string? Reading { get; init; }

    /// <summary>For each ambiguous claim, its alternatives by name, each as a whole claim.</summary>
    private ImmutableDictionary<string, ImmutableDictionary<string, Claim>> Alternatives { get; init; } =
        ImmutableDictionary<string, ImmutableDictionary<string, Claim>>.Empty;

    /// <summary>The reading the file marks as default, or null when it defines none.</summary>
    public string? DefaultReading => Readings.FirstOrDefault(r => r.IsDefault)?.Name;

    /// <summary>The same claims under another reading of the file.</summary>
    /// <param name="name">A reading's name; null for the file's default.</param>
    /// <exception cref="DataValidationException">The file has no reading of that name.</exception>
    public ClaimSet WithReading(string? name)
    {
        if (name is null)
        {
            return DefaultReading is null || DefaultReading == Reading ? this : WithReading(DefaultReading);
        }

        var reading = Readings.FirstOrDefault(r => r.Name == name)
            ?? throw new DataValidationException(Study, null, null, Readings.IsEmpty
                ? $"the claims file defines no readings, so there is no reading '{name}'"
                : $"no reading '{name}'; the claims file defines {string.Join(", ", Readings.Select(r => r.Name))}");
        return this with
        {
            Claims = [.. Claims.Select(c => reading.Choices.TryGetValue(c.Id, out var choice) ? Alternatives[c.Id][choice] : c)],
            Reading = reading.Name,
        };
    }

    /// <summary>Reads a claims file under one of its readings (null for its default).</summary>
    /// <exception cref="DataValidationException">The file is missing or invalid, or has no reading of that name.</exception>
    public static ClaimSet Load(string path, string? reading) => Load(path).WithReading(reading);

    /// <summary>The claim with an id.</summary>
    /// <exception cref="KeyNotFoundException">No claim has that id.</exception>
    public Claim this[string id] => Claims.FirstOrDefault(c => c.Id == id) ?? throw new KeyNotFoundException($"No claim has the id '{id}'.");

    /// <summary>Reads a claims file.</summary>
    /// <exception cref="DataValidationException">The file is missing, is not valid JSON, or a claim lacks a field; the message names the claim and the field.</exception>
    public static ClaimSet Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new DataValidationException(path, null, null, "the claims file does not exist");
        }

        var bytes = File.ReadAllBytes(path);
        return Parse(bytes, Path.GetFileName(path));
    }

    /// <summary>Parses the bytes of a claims file; <paramref name="sourceName"/> is used in messages.</summary>
    /// <exception cref="DataValidationException">The text is not valid JSON or a claim lacks a field.</exception>
    public static ClaimSet Parse(byte[] utf8, string sourceName = "claims")
    {
        ArgumentNullException.ThrowIfNull(utf8);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new DataValidationException(sourceName, null, null, "not valid JSON: " + e.Message);
        }

        using (document)
        {
            var unknown = UnknownFields(document.RootElement);
            if (unknown.Count > 0)
            {
                // One line per unknown field, each naming the claim and the field, so that nothing is silently ignored.
                throw new DataValidationException(sourceName, null, null, string.Join(Environment.NewLine + sourceName + ": ", unknown));
            }

            var root = new Reader(document.RootElement, sourceName, "the file");
            var study = root.Object("study");
            var entries = root.Array("claims");
            var claims = ImmutableArray.CreateBuilder<Claim>(entries.Count);
            var alternatives = ImmutableDictionary.CreateBuilder<string, ImmutableDictionary<string, Claim>>();
            foreach (var entry in entries)
            {
                var (claim, choices) = ReadEntry(entry);
                claims.Add(claim);
                if (choices is not null)
                {
                    alternatives[claim.Id] = choices;
                }
            }

            var duplicate = claims.GroupBy(c => c.Id).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new DataValidationException(sourceName, null, null, $"the claim id '{duplicate.Key}' is used more than once");
            }

            var readings = ReadReadings(root, alternatives.ToImmutable());
            var set = new ClaimSet(
                study.String("id"),
                study.String("citation"),
                study.String("timeUnit"),
                study.String("timeColumn"),
                study.String("eventColumn"),
                study.OptionalString("idColumn") ?? "id",
                study.OptionalObject("eventTimeColumns")?.Properties().ToImmutableDictionary(p => p.Name, p => p.Reader.Text()) ?? ImmutableDictionary<string, string>.Empty,
                claims.ToImmutable(),
                Convert.ToHexStringLower(SHA256.HashData(utf8)))
            {
                Readings = readings,
                Alternatives = alternatives.ToImmutable(),
            };
            return readings.IsEmpty ? set : set.WithReading(set.DefaultReading);
        }
    }

    private static readonly string[] RootFields = ["$schema", "study", "claims", "readings"];
    private static readonly string[] StudyFields = ["id", "citation", "timeUnit", "timeColumn", "eventColumn", "idColumn", "eventTimeColumns"];
    private static readonly string[] ReadingFields = ["name", "description", "default", "choices"];
    private static readonly string[] ReportedFields = ["value", "decimals"];
    private static readonly string[] PredictorFields = ["column", "level", "label"];
    private static readonly string[] CommonFields = ["id", "kind", "description", "sentence"];

    /// <summary>The fields each kind of claim has, besides id, kind, description and sentence; the printed figures among them.</summary>
    private static readonly Dictionary<string, (string[] Fields, string[] Printed)> KindFields = new(StringComparer.Ordinal)
    {
        ["cohortSize"] = (["count"], []),
        ["categoryCounts"] = (["column", "counts"], []),
        ["count"] = (["column", "level", "count", "amongColumn", "amongLevel", "denominator", "percent"], ["percent"]),
        ["survivalAt"] = (["time", "percent"], ["percent"]),
        ["followUp"] = (["median", "minimum", "maximum", "timeDecimals"], ["median", "minimum", "maximum"]),
        ["medianSurvival"] = (["median"], ["median"]),
        ["survivorsBeyond"] = (["time", "inclusive", "count", "conditionColumn", "conditionAtLeast"], []),
        ["noSignificantPredictor"] = (["alpha", "predictors"], []),
    };

    /// <summary>Every field the file has that no claim kind (or the study, a reading, a printed figure) defines, as one line each.</summary>
    private static List<string> UnknownFields(JsonElement root)
    {
        var problems = new List<string>();
        void Check(JsonElement element, string where, IReadOnlyCollection<string> known, string what)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            foreach (var property in element.EnumerateObject().Where(p => !known.Contains(p.Name)))
            {
                problems.Add($"{where}, field '{property.Name}': unknown field; {what} has {string.Join(", ", known.Where(k => k != "$schema"))}");
            }
        }

        void CheckClaim(JsonElement claim, string where, string? kind, bool isAlternative)
        {
            if (kind is null || !KindFields.TryGetValue(kind, out var fields))
            {
                return;
            }

            var known = CommonFields.Concat(fields.Fields).Append(isAlternative ? "name" : "alternatives").ToList();
            Check(claim, where, known, $"a claim of kind {kind}");
            foreach (var printed in fields.Printed.Where(f => claim.ValueKind == JsonValueKind.Object && claim.TryGetProperty(f, out _)))
            {
                Check(claim.GetProperty(printed), $"{where}, field '{printed}'", ReportedFields, "a printed figure");
            }

            if (claim.ValueKind == JsonValueKind.Object && claim.TryGetProperty("predictors", out var predictors) && predictors.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var predictor in predictors.EnumerateArray())
                {
                    Check(predictor, FormattableString.Invariant($"{where}, predictors[{i++}]"), PredictorFields, "a predictor");
                }
            }
        }

        static string? Text(JsonElement element, string name)
            => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        Check(root, "the file", RootFields, "a claims file");
        if (root.ValueKind != JsonValueKind.Object)
        {
            return problems;
        }

        if (root.TryGetProperty("study", out var study))
        {
            Check(study, "the file, field 'study'", StudyFields, "the study");
        }

        if (root.TryGetProperty("claims", out var claims) && claims.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var claim in claims.EnumerateArray())
            {
                var where = Text(claim, "id") is string id ? $"claim {id}" : FormattableString.Invariant($"the file, claims[{index}]");
                index++;
                var kind = Text(claim, "kind");
                CheckClaim(claim, where, kind, isAlternative: false);
                if (claim.ValueKind == JsonValueKind.Object && claim.TryGetProperty("alternatives", out var alternatives) && alternatives.ValueKind == JsonValueKind.Array)
                {
                    foreach (var alternative in alternatives.EnumerateArray())
                    {
                        CheckClaim(alternative, $"{where}, alternative '{Text(alternative, "name")}'", Text(alternative, "kind") ?? kind, isAlternative: true);
                    }
                }
            }
        }

        if (root.TryGetProperty("readings", out var readings) && readings.ValueKind == JsonValueKind.Array)
        {
            foreach (var reading in readings.EnumerateArray())
            {
                Check(reading, $"reading '{Text(reading, "name")}'", ReadingFields, "a reading");
            }
        }

        return problems;
    }

    /// <summary>A claim of the file, with its alternatives (each a whole claim: the entry's fields, then the alternative's) when it has any.</summary>
    private static (Claim Claim, ImmutableDictionary<string, Claim>? Alternatives) ReadEntry(Reader entry)
    {
        var id = entry.String("id");
        if (!entry.Has("alternatives"))
        {
            return (ReadClaim(entry), null);
        }

        var named = entry.Named($"claim {id}");
        var choices = ImmutableDictionary.CreateBuilder<string, Claim>();
        var baseObject = JsonNode.Parse(entry.Element.GetRawText())!.AsObject();
        baseObject.Remove("alternatives");
        var list = named.Array("alternatives");
        if (list.Count < 2)
        {
            throw named.Error("alternatives", "an ambiguous sentence needs at least two alternatives");
        }

        foreach (var alternative in list)
        {
            var name = alternative.String("name");
            if (choices.ContainsKey(name))
            {
                throw named.Error("alternatives", $"the alternative name '{name}' is used more than once");
            }

            var merged = baseObject.DeepClone().AsObject();
            foreach (var property in alternative.Element.EnumerateObject())
            {
                if (property.Name is "name" or "id")
                {
                    continue;
                }

                merged[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }

            using var document = JsonDocument.Parse(merged.ToJsonString());
            choices[name] = ReadClaim(new Reader(document.RootElement.Clone(), entry.Source, $"claim {id}, alternative '{name}'"));
        }

        return (choices.First().Value, choices.ToImmutable());
    }

    private static ImmutableArray<ClaimReading> ReadReadings(Reader root, ImmutableDictionary<string, ImmutableDictionary<string, Claim>> alternatives)
    {
        if (!root.Has("readings"))
        {
            return alternatives.IsEmpty
                ? []
                : throw root.Error("readings", $"claim {alternatives.Keys.Order(StringComparer.Ordinal).First()} has alternatives, so the file must name its readings");
        }

        var readings = ImmutableArray.CreateBuilder<ClaimReading>();
        foreach (var r in root.Array("readings"))
        {
            var name = r.String("name");
            var named = r.Named($"reading '{name}'");
            var choices = named.Object("choices").Properties().ToImmutableSortedDictionary(p => p.Name, p => p.Reader.Text(), StringComparer.Ordinal);
            foreach (var (claimId, choice) in choices)
            {
                if (!alternatives.TryGetValue(claimId, out var options))
                {
                    throw named.Error("choices", $"claim {claimId} has no alternatives");
                }

                if (!options.ContainsKey(choice))
                {
                    throw named.Error("choices", $"claim {claimId} has no alternative '{choice}'; it has {string.Join(", ", options.Keys.Order(StringComparer.Ordinal))}");
                }
            }

            var missing = alternatives.Keys.Where(id => !choices.ContainsKey(id)).Order(StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                throw named.Error("choices", $"no choice for the ambiguous claim{(missing.Count > 1 ? "s" : string.Empty)} {string.Join(", ", missing)}");
            }

            if (readings.Any(x => x.Name == name))
            {
                throw root.Error("readings", $"the reading name '{name}' is used more than once");
            }

            readings.Add(new ClaimReading(name, named.String("description"), named.OptionalBool("default") ?? false, choices));
        }

        var defaults = readings.Count(r => r.IsDefault);
        return defaults == 1 || readings.Count == 0
            ? readings.ToImmutable()
            : throw root.Error("readings", defaults == 0 ? "no reading is marked \"default\": true" : "more than one reading is marked as default");
    }

    private static Claim ReadClaim(Reader c)
    {
        var id = c.String("id");
        if (c.Where == "the file" || c.Where.StartsWith("the file,", StringComparison.Ordinal))
        {
            c = c.Named($"claim {id}");
        }

        var description = c.String("description");
        var sentence = c.String("sentence");
        var kind = c.String("kind");
        return kind switch
        {
            "cohortSize" => new CohortSizeClaim { Id = id, Description = description, Sentence = sentence, Count = c.Int("count") },
            "categoryCounts" => new CategoryCountsClaim
            {
                Id = id,
                Description = description,
                Sentence = sentence,
                Column = c.String("column"),
                Counts = [.. c.Object("counts").Properties().Select(p => new KeyValuePair<string, int>(p.Name, p.Reader.Int()))],
            },
            "count" => new CountClaim
            {
                Id = id,
                Description = description,
                Sentence = sentence,
                Column = c.String("column"),
                Level = c.String("level"),
                Count = c.Int("count"),
                AmongColumn = c.OptionalString("amongColumn"),
                AmongLevel = c.OptionalString("amongLevel"),
                Denominator = c.OptionalInt("denominator"),
                Percent = c.OptionalReported("percent"),
            },
            "survivalAt" => new SurvivalAtClaim { Id = id, Description = description, Sentence = sentence, Time = c.Number("time"), Percent = c.Reported("percent") },
            "followUp" => new FollowUpClaim
            {
                Id = id,
                Description = description,
                Sentence = sentence,
                Median = c.Reported("median"),
                Minimum = c.Reported("minimum"),
                Maximum = c.Reported("maximum"),
                TimeDecimals = c.OptionalInt("timeDecimals") is int d ? (d is >= 0 and <= 6 ? d : throw c.Error("timeDecimals", "must be between 0 and 6")) : null,
            },
            "medianSurvival" => new MedianSurvivalClaim { Id = id, Description = description, Sentence = sentence, Median = c.Reported("median") },
            "survivorsBeyond" => new SurvivorsBeyondClaim
            {
                Id = id,
                Description = description,
                Sentence = sentence,
                Time = c.Number("time"),
                Inclusive = c.OptionalBool("inclusive") ?? false,
                Count = c.Int("count"),
                ConditionColumn = c.OptionalString("conditionColumn"),
                ConditionAtLeast = c.OptionalNumber("conditionAtLeast"),
            },
            "noSignificantPredictor" => new NoSignificantPredictorClaim
            {
                Id = id,
                Description = description,
                Sentence = sentence,
                Alpha = c.Number("alpha"),
                Predictors = [.. c.Array("predictors").Select(p => new Predictor(p.String("column"), p.String("level"), p.String("label")))],
            },
            _ => throw c.Error("kind", $"unknown kind '{kind}'; expected cohortSize, categoryCounts, count, survivalAt, followUp, medianSurvival, survivorsBeyond or noSignificantPredictor"),
        };
    }

    /// <summary>Reads fields of a JSON object with messages that name the claim and the field.</summary>
    private readonly record struct Reader(JsonElement Element, string Source, string Where)
    {
        public Reader Named(string where) => this with { Where = where };

        public DataValidationException Error(string field, string problem) => new(Source, null, null, $"{Where}, field '{field}': {problem}");

        private JsonElement Field(string name)
        {
            if (Element.ValueKind != JsonValueKind.Object || !Element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                throw Error(name, "missing");
            }

            return value;
        }

        public string String(string name)
        {
            var value = Field(name);
            return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Error(name, "expected text");
        }

        public bool Has(string name) => Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

        public bool? OptionalBool(string name)
        {
            if (!Has(name))
            {
                return null;
            }

            var value = Element.GetProperty(name);
            return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw Error(name, "expected true or false");
        }

        public string? OptionalString(string name) => Element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? String(name) : null;

        public double Number(string name)
        {
            var value = Field(name);
            return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Error(name, "expected a number");
        }

        public double? OptionalNumber(string name) => Element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? Number(name) : null;

        public int Int(string name)
        {
            var value = Field(name);
            return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i) ? i : throw Error(name, "expected a whole number");
        }

        public int Int() => Element.ValueKind == JsonValueKind.Number && Element.TryGetInt32(out var i) ? i : throw new DataValidationException(Source, null, null, $"{Where}: expected a whole number");

        public int? OptionalInt(string name) => Element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? Int(name) : null;

        /// <summary>A printed figure: <c>{"value": 63.7, "decimals": 1}</c>.</summary>
        public ReportedValue Reported(string name)
        {
            var inner = Object(name);
            var decimals = inner.Int("decimals");
            return decimals is < 0 or > 10 ? throw Error(name, "decimals must be between 0 and 10") : new ReportedValue(inner.Number("value"), decimals);
        }

        public ReportedValue? OptionalReported(string name) => Element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? Reported(name) : null;

        public string Text() => Element.ValueKind == JsonValueKind.String ? Element.GetString()! : throw new DataValidationException(Source, null, null, $"{Where}: expected text");

        public Reader? OptionalObject(string name) => Element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? Object(name) : null;

        public Reader Object(string name)
        {
            var value = Field(name);
            return value.ValueKind == JsonValueKind.Object ? new Reader(value, Source, $"{Where}, field '{name}'") : throw Error(name, "expected an object");
        }

        public List<Reader> Array(string name)
        {
            var value = Field(name);
            if (value.ValueKind != JsonValueKind.Array)
            {
                throw Error(name, "expected a list");
            }

            var source = Source;
            var where = Where;
            return value.EnumerateArray().Select((e, i) => new Reader(e, source, FormattableString.Invariant($"{where}, {name}[{i}]"))).ToList();
        }

        public List<(string Name, Reader Reader)> Properties()
        {
            var source = Source;
            var where = Where;
            return Element.EnumerateObject().Select(p => (p.Name, new Reader(p.Value, source, $"{where}, '{p.Name}'"))).ToList();
        }
    }
}
