namespace MseLab.Grains;

/// <summary>How a device's run of an assignment ended.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialRunReport(
    [property: Id(0)] TrialRunOutcome Outcome,
    [property: Id(1)] string Device,
    [property: Id(2)] string? Error = null,
    [property: Id(3)] int? RetryAttempt = null);

/// <summary>The ways a run ends.</summary>
[GenerateSerializer]
public enum TrialRunOutcome
{
    /// <summary>Finished; metrics are in the store.</summary>
    Succeeded,

    /// <summary>Failed for good (deterministic error or retries used up).</summary>
    Failed,

    /// <summary>Failed and requeued as <see cref="TrialRunReport.RetryAttempt"/>.</summary>
    Retrying,

    /// <summary>Stopped by a sweep cancel.</summary>
    Cancelled,

    /// <summary>Stopped because the worker shuts down; the cell is queued again and resumes from its checkpoint.</summary>
    Interrupted,

    /// <summary>Not run: stale or duplicate message, or the sweep is cancelled.</summary>
    Skipped,

    /// <summary>Not run: the device already runs a trial.</summary>
    Busy,

    /// <summary>Claimed by <see cref="IDeviceWorkerGrain.ClaimAsync"/>; not started yet.</summary>
    Claimed,

    /// <summary>Stopped at a rung by the sweep's early-stopping rule; its checkpoint is kept and the rule may promote it later.</summary>
    Pruned,
}
