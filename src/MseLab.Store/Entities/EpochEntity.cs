namespace MseLab.Store.Entities;

/// <summary>One finished epoch of a trial: training loss, validation metrics (JSON object), learning rate, throughput.</summary>
public sealed class EpochEntity
{
    public required string SweepId { get; set; }

    public required string TrialKey { get; set; }

    public int Epoch { get; set; }

    public int Attempt { get; set; }

    public double TrainLoss { get; set; }

    public double LearningRate { get; set; }

    public required string Validation { get; set; }

    public double Seconds { get; set; }

    public double SamplesPerSecond { get; set; }
}
