using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MseLab.Data;
using MseLab.Data.Entities;
using MseLab.Data.Records;
using MseLab.Grains.Execution;
using MseLab.Grains.Telemetry;

namespace MseLab.Orchestrator;

/// <summary>
/// Runs on every worker. Registers the worker and its devices, then every <see cref="WorkerOptions.SweepSeconds"/>:
/// takes back cells whose worker stopped heartbeating for longer than the lease (killed, paused, cut off) and queues them
/// again as the next attempt (the old attempt is fenced off by the store's guards); resends messages of requeued cells
/// whose send was never confirmed; and marks this worker alive. Reclaims are single guarded updates, so any number of
/// workers may sweep at once. When the store is unreachable it backs off and says so, and says when it is back.
/// </summary>
public sealed partial class LeaseSweeper(
    ResultsStore store,
    ITrialDispatcher dispatcher,
    LocalDevices devices,
    TrialRuns runs,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    TrialTelemetry telemetry,
    ILogger<LeaseSweeper> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DispatchGrace = TimeSpan.FromSeconds(5);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var workers = await store.WorkersAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (workers.FirstOrDefault(w => w.Host == o.Host) is { State: WorkerState.Up } twin && now - twin.SeenAt < o.Lease && o.Host != "local")
        {
            throw new InvalidOperationException(
                $"A worker named '{o.Host}' is already up (seen {(now - twin.SeenAt).TotalSeconds:0.0} s ago). Give this one another name (--host), or wait {o.Lease.TotalSeconds:0} s if that worker was just killed.");
        }

        await store.RegisterWorkerAsync(o.Host, devices.All.Select(d => new WorkerDevice(d.Key, d.Spec.Kind, d.Spec.MemoryGb)).ToList(), cancellationToken);
        var described = string.Join(", ", devices.All.Select(d => d.Spec.MemoryGb > 0 ? $"{d.Key} ({d.Spec.MemoryGb:0.#} GB)" : d.Key));
        LogRegistered(logger, o.Host, described);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await store.TouchWorkerAsync(options.Value.Host, WorkerState.Stopped, cancellationToken);
        }
#pragma warning disable CA1031 // Shutting down with the store away: the row just stays 'up' until it ages out.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogStoreDown(logger, e.Message, 0);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(options.Value.SweepSeconds);
        var backoff = TimeSpan.Zero;
        var host = options.Value.Host;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(backoff > TimeSpan.Zero ? backoff : period, time, stoppingToken);
                await SweepAsync(host, stoppingToken);
                if (backoff > TimeSpan.Zero)
                {
                    LogStoreBack(logger);
                    backoff = TimeSpan.Zero;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The store or the broker is away: back off and try again, forever.
            catch (Exception e)
#pragma warning restore CA1031
            {
                backoff = backoff == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
                LogStoreDown(logger, e.Message, backoff.TotalSeconds);
            }
        }
    }

    private async Task SweepAsync(string host, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await store.TouchWorkerAsync(host, runs.Draining ? WorkerState.Draining : null, cancellationToken);
        var lost = await store.ReclaimAsync(null, now - options.Value.Lease, cancellationToken);
        foreach (var m in lost)
        {
            LogReclaimed(logger, m.SweepId, m.TrialKey, m.Attempt - 1, m.Attempt);
        }

        var unsent = await store.PendingDispatchAsync(now - DispatchGrace, cancellationToken);
        if (unsent.Count > 0)
        {
            LogResending(logger, unsent.Count);
        }

        await dispatcher.DispatchAsync([.. lost, .. unsent], cancellationToken);
        telemetry.SetQueueDepth(await store.QueuedCountAsync(cancellationToken));
    }

    [LoggerMessage(EventId = 220, Level = LogLevel.Information, Message = "Worker {Host} registered with devices {Devices}")]
    private static partial void LogRegistered(ILogger logger, string host, string devices);

    [LoggerMessage(EventId = 221, Level = LogLevel.Warning, Message = "Sweep {SweepId} trial {TrialKey}: attempt {Lost} lost its worker (heartbeat lease ran out); queued again as attempt {Attempt}")]
    private static partial void LogReclaimed(ILogger logger, string sweepId, string trialKey, int lost, int attempt);

    [LoggerMessage(EventId = 222, Level = LogLevel.Information, Message = "Resending {Count} queued trial(s) whose message was not confirmed sent")]
    private static partial void LogResending(ILogger logger, int count);

    [LoggerMessage(EventId = 223, Level = LogLevel.Warning, Message = "Store or queue unreachable ({Error}); retrying in {Seconds} s")]
    private static partial void LogStoreDown(ILogger logger, string error, double seconds);

    [LoggerMessage(EventId = 224, Level = LogLevel.Information, Message = "Store and queue reachable again")]
    private static partial void LogStoreBack(ILogger logger);
}
