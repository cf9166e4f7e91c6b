using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MseLab.Cluster.Client;
using MseLab.Grains;
using MseLab.Grains.Telemetry;
using MseLab.Store;
using MseLab.Store.Records;
using Polly;
using Polly.Retry;

namespace MseLab.Cluster.Silo;

/// <summary>
/// Runs on every worker. Registers the worker and its devices, then every <see cref="WorkerOptions.SweepSeconds"/>:
/// takes back cells whose worker stopped heartbeating for longer than the lease (killed, paused, cut off) and queues them
/// again as the next attempt (the old attempt is fenced off by the store's guards: "longer" by the database's clock,
/// <see cref="StoreClock"/>, which wrote the heartbeats, so this worker's own clock may be off); resends messages of queued cells
/// whose send was never confirmed; and marks this worker alive. Reclaims are single guarded updates, so any number of
/// workers may sweep at once. When the store or the broker is unreachable it backs off (1, 2, 4 ... 30 s) and says so,
/// and says when they are back.
/// </summary>
public sealed partial class LeaseSweeper(
    StaleLeases leases,
    DispatchOutbox outbox,
    WorkerRegistry workers,
    ITrialDispatcher dispatcher,
    LocalDevices devices,
    WorkerRoots roots,
    TrialRuns runs,
    IOptions<WorkerOptions> options,
    StoreClock clock,
    TimeProvider time,
    TrialTelemetry telemetry,
    IGrainFactory grains,
    ILogger<LeaseSweeper> logger) : BackgroundService
{
    private static readonly TimeSpan DispatchGrace = TimeSpan.FromSeconds(5);

    private readonly ResiliencePipeline _outage = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = false,
            Delay = TimeSpan.FromSeconds(1),
            MaxDelay = TimeSpan.FromSeconds(30),
            MaxRetryAttempts = int.MaxValue,
            OnRetry = args =>
            {
                LogStoreDown(logger, args.Outcome.Exception?.Message ?? "?", args.RetryDelay.TotalSeconds);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var registered = await workers.ListAsync(cancellationToken);
        var now = await clock.NowAsync(cancellationToken);
        if (registered.FirstOrDefault(w => w.Host == o.Host) is { State: WorkerState.Up } twin && now - twin.SeenAt < o.Lease && o.Host != EmbeddedHost)
        {
            throw new InvalidOperationException(
                $"A worker named '{o.Host}' is already up (seen {(now - twin.SeenAt).TotalSeconds:0.0} s ago). Give this one another name (--host), or wait {o.Lease.TotalSeconds:0} s if that worker was just killed.");
        }

        await workers.RegisterAsync(o.Host, devices.All.Select(d => new WorkerDevice(d.Key, d.Spec.Kind, d.Spec.MemoryGb)).ToList(), roots, cancellationToken);
        // This worker's device grains are activated now, while the cluster is whole, and kept (they are [KeepAlive]): a grain's
        // first activation registers it in the grain directory, whose partition may live on a worker that is cut off later
        // and not yet declared dead, and a trial resumed here must not wait for that.
        await Task.WhenAll(devices.All.Select(d => grains.GetGrain<IDeviceWorkerGrain>(d.Key).GetStatusAsync())).WaitAsync(cancellationToken);
        var described = string.Join(", ", devices.All.Select(d => d.Spec.MemoryGb > 0 ? $"{d.Key} ({d.Spec.MemoryGb:0.#} GB)" : d.Key));
        LogRegistered(logger, o.Host, described);
        await base.StartAsync(cancellationToken);
    }

    /// <summary>The worker name of the embedded cluster, which restarts under the same name at once.</summary>
    public const string EmbeddedHost = "local";

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await workers.TouchAsync(options.Value.Host, WorkerState.Stopped, cancellationToken);
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
        var host = options.Value.Host;
        try
        {
            while (true)
            {
                await Task.Delay(period, time, stoppingToken);
                var tries = 0;
                await _outage.ExecuteAsync(
                    async ct =>
                    {
                        tries++;
                        await SweepAsync(host, ct);
                    },
                    stoppingToken);
                if (tries > 1)
                {
                    LogStoreBack(logger);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private async Task SweepAsync(string host, CancellationToken cancellationToken)
    {
        // The database's clock, as the heartbeats were written with: this worker's own may be minutes off.
        var now = await clock.NowAsync(cancellationToken);
        await workers.TouchAsync(host, runs.Draining ? WorkerState.Draining : null, cancellationToken);
        var lost = await leases.ReclaimAsync(null, now - options.Value.Lease, cancellationToken);
        foreach (var cell in lost)
        {
            LogReclaimed(logger, cell.Lease.SweepId, cell.Lease.Key, cell.Lease.Attempt - 1, cell.Lease.Attempt);
        }

        var unsent = await outbox.PendingAsync(now - DispatchGrace, cancellationToken);
        if (unsent.Count > 0)
        {
            LogResending(logger, unsent.Count);
        }

        await dispatcher.DispatchAsync([.. lost, .. unsent], cancellationToken);
        telemetry.SetQueueDepth(await outbox.QueueDepthAsync(cancellationToken));
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
