namespace MseLab.Store.Records;

/// <summary>One leaderboard row: the group-by values, cells finished of planned, and mean and sample std per test metric.</summary>
public sealed record LeaderboardGroup(
    IReadOnlyDictionary<string, string> Fields,
    int N,
    int Planned,
    IReadOnlyDictionary<string, MetricSummary> Metrics);

/// <summary>Mean and sample standard deviation (n - 1; null when n &lt; 2) of one metric over a group's finished cells.</summary>
public sealed record MetricSummary(double Mean, double? Std);
