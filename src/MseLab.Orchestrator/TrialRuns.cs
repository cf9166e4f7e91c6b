using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MseLab.Grains;

namespace MseLab.Orchestrator;

/// <summary>
/// The trials running on this worker's devices. On shutdown (SIGTERM, Ctrl-C, <c>mselab worker drain</c>) it stops
/// taking messages, and waits while the running trials checkpoint and hand their cells back, before the queue
/// connection and the silo go (it is registered after both, so it stops first).
/// </summary>
public sealed partial class TrialRuns(LocalDevices devices, ILogger<TrialRuns> logger) : IHostedService
{
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private volatile bool _draining;

    /// <summary>True once shutdown began: messages are handed back, not started.</summary>
    public bool Draining => _draining;

    /// <summary>Trials running now.</summary>
    public int Count => _running.Count;

    public void Start(string device, IDeviceWorkerGrain grain, TrialAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(grain);
        _running[device] = Task.Run(async () =>
        {
            try
            {
                await grain.RunClaimedAsync(assignment);
            }
#pragma warning disable CA1031 // The cell is in the store; whatever happened here, the lease sweeper recovers it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogRunFailed(logger, assignment.TrialKey, assignment.Attempt, device, e.Message);
            }
            finally
            {
                _running.TryRemove(device, out _);
                devices.Release(device);
            }
        });
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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

    [LoggerMessage(EventId = 211, Level = LogLevel.Information, Message = "Draining: {Count} running trial(s) checkpoint and hand back")]
    private static partial void LogDraining(ILogger logger, int count);
}
