using System.Net;
using System.Net.Sockets;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MseLab.Data;
using MseLab.Grains.Execution;
using MseLab.Grains.Placement;
using MseLab.Grains.Telemetry;
using MseLab.Orchestrator;

namespace Microsoft.Extensions.Hosting;

/// <summary>Adds an MseLab silo (device workers, sweep grains), the trial queue and the results store to a host, or a client of a lab cluster.</summary>
public static class MseLabHostingExtensions
{
    /// <summary>
    /// Wires Orleans, MassTransit and the store from configuration (<c>Cluster</c>, <c>Worker</c>, <c>Store</c>
    /// sections). The same call serves the embedded command line and a lab worker process.
    /// </summary>
    public static IHostApplicationBuilder AddMseLabSilo(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var cluster = ClusterOf(builder);
        var worker = builder.Configuration.GetSection(WorkerOptions.SectionName).Get<WorkerOptions>() ?? new WorkerOptions();
        if (worker.Devices.Count == 0)
        {
            worker.Devices.Add(WorkerOptions.DefaultDevice);
        }

        builder.Services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName)
            .PostConfigure(o =>
            {
                if (o.Devices.Count == 0)
                {
                    o.Devices.Add(WorkerOptions.DefaultDevice);
                }
            })
            .Validate(o => !o.Host.Contains('/', StringComparison.Ordinal) && o.Host.Length > 0, $"{WorkerOptions.SectionName}:Host must be a non-empty name without '/'.")
            .Validate(o => o.Specs.Select(s => s.Device).Distinct(StringComparer.Ordinal).Count() == o.Devices.Count,
                $"{WorkerOptions.SectionName}:Devices lists a device twice; each device runs one trial at a time, so list it once.")
            .Validate(o => o.HoldSeconds > 0 && o.HeartbeatSeconds > 0 && o.Lease.TotalSeconds >= 2 * o.HeartbeatSeconds,
                $"{WorkerOptions.SectionName}: HoldSeconds and HeartbeatSeconds must be positive and LeaseSeconds at least two heartbeats.")
            .ValidateOnStart();
        _ = worker.Specs;   // a malformed --devices fails here, naming the device
        AddStore(builder);
        switch (worker.Executor)
        {
            case "engine":
                builder.Services.TryAddSingleton<ITrialExecutor, EngineTrialExecutor>();
                break;
            case "noop":
                builder.Services.TryAddSingleton<ITrialExecutor, NoOpTrialExecutor>();
                break;
            case var sleep when sleep.StartsWith("sleep:", StringComparison.Ordinal)
                && double.TryParse(sleep[6..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0:
                builder.Services.TryAddSingleton<ITrialExecutor>(new SleepTrialExecutor(TimeSpan.FromSeconds(seconds)));
                break;
            default:
                throw new OptionsValidationException(WorkerOptions.SectionName, typeof(WorkerOptions),
                    [$"{WorkerOptions.SectionName}:Executor is '{worker.Executor}'; use engine, noop or sleep:SECONDS."]);
        }

        builder.Services.AddSingleton<LocalDevices>();
        if (worker.Specs.Any(s => s.Kind == "cuda"))
        {
            var gpus = new NvidiaSmiMemory();
            builder.Services.AddSingleton(sp => new TrialTelemetry(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()) { CudaMemory = gpus.Used });
        }

        builder.Services.AddSingleton<ITrialDispatcher, TrialDispatcher>();
        builder.Services.AddSingleton<SweepSubmitter>();
        builder.Services.AddSingleton<TrialRuns>();

        builder.UseOrleans(silo =>
        {
            silo.Configure<Orleans.Configuration.SiloOptions>(o => o.SiloName = worker.Host);
            silo.Configure<Orleans.Configuration.ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ClusterId));
            switch (cluster.Clustering)
            {
                case "localhost":
                    // Free ports: a second embedded run (or a test) on the same machine must not collide.
                    silo.UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort(), serviceId: cluster.ClusterId, clusterId: cluster.ClusterId);
                    break;
                case "redis":
                    silo.UseRedisClustering(o => o.ConfigurationOptions = RedisOptions(cluster));
                    silo.Services.AddOptions<Orleans.Clustering.Redis.RedisClusteringOptions>().Configure<ILoggerFactory>(
                        (o, logs) => o.CreateMultiplexer = RedisMembershipConnection.Factory(logs.CreateLogger("MseLab.Orchestrator.Redis")));
                    // Notice a dead worker in seconds, not a minute: its device grains must be placeable again soon.
                    // And after a whole lab went down at once (power cut), restarted workers must not wait minutes for silos
                    // that nobody is left to declare dead: an entry without a fresh "I am alive" for 10 s is ignored.
                    silo.Configure<Orleans.Configuration.ClusterMembershipOptions>(o =>
                    {
                        (o.ProbeTimeout, o.NumMissedProbesLimit) = (TimeSpan.FromSeconds(2), 3);
                        (o.IAmAliveTablePublishTimeout, o.NumMissedTableIAmAliveLimit) = (TimeSpan.FromSeconds(5), 2);
                    });
                    silo.ConfigureEndpoints(Advertised(cluster), cluster.SiloPort > 0 ? cluster.SiloPort : FreePort(),
                        cluster.GatewayPort > 0 ? cluster.GatewayPort : FreePort(), listenOnAnyHostAddress: !IPAddress.IsLoopback(Advertised(cluster)));
                    break;
                default:
                    throw Invalid($"{ClusterOptions.SectionName}:Clustering is '{cluster.Clustering}'; use 'localhost' (embedded) or 'redis' (lab cluster).");
            }

            silo.AddPlacementDirector<DeviceHostPlacement, DeviceHostPlacementDirector>();
            silo.AddActivityPropagation();   // a trial's trace goes on from the queue consumer into the device grain
        });

        builder.Services.AddMassTransit(bus =>
        {
            bus.AddConsumer<RunTrialConsumer>();
            UseTransport(bus, cluster, (context, configurator) =>
            {
                var devices = context.GetRequiredService<LocalDevices>();
                foreach (var kind in devices.Kinds)
                {
                    var slots = devices.All.Count(d => d.Spec.Kind == kind);
                    configurator.ReceiveEndpoint(TrialQueues.NameOf(kind), endpoint =>
                    {
                        endpoint.ConfigureConsumeTopology = false;   // trials are sent to the queue of their kind, never published
                        endpoint.PrefetchCount = slots;
                        endpoint.ConcurrentMessageLimit = slots;
                        endpoint.UseMessageRetry(retry => retry.Intervals(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)));
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
    /// A client of a lab cluster (the command line with <c>--cluster</c>): an Orleans client, a send-only bus and the
    /// store, so that it can submit sweeps, follow them and drain workers without running trials itself.
    /// </summary>
    public static IHostApplicationBuilder AddMseLabClient(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var cluster = ClusterOf(builder);
        if (cluster.Clustering != "redis")
        {
            throw Invalid($"{ClusterOptions.SectionName}:Clustering is '{cluster.Clustering}'; a cluster client needs 'redis' (see the profile in the README).");
        }

        AddStore(builder);
        builder.Services.AddSingleton<ITrialDispatcher, TrialDispatcher>();
        builder.Services.AddSingleton<SweepSubmitter>();
        builder.UseOrleansClient(client =>
        {
            client.Configure<Orleans.Configuration.ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ClusterId));
            client.UseRedisClustering(o => o.ConfigurationOptions = RedisOptions(cluster));
            client.AddActivityPropagation();
        });
        builder.Services.AddMassTransit(bus => UseTransport(bus, cluster, (_, _) => { }));
        return builder;
    }

    /// <summary>Only the results store (the migration service): from the <c>Store</c> section, or the AppHost's connection string.</summary>
    public static IHostApplicationBuilder AddResultsDatabase(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddInMemoryCollection(AspireConnections.Settings(builder.Configuration));
        AddStore(builder);
        return builder;
    }

    private static ClusterOptions ClusterOf(IHostApplicationBuilder builder)
    {
        builder.Configuration.AddInMemoryCollection(AspireConnections.Settings(builder.Configuration));
        var cluster = builder.Configuration.GetSection(ClusterOptions.SectionName).Get<ClusterOptions>() ?? new ClusterOptions();
        // Under the AppHost, Orleans also configures itself from its own section, and looks the Redis connection up by the
        // resource's name: the same server as ours.
        if (cluster.Clustering == "redis" && builder.Configuration["Orleans:Clustering:ServiceKey"] is { Length: > 0 } key)
        {
            builder.Services.AddKeyedSingleton<StackExchange.Redis.IConnectionMultiplexer>(key, (_, _) => StackExchange.Redis.ConnectionMultiplexer.Connect(RedisOptions(cluster)));
        }

        return cluster;
    }

    private static void AddStore(IHostApplicationBuilder builder)
    {
        var store = builder.Configuration.GetSection(StoreOptions.SectionName).Get<StoreOptions>() ?? new StoreOptions();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new ResultsDatabase(store, sp.GetService<ILoggerFactory>()?.CreateLogger<ResultsDatabase>()));
        builder.Services.AddSingleton<ResultsStore>();
        builder.Services.TryAddSingleton<TrialTelemetry>();
        builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("results-store");
    }

    private static void UseTransport(IBusRegistrationConfigurator bus, ClusterOptions cluster, Action<IBusRegistrationContext, IReceiveConfigurator> endpoints)
    {
        switch (cluster.Transport)
        {
            case "inmemory":
                bus.UsingInMemory((context, configurator) => endpoints(context, configurator));
                break;
            case "rabbitmq":
                var address = cluster.RabbitMq ?? throw Invalid($"{ClusterOptions.SectionName}:RabbitMq is not set; give the broker address, e.g. amqp://user:password@mq-host:5672/lab.");
                bus.UsingRabbitMq((context, configurator) =>
                {
                    configurator.Host(new Uri(address), host => host.Heartbeat(TimeSpan.FromSeconds(10)));
                    endpoints(context, configurator);
                });
                break;
            default:
                throw Invalid($"{ClusterOptions.SectionName}:Transport is '{cluster.Transport}'; use 'inmemory' (embedded) or 'rabbitmq' (lab cluster).");
        }
    }

    private static StackExchange.Redis.ConfigurationOptions RedisOptions(ClusterOptions cluster)
    {
        var configuration = StackExchange.Redis.ConfigurationOptions.Parse(
            cluster.Redis ?? throw Invalid($"{ClusterOptions.SectionName}:Redis is not set; give the membership server, e.g. redis-host:6379."));
        configuration.AbortOnConnectFail = false;   // a Redis restart must not kill the silo: the multiplexer reconnects
        return configuration;
    }

    private static IPAddress Advertised(ClusterOptions cluster) =>
        IPAddress.TryParse(cluster.AdvertisedAddress, out var address) ? address
        : throw Invalid($"{ClusterOptions.SectionName}:AdvertisedAddress '{cluster.AdvertisedAddress}' is not an IP address; give this machine's address that the other workers reach.");

    private static OptionsValidationException Invalid(string message) =>
        new(ClusterOptions.SectionName, typeof(ClusterOptions), [message]);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
