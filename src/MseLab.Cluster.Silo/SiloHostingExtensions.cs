using System.Net;
using System.Net.Sockets;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MseLab.Cluster.Client;
using MseLab.Cluster.Silo;
using MseLab.Grains;
using MseLab.Grains.Execution;
using MseLab.Grains.Placement;
using MseLab.Grains.Telemetry;
using MseLab.Store.Records;

namespace Microsoft.Extensions.Hosting;

/// <summary>Adds an MseLab silo to a host: the embedded command line and a lab worker process alike.</summary>
public static class SiloHostingExtensions
{
    /// <summary>
    /// A silo that runs trials: <see cref="AddMseLabGrains{TExecutor}"/>, joined to the cluster the <c>Cluster</c> section
    /// names (one process with localhost clustering and an in-memory queue, or a lab worker on Redis and RabbitMQ), the
    /// queue consumer of each device kind with fair share between users (<see cref="FairShareOptions"/>, weights from
    /// <see cref="IUserWeights"/>, default <see cref="ConfiguredUserWeights"/>), the trial runs (drained on shutdown) and the
    /// lease sweeper. The consumer asks the <see cref="ITrialPrerequisites"/> registered before this call (default:
    /// <see cref="BackboneRootsPrerequisites"/>, which accepts every trial when <c>Worker:BackboneRoots</c> is empty) whether a
    /// trial can run here. The worker's <see cref="WorkerRoots"/> (default: the backbone roots, no data roots) are registered
    /// with its devices.
    /// </summary>
    /// <typeparam name="TExecutor">What runs trials: the engine in production; a benchmark's or a test's own otherwise.</typeparam>
    public static IHostApplicationBuilder AddMseLabSilo<TExecutor>(this IHostApplicationBuilder builder)
        where TExecutor : class, ITrialExecutor
    {
        ArgumentNullException.ThrowIfNull(builder);
        var cluster = builder.AddClusterOptions();
        var worker = builder.AddMseLabGrains<TExecutor>();
        builder.Services.AddTrialDispatch();
        builder.Services.AddSingleton<LocalDevices>();
        builder.Services.AddSingleton<TrialRuns>();
        builder.Services.TryAddSingleton(sp => new WorkerRoots([.. sp.GetRequiredService<IOptions<WorkerOptions>>().Value.BackboneRoots], []));
        builder.Services.TryAddSingleton<BackboneRootsPrerequisites>();
        builder.Services.TryAddSingleton<ITrialPrerequisites>(sp => sp.GetRequiredService<BackboneRootsPrerequisites>());   // a host's own, registered before, wins
        builder.Services.AddSingleton<TrialRefusals>();
        builder.Services.AddOptions<FairShareOptions>().BindConfiguration(FairShareOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<IUserWeights, ConfiguredUserWeights>();   // a host's own (an admin users table), registered before, wins
        builder.Services.AddSingleton<FairShareScheduler>();
        builder.UseOrleans(silo =>
        {
            silo.Configure<Orleans.Configuration.ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ClusterId));
            switch (cluster.Clustering)
            {
                case Clustering.Localhost:
                    // Free ports: a second embedded run (or a test) on the same machine must not collide.
                    silo.UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort(), serviceId: cluster.ClusterId, clusterId: cluster.ClusterId);
                    break;
                case Clustering.Redis:
                    silo.UseRedisClustering(o => o.ConfigurationOptions = cluster.RedisConfiguration());
                    silo.Services.AddOptions<Orleans.Clustering.Redis.RedisClusteringOptions>().Configure<ILoggerFactory>(
                        (o, logs) => o.CreateMultiplexer = RedisMembershipConnection.Factory(logs.CreateLogger("MseLab.Cluster.Redis")));
                    // Notice a dead worker in seconds, not a minute: its device grains must be placeable again soon.
                    // And after a whole lab went down at once (power cut), restarted workers must not wait minutes for silos
                    // that nobody is left to declare dead: an entry without a fresh "I am alive" for 10 s is ignored.
                    silo.Configure<Orleans.Configuration.ClusterMembershipOptions>(o =>
                    {
                        (o.ProbeTimeout, o.NumMissedProbesLimit) = (TimeSpan.FromSeconds(2), 3);
                        // Orleans 10 stretches a slow peer's probe timeout up to MaxProbeTimeout (default 4 x ProbeTimeout),
                        // and suppresses votes against a peer whose connection carried a message within MaxProbeTimeout x
                        // NumMissedProbesLimit: 24 s, in which a cut-off worker was never declared dead, its grain-directory
                        // partition held up activations elsewhere, and once back it could evict a healthy worker instead.
                        o.MaxProbeTimeout = o.ProbeTimeout;
                        (o.IAmAliveTablePublishTimeout, o.NumMissedTableIAmAliveLimit) = (TimeSpan.FromSeconds(5), 2);
                        // Orleans evicts a silo still joining MaxJoinAttemptTime (5 min) after the start time it wrote, by the
                        // evicting silo's clock: a worker whose clock is minutes behind another's was declared dead as it
                        // joined. Dead workers are found by probes all the same; a joining one that dies stays 'joining'.
                        o.EvictWhenMaxJoinAttemptTimeExceeded = false;
                    });
                    var advertised = cluster.AdvertisedIp();
                    silo.ConfigureEndpoints(advertised, cluster.SiloPort > 0 ? cluster.SiloPort : FreePort(),
                        cluster.GatewayPort > 0 ? cluster.GatewayPort : FreePort(), listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
                    break;
            }
        });

        builder.Services.AddMassTransit(bus =>
        {
            bus.AddConsumer<RunTrialConsumer, RunTrialConsumerDefinition>();
            bus.UseTransport(cluster, (context, configurator) =>
            {
                foreach (var kind in worker.Specs.Select(s => s.Kind).Distinct(StringComparer.Ordinal))
                {
                    var slots = worker.Specs.Count(s => s.Kind == kind) * worker.TrialsPerDevice;
                    configurator.ReceiveEndpoint(TrialQueues.NameOf(kind), endpoint =>
                    {
                        endpoint.ConfigureConsumeTopology = false;   // trials are sent to the queue of their kind, never published
                        endpoint.PrefetchCount = slots;
                        endpoint.ConcurrentMessageLimit = slots;
                        endpoint.ConfigureConsumer<RunTrialConsumer>(context);
                    });
                }
            });
        });

        // Registered after the silo and the bus, so stopped before them: running trials hand back while both still work.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TrialRuns>());
        builder.Services.AddHostedService<LeaseSweeper>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(2));
        return builder;
    }

    /// <summary>
    /// The grains of a worker on this host's silo and what they need: the <c>Worker</c> options (validated at start), the
    /// results store, the trial executor, the silo's trial telemetry, and device-host placement (a device grain lives on
    /// the silo named after its host). The cluster around the silo is the caller's (<see cref="AddMseLabSilo{TExecutor}"/>,
    /// or a test cluster).
    /// </summary>
    /// <typeparam name="TExecutor">What runs trials. A registration of <typeparamref name="TExecutor"/> made before wins.</typeparam>
    /// <returns>The worker options, for wiring that depends on the devices.</returns>
    /// <exception cref="OptionsValidationException">The <c>Worker</c> section is invalid; every problem is named.</exception>
    public static WorkerOptions AddMseLabGrains<TExecutor>(this IHostApplicationBuilder builder)
        where TExecutor : class, ITrialExecutor
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddInMemoryCollection(WorkerNameFromAppHost(builder.Configuration));
        var worker = new WorkerOptions();
        builder.Configuration.GetSection(WorkerOptions.SectionName).Bind(worker);
        var errors = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(worker, new(worker), errors, validateAllProperties: true))
        {
            throw new OptionsValidationException(WorkerOptions.SectionName, typeof(WorkerOptions), errors.Select(e => e.ErrorMessage ?? "invalid").ToList());
        }

        builder.Services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        if (worker.ClockOffsetSeconds != 0)
        {
            // A worker made to behave as a machine with a wrong clock (tests): the whole host sees the shifted wall clock.
            builder.Services.AddSingleton<TimeProvider>(new ShiftedTimeProvider(TimeProvider.System, worker.ClockOffset));
        }

        builder.AddResultsStore();
        builder.Services.TryAddSingleton<TExecutor>();
        builder.Services.AddSingleton<ITrialExecutor>(sp => sp.GetRequiredService<TExecutor>());
        builder.Services.AddSingleton<SweepReports>();
        if (worker.Specs.Any(s => s.Kind == "cuda"))
        {
            var gpus = new NvidiaSmiMemory();
            builder.Services.AddSingleton(sp => new TrialTelemetry(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()) { CudaMemory = gpus.Used });
        }
        else
        {
            builder.Services.AddSingleton(sp => new TrialTelemetry(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        }

        builder.UseOrleans(silo =>
        {
            silo.Configure<Orleans.Configuration.SiloOptions>(o => o.SiloName = worker.Host);
            silo.AddPlacementDirector<DeviceHostPlacement, DeviceHostPlacementDirector>();
            silo.AddActivityPropagation();   // a trial's trace goes on from the queue consumer into the device grain
        });
        return worker;
    }

    // Each replica of the AppHost's worker resource needs its own worker name: its OpenTelemetry instance id.
    private static Dictionary<string, string?> WorkerNameFromAppHost(IConfiguration configuration)
    {
        var key = $"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Host)}";
        var instance = (configuration["OTEL_RESOURCE_ATTRIBUTES"] ?? "").Split(',')
            .Select(pair => pair.Split('=', 2))
            .FirstOrDefault(pair => pair.Length == 2 && pair[0].Trim() == "service.instance.id")?[1].Trim();
        return instance is { Length: > 0 } && string.IsNullOrEmpty(configuration[key]) ? new() { [key] = instance } : [];
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
