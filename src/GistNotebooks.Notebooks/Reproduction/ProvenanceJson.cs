using System.Text.Json.Serialization;

namespace GistNotebooks.Notebooks.Reproduction;

/// <summary>Source-generated JSON for the provenance block of <c>claims.json</c>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(Provenance))]
internal sealed partial class ProvenanceJson : JsonSerializerContext;
