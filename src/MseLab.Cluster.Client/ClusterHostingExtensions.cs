using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MseLab.Cluster.Client;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>Adds a client of an MseLab lab cluster to a host, and the pieces a silo shares with it.</summary>
public static class ClusterHostingExtensions
{
    /// <summary>
    /// A client of a lab cluster (the API, the command line with <c>--cluster</c>): an Orleans client on the Redis
    /// membership, a send-only bus and the results store, so that it can submit sweeps, follow them and drain workers
    /// without running trials itself.
    /// </summary>
    public static IHostApplicationBuilder AddMseLabClient(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var cluster = builder.AddClusterOptions();
        if (cluster.Clustering != Clustering.Redis)
        {
            throw new OptionsValidationException(ClusterOptions.SectionName, typeof(ClusterOptions),
                [$"{ClusterOptions.SectionName}:{nameof(ClusterOptions.Clustering)} is {cluster.Clustering}; a cluster client needs redis (see the profile in the README)."]);
        }

        builder.AddResultsStore();
        builder.Services.AddTrialDispatch();
        builder.UseOrleansClient(client =>
        {
            client.Configure<Orleans.Configuration.ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ClusterId));
            client.UseRedisClustering(o => o.ConfigurationOptions = cluster.RedisConfiguration());
            client.AddActivityPropagation();
        });
        builder.Services.AddMassTransit(bus => bus.UseTransport(cluster, (_, _) => { }));
        return builder;
    }

    /// <summary>
    /// Binds the <c>Cluster</c> section (after mapping the AppHost's connections onto it) for services, validated at start,
    /// and returns it for the composition root that chooses its seams from it.
    /// </summary>
    /// <exception cref="OptionsValidationException">The section is invalid; every problem is named.</exception>
    public static ClusterOptions AddClusterOptions(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddInMemoryCollection(AspireConnections.Settings(builder.Configuration));
        var cluster = ClusterOptions.From(builder.Configuration);
        builder.Services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        // Under the AppHost, Orleans also configures itself from its own section, and looks the Redis connection up by the
        // resource's name: the same server as ours.
        if (cluster.Clustering == Clustering.Redis && builder.Configuration["Orleans:Clustering:ServiceKey"] is { Length: > 0 } key)
        {
            builder.Services.AddKeyedSingleton<IConnectionMultiplexer>(key, (_, _) => ConnectionMultiplexer.Connect(cluster.RedisConfiguration()));
        }

        return cluster;
    }

    /// <summary>Sending cells: the dispatcher (and its telemetry) and the sweep submitter.</summary>
    public static IServiceCollection AddTrialDispatch(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DispatchTelemetry>();
        services.TryAddSingleton<ITrialDispatcher, TrialDispatcher>();
        services.TryAddSingleton<SweepSubmitter>();
        return services;
    }

    /// <summary>The transport of <paramref name="cluster"/>, with the receive endpoints <paramref name="endpoints"/> adds (none for a client).</summary>
    public static void UseTransport(this IBusRegistrationConfigurator bus, ClusterOptions cluster, Action<IBusRegistrationContext, IReceiveConfigurator> endpoints)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(cluster);
        switch (cluster.Transport)
        {
            case Transport.InMemory:
                bus.UsingInMemory((context, configurator) => endpoints(context, configurator));
                break;
            case Transport.RabbitMq:
                bus.UsingRabbitMq((context, configurator) =>
                {
                    configurator.Host(new Uri(cluster.RabbitMq!), host => host.Heartbeat(TimeSpan.FromSeconds(10)));
                    endpoints(context, configurator);
                });
                break;
        }
    }

    /// <summary>The Redis membership server's configuration; a Redis restart must not kill the silo, so the multiplexer reconnects.</summary>
    public static ConfigurationOptions RedisConfiguration(this ClusterOptions cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var configuration = ConfigurationOptions.Parse(cluster.Redis!);
        configuration.AbortOnConnectFail = false;
        return configuration;
    }
}
