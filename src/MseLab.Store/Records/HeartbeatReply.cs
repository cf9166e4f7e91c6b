namespace MseLab.Store.Records;

/// <summary>What the store says to a running attempt's heartbeat.</summary>
public enum HeartbeatReply
{
    /// <summary>The attempt still owns the cell.</summary>
    Continue,

    /// <summary>The sweep was cancelled: checkpoint and stop.</summary>
    SweepCancelled,

    /// <summary>Another attempt owns the cell (this one was presumed dead): stop without writing.</summary>
    Lost,

    /// <summary>The sweep's early-stopping rule stopped this attempt at the epoch it just stored: it is ending on its own, nothing to do.</summary>
    Pruned,
}
