namespace MseLab.Store.Entities;

/// <summary>One final test metric of a finished trial (one row per metric, so leaderboards aggregate in SQL or code alike).</summary>
public sealed class TestMetricEntity
{
    public required string SweepId { get; set; }

    public required string TrialKey { get; set; }

    public required string Name { get; set; }

    /// <summary>Null for an undefined metric (NaN, e.g. a correlation of constant predictions): SQLite has no NaN.</summary>
    public double? Value { get; set; }
}
