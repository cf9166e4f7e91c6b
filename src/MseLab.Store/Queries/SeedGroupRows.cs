using System.Collections;
using System.Runtime.InteropServices;
using MseLab.Store.Records;

namespace MseLab.Store.Queries;

/// <summary>The fast path's seed groups, one list per column: the keys' labels, the counts, and every group's moments in one list.</summary>
internal sealed class SeedGroupRows
{
    private readonly List<int> _planned = [];

    private readonly List<int> _finished = [];

    private readonly List<string[]> _names = [];

    private readonly List<int> _first = [];

    private readonly List<Moments> _moments = [];

    public SeedGroupRows(int keys) => Labels = Enumerable.Range(0, keys).Select(_ => new List<string>()).ToArray();

    /// <summary>Per key, the label of each row (the same string for equal values, but for seed groups).</summary>
    public List<string>[] Labels { get; }

    /// <summary>Adds a row's counts and its metrics, sorted by name (<paramref name="names"/> shares the names' array).</summary>
    public void Add(int planned, int finished, List<(string Name, Moments Moments)> metrics, MetricNames names)
    {
        _planned.Add(planned);
        _finished.Add(finished);
        _names.Add(names.SortedNames(metrics));
        _first.Add(_moments.Count);
        foreach (var (_, moments) in metrics)
        {
            _moments.Add(moments);
        }
    }

    /// <summary>Each row a seed group (the last key), in Build's order: by the labels joined, then by sweep and seed group.</summary>
    public LeaderboardGroups Sorted(string[] fields)
    {
        var order = Enumerable.Range(0, _planned.Count).ToArray();
        var last = Labels.Length - 1;
        Array.Sort(order, (a, b) =>
        {
            var byLabels = JoinedOrder.Compare(new Row(this, a), new Row(this, b), fields.Length);
            return byLabels != 0 ? byLabels : JoinedOrder.Compare(new Row(this, a, [0, last]), new Row(this, b, [0, last]), 2);
        });
        return new LeaderboardGroups(order.Length, i => Group(order[i], fields));
    }

    /// <summary>
    /// Each row as a raw group, for a grouping coarser than the seed group, made as it is enumerated: a merge keeps only
    /// the few merged groups, and the rows' raw groups die young.
    /// </summary>
    public IEnumerable<RawGroup> AsRawGroups()
    {
        for (var r = 0; r < _planned.Count; r++)
        {
            yield return new RawGroup(LabelsOf(r, Labels.Length)) { Planned = _planned[r], Finished = _finished[r], Metrics = Metrics(r) };
        }
    }

    private LeaderboardGroup Group(int row, string[] fields) =>
        new(new ReadOnlyArrayMap<string>(fields, LabelsOf(row, fields.Length)), _finished[row], _planned[row], Metrics(row).Summaries());

    // The row's first `count` labels, copied.
    private string[] LabelsOf(int row, int count)
    {
        var labels = new string[count];
        for (var k = 0; k < count; k++)
        {
            labels[k] = Labels[k][row];
        }

        return labels;
    }

    private MetricSet Metrics(int row) =>
        new(_names[row], CollectionsMarshal.AsSpan(_moments).Slice(_first[row], _names[row].Length).ToArray());

    // A row's labels as a list (all keys, or the ones named), without copying them.
    private readonly struct Row(SeedGroupRows rows, int row, int[]? keys = null) : IReadOnlyList<string>
    {
        public int Count => keys?.Length ?? rows.Labels.Length;

        public string this[int index] => rows.Labels[keys is null ? index : keys[index]][row];

        public IEnumerator<string> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
