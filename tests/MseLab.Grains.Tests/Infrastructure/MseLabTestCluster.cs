using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using MseLab.Cluster.Client;
using MseLab.Grains.Execution;
using MseLab.Grains.Placement;
using MseLab.Grains.Telemetry;
using MseLab.Store;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace MseLab.Grains.Tests.Infrastructure;

/// <summary>
/// In-process clusters whose silos are configured as <c>MseLabHostingExtensions.AddMseLabSilo</c> configures a worker
/// (silo name from <see cref="WorkerOptions.Host"/>, the device-host placement director, the store, worker options),
/// with a fake executor, and the test cluster's membership and transport in place of localhost clustering and the bus.
/// </summary>
public static class MseLabTestCluster
{
    /// <summary>Short, so that a cancel or a lost attempt is noticed within a fraction of a second.</summary>
    public const double HeartbeatSeconds = 0.2;

    /// <summary>A cluster with one silo per host name, all on the SQLite store at <paramref name="databasePath"/>.</summary>
    public static InProcessTestCluster Build(string databasePath, TrialScripts scripts, params string[] hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var builder = new InProcessTestClusterBuilder((short)hosts.Length);
        builder.Options.ConfigureFileLogging = false;
        var started = -1;
        builder.ConfigureSiloHost((silo, host) =>
        {
            var name = hosts[Interlocked.Increment(ref started)];
            // The test cluster sets SiloOptions.SiloName from these options after every delegate: keep them in step.
            silo.SiloName = name;
            AddMseLabSilo(host, name, databasePath, scripts);
        });
        return builder.Build();
    }

    private static void AddMseLabSilo(IHostApplicationBuilder builder, string host, string databasePath, TrialScripts scripts)
    {
        builder.Services.AddOptions<WorkerOptions>().Configure(o =>
        {
            o.Host = host;
            o.HeartbeatSeconds = HeartbeatSeconds;
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        // Each silo opens the file on its own, as separate worker processes do.
        builder.Services.AddSingleton(new ResultsDatabase(StoreAt(databasePath)));
        builder.Services.AddSingleton<ResultsStore>();
        builder.Services.AddSingleton<TrialTelemetry>();
        builder.Services.AddSingleton<ITrialExecutor>(new FakeTrialExecutor(scripts, host));
        builder.Services.AddSingleton<ITrialDispatcher, RecordingDispatcher>();
        builder.UseOrleans(silo =>
        {
            silo.Configure<SiloOptions>(o => o.SiloName = host);
            silo.AddPlacementDirector<DeviceHostPlacement, DeviceHostPlacementDirector>();
        });
    }

    public static StoreOptions StoreAt(string databasePath) => new() { Provider = "sqlite", ConnectionString = $"Data Source={databasePath}" };
}
