using System.Collections.Immutable;
using System.Globalization;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Regression;

/// <summary>
/// Turns covariate values given by name (a number for a numeric covariate, a level for a factor) into a row of
/// the design matrix in a model's term order, as R's <c>model.matrix</c> does for <c>newdata</c>.
/// </summary>
internal static class CovariateValues
{
    /// <param name="terms">The model's covariate terms, without the intercept.</param>
    /// <param name="factors">The model's factors, reference level first.</param>
    /// <param name="values">One entry per covariate: the factor's name with a level, or a numeric term's name with a number (invariant culture).</param>
    /// <exception cref="ArgumentException">A covariate is missing, a name is unknown, a level does not occur, or a number does not parse.</exception>
    public static ImmutableArray<double> Row(IReadOnlyList<string> terms, ImmutableArray<FactorCovariate> factors, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var row = new double[terms.Count];
        var covered = new bool[terms.Count];
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var factor in factors.IsDefault ? [] : factors)
        {
            var indices = factor.Levels.Skip(1).Select(level => IndexOf(terms, factor.Name + level)).ToArray();
            if (indices.Any(i => i < 0))
            {
                continue;
            }

            foreach (var i in indices)
            {
                covered[i] = true;
            }

            if (!values.TryGetValue(factor.Name, out var level))
            {
                throw new ArgumentException($"No value is given for the factor '{factor.Name}'; its levels are {string.Join(", ", factor.Levels)}.", nameof(values));
            }

            var position = factor.Levels.IndexOf(level);
            if (position < 0)
            {
                throw new ArgumentException($"The factor '{factor.Name}' has no level '{level}'; its levels are {string.Join(", ", factor.Levels)}.", nameof(values));
            }

            if (position > 0)
            {
                row[indices[position - 1]] = 1;
            }

            used.Add(factor.Name);
        }

        for (var j = 0; j < terms.Count; j++)
        {
            if (covered[j])
            {
                continue;
            }

            if (!values.TryGetValue(terms[j], out var text))
            {
                throw new ArgumentException($"No value is given for the covariate '{terms[j]}'.", nameof(values));
            }

            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
            {
                throw new ArgumentException($"The covariate '{terms[j]}' needs a finite number, found '{text}'.", nameof(values));
            }

            row[j] = number;
            used.Add(terms[j]);
        }

        var unknown = values.Keys.Where(k => !used.Contains(k)).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"The model has no covariate named {string.Join(", ", unknown.Select(k => $"'{k}'"))}.", nameof(values));
        }

        return [.. row];
    }

    private static int IndexOf(IReadOnlyList<string> terms, string name)
    {
        for (var i = 0; i < terms.Count; i++)
        {
            if (terms[i] == name)
            {
                return i;
            }
        }

        return -1;
    }
}
