namespace MseLab.Contracts;

/// <summary>Event: a cell's attempt ended (succeeded, failed or cancelled) and its outcome is in the results store.</summary>
public sealed record TrialFinished
{
    /// <summary>The sweep the cell belongs to.</summary>
    public required string SweepId { get; init; }

    /// <summary>The cell's identity.</summary>
    public required string TrialKey { get; init; }

    /// <summary>The attempt that ended.</summary>
    public required int Attempt { get; init; }

    /// <summary><c>Succeeded</c>, <c>Failed</c>, <c>Cancelled</c> or <c>Queued</c> (requeued for a retry).</summary>
    public required string Status { get; init; }

    /// <summary>The device that ran it, e.g. <c>host-a/cpu:0</c>.</summary>
    public required string Device { get; init; }
}
