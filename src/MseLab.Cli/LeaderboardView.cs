using System.Globalization;
using System.Text;
using System.Text.Json;
using MseLab.Experiments.Datasets;
using MseLab.Store.Records;
using Spectre.Console;

namespace MseLab.Cli;

/// <summary>Renders leaderboard groups as a table, CSV or JSON.</summary>
internal static class LeaderboardView
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static void Write(IReadOnlyList<LeaderboardGroup> groups, LeaderboardFormat format)
    {
        switch (format)
        {
            case LeaderboardFormat.Table:
                // One table per task: regression and classification cells have different metrics.
                foreach (var task in groups.GroupBy(g => string.Join(",", g.Metrics.Keys)))
                {
                    AnsiConsole.Write(Table(task.ToList()));
                }

                break;
            case LeaderboardFormat.Csv:
                Console.Out.Write(Csv(groups));
                break;
            case LeaderboardFormat.Json:
                Console.Out.WriteLine(JsonText(groups));
                break;
        }
    }

    public static Table Table(IReadOnlyList<LeaderboardGroup> groups)
    {
        var fields = groups.Count > 0 ? groups[0].Fields.Keys.ToList() : [];
        var metrics = MetricNames(groups);
        var table = new Table().Border(TableBorder.Simple);
        foreach (var field in fields)
        {
            table.AddColumn(field);
        }

        table.AddColumn(new TableColumn("n").RightAligned());
        foreach (var metric in metrics)
        {
            table.AddColumn(new TableColumn(metric).RightAligned());
        }

        foreach (var group in groups)
        {
            var cells = fields.Select(f => Markup.Escape(Shorten(group.Fields[f])))
                .Append($"{group.N}/{group.Planned}")
                .Concat(metrics.Select(m => group.Metrics.TryGetValue(m, out var s) ? Format(s) : "-"));
            table.AddRow(cells.ToArray());
        }

        return table;
    }

    public static string Csv(IReadOnlyList<LeaderboardGroup> groups)
    {
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

    public static string JsonText(IReadOnlyList<LeaderboardGroup> groups)
    {
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

    private static List<string> MetricNames(IReadOnlyList<LeaderboardGroup> groups) =>
        groups.SelectMany(g => g.Metrics.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    private static string Format(MetricSummary s) =>
        s.Std is { } std ? string.Create(CultureInfo.InvariantCulture, $"{s.Mean:F4} ± {std:F4}") : string.Create(CultureInfo.InvariantCulture, $"{s.Mean:F4}");

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;

    // Paths and dataset queries are long; the table shows the last path segment and the dataset without its query.
    public static string Shorten(string value)
    {
        var trimmed = value.Contains('/', StringComparison.Ordinal) && !value.Contains(':', StringComparison.Ordinal)
            ? Path.GetFileName(Path.TrimEndingDirectorySeparator(value))
            : value;
        return DatasetRef.Display(trimmed);
    }
}

/// <summary>How <c>mselab results</c> writes the leaderboard.</summary>
internal enum LeaderboardFormat
{
    /// <summary>One table per task (regression and classification have different metrics).</summary>
    Table,

    /// <summary>One row per group: the group-by fields, n, planned, then METRIC_mean and METRIC_std.</summary>
    Csv,

    /// <summary>A list of groups: group-by fields, n, planned, metrics.NAME.mean/std.</summary>
    Json,

    /// <summary>A Parquet file (needs <c>--out</c>): the CSV's columns, typed (strings, int32 n/planned, double metrics, null where missing).</summary>
    Parquet,
}
