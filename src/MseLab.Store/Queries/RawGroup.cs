using MseLab.Store.Records;

namespace MseLab.Store.Queries;

/// <summary>Labels, counts and metrics of cells (or of seed groups) with equal keys, before groups with the same labels are merged.</summary>
internal sealed class RawGroup(string[] labels)
{
    public string[] Labels { get; } = labels;

    public int Planned { get; set; }

    public int Finished { get; set; }

    public long MinSeed { get; set; }

    public MetricSet Metrics { get; set; } = MetricSet.None;

    public LeaderboardGroup ToGroup(string[] fields) => new(
        new ReadOnlyArrayMap<string>(fields, Labels.Length == fields.Length ? Labels : Labels[..fields.Length]), Finished, Planned, Metrics.Summaries());
}
