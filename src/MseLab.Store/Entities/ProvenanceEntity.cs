namespace MseLab.Store.Entities;

/// <summary>Where a result came from: code version, machine, libraries, device and the exact data.</summary>
public sealed class ProvenanceEntity
{
    public required string SweepId { get; set; }

    public required string TrialKey { get; set; }

    public string? GitCommit { get; set; }

    public bool GitDirty { get; set; }

    public required string Host { get; set; }

    public required string TorchSharpVersion { get; set; }

    public required string LibTorchVersion { get; set; }

    public required string Device { get; set; }

    public required string DatasetHash { get; set; }

    public long TrainableParameters { get; set; }

    public long BackboneParameters { get; set; }
}
