using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MseLab.Cluster.Client;
using MseLab.Grains;
using MseLab.Store;
using MseLab.Store.Records;

namespace MseLab.Cluster.Silo;

/// <summary>
/// The trials running on this worker's devices. On shutdown (SIGTERM, Ctrl-C, <c>mselab worker drain</c>) it stops
/// taking messages, and waits while the running trials checkpoint and hand their cells back, before the queue
/// connection and the silo go (it is registered after both, so it stops first).
/// </summary>
public sealed partial class TrialRuns(LocalDevices devices, DispatchOutbox outbox, ITrialDispatcher dispatcher, ILogger<TrialRuns> logger) : IHostedService
{
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private volatile bool _draining;

    /// <summary>True once shutdown began: messages are handed back, not started.</summary>
    public bool Draining => _draining;

    public void Start(string device, IDeviceWorkerGrain grain, TrialAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(grain);

        // Registered before the run starts, so that a run that ends at once cannot leave its entry behind over the next
        // run on the device (a drain would then not wait for that one).
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _running[device] = ended.Task;
        _ = Task.Run(async () =>
        {
            try
            {
                var report = await grain.RunClaimedAsync(assignment);
                if (report.RetryAttempt is { } next)
                {
                    await SendAsync(new TrialLease(assignment.SweepId, assignment.TrialKey, next));
                }
            }
#pragma warning disable CA1031 // The cell is in the store; whatever happened here, the lease sweeper recovers it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogRunFailed(logger, assignment.TrialKey, assignment.Attempt, device, e.Message);
            }
            finally
            {
                _running.TryRemove(KeyValuePair.Create(device, ended.Task));
                devices.Release(device);
                ended.TrySetResult();
            }
        });
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // A retried or handed-back cell is queued again in the store, flagged in the outbox: send it now. A send that fails is
    // retried by the lease sweeper.
    private async Task SendAsync(TrialLease queued)
    {
        try
        {
            if (await outbox.PendingAsync(queued) is { } cell)
            {
                await dispatcher.DispatchAsync([cell]);
            }
        }
#pragma warning disable CA1031 // The broker or the store may be down; the outbox keeps the cell flagged until a send succeeds.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogSendFailed(logger, queued.Key, queued.Attempt, e.Message);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var running = _running.Values.ToArray();
        if (running.Length == 0)
        {
            return;
        }

        LogDraining(logger, running.Length);
        await Task.WhenAll(running).WaitAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "Trial {TrialKey} attempt {Attempt} on {Device} ended abnormally: {Error}; its lease runs out and another worker resumes it")]
    private static partial void LogRunFailed(ILogger logger, string trialKey, int attempt, string device, string error);

    [LoggerMessage(EventId = 212, Level = LogLevel.Warning, Message = "Trial {TrialKey} attempt {Attempt} is queued again but its message could not be sent ({Error}); the lease sweeper resends it")]
    private static partial void LogSendFailed(ILogger logger, string trialKey, int attempt, string error);

    [LoggerMessage(EventId = 211, Level = LogLevel.Information, Message = "Draining: {Count} running trial(s) checkpoint and hand back")]
    private static partial void LogDraining(ILogger logger, int count);
}
