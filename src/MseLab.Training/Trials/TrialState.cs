namespace MseLab.Training.Trials;

/// <summary>
/// The scalar part of a resumable checkpoint. Tensors (adapter, optimizer moments) sit beside it in safetensors files.
/// Batch order is a pure function of (seed, epoch), so the epoch counter is the whole RNG state.
/// </summary>
public sealed record TrialState
{
    /// <summary>Hash of the resolved trial config that wrote this state; a different config cannot resume from it.</summary>
    public required string ConfigHash { get; init; }

    /// <summary>Epochs completed.</summary>
    public int EpochsDone { get; init; }

    /// <summary>Optimizer updates (= scheduler steps) taken.</summary>
    public long Steps { get; init; }

    /// <summary>Best validation value of the selection metric so far (null before the first epoch).</summary>
    public double? BestMetric { get; init; }

    /// <summary>Epoch (1-based) where the best value was reached; 0 if none.</summary>
    public int BestEpoch { get; init; }

    /// <summary>Every finished epoch, so a resumed trial reports the same curves.</summary>
    public IReadOnlyList<EpochRecord> History { get; init; } = [];

    /// <summary>Batches of the current epoch already trained (non-zero only in a checkpoint taken on cancellation).</summary>
    public int BatchesDoneInEpoch { get; init; }

    /// <summary>Sum of the batch losses of those batches, so the epoch's mean loss survives a resume.</summary>
    public double EpochLossSum { get; init; }

    /// <summary>Seed of the batch-order generator; each epoch derives its permutation from it.</summary>
    public required int ShuffleSeed { get; init; }

    /// <summary>Wall-clock seconds spent in earlier runs of this trial (before a resume).</summary>
    public double ElapsedSeconds { get; init; }
}
