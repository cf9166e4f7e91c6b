namespace MseLab.Store.Entities;

/// <summary>
/// One seed group of a sweep (the cells of one configuration over its seeds) as the database keeps it: its planned and
/// succeeded cells and the configuration of its lowest-seed cell (every field but the seed is the same in all of them).
/// Written only by the triggers of the <c>SeedGroupMoments</c> migration, on every change of a trial's status or
/// configuration; the column names are the trials' so a filter written over <c>trials AS t</c> reads this table as <c>t</c>.
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
}
