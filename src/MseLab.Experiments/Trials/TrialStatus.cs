namespace MseLab.Experiments.Trials;

/// <summary>Where a sweep cell stands: in the store (stored as its name, so SQL reads well), in grains and in every view.</summary>
public enum TrialStatus
{
    /// <summary>Waiting for a device (a message is in the queue, or about to be).</summary>
    Queued,

    /// <summary>Claimed by a device for its current attempt, heartbeating.</summary>
    Running,

    /// <summary>Finished with test metrics.</summary>
    Succeeded,

    /// <summary>Failed for good: a deterministic error, or the retries were used up.</summary>
    Failed,

    /// <summary>Stopped by a sweep cancel (or dropped from an edited sweep); a resubmission resumes it.</summary>
    Cancelled,

    /// <summary>
    /// Stopped at a rung by the sweep's <c>early_stopping</c> rule, its seed group losing (or waiting for its other seeds);
    /// its last checkpoint is kept, and it is queued again from there if the rule promotes the group later.
    /// </summary>
    Pruned,
}
