using MseLab.Experiments.Trials;

namespace MseLab.Grains;

/// <summary>Progress of a running cell: the epoch it is in, the batch within it, recent loss and last validation metric.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialEpochUpdate(
    [property: Id(0)] string TrialKey,
    [property: Id(1)] int Epoch,
    [property: Id(2)] int Step,
    [property: Id(3)] int StepsInEpoch,
    [property: Id(4)] double? Loss,
    [property: Id(5)] string? MetricName,
    [property: Id(6)] double? Metric,
    [property: Id(7)] double SecondsPerEpoch,
    [property: Id(8)] TrialPhase Phase = TrialPhase.Training,
    [property: Id(9)] double SamplesPerSecond = 0,
    [property: Id(10)] int Attempt = 0,
    [property: Id(11)] string? Device = null);
