namespace GistNotebooks.Survival;

/// <summary>
/// The version of the kit's JSON outputs, written first in every one of them as <c>"schemaVersion": 1</c>: the
/// <c>--format json</c> output of <c>gistnb analyze *</c>, <c>check</c> and <c>audit</c>, and the files <c>claims.json</c>
/// (reproduce), <c>cohort.json</c> and <c>ensemble.json</c> (reconstruct). A reader checks it before it reads on; the
/// number goes up when a field is renamed, removed or changes meaning (adding a field does not change it).
/// </summary>
public static class OutputSchema
{
    /// <summary>The name of the field: <c>schemaVersion</c>.</summary>
    public const string PropertyName = "schemaVersion";

    /// <summary>The current version: 1.</summary>
    public const int Version = 1;
}
