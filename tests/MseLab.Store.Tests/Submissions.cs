using System.Security.Cryptography;
using System.Text.Json;
using MseLab.Store.Records;

namespace MseLab.Store.Tests;

/// <summary>Submissions shaped as the sweep submitter builds them: resolved and run configurations serialised as JSON.</summary>
internal static class Submissions
{
    public const string SweepId = "quick";

    public static CellSubmission Cell(string key, string seedGroup = "g1", int seed = 1, double lr = 1e-3, int batchSize = 8, string device = "cpu") => new(
        key,
        seedGroup,
        "tiny",
        "synthetic:mosei",
        seed,
        lr,
        4,
        JsonSerializer.Serialize(new { Backbone = "tiny", BackboneFamily = "llama2-7b", Dataset = "synthetic:mosei", Seed = seed, LearningRate = lr, BatchSize = batchSize, MaxEpochs = 4 }),
        JsonSerializer.Serialize(new { Backbone = "/models/tiny", Dataset = "synthetic:mosei", Seed = seed, Device = device, Key = key }));

    public static SweepSubmission Sweep(IReadOnlyList<CellSubmission> cells, string id = SweepId, int retries = 2, string deviceKind = "cpu") =>
        new(id, $"/sweeps/{id}.yaml", $"name: {id}\n", deviceKind, MemoryGb: 0, retries, Priority: 3, cells);

    public static TrialOutcome Outcome(IReadOnlyDictionary<string, double> test, int bestEpoch = 2) =>
        new(bestEpoch, BestValidation: 0.42, StoppedBy: "max_epochs", test, Seconds: 12.5, Provenance);

    public static ProvenanceRecord Provenance { get; } = new("abc123", GitDirty: false, "lab-1", "0.107.0", "2.10.0", "cpu", "sha256:data", 1234, 56789);

    public static EpochReport Epoch(int epoch, double loss, double validationMae = 0.5) =>
        new(epoch, loss, 1e-3, new Dictionary<string, double> { ["mae"] = validationMae }, Seconds: 1.5, SamplesPerSecond: 100);

    /// <summary>A checkpoint blob as CheckpointArchive packs it: content with its lower-case hex SHA-256.</summary>
    public static CheckpointBlob Blob(CheckpointKind kind, int epoch, byte[] content) =>
        new(kind, epoch, Convert.ToHexStringLower(SHA256.HashData(content)), content);
}
