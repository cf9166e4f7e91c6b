namespace MseLab.Store.Records;

/// <summary>How an attempt of a cell ended (stored by name in <c>attempts.Outcome</c>).</summary>
public enum AttemptOutcome
{
    /// <summary>The attempt finished the trial; its metrics are stored.</summary>
    Succeeded,

    /// <summary>A deterministic failure, or the last retry: the cell failed.</summary>
    Failed,

    /// <summary>An infrastructure fault; the cell was queued again.</summary>
    Retried,

    /// <summary>The worker stopped heartbeating (killed, paused, cut off); another worker took the cell.</summary>
    Lost,

    /// <summary>The worker stopped on purpose (drain, shutdown) after a checkpoint and handed the cell back.</summary>
    HandedBack,

    /// <summary>The sweep was cancelled.</summary>
    Cancelled,

    /// <summary>Stopped at a rung by the sweep's early-stopping rule (its checkpoint kept; queued again if the rule promotes its group).</summary>
    Pruned,
}
