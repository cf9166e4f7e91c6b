using Microsoft.Data.Sqlite;
using MseLab.Store;
using Orleans.TestingHost;

namespace MseLab.Grains.Tests.Infrastructure;

/// <summary>
/// One two-silo cluster (<c>host-a</c>, <c>host-b</c>) for the whole assembly, on a fresh SQLite store in a temp folder.
/// Tests take fresh sweep, trial and device keys, so they never see each other's grains.
/// </summary>
public sealed class GrainClusterFixture : IAsyncLifetime
{
    public const string HostA = "host-a";
    public const string HostB = "host-b";

    private int _devices;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("mselab-grains-").FullName;

    public string DatabasePath => Path.Combine(Directory, "results.db");

    public TrialScripts Scripts { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The store as another process sees it: its own connections to the same file.</summary>
    public ResultsDatabase Database { get; private set; } = null!;

    public TrialLeases Leases => new(Database, new StoreClock(Database));

    public StaleLeases StaleLeases => new(Database, new StoreClock(Database));

    public SweepSubmissions Sweeps => new(Database, new StoreClock(Database));

    public ResultQueries Queries => new(Database);

    /// <summary>A device key no other test uses, on <paramref name="host"/>.</summary>
    public string NewDevice(string host) => $"{host}/cpu:{Interlocked.Increment(ref _devices)}";

    public async ValueTask InitializeAsync()
    {
        Database = new ResultsDatabase(MseLabTestCluster.StoreAt(DatabasePath));
        await Database.MigrateAsync();
        Cluster = MseLabTestCluster.Build(DatabasePath, Scripts, HostA, HostB);
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }

        Database?.Dispose();
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
