using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MseLab.Contracts;
using MseLab.Grains;
using MseLab.Store.FairShare;

namespace MseLab.Cluster.Silo;

/// <summary>
/// Takes a <see cref="RunTrial"/> as a token for "one queued cell of this device kind": waits (briefly) for a free device
/// that fits it, then claims on that device the cell fair share puts next (<see cref="FairShareScheduler"/>: the user with
/// the least recent device time per weight, then sweep priority, then first in, first out), which need not be the
/// message's own cell; the message's cell keeps waiting, counted by the message whose cell was taken. So the queue stays
/// durable and holds as many messages as cells wait, while the order is the store's. The message is acknowledged as soon
/// as the claim is stored and the run goes on in <see cref="TrialRuns"/>: no message stays unacknowledged longer than
/// <see cref="WorkerOptions.HoldSeconds"/>, however long trials run, and a worker that dies mid-trial is noticed through
/// its heartbeats in the store. A message whose cell cannot run here (no device of its kind, or not what
/// <see cref="ITrialPrerequisites"/> asks, such as its data), or that finds no cell it may claim while cells wait, is handed
/// back to the tail of its queue; one that finds no cell waiting at all (a duplicate, or its cell was cancelled) is dropped.
/// </summary>
public sealed partial class RunTrialConsumer(
    LocalDevices devices,
    TrialRuns runs,
    IGrainFactory grains,
    FairShareScheduler scheduler,
    FairShareClaims claims,
    IOptions<WorkerOptions> options,
    ILogger<RunTrialConsumer> logger) : IConsumer<RunTrial>
{
    // A message that cannot start here waits this long before it goes back, so two workers do not ping-pong it.
    private static readonly TimeSpan HandBackPause = TimeSpan.FromSeconds(1);

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
            // Another worker has a device that fits (submission checked).
            await Task.Delay(HandBackPause, context.CancellationToken);
            await HandBackAsync(context, $"needs {message.DeviceKind} with {message.MemoryGb} GB; no device here fits");
            return;
        }

        if (await scheduler.RefusalAsync(message, context.CancellationToken) is { } refusal)
        {
            // Before any claim: the cell stays Queued for a worker that has what it needs.
            await Task.Delay(HandBackPause, context.CancellationToken);
            await HandBackAsync(context, refusal);
            return;
        }

        var device = await devices.AcquireAsync(message.DeviceKind, message.MemoryGb, hold, context.CancellationToken);
        if (device is null)
        {
            await HandBackAsync(context, "no device became free");
            return;
        }

        var started = false;
        FairClaim? claim = null;
        try
        {
            if (runs.Draining)
            {
                // Shutdown began while this message waited for the device.
                await HandBackAsync(context, "this worker is draining");
                return;
            }

            claim = await scheduler.ClaimAsync(device, devices.SpecOf(device), context.CancellationToken);
            if (claim.Claimed is { } claimed)
            {
                var assignment = new TrialAssignment(claimed.SweepId, claimed.Key, claimed.Attempt);
                var grain = grains.GetGrain<IDeviceWorkerGrain>(device);
                var adopted = await grain.AdoptAsync(new ClaimedCell(assignment, claimed.RunConfig, claimed.Backbone, claimed.Dataset));
                if (adopted.Outcome != TrialRunOutcome.Claimed)
                {
                    // The device runs another trial (its key is listed twice, or another worker uses this host name).
                    await claims.UnclaimAsync(claimed.Lease, device, CancellationToken.None);
                    throw new InvalidOperationException($"Device {device} is busy with another trial; trial {claimed.Key} goes back to the queue.");
                }

                runs.Start(device, grain, assignment);
                started = true;
            }
        }
        finally
        {
            if (!started)
            {
                devices.Release(device);
            }
        }

        if (claim is { Claimed: null, OthersWait: true })
        {
            // Cells wait that this device may not take now (they need more memory, another worker's data, or are in retry
            // backoff): the message goes back, after the device did.
            await Task.Delay(HandBackPause, context.CancellationToken);
            await HandBackAsync(context, "no queued cell this worker may run now");
        }
        else if (claim is { Claimed: null })
        {
            LogSkipped(logger, message.TrialKey, message.Attempt);
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

    [LoggerMessage(EventId = 201, Level = LogLevel.Debug, Message = "Trial {TrialKey} attempt {Attempt}: no queued cell of its kind is left (a duplicate, or its cell ran or was cancelled); acknowledged without running")]
    private static partial void LogSkipped(ILogger logger, string trialKey, int attempt);
}
