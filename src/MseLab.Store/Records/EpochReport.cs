namespace MseLab.Store.Records;

/// <summary>One finished epoch as the worker reports it.</summary>
public sealed record EpochReport(
    int Epoch,
    double TrainLoss,
    double LearningRate,
    IReadOnlyDictionary<string, double> Validation,
    double Seconds,
    double SamplesPerSecond);
