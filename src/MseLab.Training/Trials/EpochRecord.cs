namespace MseLab.Training.Trials;

/// <summary>One finished epoch: training loss and speed, the learning rate at its end, and validation metrics.</summary>
public sealed record EpochRecord(
    int Epoch,
    double TrainLoss,
    double LearningRate,
    IReadOnlyDictionary<string, double> Validation,
    double Seconds,
    double SamplesPerSecond,
    double StepsPerSecond);
