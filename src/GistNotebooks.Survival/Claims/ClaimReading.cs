using System.Collections.Immutable;

namespace GistNotebooks.Survival.Claims;

/// <summary>
/// One way of reading a paper whose sentences can be read more than one way: a name, and for each
/// ambiguous claim the alternative chosen (e.g. <c>whole-month</c>: C08 → whole-month, C11 → more-than-60).
/// </summary>
/// <param name="Name">The reading's name, as given to <c>--reading</c>.</param>
/// <param name="Description">What the reading assumes, in words.</param>
/// <param name="IsDefault">Whether the claims file names it as its default reading.</param>
/// <param name="Choices">For each ambiguous claim id, the name of the alternative this reading takes.</param>
public sealed record ClaimReading(string Name, string Description, bool IsDefault, ImmutableSortedDictionary<string, string> Choices);
