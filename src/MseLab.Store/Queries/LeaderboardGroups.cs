using System.Collections;
using MseLab.Store.Records;

namespace MseLab.Store.Queries;

/// <summary>
/// The leaderboard's groups, each made a <see cref="LeaderboardGroup"/> when read. Twenty thousand seed groups are kept
/// column by column (<see cref="SeedGroupRows"/>), not as about twenty small objects each: a collection that comes
/// during the query has that many fewer to trace, and a reader that writes the groups out (a table, JSON, CSV) makes
/// garbage that dies young.
/// </summary>
internal sealed class LeaderboardGroups(int count, Func<int, LeaderboardGroup> make) : IReadOnlyList<LeaderboardGroup>
{
    public int Count => count;

    public LeaderboardGroup this[int index] => (uint)index < (uint)count ? make(index) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<LeaderboardGroup> GetEnumerator()
    {
        for (var i = 0; i < count; i++)
        {
            yield return make(i);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
