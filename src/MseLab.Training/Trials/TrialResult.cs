using MseLab.Experiments.Trials;

namespace MseLab.Training.Trials;

/// <summary>The outcome of one trial, written as result.json next to its checkpoints.</summary>
public sealed record TrialResult
{
    public required ResolvedTrial Trial { get; init; }

    public required IReadOnlyList<EpochRecord> Epochs { get; init; }

    /// <summary>1-based epoch whose adapter was tested.</summary>
    public required int BestEpoch { get; init; }

    /// <summary>Validation value of the selection metric at the best epoch.</summary>
    public required double BestValidation { get; init; }

    /// <summary>Test metrics of the best adapter (keys per task, fractions).</summary>
    public required IReadOnlyDictionary<string, double> Test { get; init; }

    /// <summary>Why training ended: early_stop or max_epochs.</summary>
    public required string StoppedBy { get; init; }

    public required TrialTiming Timing { get; init; }

    public required TrialProvenance Provenance { get; init; }
}

/// <summary>Wall-clock seconds (a resumed trial counts its earlier runs too).</summary>
public sealed record TrialTiming(double TotalSeconds, double TrainSeconds, double EvaluationSeconds, double TestSeconds);

/// <summary>What produced a result: the build (commit, uncommitted changes), versions, machine, inputs.</summary>
public sealed record TrialProvenance(
    string? GitCommit,
    bool GitDirty,
    string Host,
    string TorchSharpVersion,
    string TorchVersion,
    string Device,
    string DatasetHash,
    long TrainableParameters,
    long BackboneParameters);
