using MseLab.Experiments.Trials;

namespace MseLab.Grains;

/// <summary>A sweep's live state.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepProgress(
    [property: Id(0)] string SweepId,
    [property: Id(1)] bool Cancelled,
    [property: Id(2)] IReadOnlyList<CellProgress> Cells)
{
    public int Count(TrialStatus status) => Cells.Count(c => c.Status == status);

    /// <summary>True when no cell waits or runs.</summary>
    public bool Finished => Cells.All(c => c.Status is not (TrialStatus.Queued or TrialStatus.Running));
}

/// <summary>One cell in a sweep's live state.</summary>
[GenerateSerializer, Immutable]
public sealed record CellProgress(
    [property: Id(0)] string TrialKey,
    [property: Id(1)] string Label,
    [property: Id(2)] TrialStatus Status,
    [property: Id(3)] int Attempt,
    [property: Id(4)] string? Device,
    [property: Id(5)] int Epoch,
    [property: Id(6)] int Step,
    [property: Id(7)] int StepsInEpoch,
    [property: Id(8)] double? Loss,
    [property: Id(9)] string? MetricName,
    [property: Id(10)] double? Metric,
    [property: Id(11)] double? SecondsPerEpoch,
    [property: Id(12)] int? MaxEpochs);
