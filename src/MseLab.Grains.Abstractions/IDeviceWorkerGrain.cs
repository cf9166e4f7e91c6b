using Orleans.Concurrency;

namespace MseLab.Grains;

/// <summary>
/// One compute device, keyed <c>host/device</c> (e.g. <c>host-a/cpu:0</c>, <c>host-b/cuda:3</c>). Runs one trial at a
/// time off the grain's turn, sends heartbeats, and stops at a checkpoint when cancelled. It is placed on the silo
/// named after the key's host and never migrates, because the device it drives is physically there.
/// </summary>
public interface IDeviceWorkerGrain : IGrainWithStringKey
{
    /// <summary>Claims the assigned cell in the store, runs it and returns how it ended (Busy when a trial already runs).</summary>
    [ResponseTimeout("30.00:00:00")]
    Task<TrialRunReport> RunTrialAsync(TrialAssignment assignment);

    /// <summary>What the device is doing now.</summary>
    [AlwaysInterleave]
    Task<DeviceStatus> GetStatusAsync();

    /// <summary>Stops the running trial if it belongs to <paramref name="sweepId"/> (and to <paramref name="trialKey"/> when given).</summary>
    [AlwaysInterleave]
    Task<bool> CancelAsync(string sweepId, string? trialKey);
}
