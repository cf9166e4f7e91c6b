namespace MseLab.Store.Entities;

/// <summary>
/// One seed group of a sweep (the cells of one configuration over its seeds) as the database keeps it: its planned and
/// succeeded cells, the configuration of its lowest-seed cell (every field but the seed is the same in all of them) and
/// the moments of every test metric. Written only by the database's triggers (migrations <c>SeedGroupPackedMoments</c> and
/// <c>SeedGroupStatsIncremental</c>), on every change of a trial's group, configuration or succeeded status and every
/// test-metric write; the column names are the trials' so a filter written over <c>trials AS t</c> reads this table as
/// <c>t</c>.
/// </summary>
public sealed class SeedGroupStatsEntity
{
    public required string SweepId { get; set; }

    public required string SeedGroup { get; set; }

    /// <summary>Every cell of the group.</summary>
    public int Planned { get; set; }

    /// <summary>The succeeded cells.</summary>
    public int Finished { get; set; }

    /// <summary>The lowest seed: the cell whose configuration the columns below are.</summary>
    public int Seed { get; set; }

    public required string Backbone { get; set; }

    public required string Dataset { get; set; }

    public double LearningRate { get; set; }

    /// <summary>The lowest-seed cell's resolved configuration (it holds that seed; nothing else differs within the group).</summary>
    public required string ResolvedConfig { get; set; }

    /// <summary>
    /// The configuration's <c>BackboneFamily</c> as JSON text (<c>"llama2-7b"</c> with its quotes; empty when absent), as
    /// the leaderboard's family key reads it from a trial: kept here so a default leaderboard needs no JSON read per group.
    /// </summary>
    public required string Family { get; set; }

    /// <summary>
    /// Per test metric of the succeeded cells, the count, mean and sum of squared deviations of its finite values, as one
    /// JSON object: <c>{"mae": [5, 0.71, 0.0032], "corr": [0, null, null], ...}</c> (<c>{}</c> with no metric). One read per
    /// group is what lets a leaderboard of every seed group in the store come back in milliseconds.
    /// </summary>
    public required string Moments { get; set; }
}
