using MseLab.Experiments.Trials;

namespace MseLab.Training.Trials;

/// <summary>What a running trial is doing, reported after every training batch and evaluation.</summary>
public sealed record TrialProgress(
    TrialPhase Phase,
    int Epoch,
    int Step,
    int StepsInEpoch,
    double? Loss,
    double SamplesPerSecond,
    IReadOnlyDictionary<string, double>? Metrics = null);
