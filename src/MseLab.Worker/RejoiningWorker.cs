using MseLab.Cluster.Silo;

namespace MseLab.Worker;

/// <summary>
/// A worker process's life across silo generations: when the cluster declares this worker dead (cut off from it longer
/// than the membership probes allow), the process stays: it stops that silo, whose lost attempts write nothing, and
/// joins again with a new one (<see cref="SiloRejoin"/>). <c>mselab-worker</c> and <c>mselab bench worker</c> both run so.
/// </summary>
public static class RejoiningWorker
{
    // A rejoining worker whose new host cannot start yet (the store still unreachable, or its old registration not yet
    // aged out) tries again this often, this many times, before it gives up and exits like a worker that cannot start.
    private static readonly TimeSpan RejoinRetry = TimeSpan.FromSeconds(5);
    private const int RejoinTries = 24;

    /// <summary>Runs the worker host that <paramref name="build"/> makes until it stops; a host stopped because the cluster declared it dead is replaced by a new one.</summary>
    /// <param name="profile">The cluster profile, for the schema check before each start.</param>
    /// <param name="build">Makes a host that calls <c>RejoinWhenDeclaredDead</c> with the given <see cref="SiloRejoin"/>.</param>
    /// <param name="cancellationToken">Stops the worker.</param>
    /// <returns>0 once stopped (SIGTERM, a drain).</returns>
    public static async Task<int> RunAsync(string? profile, Func<SiloRejoin, WebApplication> build, CancellationToken cancellationToken)
    {
        var rejoin = new SiloRejoin();
        var rejoinedBecause = (string?)null;
        var disposeError = (string?)null;
        var tries = 0;
        while (true)
        {
            var app = build(rejoin);
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RejoiningWorker));
            if (disposeError is not null)
            {
                WorkerLog.DisposeFailed(logger, rejoin.Generation - 1, disposeError);
                disposeError = null;
            }

            try
            {
                await app.PrepareAsync(profile);
                await app.StartAsync(cancellationToken);
                if (rejoinedBecause is not null)
                {
                    WorkerLog.Rejoined(logger, rejoin.Generation);
                    (rejoinedBecause, tries) = (null, 0);
                }

                await app.WaitForShutdownAsync(cancellationToken);
            }
            catch (Exception e) when (rejoinedBecause is not null && ++tries < RejoinTries && !cancellationToken.IsCancellationRequested)
            {
                WorkerLog.RejoinFailed(logger, rejoin.Generation, e.ToString(), RejoinRetry.TotalSeconds);
                await app.DisposeAsync();
                await Task.Delay(RejoinRetry, cancellationToken);
                continue;
            }
            catch (Exception e) when (rejoin.Requested)
            {
                // The dead silo may not stop cleanly (it cannot reach the cluster that declared it dead): the next one starts anyway.
                WorkerLog.StopFailed(logger, rejoin.Generation, e.Message);
            }

            if (!rejoin.TryBegin(out var reason))
            {
                await app.DisposeAsync();
                return 0;
            }

            WorkerLog.Rejoining(logger, rejoin.Generation, reason);   // before the old host (and its logging) is disposed

            try
            {
                await app.DisposeAsync();
            }
#pragma warning disable CA1031 // A silo declared dead may fail to dispose (its parts log after the logging is gone): the next one starts regardless.
            catch (Exception e)
#pragma warning restore CA1031
            {
                disposeError = e.Message;
            }

            rejoinedBecause = reason;

            // MassTransit keeps its log context, with the disposed host's logger factory, in a static past the host: cleared,
            // the next bus sets its own.
            MassTransit.LogContext.Current = null;
        }
    }
}
