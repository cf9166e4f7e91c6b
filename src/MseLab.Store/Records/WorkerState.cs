namespace MseLab.Store.Records;

/// <summary>What a registered worker said about itself last (stored by name in <c>workers.State</c>).</summary>
public enum WorkerState
{
    /// <summary>Taking trials.</summary>
    Up,

    /// <summary>Stopping: its running trials checkpoint and hand back; it takes no new ones.</summary>
    Draining,

    /// <summary>Stopped gracefully.</summary>
    Stopped,
}
