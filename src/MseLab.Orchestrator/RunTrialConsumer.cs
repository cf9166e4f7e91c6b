using MassTransit;
using MseLab.Contracts;
using MseLab.Grains;

namespace MseLab.Orchestrator;

/// <summary>
/// Takes a <see cref="RunTrial"/> when a device of its kind is free and hands it to that device's grain. A failure that
/// may pass is queued again as the next attempt; everything else is already recorded in the store by the grain.
/// </summary>
public sealed class RunTrialConsumer(LocalDevices devices, IGrainFactory grains) : IConsumer<RunTrial>
{
    public async Task Consume(ConsumeContext<RunTrial> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        if (!devices.Has(message.DeviceKind))
        {
            throw new InvalidOperationException(
                $"Trial {message.TrialKey} needs a '{message.DeviceKind}' device and this worker has only {string.Join(", ", devices.Keys)}; it is left for another worker.");
        }

        var device = await devices.AcquireAsync(message.DeviceKind, context.CancellationToken);
        try
        {
            var report = await grains.GetGrain<IDeviceWorkerGrain>(device)
                .RunTrialAsync(new TrialAssignment(message.SweepId, message.TrialKey, message.Attempt));
            if (report.Outcome == TrialRunOutcome.Busy)
            {
                // The device runs another trial (its key is listed twice, or another worker uses this host name): fail
                // so that the message is retried, never acknowledged with its cell still queued.
                throw new InvalidOperationException($"Device {device} is busy with another trial; trial {message.TrialKey} will be retried.");
            }

            if (report is { Outcome: TrialRunOutcome.Retrying, RetryAttempt: { } next })
            {
                await context.Publish(message with { Attempt = next });
            }
        }
        finally
        {
            devices.Release(device);
        }
    }
}
