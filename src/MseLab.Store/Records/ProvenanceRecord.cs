namespace MseLab.Store.Records;

/// <summary>Where a result came from.</summary>
public sealed record ProvenanceRecord(
    string? GitCommit,
    bool GitDirty,
    string Host,
    string TorchSharpVersion,
    string LibTorchVersion,
    string Device,
    string DatasetHash,
    long TrainableParameters,
    long BackboneParameters);
