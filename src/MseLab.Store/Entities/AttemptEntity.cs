using MseLab.Store.Records;

namespace MseLab.Store.Entities;

/// <summary>One ended attempt of a cell: where it ran, how it ended and why (lost workers, retried failures, hand-backs).</summary>
public sealed class AttemptEntity
{
    public required string SweepId { get; set; }

    public required string TrialKey { get; set; }

    public int Attempt { get; set; }

    public string? Device { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime EndedAt { get; set; }

    public AttemptOutcome Outcome { get; set; }

    public string? Reason { get; set; }
}
