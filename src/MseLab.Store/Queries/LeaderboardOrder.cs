using System.Globalization;
using MseLab.Experiments.Metrics;
using MseLab.Store.Records;

namespace MseLab.Store.Queries;

/// <summary>
/// Orders and cuts leaderboard groups: <c>--best METRIC</c> (the metric's mean, best first in its own direction),
/// <c>--sort FIELD[:desc]</c> (a group-by field, <c>n</c>, or <c>test.NAME</c> by its mean) and <c>--top N</c>.
/// Groups without the sorted value go last either way.
/// </summary>
public static class LeaderboardOrder
{
    /// <summary>The suffix of a descending sort.</summary>
    public const string Descending = ":desc";

    /// <summary>Applies best, then sort (a tie-breaker when both are given), then top.</summary>
    /// <exception cref="ArgumentException">An unknown metric or field, or a top below 1; the message lists what is valid.</exception>
    public static IReadOnlyList<LeaderboardGroup> Apply(IReadOnlyList<LeaderboardGroup> groups, string? sort, string? best, int? top)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (top is < 1)
        {
            throw new ArgumentException($"--top {top}: give a number of groups, 1 or more.");
        }

        var keys = new List<(Func<LeaderboardGroup, SortKey?> Key, bool Descending)>();
        if (best is not null)
        {
            var metric = MetricName(best, "--best");
            keys.Add((g => Mean(g, metric), !MetricKeys.LowerIsBetter(metric)));
        }

        if (sort is not null)
        {
            var descending = sort.EndsWith(Descending, StringComparison.OrdinalIgnoreCase);
            var field = descending ? sort[..^Descending.Length] : sort.EndsWith(":asc", StringComparison.OrdinalIgnoreCase) ? sort[..^4] : sort;
            keys.Add((Selector(field, groups), descending));
        }

        IEnumerable<LeaderboardGroup> ordered = groups;
        if (keys.Count > 0)
        {
            var comparer = Comparer<LeaderboardGroup>.Create((a, b) =>
            {
                foreach (var (key, descending) in keys)
                {
                    var (x, y) = (key(a), key(b));
                    var order = (x, y) switch
                    {
                        (null, null) => 0,
                        (null, _) => 1,   // missing values last in both directions
                        (_, null) => -1,
                        _ => descending ? y.CompareTo(x) : x.CompareTo(y),
                    };
                    if (order != 0)
                    {
                        return order;
                    }
                }

                return 0;
            });
            ordered = groups.Order(comparer);   // stable: ties keep the leaderboard's order
        }

        return (top is { } n ? ordered.Take(n) : ordered).ToList();
    }

    private static string MetricName(string text, string option)
    {
        var name = text.StartsWith(FilterFields.TestPrefix, StringComparison.OrdinalIgnoreCase) ? text[FilterFields.TestPrefix.Length..] : text;
        return FilterFields.MetricNames.FirstOrDefault(m => string.Equals(m, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"{option} {text}: unknown metric. Metrics: {string.Join(", ", FilterFields.MetricNames)}.");
    }

    private static SortKey? Mean(LeaderboardGroup group, string metric) =>
        group.Metrics.TryGetValue(metric, out var summary) && double.IsFinite(summary.Mean) ? SortKey.Of(summary.Mean) : null;

    private static Func<LeaderboardGroup, SortKey?> Selector(string field, IReadOnlyList<LeaderboardGroup> groups)
    {
        if (string.Equals(field, "n", StringComparison.OrdinalIgnoreCase))
        {
            return g => SortKey.Of(g.N);
        }

        if (field.StartsWith(FilterFields.TestPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var metric = MetricName(field, "--sort");
            return g => Mean(g, metric);
        }

        var columns = groups.SelectMany(g => g.Fields.Keys).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var column = columns.FirstOrDefault(c => string.Equals(c, field, StringComparison.OrdinalIgnoreCase));
        if (column is null && groups.Count > 0)
        {
            throw new ArgumentException($"--sort {field}: not a column of this leaderboard. Sort by one of {string.Join(", ", columns)}, n, or test.NAME (a metric's mean); add :desc to reverse.");
        }

        // A number sorts as a number (lr 1e-4 before 1e-3), anything else as text.
        return g => g.Fields.TryGetValue(column!, out var value) && value.Length > 0
            ? double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? SortKey.Of(number) : new SortKey(false, 0, value)
            : null;
    }

    /// <summary>A sort value: numbers before text, numbers by value, text ordinally (a string's own CompareTo is culture-aware).</summary>
    private sealed record SortKey(bool IsNumber, double Number, string Text)
    {
        public static SortKey Of(double number) => new(true, number, "");

        public int CompareTo(SortKey other) =>
            IsNumber != other.IsNumber ? (IsNumber ? -1 : 1) : IsNumber ? Number.CompareTo(other.Number) : string.CompareOrdinal(Text, other.Text);
    }
}
