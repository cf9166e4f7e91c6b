using MseLab.Store.Records;

namespace MseLab.Store.Queries;

/// <summary>A group's metrics: names in ordinal order (an array shared by the groups with the same metrics) and their moments.</summary>
internal sealed record MetricSet(string[] Names, Moments[] Moments)
{
    public static readonly MetricSet None = new([], []);

    public ReadOnlyArrayMap<MetricSummary> Summaries() => new(Names, Array.ConvertAll(Moments, m => m.Summary()));
}
