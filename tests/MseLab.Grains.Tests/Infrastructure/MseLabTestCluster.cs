using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MseLab.Store;
using Orleans.TestingHost;

namespace MseLab.Grains.Tests.Infrastructure;

/// <summary>
/// In-process clusters whose silos are wired by production's <c>AddMseLabGrains</c>, exactly as a worker's silo is (worker
/// options, the results store, trial telemetry, device-host placement), from configuration: only the trial executor is
/// the test's (a scripted fake), and the test cluster's membership stands in for localhost or Redis clustering. No queue:
/// grains are called directly, and what they queue again stays in the store's outbox.
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
            host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Host)}"] = name,
                [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.HeartbeatSeconds)}"] = HeartbeatSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                // Each silo opens the file on its own, as separate worker processes do.
                [$"{StoreOptions.SectionName}:{nameof(StoreOptions.ConnectionString)}"] = $"Data Source={databasePath}",
            });
            host.Services.AddSingleton(new FakeTrialExecutor(scripts, name));
            host.AddMseLabGrains<FakeTrialExecutor>();
        });
        return builder.Build();
    }

    public static StoreOptions StoreAt(string databasePath) => new() { ConnectionString = $"Data Source={databasePath}" };
}
