namespace GistNotebooks.Survival.Data;

/// <summary>The one sort every estimator starts from: row indices by time ascending.</summary>
internal static class TimeSort
{
    /// <summary>
    /// Row indices sorted by time ascending; within a run of equal times, rows whose <paramref name="first"/> flag
    /// is set come first, then rows in their original order (so the result is reproducible).
    /// </summary>
    /// <remarks>
    /// Sorts the times with the primitive (keyed) array sort, then orders only the short runs of tied times with
    /// a comparer; a comparer over every row would cost several times more at a million rows.
    /// </remarks>
    public static int[] Order(double[] time, bool[]? first)
    {
        var n = time.Length;
        var keys = (double[])time.Clone();
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort(keys, order);
        var tieOrder = Comparer<int>.Create((a, b) =>
        {
            var c = first is null ? 0 : first[b].CompareTo(first[a]);
            return c != 0 ? c : a.CompareTo(b);
        });
        var start = 0;
        while (start < n)
        {
            var end = start + 1;
            while (end < n && keys[end] == keys[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                Array.Sort(order, start, end - start, tieOrder);
            }

            start = end;
        }

        return order;
    }
}
