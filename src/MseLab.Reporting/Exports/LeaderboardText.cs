using System.Globalization;
using System.Text;
using System.Text.Json;
using MseLab.Store.Records;

namespace MseLab.Reporting.Exports;

/// <summary>
/// The leaderboard as CSV (group-by fields, n, planned, METRIC_mean, METRIC_std) and as JSON (a list of groups with
/// <c>metrics.NAME.mean/std</c>): what <c>mselab results --format csv|json</c> prints and the API's downloads send.
/// </summary>
public static class LeaderboardText
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string Csv(IReadOnlyList<LeaderboardGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var fields = groups.Count > 0 ? groups[0].Fields.Keys.ToList() : [];
        var metrics = MetricNames(groups);
        var text = new StringBuilder();
        text.AppendLine(string.Join(",", fields.Append("n").Append("planned").Concat(metrics.SelectMany(m => new[] { $"{m}_mean", $"{m}_std" })).Select(Quote)));
        foreach (var group in groups)
        {
            var values = fields.Select(f => group.Fields[f])
                .Append(group.N.ToString(CultureInfo.InvariantCulture))
                .Append(group.Planned.ToString(CultureInfo.InvariantCulture))
                .Concat(metrics.SelectMany(m => group.Metrics.TryGetValue(m, out var s)
                    ? new[] { Number(s.Mean), s.Std is { } std ? Number(std) : "" }
                    : ["", ""]));
            text.AppendLine(string.Join(",", values.Select(Quote)));
        }

        return text.ToString();
    }

    /// <summary>Indented JSON: the group-by fields as properties, then n, planned and metrics; a non-finite mean is null (JSON has no NaN).</summary>
    public static string JsonText(IReadOnlyList<LeaderboardGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var list = groups.Select(g =>
        {
            var entry = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (field, value) in g.Fields)
            {
                entry[field] = value;
            }

            entry["n"] = g.N;
            entry["planned"] = g.Planned;
            entry["metrics"] = g.Metrics.ToDictionary(
                m => m.Key,
                m => new Dictionary<string, double?> { ["mean"] = double.IsFinite(m.Value.Mean) ? m.Value.Mean : null, ["std"] = m.Value.Std },
                StringComparer.Ordinal);
            return entry;
        });
        return JsonSerializer.Serialize(list, Json);
    }

    /// <summary>Every metric any group has, in ordinal order (the column order of the CSV and of the console table).</summary>
    public static IReadOnlyList<string> MetricNames(IReadOnlyList<LeaderboardGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        return groups.SelectMany(g => g.Metrics.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
