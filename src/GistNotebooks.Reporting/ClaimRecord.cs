using System.Collections.Immutable;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using GistNotebooks.Survival.Claims;

namespace GistNotebooks.Reporting;

/// <summary>
/// The machine-readable record of one claim check, the single form in which a check travels between the kit's parts:
/// a notebook displays it under <see cref="MimeType"/> beside the check's HTML and text, the runner gathers it from the
/// executed notebook, the reproducer writes it to <c>claims.json</c>, the HTML report shows it and
/// <c>gistnb check --format json</c> prints it. As JSON:
/// <c>{"id":…,"description":…,"reported":…,"reproduced":…,"status":"pass"|"fail"|"not reproduced"|"not checkable","basis":"assigned"|"searched"|"redrawn"|"independent","notebook":…,"cellId":…}</c>,
/// where <c>basis</c> is present once it is known how the cohort came to meet the claim (<see cref="ClaimBasis"/>), and
/// <c>notebook</c> and <c>cellId</c> only once the runner has placed the record.
/// </summary>
/// <param name="Id">The claim id, e.g. C06.</param>
/// <param name="Description">The claim in words.</param>
/// <param name="Reported">The figure as the paper reported it.</param>
/// <param name="Reproduced">The figure computed from the cohort or in the notebook; empty when no notebook checked the claim.</param>
/// <param name="Status"><see cref="Pass"/>, <see cref="Fail"/>, <see cref="NotReproduced"/> or <see cref="NotCheckable"/>.</param>
public sealed record ClaimRecord(string Id, string Description, string Reported, string Reproduced, string Status)
{
    /// <summary>The mime type of the record in a notebook's outputs.</summary>
    public const string MimeType = "application/vnd.gistnotebooks.claim+json";

    /// <summary>The mime type of a list of records in a notebook's outputs: every check of a consistency report (<c>CheckAll()</c>).</summary>
    public const string ListMimeType = "application/vnd.gistnotebooks.claims+json";

    /// <summary>The status of a claim whose figure agrees with the paper at the reported precision.</summary>
    public const string Pass = "pass";

    /// <summary>The status of a claim whose figure does not agree with the paper.</summary>
    public const string Fail = "fail";

    /// <summary>The status of a claim that no notebook of a reproduction checked.</summary>
    public const string NotReproduced = "not reproduced";

    /// <summary>The status of a claim that cannot be checked (a recorded sentence, another population, a column the cohort lacks); the reason is in <see cref="Reproduced"/>.</summary>
    public const string NotCheckable = "not checkable";

    // Readable non-ASCII text (en dashes, ≥); characters that matter to HTML are still escaped, since the record
    // travels inside notebook files and reports.
    private static readonly JsonWriterOptions CompactLayout = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    /// <summary>
    /// How the cohort came to meet the claim: "assigned", "searched", "redrawn" or "independent" (<see cref="ClaimBasis"/>);
    /// null when not known. Only a passing independent claim is reproduced; the others are consistent by construction.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Basis { get; init; }

    /// <summary>The file name of the notebook that checked the claim; null until the runner places the record.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Notebook { get; init; }

    /// <summary>The id of the cell that checked the claim, for a link into the report; null until the runner places the record.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CellId { get; init; }

    /// <summary>Whether the claim was checked and agrees with the paper.</summary>
    [JsonIgnore]
    public bool Passed => Status == Pass;

    /// <summary>Whether the claim cannot be checked; such a claim is shown with its reason and does not count as a failure.</summary>
    [JsonIgnore]
    public bool IsNotCheckable => Status == NotCheckable;

    /// <summary>The record of a check made by <see cref="ConsistencyCheck"/> or in a notebook.</summary>
    public static ClaimRecord From(ClaimCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return new ClaimRecord(check.Id, check.Description, check.Reported, check.Reproduced, !check.IsCheckable ? NotCheckable : check.Passed ? Pass : Fail) { Basis = check.Basis?.Name() };
    }

    /// <summary>
    /// The verdict of a set of records, counted by basis: "12 of 12 claims consistent: 7 assigned, 4 searched, 1 redrawn",
    /// with "n reproduced" for passing independent claims and the failing or unchecked ones named; without bases,
    /// "n of m claims pass".
    /// </summary>
    public static string Verdict(IReadOnlyCollection<ClaimRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var passed = records.Where(r => r.Passed).ToList();
        var notCheckable = records.Count(r => r.Status == NotCheckable);
        var total = (records.Count - notCheckable).ToString(CultureInfo.InvariantCulture);
        if (records.All(r => r.Basis is null))
        {
            return $"{passed.Count.ToString(CultureInfo.InvariantCulture)} of {total} claims pass"
                + (notCheckable > 0 ? $"; {notCheckable.ToString(CultureInfo.InvariantCulture)} not checkable" : string.Empty);
        }

        var parts = new List<string>();
        foreach (var basis in new[] { ClaimBasis.Assigned, ClaimBasis.Searched, ClaimBasis.Redrawn, ClaimBasis.Independent })
        {
            var count = passed.Count(r => r.Basis == basis.Name());
            if (count > 0)
            {
                parts.Add(basis == ClaimBasis.Independent
                    ? $"{count.ToString(CultureInfo.InvariantCulture)} reproduced (independent)"
                    : $"{count.ToString(CultureInfo.InvariantCulture)} {basis.Name()}");
            }
        }

        var unknown = passed.Count(r => r.Basis is null);
        if (unknown > 0)
        {
            parts.Add($"{unknown.ToString(CultureInfo.InvariantCulture)} of unknown basis");
        }

        var failed = records.Count(r => r.Status == Fail);
        var notChecked = records.Count(r => r.Status == NotReproduced);
        var tail = (failed > 0 ? $"; {failed.ToString(CultureInfo.InvariantCulture)} fail" : string.Empty)
            + (notChecked > 0 ? $"; {notChecked.ToString(CultureInfo.InvariantCulture)} not checked" : string.Empty)
            + (notCheckable > 0 ? $"; {notCheckable.ToString(CultureInfo.InvariantCulture)} not checkable" : string.Empty);
        return $"{passed.Count.ToString(CultureInfo.InvariantCulture)} of {total} claims consistent: {string.Join(", ", parts)}{tail}";
    }

    /// <summary>
    /// The record of a claim that no notebook checked: reproduced empty, status <see cref="NotReproduced"/>; a recorded
    /// sentence, which nothing can check, is <see cref="NotCheckable"/> with its reason.
    /// </summary>
    public static ClaimRecord Unchecked(Claim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return claim is RecordedClaim recorded
            ? From(ClaimCheck.NotCheckable(claim, recorded.Reason))
            : new ClaimRecord(claim.Id, claim.Description, claim.Reported, string.Empty, NotReproduced);
    }

    /// <summary>The record as compact JSON on one line, the form a notebook displays.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, CompactLayout))
        {
            JsonSerializer.Serialize(writer, this, ClaimRecordJson.Default.ClaimRecord);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Records as one compact JSON array, the form a notebook displays under <see cref="ListMimeType"/>.</summary>
    public static string ToJsonArray(IEnumerable<ClaimRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, CompactLayout))
        {
            WriteArray(writer, records);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes records as a JSON array at the writer's position; the writer's options decide indentation and escaping.</summary>
    public static void WriteArray(Utf8JsonWriter writer, IEnumerable<ClaimRecord> records)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(records);
        JsonSerializer.Serialize(writer, records.ToImmutableArray(), ClaimRecordJson.Default.ImmutableArrayClaimRecord);
    }

    /// <summary>Reads one record, as <see cref="ToJson"/> writes it.</summary>
    /// <exception cref="JsonException">The text is not JSON, or a field is missing, null or not a string; the message says which.</exception>
    public static ClaimRecord Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize(json, ClaimRecordJson.Default.ClaimRecord)
            ?? throw new JsonException("A claim record is null.");
    }

    /// <summary>Reads a JSON array of records, as <see cref="WriteArray"/> writes it (the <c>claims</c> of <c>claims.json</c>).</summary>
    /// <exception cref="JsonException">The text is not a JSON array of valid records.</exception>
    public static ImmutableArray<ClaimRecord> ParseArray(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var records = JsonSerializer.Deserialize(json, ClaimRecordJson.Default.ImmutableArrayClaimRecord);
        return records.IsDefault ? throw new JsonException("A list of claim records is null.") : records;
    }
}

/// <summary>
/// Source-generated JSON for <see cref="ClaimRecord"/>: camel-case names; reading refuses a record that lacks a field
/// or holds null where text is required, so a malformed record is an error rather than a row of empty cells.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ClaimRecord))]
[JsonSerializable(typeof(ImmutableArray<ClaimRecord>))]
internal sealed partial class ClaimRecordJson : JsonSerializerContext;
