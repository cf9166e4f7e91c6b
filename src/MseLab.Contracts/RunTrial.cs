namespace MseLab.Contracts;

/// <summary>
/// Command: run one sweep cell. Delivery is at least once; workers claim (<see cref="TrialKey"/>, <see cref="Attempt"/>)
/// in the results store before running, so a duplicated message never produces a second result.
/// </summary>
public sealed record RunTrial
{
    /// <summary>The sweep the cell belongs to.</summary>
    public required string SweepId { get; init; }

    /// <summary>Hash of the fully resolved trial configuration (the cell's identity).</summary>
    public required string TrialKey { get; init; }

    /// <summary>Dispatch number of this cell, starting at 1; a message whose attempt is not the stored one is stale.</summary>
    public required int Attempt { get; init; }

    /// <summary>Higher runs first where the transport supports priorities.</summary>
    public int Priority { get; init; }

    /// <summary>Device kind the cell needs (<c>cpu</c> or <c>cuda</c>).</summary>
    public required string DeviceKind { get; init; }

    /// <summary>Device memory the cell needs, in GB; only devices with at least this much take it.</summary>
    public double MemoryGb { get; init; }

    /// <summary>Retry backoff: a worker holds the message until this time (UTC) before it starts the attempt.</summary>
    public DateTime? NotBefore { get; init; }

    /// <summary>The cell's backbone as the sweep names it (labels metrics and traces; the stored configuration is what runs).</summary>
    public string? Backbone { get; init; }

    /// <summary>The cell's dataset as the sweep names it (labels metrics and traces).</summary>
    public string? Dataset { get; init; }
}
