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
    /// <summary>The endpoints other than the main one, by the name claims use in their <c>endpoint</c> field.</summary>
    public ImmutableDictionary<string, Endpoint> Endpoints { get; init; } = ImmutableDictionary<string, Endpoint>.Empty;

    /// <summary>The endpoint a claim is about: its own when it names one, otherwise the study's main endpoint (named "overall").</summary>
    /// <exception cref="KeyNotFoundException">The claim names an endpoint the file does not define.</exception>
    public Endpoint EndpointOf(Claim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return claim.Endpoint is string name ? Endpoints[name] : new Endpoint("overall", "overall survival", TimeColumn, EventColumn);
    }

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
    /// <exception cref="DataValidationException">
    /// The text is not valid JSON, or the file has problems: an unknown kind or field, a missing or mistyped field, an
    /// endpoint or reading that is not defined. The message has one line per problem, each naming the claim and the field.
    /// </exception>
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
            // Every problem is gathered, one line each naming the claim and the field, so that a file is fixed in one pass
            // and nothing is silently ignored.
            var problems = UnknownFields(document.RootElement);
            var root = new Reader(document.RootElement, sourceName, "the file", problems);
            var study = root.Object("study");
            var endpoints = ReadEndpoints(study);
            var entries = root.Array("claims");
            var claims = ImmutableArray.CreateBuilder<Claim>(entries.Count);
            var alternatives = ImmutableDictionary.CreateBuilder<string, ImmutableDictionary<string, Claim>>();
            foreach (var entry in entries)
            {
                var (claim, choices) = ReadEntry(entry);
                if (claim is null)
                {
                    continue;
                }

                claims.Add(claim);
                if (choices is not null)
                {
                    alternatives[claim.Id] = choices;
                }

                foreach (var c in choices?.Values.Prepend(claim) ?? [claim])
                {
                    if (c.Endpoint is string name && !endpoints.ContainsKey(name))
                    {
                        problems.Add($"claim {c.Id}, field 'endpoint': the study defines no endpoint '{name}'"
                            + (endpoints.IsEmpty ? "; define it under study.endpoints with its time and event columns" : $"; it defines {string.Join(", ", endpoints.Keys.Order(StringComparer.Ordinal))}"));
                    }
                }
            }

            foreach (var duplicate in claims.GroupBy(c => c.Id).Where(g => g.Count() > 1))
            {
                problems.Add($"claim {duplicate.Key}, field 'id': the claim id '{duplicate.Key}' is used more than once");
            }

            var readings = ReadReadings(root, alternatives.ToImmutable());
            if (problems.Count > 0)
            {
                throw new DataValidationException(sourceName, null, null, string.Join(Environment.NewLine + sourceName + ": ", problems.Distinct()));
            }

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
                Endpoints = endpoints,
                Readings = readings,
                Alternatives = alternatives.ToImmutable(),
            };
            return readings.IsEmpty ? set : set.WithReading(set.DefaultReading);
        }
    }

    /// <summary>Every kind of claim a claims file may name, in the order the documentation lists them.</summary>
    public static ImmutableArray<string> Kinds => [.. KindFields.Keys];

    private static readonly string[] PForms = ["value", "below", "above", "notSignificant"];
    private static readonly string[] RootFields = ["$schema", "study", "claims", "readings"];
    private static readonly string[] StudyFields = ["id", "citation", "timeUnit", "timeColumn", "eventColumn", "idColumn", "eventTimeColumns", "endpoints"];
    private static readonly string[] EndpointFields = ["label", "timeColumn", "eventColumn", "amongColumn", "amongLevel", "subjects"];
    private static readonly string[] ReadingFields = ["name", "description", "default", "choices"];
    private static readonly string[] CommonFields = ["id", "kind", "description", "sentence"];

    /// <summary>The fields of the objects inside a claim, by the shape's name.</summary>
    private static readonly Dictionary<string, (string What, string[] Fields)> Shapes = new(StringComparer.Ordinal)
    {
        ["printed"] = ("a printed figure", ["value", "decimals"]),
        ["interval"] = ("an interval", ["lower", "upper", "level"]),
        ["p"] = ("a p-value", ["value", "decimals", "below", "above", "notSignificant", "alpha"]),
        ["predictor"] = ("a predictor", ["column", "level", "label"]),
        ["group"] = ("a group", ["level", "count", "time", "percent", "median"]),
    };

    /// <summary>The fields of the shapes' own inner objects.</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> ShapeFields = new(StringComparer.Ordinal)
    {
        ["interval"] = new(StringComparer.Ordinal) { ["lower"] = "printed", ["upper"] = "printed" },
        ["group"] = new(StringComparer.Ordinal) { ["percent"] = "printed", ["median"] = "printed" },
    };

    /// <summary>The fields each kind of claim has, besides id, kind, description and sentence, with the shape of those that are objects or lists of objects.</summary>
    private static readonly Dictionary<string, (string[] Fields, Dictionary<string, string> Shaped)> KindFields = new(StringComparer.Ordinal)
    {
        ["cohortSize"] = (["count"], []),
        ["categoryCounts"] = (["column", "counts"], []),
        ["count"] = (["column", "level", "count", "amongColumn", "amongLevel", "denominator", "percent"], new() { ["percent"] = "printed" }),
        ["survivalAt"] = (["endpoint", "time", "percent", "atRisk", "interval"], new() { ["percent"] = "printed", ["interval"] = "interval" }),
        ["medianSurvival"] = (["endpoint", "median", "minimum", "maximum", "interval"], new() { ["median"] = "printed", ["minimum"] = "printed", ["maximum"] = "printed", ["interval"] = "interval" }),
        ["followUp"] = (["median", "minimum", "maximum", "method", "timeDecimals"], new() { ["median"] = "printed", ["minimum"] = "printed", ["maximum"] = "printed" }),
        ["survivorsBeyond"] = (["time", "inclusive", "count", "conditionColumn", "conditionAtLeast"], []),
        ["covariateSummary"] = (["column", "valueDecimals", "subjects", "median", "minimum", "maximum", "mean", "sd"], new() { ["median"] = "printed", ["minimum"] = "printed", ["maximum"] = "printed", ["mean"] = "printed", ["sd"] = "printed" }),
        ["groupComparison"] = (["endpoint", "column", "groups", "test", "p"], new() { ["groups"] = "group", ["p"] = "p" }),
        ["hazardRatio"] = (["endpoint", "column", "level", "value", "interval", "p"], new() { ["value"] = "printed", ["interval"] = "interval", ["p"] = "p" }),
        ["noSignificantPredictor"] = (["alpha", "predictors"], new() { ["predictors"] = "predictor" }),
        ["otherDenominator"] = (["population", "denominator", "count", "percent"], new() { ["percent"] = "printed" }),
        ["recorded"] = (["reason"], []),
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

        void CheckShape(JsonElement element, string where, string shape)
        {
            var (what, fields) = Shapes[shape];
            Check(element, where, fields, what);
            if (element.ValueKind == JsonValueKind.Object && ShapeFields.TryGetValue(shape, out var inner))
            {
                foreach (var (field, innerShape) in inner.Where(f => element.TryGetProperty(f.Key, out _)))
                {
                    CheckShape(element.GetProperty(field), $"{where}, field '{field}'", innerShape);
                }
            }
        }

        void CheckClaim(JsonElement claim, string where, string? kind, bool isAlternative)
        {
            if (kind is null || !KindFields.TryGetValue(kind, out var fields) || claim.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            var known = CommonFields.Concat(fields.Fields).Append(isAlternative ? "name" : "alternatives").ToList();
            Check(claim, where, known, $"a claim of kind {kind}");
            foreach (var (field, shape) in fields.Shaped.Where(f => claim.TryGetProperty(f.Key, out _)))
            {
                var value = claim.GetProperty(field);
                if (value.ValueKind == JsonValueKind.Array)
                {
                    var i = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        CheckShape(item, FormattableString.Invariant($"{where}, {field}[{i++}]"), shape);
                    }
                }
                else
                {
                    CheckShape(value, $"{where}, field '{field}'", shape);
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
            if (study.ValueKind == JsonValueKind.Object && study.TryGetProperty("endpoints", out var endpoints) && endpoints.ValueKind == JsonValueKind.Object)
            {
                foreach (var endpoint in endpoints.EnumerateObject())
                {
                    Check(endpoint.Value, $"endpoint '{endpoint.Name}'", EndpointFields, "an endpoint");
                }
            }
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

    private static ImmutableDictionary<string, Endpoint> ReadEndpoints(Reader study)
    {
        if (study.OptionalObject("endpoints") is not { } endpoints)
        {
            return ImmutableDictionary<string, Endpoint>.Empty;
        }

        var result = ImmutableDictionary.CreateBuilder<string, Endpoint>(StringComparer.Ordinal);
        foreach (var (name, e) in endpoints.Properties())
        {
            var named = e.Named($"endpoint '{name}'");
            if (name == "overall")
            {
                named.Fail("name", "'overall' is the study's main endpoint (its timeColumn and eventColumn); give this endpoint another name");
                continue;
            }

            var subjects = named.OptionalInt("subjects");
            if (subjects is < 1)
            {
                named.Fail("subjects", "must be 1 or more");
            }

            var amongColumn = named.OptionalString("amongColumn");
            var amongLevel = named.OptionalString("amongLevel");
            if ((amongColumn is null) != (amongLevel is null))
            {
                named.Fail(amongColumn is null ? "amongColumn" : "amongLevel", "amongColumn and amongLevel go together");
            }

            result[name] = new Endpoint(name, named.String("label"), named.String("timeColumn"), named.String("eventColumn"))
            {
                AmongColumn = amongColumn,
                AmongLevel = amongLevel,
                Subjects = subjects,
            };
        }

        return result.ToImmutable();
    }

    /// <summary>A claim of the file, with its alternatives (each a whole claim: the entry's fields, then the alternative's) when it has any; null claim when it could not be read.</summary>
    private static (Claim? Claim, ImmutableDictionary<string, Claim>? Alternatives) ReadEntry(Reader entry)
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
            named.Fail("alternatives", "an ambiguous sentence needs at least two alternatives");
            return (ReadClaim(entry), null);
        }

        foreach (var alternative in list)
        {
            var name = alternative.String("name");
            if (choices.ContainsKey(name))
            {
                named.Fail("alternatives", $"the alternative name '{name}' is used more than once");
                continue;
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
            if (ReadClaim(new Reader(document.RootElement.Clone(), entry.Source, $"claim {id}, alternative '{name}'", entry.Problems)) is { } claim)
            {
                choices[name] = claim;
            }
        }

        return choices.Count == 0 ? (null, null) : (choices.First().Value, choices.ToImmutable());
    }

    private static ImmutableArray<ClaimReading> ReadReadings(Reader root, ImmutableDictionary<string, ImmutableDictionary<string, Claim>> alternatives)
    {
        if (!root.Has("readings"))
        {
            if (!alternatives.IsEmpty)
            {
                root.Fail("readings", $"claim {alternatives.Keys.Order(StringComparer.Ordinal).First()} has alternatives, so the file must name its readings");
            }

            return [];
        }

        var readings = ImmutableArray.CreateBuilder<ClaimReading>();
        foreach (var r in root.Array("readings"))
        {
            var name = r.String("name");
            var named = r.Named($"reading '{name}'");
            var choices = named.OptionalObject("choices")?.Properties().ToImmutableSortedDictionary(p => p.Name, p => p.Reader.Text(), StringComparer.Ordinal)
                ?? ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
            if (!named.Has("choices"))
            {
                named.Fail("choices", "missing");
            }

            foreach (var (claimId, choice) in choices)
            {
                if (!alternatives.TryGetValue(claimId, out var options))
                {
                    named.Fail("choices", $"claim {claimId} has no alternatives");
                }
                else if (!options.ContainsKey(choice))
                {
                    named.Fail("choices", $"claim {claimId} has no alternative '{choice}'; it has {string.Join(", ", options.Keys.Order(StringComparer.Ordinal))}");
                }
            }

            var missing = alternatives.Keys.Where(id => !choices.ContainsKey(id)).Order(StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                named.Fail("choices", $"no choice for the ambiguous claim{(missing.Count > 1 ? "s" : string.Empty)} {string.Join(", ", missing)}");
            }

            if (readings.Any(x => x.Name == name))
            {
                root.Fail("readings", $"the reading name '{name}' is used more than once");
                continue;
            }

            readings.Add(new ClaimReading(name, named.String("description"), named.OptionalBool("default") ?? false, choices));
        }

        var defaults = readings.Count(r => r.IsDefault);
        if (defaults != 1 && readings.Count > 0)
        {
            root.Fail("readings", defaults == 0 ? "no reading is marked \"default\": true" : "more than one reading is marked as default");
        }

        return readings.ToImmutable();
    }

    private static Claim? ReadClaim(Reader c)
    {
        var id = c.String("id");
        if (c.Where == "the file" || c.Where.StartsWith("the file,", StringComparison.Ordinal))
        {
            c = c.Named($"claim {id}");
        }

        var description = c.String("description");
        var sentence = c.String("sentence");
        var kind = c.String("kind");
        var endpoint = KindFields.TryGetValue(kind, out var fields) && fields.Fields.Contains("endpoint") ? c.OptionalString("endpoint") : null;
        Claim? claim = kind switch
        {
            "cohortSize" => new CohortSizeClaim { Id = id, Description = description, Sentence = sentence, Count = c.Int("count") },
            "categoryCounts" => new CategoryCountsClaim
            {
                Id = id,
                Description = description,
                Sentence = sentence,
                Column = c.String("column"),
                Counts = [.. (c.Object("counts").Properties()).Select(p => new KeyValuePair<string, int>(p.Name, p.Reader.Int()))],
            },
            "count" => ReadCount(c, id, description, sentence),
            "survivalAt" => new SurvivalAtClaim
            {
                Id = id,
                Description = description,
                Sentence = sentence,
                Time = c.Number("time"),
                Percent = c.Reported("percent"),
                AtRisk = c.OptionalCount("atRisk"),
                Interval = c.OptionalInterval("interval"),
            },
            "followUp" => ReadFollowUp(c, id, description, sentence),
            "medianSurvival" => new MedianSurvivalClaim
            {
                Id = id,
                Description = description,
                Sentence = sentence,
                Median = c.Reported("median"),
                Minimum = c.OptionalReported("minimum"),
                Maximum = c.OptionalReported("maximum"),
                Interval = c.OptionalInterval("interval"),
            },
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
            "covariateSummary" => ReadCovariateSummary(c, id, description, sentence),
            "groupComparison" => ReadGroupComparison(c, id, description, sentence),
            "hazardRatio" => new HazardRatioClaim
            {
                Id = id,
                Description = description,
                Sentence = sentence,
                Column = c.String("column"),
                Level = c.String("level"),
                Value = c.Reported("value"),
                Interval = c.OptionalInterval("interval"),
                P = c.OptionalP("p"),
            },
            "noSignificantPredictor" => new NoSignificantPredictorClaim
            {
                Id = id,
                Description = description,
                Sentence = sentence,
                Alpha = c.Number("alpha"),
                Predictors = [.. c.Array("predictors").Select(p => new Predictor(p.String("column"), p.String("level"), p.String("label")))],
            },
            "otherDenominator" => ReadOtherDenominator(c, id, description, sentence),
            "recorded" => new RecordedClaim { Id = id, Description = description, Sentence = sentence, Reason = c.String("reason") },
            _ => null,
        };
        if (claim is null)
        {
            if (kind.Length > 0)
            {
                c.Fail("kind", $"unknown kind '{kind}'; expected {string.Join(", ", KindFields.Keys.SkipLast(1))} or {KindFields.Keys.Last()}");
            }

            return null;
        }

        return endpoint is null ? claim : claim with { Endpoint = endpoint };
    }

    private static CountClaim ReadCount(Reader c, string id, string description, string sentence)
    {
        var count = c.OptionalCount("count");
        var percent = c.OptionalReported("percent");
        if (count is null && percent is null)
        {
            c.Fail("count", "missing; give the count, the printed percentage, or both");
        }

        var amongColumn = c.OptionalString("amongColumn");
        var amongLevel = c.OptionalString("amongLevel");
        if ((amongColumn is null) != (amongLevel is null))
        {
            c.Fail(amongColumn is null ? "amongColumn" : "amongLevel", "amongColumn and amongLevel go together");
        }

        return new CountClaim
        {
            Id = id,
            Description = description,
            Sentence = sentence,
            Column = c.String("column"),
            Level = c.String("level"),
            Count = count,
            AmongColumn = amongColumn,
            AmongLevel = amongLevel,
            Denominator = c.OptionalCount("denominator"),
            Percent = percent,
        };
    }

    private static FollowUpClaim ReadFollowUp(Reader c, string id, string description, string sentence)
    {
        var minimum = c.OptionalReported("minimum");
        var maximum = c.OptionalReported("maximum");
        if ((minimum is null) != (maximum is null))
        {
            c.Fail(minimum is null ? "minimum" : "maximum", "a range needs both minimum and maximum");
        }

        var method = c.OptionalString("method") switch
        {
            null or "observed" => FollowUpMethod.Observed,
            "reverseKaplanMeier" => FollowUpMethod.ReverseKaplanMeier,
            var other => Fail(c, "method", $"unknown method '{other}'; expected observed or reverseKaplanMeier", FollowUpMethod.Observed),
        };
        var decimals = c.OptionalInt("timeDecimals");
        if (decimals is < 0 or > 6)
        {
            c.Fail("timeDecimals", "must be between 0 and 6");
        }

        return new FollowUpClaim
        {
            Id = id,
            Description = description,
            Sentence = sentence,
            Median = c.Reported("median"),
            Minimum = minimum,
            Maximum = maximum,
            Method = method,
            TimeDecimals = decimals,
        };
    }

    private static CovariateSummaryClaim ReadCovariateSummary(Reader c, string id, string description, string sentence)
    {
        var claim = new CovariateSummaryClaim
        {
            Id = id,
            Description = description,
            Sentence = sentence,
            Column = c.String("column"),
            ValueDecimals = c.OptionalInt("valueDecimals") ?? 0,
            Subjects = c.OptionalCount("subjects"),
            Median = c.OptionalReported("median"),
            Minimum = c.OptionalReported("minimum"),
            Maximum = c.OptionalReported("maximum"),
            Mean = c.OptionalReported("mean"),
            StandardDeviation = c.OptionalReported("sd"),
        };
        if (claim.ValueDecimals is < 0 or > 6)
        {
            c.Fail("valueDecimals", "must be between 0 and 6");
        }

        if ((claim.Median is null) == (claim.Mean is null))
        {
            c.Fail(claim.Median is null ? "median" : "mean", "give either a median (with an optional minimum and maximum) or a mean (with an optional sd), not both");
        }

        if ((claim.Minimum is null) != (claim.Maximum is null))
        {
            c.Fail(claim.Minimum is null ? "minimum" : "maximum", "a range needs both minimum and maximum");
        }

        if (claim.StandardDeviation is not null && claim.Mean is null)
        {
            c.Fail("sd", "a standard deviation goes with a mean");
        }

        return claim;
    }

    private static GroupComparisonClaim ReadGroupComparison(Reader c, string id, string description, string sentence)
    {
        var groups = c.Array("groups").Select(g =>
        {
            var group = new ComparedGroup(g.String("level"))
            {
                Count = g.OptionalCount("count"),
                Time = g.OptionalNumber("time"),
                Percent = g.OptionalReported("percent"),
                Median = g.OptionalReported("median"),
            };
            if ((group.Time is null) != (group.Percent is null))
            {
                g.Fail(group.Time is null ? "time" : "percent", "survival at a time needs both time and percent");
            }

            return group;
        }).ToImmutableArray();
        if (groups.Length < 2)
        {
            c.Fail("groups", "a comparison needs at least two groups");
        }

        var test = c.OptionalString("test") ?? "logRank";
        if (test != "logRank")
        {
            c.Fail("test", $"unknown test '{test}'; the kit checks logRank");
        }

        return new GroupComparisonClaim { Id = id, Description = description, Sentence = sentence, Column = c.String("column"), Groups = groups, Test = test, P = c.OptionalP("p") };
    }

    private static OtherDenominatorClaim ReadOtherDenominator(Reader c, string id, string description, string sentence)
    {
        var claim = new OtherDenominatorClaim
        {
            Id = id,
            Description = description,
            Sentence = sentence,
            Population = c.String("population"),
            Denominator = c.Int("denominator"),
            Count = c.OptionalCount("count"),
            Percent = c.OptionalReported("percent"),
        };
        if (claim.Count is null && claim.Percent is null)
        {
            c.Fail("count", "missing; give the count, the printed percentage, or both");
        }

        return claim;
    }

    private static T Fail<T>(Reader reader, string field, string problem, T value)
    {
        reader.Fail(field, problem);
        return value;
    }

    /// <summary>
    /// Reads fields of a JSON object; a missing or mistyped field adds a line naming the claim and the field to
    /// <see cref="Problems"/> and reads as a placeholder, so that every problem of a file is found in one pass.
    /// </summary>
    private readonly record struct Reader(JsonElement Element, string Source, string Where, List<string> Problems)
    {
        public Reader Named(string where) => this with { Where = where };

        public void Fail(string field, string problem) => Problems.Add($"{Where}, field '{field}': {problem}");

        private bool IsObject => Element.ValueKind == JsonValueKind.Object;

        private JsonElement? Field(string name)
        {
            if (!IsObject)
            {
                return null;
            }

            if (!Element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                Fail(name, "missing");
                return null;
            }

            return value;
        }

        public bool Has(string name) => IsObject && Element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

        public string String(string name)
        {
            if (Field(name) is not { } value)
            {
                return string.Empty;
            }

            if (value.ValueKind == JsonValueKind.String)
            {
                return value.GetString()!;
            }

            Fail(name, "expected text");
            return string.Empty;
        }

        public bool? OptionalBool(string name)
        {
            if (!Has(name))
            {
                return null;
            }

            var value = Element.GetProperty(name);
            if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return value.GetBoolean();
            }

            Fail(name, "expected true or false");
            return null;
        }

        public string? OptionalString(string name) => Has(name) ? String(name) : null;

        public double Number(string name)
        {
            if (Field(name) is not { } value)
            {
                return 0;
            }

            if (value.ValueKind == JsonValueKind.Number)
            {
                return value.GetDouble();
            }

            Fail(name, "expected a number");
            return 0;
        }

        public double? OptionalNumber(string name) => Has(name) ? Number(name) : null;

        public int Int(string name)
        {
            if (Field(name) is not { } value)
            {
                return 0;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i))
            {
                return i;
            }

            Fail(name, "expected a whole number");
            return 0;
        }

        public int Int()
        {
            if (Element.ValueKind == JsonValueKind.Number && Element.TryGetInt32(out var i))
            {
                return i;
            }

            Problems.Add($"{Where}: expected a whole number");
            return 0;
        }

        public int? OptionalInt(string name) => Has(name) ? Int(name) : null;

        /// <summary>An optional count of subjects: a whole number of 0 or more.</summary>
        public int? OptionalCount(string name)
        {
            var value = OptionalInt(name);
            if (value is < 0)
            {
                Fail(name, "must be 0 or more");
            }

            return value;
        }

        /// <summary>A printed figure: <c>{"value": 63.7, "decimals": 1}</c>.</summary>
        public ReportedValue Reported(string name)
        {
            if (!IsObject)
            {
                return default;
            }

            if (!Has(name))
            {
                Fail(name, "missing");
                return default;
            }

            var inner = Object(name);
            var decimals = inner.Int("decimals");
            if (decimals is < 0 or > 10)
            {
                Fail(name, "decimals must be between 0 and 10");
            }

            return new ReportedValue(inner.Number("value"), decimals);
        }

        public ReportedValue? OptionalReported(string name) => Has(name) ? Reported(name) : null;

        /// <summary>A printed interval: <c>{"lower": {…}, "upper": {…}, "level": 0.95}</c>.</summary>
        public ReportedInterval? OptionalInterval(string name)
        {
            if (!Has(name))
            {
                return null;
            }

            var inner = Object(name);
            var level = inner.OptionalNumber("level") ?? 0.95;
            if (level is <= 0 or >= 1)
            {
                inner.Fail("level", "must lie between 0 and 1 (0.95 for a 95% interval)");
            }

            return new ReportedInterval(inner.Reported("lower"), inner.Reported("upper")) { Level = level };
        }

        /// <summary>A printed p-value: <c>{"value": 0.032, "decimals": 3}</c>, <c>{"below": 0.05}</c>, <c>{"above": 0.05}</c> or <c>{"notSignificant": true, "alpha": 0.05}</c>.</summary>
        public ReportedP? OptionalP(string name)
        {
            if (!Has(name))
            {
                return null;
            }

            var inner = Object(name);
            var forms = PForms.Where(inner.Has).ToList();
            if (forms.Count != 1)
            {
                Fail(name, "give exactly one of value (with decimals), below, above or notSignificant");
                return null;
            }

            switch (forms[0])
            {
                case "value":
                    return new ReportedP(PValueForm.Exact, Reported(name), 0);
                case "below":
                    return new ReportedP(PValueForm.Below, null, inner.Number("below"));
                case "above":
                    return new ReportedP(PValueForm.Above, null, inner.Number("above"));
                default:
                    if (inner.OptionalBool("notSignificant") is false)
                    {
                        inner.Fail("notSignificant", "must be true when given");
                    }

                    return new ReportedP(PValueForm.NotSignificant, null, inner.OptionalNumber("alpha") ?? 0.05);
            }
        }

        public string Text()
        {
            if (Element.ValueKind == JsonValueKind.String)
            {
                return Element.GetString()!;
            }

            Problems.Add($"{Where}: expected text");
            return string.Empty;
        }

        public Reader? OptionalObject(string name) => Has(name) ? Object(name) : null;

        public Reader Object(string name)
        {
            var value = Field(name);
            if (value is { ValueKind: JsonValueKind.Object } found)
            {
                return new Reader(found, Source, $"{Where}, field '{name}'", Problems);
            }

            if (value is not null)
            {
                Fail(name, "expected an object");
            }

            // A placeholder that reads nothing and reports nothing more: the missing object was reported once.
            return new Reader(default, Source, $"{Where}, field '{name}'", Problems);
        }

        public List<Reader> Array(string name)
        {
            var value = Field(name);
            if (value is not { ValueKind: JsonValueKind.Array } found)
            {
                if (value is not null)
                {
                    Fail(name, "expected a list");
                }

                return [];
            }

            var source = Source;
            var where = Where;
            var problems = Problems;
            return found.EnumerateArray().Select((e, i) => new Reader(e, source, FormattableString.Invariant($"{where}, {name}[{i}]"), problems)).ToList();
        }

        public List<(string Name, Reader Reader)> Properties()
        {
            if (!IsObject)
            {
                return [];
            }

            var source = Source;
            var where = Where;
            var problems = Problems;
            return Element.EnumerateObject().Select(p => (p.Name, new Reader(p.Value, source, $"{where}, '{p.Name}'", problems))).ToList();
        }
    }
}
