namespace MseLab.Store.Queries;

/// <summary>
/// Orders label arrays as <see cref="Leaderboard.Build"/> orders groups, by <c>string.Join("\n", labels)</c> compared
/// ordinally, without building the joined strings (20,000 of them for a leaderboard of every seed group).
/// </summary>
internal static class JoinedOrder
{
    /// <summary>Compares the first <paramref name="count"/> labels of <paramref name="a"/> and <paramref name="b"/> as their joined text.</summary>
    public static int Compare<TLabels>(TLabels a, TLabels b, int count)
        where TLabels : IReadOnlyList<string>
    {
        for (var i = 0; i < count; i++)
        {
            var (x, y) = (a[i], b[i]);
            if (string.Equals(x, y, StringComparison.Ordinal))
            {
                continue;
            }

            var common = Math.Min(x.Length, y.Length);
            var at = x.AsSpan(0, common).CommonPrefixLength(y.AsSpan(0, common));
            if (at < common)
            {
                return x[at].CompareTo(y[at]);
            }

            // One label is a prefix of the other: in the joined text the shorter one is followed by the separator, or by
            // the end after the last label. A label with a newline at that place needs the joined text itself.
            var longer = x.Length > y.Length ? x : y;
            if (longer[common] == '\n')
            {
                return string.CompareOrdinal(string.Join("\n", a.Take(count)), string.Join("\n", b.Take(count)));
            }

            var shorterFirst = i == count - 1 || '\n' < longer[common] ? -1 : 1;
            return x.Length < y.Length ? shorterFirst : -shorterFirst;
        }

        return 0;
    }
}
