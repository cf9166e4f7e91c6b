using MseLab.Store.Records;

namespace MseLab.Store.Entities;

/// <summary>
/// A trial checkpoint held in the store so that any worker that reaches it can resume: <c>latest</c> (resumable state:
/// adapter, optimizer moments, history) or <c>best</c> (adapter only), as a zip of the checkpoint folder.
/// </summary>
public sealed class CheckpointEntity
{
    public required string SweepId { get; set; }

    public required string TrialKey { get; set; }

    public CheckpointKind Kind { get; set; }

    public int Epoch { get; set; }

    public required string Sha256 { get; set; }

    public required byte[] Content { get; set; }

    public DateTime UpdatedAt { get; set; }
}
