namespace GistNotebooks.Survival.Claims;

/// <summary>
/// How a claim came to hold in a cohort: whether the cohort was built to meet it, and how. A claim that holds in a
/// reconstructed cohort only because the reconstruction made it hold is <em>consistent</em>, not reproduced; only an
/// <see cref="Independent"/> claim that holds is a reproduction.
/// </summary>
public enum ClaimBasis
{
    /// <summary>The reconstruction set the figure directly (a count or margin assigned to patients).</summary>
    Assigned,

    /// <summary>The order search made the figure hold (deaths, censorings and times chosen to meet it).</summary>
    Searched,

    /// <summary>Cohorts failing the claim were rejected and redrawn.</summary>
    Redrawn,

    /// <summary>The cohort was not built to meet the claim; if it holds, it is reproduced.</summary>
    Independent,
}

/// <summary>The names of <see cref="ClaimBasis"/> values as they appear in <c>claims.json</c> and tables.</summary>
public static class ClaimBasisNames
{
    /// <summary>The basis in lower case: "assigned", "searched", "redrawn" or "independent".</summary>
    public static string Name(this ClaimBasis basis) => basis switch
    {
        ClaimBasis.Assigned => "assigned",
        ClaimBasis.Searched => "searched",
        ClaimBasis.Redrawn => "redrawn",
        ClaimBasis.Independent => "independent",
        _ => throw new ArgumentOutOfRangeException(nameof(basis), basis, "not a claim basis"),
    };

    /// <summary>Reads a basis from its <see cref="Name"/>.</summary>
    /// <exception cref="ArgumentException">The text is not one of the four names.</exception>
    public static ClaimBasis Parse(string name) => name switch
    {
        "assigned" => ClaimBasis.Assigned,
        "searched" => ClaimBasis.Searched,
        "redrawn" => ClaimBasis.Redrawn,
        "independent" => ClaimBasis.Independent,
        _ => throw new ArgumentException($"'{name}' is not a claim basis (assigned, searched, redrawn or independent).", nameof(name)),
    };
}
