using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GistNotebooks.Survival.Claims;

namespace GistNotebooks.Survival.Tests.Claims;

/// <summary>The published schema of claims files, the shipped claims files and the examples of docs/claims.md agree with each other and with the parser.</summary>
public sealed partial class ClaimsSchemaTests
{
    private static readonly string Docs = Path.Combine(AppContext.BaseDirectory, "Docs");

    private static SchemaValidator Validator()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(Docs, "claims.schema.json")));
        return new SchemaValidator(schema.RootElement.Clone());
    }

    public static TheoryData<string> ShippedClaimsFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Studies"), "claims.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(AppContext.BaseDirectory, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedClaimsFiles))]
    public void Every_shipped_claims_file_is_valid_against_the_schema_and_is_read(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, file);
        using var document = JsonDocument.Parse(File.ReadAllText(path));

        Assert.Empty(Validator().Validate(document.RootElement));
        Assert.NotEmpty(ClaimSet.Load(path).Claims);
    }

    [Fact]
    public void Every_example_of_the_claims_page_is_valid_against_the_schema_and_is_read()
    {
        // Each JSON block of docs/claims.md is a whole file or one claim; a claim is put in a file of one study with
        // the endpoint the examples use, after a cohort size.
        var blocks = JsonBlock().Matches(File.ReadAllText(Path.Combine(Docs, "claims.md"))).Select(m => m.Groups[1].Value).ToList();
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        Assert.True(blocks.Count >= ClaimSet.Kinds.Length);
        foreach (var block in blocks)
        {
            using var example = JsonDocument.Parse(block);
            var isClaim = example.RootElement.TryGetProperty("kind", out var kind);
            var file = isClaim
                ? $$"""
                    { "study": { "id": "doc", "citation": "-", "timeUnit": "months", "timeColumn": "t", "eventColumn": "e",
                                 "endpoints": { "diseaseFree": { "label": "disease-free survival", "timeColumn": "dfs", "eventColumn": "relapse" } } },
                      "claims": [ { "id": "N", "kind": "cohortSize", "description": "12", "sentence": "-", "count": 12 }, {{block}} ] }
                    """
                : block;
            using var document = JsonDocument.Parse(file);

            Assert.True(Validator().Validate(document.RootElement) is { Count: 0 }, block);
            var claims = ClaimSet.Parse(Encoding.UTF8.GetBytes(file), "example.json");
            if (isClaim)
            {
                kinds.Add(kind.GetString()!);
                Assert.Equal(example.RootElement.GetProperty("id").GetString(), claims.Claims[^1].Id);
            }
        }

        Assert.Equal(ClaimSet.Kinds.Order(StringComparer.Ordinal), kinds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_schema_names_exactly_the_kinds_the_parser_reads()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(Docs, "claims.schema.json")));
        var named = schema.RootElement.GetProperty("$defs").GetProperty("claim").GetProperty("properties").GetProperty("kind").GetProperty("enum")
            .EnumerateArray().Select(e => e.GetString()!).ToList();

        Assert.Equal(ClaimSet.Kinds, named);
    }

    [Theory]
    [InlineData("""{ "id": "A", "kind": "survivalAt", "description": "-", "sentence": "-", "time": 1, "percent": { "value": 50, "decimals": 0 }, "se": 3 }""")]
    [InlineData("""{ "id": "A", "kind": "oddsRatio", "description": "-", "sentence": "-" }""")]
    [InlineData("""{ "id": "A", "kind": "survivalAt", "description": "-", "sentence": "-", "time": 1 }""")]
    [InlineData("""{ "id": "A", "kind": "hazardRatio", "description": "-", "sentence": "-", "column": "x", "level": "1", "value": { "value": 2, "decimals": 0 }, "p": { "below": 0.05, "above": 0.01 } }""")]
    [InlineData("""{ "id": "A", "kind": "recorded", "description": "-", "sentence": "-" }""")]
    public void The_schema_and_the_parser_both_refuse_a_bad_claim(string claim)
    {
        var file = $$"""{ "study": { "id": "b", "citation": "-", "timeUnit": "months", "timeColumn": "t", "eventColumn": "e" }, "claims": [ {{claim}} ] }""";
        using var document = JsonDocument.Parse(file);

        Assert.NotEmpty(Validator().Validate(document.RootElement));
        Assert.Throws<GistNotebooks.Survival.Data.DataValidationException>(() => ClaimSet.Parse(Encoding.UTF8.GetBytes(file), "bad.json"));
    }

    [GeneratedRegex("```json\\n(.*?)\\n```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
