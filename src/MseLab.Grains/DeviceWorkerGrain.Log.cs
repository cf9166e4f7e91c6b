using Microsoft.Extensions.Logging;
using MseLab.Store.Records;

namespace MseLab.Grains;

/// <summary>The device worker's log messages.</summary>
public sealed partial class DeviceWorkerGrain
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Trial {TrialKey} attempt {Attempt} started on {Device}")]
    private static partial void LogStarted(ILogger logger, string trialKey, int attempt, string device);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Trial {TrialKey} attempt {Attempt} on {Device} ended: {Outcome}")]
    private static partial void LogFinished(ILogger logger, string trialKey, int attempt, string device, TrialRunOutcome outcome);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "Trial {TrialKey} attempt {Attempt} not run on {Device}: stale, duplicate or cancelled")]
    private static partial void LogSkipped(ILogger logger, string trialKey, int attempt, string device);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Trial {TrialKey} attempt {Attempt} failed on {Device} ({Failure}): {Error}")]
    private static partial void LogFailed(ILogger logger, string trialKey, int attempt, string device, string error, FailureClass failure);

    [LoggerMessage(EventId = 106, Level = LogLevel.Debug, Message = "Device {Device} could not update the sweep's live view: {Error}")]
    private static partial void LogNotifyFailed(ILogger logger, string device, string? error);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "Trial {TrialKey} attempt {Attempt} on {Device}: the store says another attempt owns the cell now (this worker was presumed dead); stopping without writing")]
    private static partial void LogLost(ILogger logger, string trialKey, int attempt, string device);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Heartbeat of trial {TrialKey} on {Device} not stored ({Error}); the trial goes on and retries")]
    private static partial void LogHeartbeatFailed(ILogger logger, string trialKey, string device, string error);

    [LoggerMessage(EventId = 108, Level = LogLevel.Information, Message = "Trial {TrialKey} attempt {Attempt} on {Device}: claim taken from the store (this device's grain was activated anew after the claim)")]
    private static partial void LogClaimRecovered(ILogger logger, string trialKey, int attempt, string device);

    [LoggerMessage(EventId = 109, Level = LogLevel.Information, Message = "Trial {TrialKey} attempt {Attempt} on {Device} stopped by the sweep's early-stopping rule: {Reason}")]
    private static partial void LogPruned(ILogger logger, string trialKey, int attempt, string device, string reason);
}
