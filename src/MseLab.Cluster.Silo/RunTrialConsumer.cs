using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MseLab.Contracts;
using MseLab.Grains;

namespace MseLab.Cluster.Silo;

/// <summary>
/// Takes a <see cref="RunTrial"/>: waits (briefly) for a free device that fits, claims the cell on it, and acknowledges
/// the message as soon as the claim is stored; the run goes on in <see cref="TrialRuns"/>. So no message stays
/// unacknowledged longer than <see cref="WorkerOptions.HoldSeconds"/>, however long trials run (the broker's
/// acknowledgement timeout never fires), and a worker that dies mid-trial is noticed through its heartbeats in the store.
/// A message that cannot start here soon, or cannot run here at all (no device of its kind, or not what
/// <see cref="ITrialPrerequisites"/> asks, such as its data), is handed back to the tail of its queue.
/// </summary>
public sealed partial class RunTrialConsumer(
    LocalDevices devices,
    TrialRuns runs,
    IGrainFactory grains,
    ITrialPrerequisites prerequisites,
    TrialRefusals refusals,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<RunTrialConsumer> logger) : IConsumer<RunTrial>
{
    public async Task Consume(ConsumeContext<RunTrial> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        var hold = TimeSpan.FromSeconds(options.Value.HoldSeconds);
        if (runs.Draining)
        {
            await HandBackAsync(context, "this worker is draining");
            return;
        }

        if (!devices.CanFit(message.DeviceKind, message.MemoryGb))
        {
            // Another worker has a device that fits (submission checked); a pause keeps two such workers from ping-ponging.
            await Task.Delay(TimeSpan.FromSeconds(1), context.CancellationToken);
            await HandBackAsync(context, $"needs {message.DeviceKind} with {message.MemoryGb} GB; no device here fits");
            return;
        }

        if (await prerequisites.RefusalAsync(message, context.CancellationToken) is { } refusal)
        {
            // Before the claim: the cell stays Queued for a worker that has what it needs. The same pause as above.
            if (refusals.IsNew(message.TrialKey, refusal))
            {
                LogRefused(logger, message.TrialKey, message.Dataset, refusal);
            }

            await Task.Delay(TimeSpan.FromSeconds(1), context.CancellationToken);
            await HandBackAsync(context, refusal);
            return;
        }

        if (message.NotBefore is { } notBefore && notBefore > time.GetUtcNow().UtcDateTime)
        {
            var wait = notBefore - time.GetUtcNow().UtcDateTime;
            await Task.Delay(wait < hold ? wait : hold, context.CancellationToken);
            if (notBefore > time.GetUtcNow().UtcDateTime)
            {
                await HandBackAsync(context, $"retry backoff until {notBefore:u}");
                return;
            }
        }

        var device = await devices.AcquireAsync(message.DeviceKind, message.MemoryGb, hold, context.CancellationToken);
        if (device is null)
        {
            await HandBackAsync(context, "no device became free");
            return;
        }

        var started = false;
        try
        {
            if (runs.Draining)
            {
                // Shutdown began while this message waited for the device.
                await HandBackAsync(context, "this worker is draining");
                return;
            }

            var assignment = new TrialAssignment(message.SweepId, message.TrialKey, message.Attempt);
            var grain = grains.GetGrain<IDeviceWorkerGrain>(device);
            var claim = await grain.ClaimAsync(assignment);
            switch (claim.Outcome)
            {
                case TrialRunOutcome.Claimed:
                    runs.Start(device, grain, assignment);
                    started = true;
                    break;
                case TrialRunOutcome.Busy:
                    // The device runs another trial (its key is listed twice, or another worker uses this host name).
                    throw new InvalidOperationException($"Device {device} is busy with another trial; trial {message.TrialKey} will be retried.");
                default:
                    LogSkipped(logger, message.TrialKey, message.Attempt);
                    break;
            }
        }
        finally
        {
            if (!started)
            {
                devices.Release(device);
            }
        }
    }

    private async Task HandBackAsync(ConsumeContext<RunTrial> context, string why)
    {
        LogHandedBack(logger, context.Message.TrialKey, context.Message.Attempt, why);
        var endpoint = await context.GetSendEndpoint(context.ReceiveContext.InputAddress);
        await endpoint.Send(context.Message, context.CancellationToken);
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Debug, Message = "Trial {TrialKey} attempt {Attempt} handed back to the queue: {Why}")]
    private static partial void LogHandedBack(ILogger logger, string trialKey, int attempt, string why);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Trial {TrialKey} ({Dataset}) cannot run on this worker and goes back to the queue for another: {Reason}")]
    private static partial void LogRefused(ILogger logger, string trialKey, string? dataset, string reason);

    [LoggerMessage(EventId = 201, Level = LogLevel.Debug, Message = "Trial {TrialKey} attempt {Attempt}: stale, duplicate or cancelled; acknowledged without running")]
    private static partial void LogSkipped(ILogger logger, string trialKey, int attempt);
}
