using System.Globalization;
using MseLab.Reporting.Exports;
using MseLab.Store.Records;
using Spectre.Console;

namespace MseLab.Cli;

/// <summary>Renders leaderboard groups as a table, CSV or JSON.</summary>
internal static class LeaderboardView
{
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

    public static string Csv(IReadOnlyList<LeaderboardGroup> groups) => LeaderboardText.Csv(groups);

    public static string JsonText(IReadOnlyList<LeaderboardGroup> groups) => LeaderboardText.JsonText(groups);

    private static IReadOnlyList<string> MetricNames(IReadOnlyList<LeaderboardGroup> groups) => LeaderboardText.MetricNames(groups);

    private static string Format(MetricSummary s) =>
        s.Std is { } std ? string.Create(CultureInfo.InvariantCulture, $"{s.Mean:F4} ± {std:F4}") : string.Create(CultureInfo.InvariantCulture, $"{s.Mean:F4}");

    // Paths and dataset queries are long; the table shows the last path segment and the dataset without its query.
    public static string Shorten(string value) => ValueDisplay.Shorten(value);
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
