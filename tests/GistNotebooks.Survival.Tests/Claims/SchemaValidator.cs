using System.Globalization;
using System.Text.Json;

namespace GistNotebooks.Survival.Tests.Claims;

/// <summary>
/// A small JSON Schema (draft 2020-12) validator for the keywords docs/claims.schema.json uses: $ref to $defs, type,
/// required, properties, additionalProperties, items, minItems, enum, const, minimum, maximum, exclusiveMinimum,
/// exclusiveMaximum, minLength, allOf, oneOf, if/then. Any other keyword is an error, so that a keyword the schema
/// starts to use is never silently ignored.
/// </summary>
internal sealed class SchemaValidator(JsonElement root)
{
    private static readonly HashSet<string> Annotations = ["$schema", "$id", "title", "description", "$defs"];

    /// <summary>Every violation of the instance, one line each with its JSON path.</summary>
    public List<string> Validate(JsonElement instance)
    {
        var errors = new List<string>();
        Check(root, instance, "$", errors);
        return errors;
    }

    private void Check(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        foreach (var keyword in schema.EnumerateObject())
        {
            var k = keyword.Value;
            switch (keyword.Name)
            {
                case var name when Annotations.Contains(name):
                    break;
                case "$ref":
                    Check(Resolve(k.GetString()!), value, path, errors);
                    break;
                case "type":
                    if (!HasType(value, k.GetString()!))
                    {
                        errors.Add($"{path}: expected {k.GetString()}, found {value.ValueKind}");
                    }

                    break;
                case "required":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        errors.AddRange(k.EnumerateArray().Select(r => r.GetString()!).Where(r => !value.TryGetProperty(r, out _)).Select(r => $"{path}: missing {r}"));
                    }

                    break;
                case "properties":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var property in k.EnumerateObject())
                        {
                            if (value.TryGetProperty(property.Name, out var inner))
                            {
                                Check(property.Value, inner, $"{path}.{property.Name}", errors);
                            }
                        }
                    }

                    break;
                case "additionalProperties":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        var known = schema.TryGetProperty("properties", out var properties) ? properties.EnumerateObject().Select(p => p.Name).ToHashSet() : [];
                        foreach (var property in value.EnumerateObject().Where(p => !known.Contains(p.Name)))
                        {
                            if (k.ValueKind == JsonValueKind.False)
                            {
                                errors.Add($"{path}: unknown property {property.Name}");
                            }
                            else if (k.ValueKind == JsonValueKind.Object)
                            {
                                Check(k, property.Value, $"{path}.{property.Name}", errors);
                            }
                        }
                    }

                    break;
                case "items":
                    if (value.ValueKind == JsonValueKind.Array)
                    {
                        var i = 0;
                        foreach (var item in value.EnumerateArray())
                        {
                            Check(k, item, string.Create(CultureInfo.InvariantCulture, $"{path}[{i++}]"), errors);
                        }
                    }

                    break;
                case "minItems":
                    if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() < k.GetInt32())
                    {
                        errors.Add($"{path}: fewer than {k.GetInt32()} items");
                    }

                    break;
                case "minLength":
                    if (value.ValueKind == JsonValueKind.String && value.GetString()!.Length < k.GetInt32())
                    {
                        errors.Add($"{path}: shorter than {k.GetInt32()}");
                    }

                    break;
                case "enum":
                    if (!k.EnumerateArray().Any(e => JsonElement.DeepEquals(e, value)))
                    {
                        errors.Add($"{path}: {value.GetRawText()} is not one of {k.GetRawText()}");
                    }

                    break;
                case "const":
                    if (!JsonElement.DeepEquals(k, value))
                    {
                        errors.Add($"{path}: expected {k.GetRawText()}");
                    }

                    break;
                case "minimum" or "maximum" or "exclusiveMinimum" or "exclusiveMaximum":
                    if (value.ValueKind == JsonValueKind.Number)
                    {
                        var (x, bound) = (value.GetDouble(), k.GetDouble());
                        var ok = keyword.Name switch
                        {
                            "minimum" => x >= bound,
                            "maximum" => x <= bound,
                            "exclusiveMinimum" => x > bound,
                            _ => x < bound,
                        };
                        if (!ok)
                        {
                            errors.Add($"{path}: {x} breaks {keyword.Name} {bound}");
                        }
                    }

                    break;
                case "allOf":
                    foreach (var part in k.EnumerateArray())
                    {
                        Check(part, value, path, errors);
                    }

                    break;
                case "oneOf":
                {
                    var matching = k.EnumerateArray().Count(part => Passes(part, value, path));
                    if (matching != 1)
                    {
                        errors.Add($"{path}: matches {matching} of the oneOf alternatives, not exactly one");
                    }

                    break;
                }

                case "if":
                    if (Passes(k, value, path) && schema.TryGetProperty("then", out var then))
                    {
                        Check(then, value, path, errors);
                    }

                    break;
                case "then":
                    break;
                default:
                    throw new NotSupportedException($"The test validator does not know the keyword {keyword.Name}.");
            }
        }
    }

    private bool Passes(JsonElement schema, JsonElement value, string path)
    {
        var errors = new List<string>();
        Check(schema, value, path, errors);
        return errors.Count == 0;
    }

    private JsonElement Resolve(string reference)
    {
        const string Prefix = "#/$defs/";
        if (!reference.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Only local $defs references are supported, not {reference}.");
        }

        return root.GetProperty("$defs").GetProperty(reference[Prefix.Length..]);
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => throw new NotSupportedException($"Unknown type {type}."),
    };
}
