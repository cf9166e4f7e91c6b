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
}
