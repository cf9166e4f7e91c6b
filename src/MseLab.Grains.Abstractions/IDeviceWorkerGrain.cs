using Orleans.Concurrency;

namespace MseLab.Grains;

/// <summary>
/// One compute device, keyed <c>host/device</c> (e.g. <c>host-a/cpu:0</c>, <c>host-b/cuda:3</c>). Runs one trial at a
/// time off the grain's turn, sends heartbeats, and stops at a checkpoint when cancelled. It is placed on the silo
/// named after the key's host and never migrates, because the device it drives is physically there.
/// </summary>
public interface IDeviceWorkerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Claims the assigned cell in the store for this device: <see cref="TrialRunOutcome.Claimed"/>, or Skipped (stale,
    /// duplicate, cancelled) or Busy (a trial already runs here). A claimed trial starts with <see cref="RunClaimedAsync"/>.
    /// </summary>
    [AlwaysInterleave]
    Task<TrialRunReport> ClaimAsync(TrialAssignment assignment);

    /// <summary>
    /// Takes a cell already claimed in the store for this device (by fair share, in the queue consumer):
    /// <see cref="TrialRunOutcome.Claimed"/>, or Busy when a trial already runs here. It starts with <see cref="RunClaimedAsync"/>.
    /// </summary>
    [AlwaysInterleave]
    Task<TrialRunReport> AdoptAsync(ClaimedCell cell);

    /// <summary>Runs the trial this device claimed and returns how it ended.</summary>
    [ResponseTimeout("24.00:00:00")]
    [AlwaysInterleave]
    Task<TrialRunReport> RunClaimedAsync(TrialAssignment assignment);

    /// <summary>Claims the assigned cell in the store, runs it and returns how it ended (Busy when a trial already runs).</summary>
    // Under 24.8 days: Orleans sends a message's time to live as int milliseconds, and a longer one wraps negative, so a
    // call from another silo or a client arrives expired and is dropped (the caller then waits for the full timeout).
    [ResponseTimeout("24.00:00:00")]
    [AlwaysInterleave]   // a trial runs for hours: a second assignment is answered Busy at once, not queued behind it
    Task<TrialRunReport> RunTrialAsync(TrialAssignment assignment);

    /// <summary>What the device is doing now.</summary>
    [AlwaysInterleave]
    Task<DeviceStatus> GetStatusAsync();

    /// <summary>Stops the running trial if it belongs to <paramref name="sweepId"/> (and to <paramref name="trialKey"/> when given).</summary>
    [AlwaysInterleave]
    Task<bool> CancelAsync(string sweepId, string? trialKey);
}
