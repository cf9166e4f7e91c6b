namespace MseLab.Data.Entities;

/// <summary>How an attempt ended, as stored in <see cref="AttemptEntity.Outcome"/>.</summary>
public static class AttemptOutcome
{
    public const string Succeeded = "succeeded";

    /// <summary>A deterministic failure, or the last retry: the cell failed.</summary>
    public const string Failed = "failed";

    /// <summary>An infrastructure fault; the cell was queued again.</summary>
    public const string Retried = "retried";

    /// <summary>The worker stopped heartbeating (killed, paused, cut off); another worker took the cell.</summary>
    public const string Lost = "lost";

    /// <summary>The worker stopped on purpose (drain, shutdown) after a checkpoint and handed the cell back.</summary>
    public const string HandedBack = "handed back";

    public const string Cancelled = "cancelled";
}
