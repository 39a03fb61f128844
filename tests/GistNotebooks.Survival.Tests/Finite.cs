using System.Collections;
using System.Reflection;

namespace GistNotebooks.Survival.Tests;

/// <summary>Walks a result's public properties and asserts that every number is finite or explicitly null.</summary>
internal static class Finite
{
    public static void AssertEveryEstimate(object? result, string what)
    {
        Walk(result, what, depth: 0);
    }

    private static void Walk(object? value, string path, int depth)
    {
        switch (value)
        {
            case null or string or bool or int or long or Enum:
                return;
            case double d:
                Assert.True(double.IsFinite(d), $"{path} = {d}");
                return;
            case IEnumerable items:
                var i = 0;
                foreach (var item in items)
                {
                    Walk(item, $"{path}[{i++}]", depth + 1);
                }

                return;
        }

        Assert.True(depth < 8, "nesting too deep at " + path);
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && property.Name != "EqualityContract")
            {
                Walk(property.GetValue(value), path + "." + property.Name, depth + 1);
            }
        }
    }
}
