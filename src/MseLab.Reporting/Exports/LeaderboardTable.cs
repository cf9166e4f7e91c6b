using MseLab.Store.Records;

namespace MseLab.Reporting.Exports;

/// <summary>Leaderboard groups as a typed table, the columns of the CSV: group-by fields, n, planned, METRIC_mean, METRIC_std.</summary>
public static class LeaderboardTable
{
    public static ExportTable Build(IReadOnlyList<LeaderboardGroup> groups)
    {
        var fields = groups.Count > 0 ? groups[0].Fields.Keys.ToList() : [];
        var metrics = groups.SelectMany(g => g.Metrics.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var columns = new List<ExportColumn>();
        columns.AddRange(fields.Select(f => new TextColumn(f, groups.Select(g => g.Fields[f]).ToList())));
        columns.Add(new IntColumn("n", groups.Select(g => g.N).ToList()));
        columns.Add(new IntColumn("planned", groups.Select(g => g.Planned).ToList()));
        foreach (var metric in metrics)
        {
            columns.Add(new NumberColumn($"{metric}_mean", groups.Select(g => g.Metrics.TryGetValue(metric, out var s) ? s.Mean : (double?)null).ToList()));
            columns.Add(new NumberColumn($"{metric}_std", groups.Select(g => g.Metrics.TryGetValue(metric, out var s) ? s.Std : null).ToList()));
        }

        return new ExportTable(columns, groups.Count);
    }
}
