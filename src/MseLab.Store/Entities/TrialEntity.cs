using MseLab.Experiments.Trials;

namespace MseLab.Store.Entities;

/// <summary>One sweep cell: a fully resolved trial configuration, keyed by its hash within the sweep.</summary>
public sealed class TrialEntity
{
    public required string SweepId { get; set; }

    public required string Key { get; set; }

    public required string SeedGroup { get; set; }

    public required string Backbone { get; set; }

    public required string Dataset { get; set; }

    public int Seed { get; set; }

    /// <summary>The device kind the cell needs (<c>cpu</c>, <c>cuda</c>): the queue its messages go to.</summary>
    public required string DeviceKind { get; set; }

    /// <summary>The resolved bound on epochs (null: until early stopping), for the live view's ETA.</summary>
    public int? MaxEpochs { get; set; }

    public double LearningRate { get; set; }

    /// <summary>The resolved configuration, canonical JSON (what the key hashes).</summary>
    public required string ResolvedConfig { get; set; }

    /// <summary>The trial configuration a worker runs (backbone path, dataset, hyperparameters), JSON.</summary>
    public required string RunConfig { get; set; }

    public TrialStatus Status { get; set; }

    /// <summary>Dispatch number, from 1; a message carrying another attempt is stale.</summary>
    public int Attempt { get; set; }

    public int Failures { get; set; }

    public int MaxRetries { get; set; }

    public int Priority { get; set; }

    /// <summary>Device memory the trial needs, in GB (declared in the sweep file).</summary>
    public double MemoryGb { get; set; }

    /// <summary>Queued by a requeue whose message is not yet known to be sent (a transactional outbox of one flag).</summary>
    public bool DispatchPending { get; set; }

    /// <summary>Retry backoff: the queued attempt does not start before this time.</summary>
    public DateTime? NotBefore { get; set; }

    public string? Device { get; set; }

    public int Epoch { get; set; }

    public double? TrainLoss { get; set; }

    public double? BestValidation { get; set; }

    public int? BestEpoch { get; set; }

    public string? StoppedBy { get; set; }

    public string? Error { get; set; }

    public DateTime QueuedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? HeartbeatAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public double? Seconds { get; set; }

    public SweepEntity? Sweep { get; set; }

    public List<EpochEntity> Epochs { get; set; } = [];

    public List<TestMetricEntity> TestMetrics { get; set; } = [];
}
