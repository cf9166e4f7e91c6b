namespace MseLab.Store.Entities;

/// <summary>
/// The moments of one test metric over the succeeded cells of a seed group: the count, mean and sum of squared
/// deviations from the mean of its finite values (two passes within the group), as <see cref="Leaderboard.Build"/>
/// summarises them. A row exists when a succeeded cell of the group stores the metric, even with no finite value (n 0,
/// mean and m2 NULL). Written only by the triggers of the <c>SeedGroupMoments</c> migration.
/// </summary>
public sealed class SeedGroupMetricEntity
{
    public required string SweepId { get; set; }

    public required string SeedGroup { get; set; }

    public required string Name { get; set; }

    /// <summary>The finite values.</summary>
    public int N { get; set; }

    /// <summary>Their mean; null when there is none.</summary>
    public double? Mean { get; set; }

    /// <summary>Their sum of squared deviations from <see cref="Mean"/>; null when there is none.</summary>
    public double? M2 { get; set; }
}
