using System.Net;
using System.Net.Sockets;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MseLab.Data;
using MseLab.Grains.Execution;
using MseLab.Grains.Placement;
using MseLab.Orchestrator;

namespace Microsoft.Extensions.Hosting;

/// <summary>Adds an MseLab silo (device workers, sweep grains), the trial queue and the results store to a host.</summary>
public static class MseLabHostingExtensions
{
    /// <summary>
    /// Wires Orleans, MassTransit and the store from configuration (<c>Cluster</c>, <c>Worker</c>, <c>Store</c>
    /// sections). The same call serves the embedded command line and a lab worker process.
    /// </summary>
    public static IHostApplicationBuilder AddMseLabSilo(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var cluster = builder.Configuration.GetSection(ClusterOptions.SectionName).Get<ClusterOptions>() ?? new ClusterOptions();
        var worker = builder.Configuration.GetSection(WorkerOptions.SectionName).Get<WorkerOptions>() ?? new WorkerOptions();
        var store = builder.Configuration.GetSection(StoreOptions.SectionName).Get<StoreOptions>() ?? new StoreOptions();

        builder.Services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName)
            .PostConfigure(o =>
            {
                if (o.Devices.Count == 0)
                {
                    o.Devices.Add(WorkerOptions.DefaultDevice);
                }
            })
            .Validate(o => o.Devices.Count > 0, $"{WorkerOptions.SectionName}:Devices is empty; list at least one device (e.g. cpu:0).")
            .Validate(o => !o.Host.Contains('/', StringComparison.Ordinal), $"{WorkerOptions.SectionName}:Host must not contain '/'.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new ResultsDatabase(store));
        builder.Services.AddSingleton<ResultsStore>();
        builder.Services.TryAddSingleton<ITrialExecutor, EngineTrialExecutor>();
        builder.Services.AddSingleton<LocalDevices>();
        builder.Services.AddSingleton<SweepSubmitter>();

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
                default:
                    throw new OptionsValidationException(ClusterOptions.SectionName, typeof(ClusterOptions),
                        [$"{ClusterOptions.SectionName}:Clustering is '{cluster.Clustering}'; this build supports 'localhost'."]);
            }

            silo.AddPlacementDirector<DeviceHostPlacement, DeviceHostPlacementDirector>();
        });

        builder.Services.AddMassTransit(bus =>
        {
            bus.AddConsumer<RunTrialConsumer, RunTrialConsumerDefinition>();
            switch (cluster.Transport)
            {
                case "inmemory":
                    bus.UsingInMemory((context, configurator) => configurator.ConfigureEndpoints(context));
                    break;
                default:
                    throw new OptionsValidationException(ClusterOptions.SectionName, typeof(ClusterOptions),
                        [$"{ClusterOptions.SectionName}:Transport is '{cluster.Transport}'; this build supports 'inmemory'."]);
            }
        });

        return builder;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
