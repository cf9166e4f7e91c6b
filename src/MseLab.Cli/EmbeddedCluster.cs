using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MseLab.Cluster.Silo;
using MseLab.Grains;
using MseLab.Grains.Execution;
using MseLab.Store;
using MseLab.Worker;
using MseLab.Worker.Engine;

namespace MseLab.Cli;

/// <summary>
/// The embedded default: an Orleans silo, MassTransit's in-memory queue and the SQLite store in this process, with
/// <c>workers</c> CPU devices. Holds <c>.mselab/embedded.lock</c> while running, so that any cell still marked Running
/// in the store was left by a process that died and can be requeued at once.
/// </summary>
internal sealed class EmbeddedCluster : IAsyncDisposable
{
    public const string LockFile = ".mselab/embedded.lock";

    private readonly FileStream _lock;

    private EmbeddedCluster(IHost host, FileStream fileLock)
    {
        Host = host;
        _lock = fileLock;
    }

    public IHost Host { get; }

    public T Get<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    /// <summary>The embedded cluster with the MSE-Adapter engine, its worker reading stored datasets under <paramref name="dataRoot"/> (the submission's).</summary>
    public static Task<EmbeddedCluster> StartAsync(int workers, int threads, string? dataRoot = null) => StartAsync(workers, threads, dataRoot, storePath: null, runsDirectory: null);

    /// <summary>
    /// The embedded cluster with the MSE-Adapter engine on the store at <paramref name="storePath"/>, its trials' folders under
    /// <paramref name="runsDirectory"/> (null: the defaults), e.g. a benchmark's own.
    /// </summary>
    public static Task<EmbeddedCluster> StartAsync(int workers, int threads, string? dataRoot, string? storePath, string? runsDirectory) =>
        StartAsync(workers, threads, builder =>
        {
            if (dataRoot is not null)
            {
                builder.Configuration.AddInMemoryCollection([new($"{WorkerOptions.SectionName}:{nameof(EngineOptions.DataRoot)}", dataRoot)]);
            }

            if (runsDirectory is not null)
            {
                builder.Configuration.AddInMemoryCollection([new($"{WorkerOptions.SectionName}:{nameof(EngineOptions.RunsDirectory)}", runsDirectory)]);
            }

            builder.AddMseLabWorker();
        }, storePath);

    /// <summary>The embedded cluster with <typeparamref name="TExecutor"/> running trials (a benchmark's), on the store at <paramref name="storePath"/>.</summary>
    public static Task<EmbeddedCluster> StartAsync<TExecutor>(int workers, string storePath)
        where TExecutor : class, ITrialExecutor =>
        StartAsync(workers, threads: 1, builder => builder.AddMseLabSilo<TExecutor>(), storePath);

    private static async Task<EmbeddedCluster> StartAsync(int workers, int threads, Action<HostApplicationBuilder> addSilo, string? storePath)
    {
        var fileLock = AcquireLock();
        try
        {
            var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            var settings = new Dictionary<string, string?>
            {
                [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Host)}"] = LeaseSweeper.EmbeddedHost,
                [$"{WorkerOptions.SectionName}:{nameof(EngineOptions.Threads)}"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [$"{StoreOptions.SectionName}:{nameof(StoreOptions.ConnectionString)}"] = $"Data Source={storePath ?? StoreOptions.DefaultSqlitePath}",
            };
            for (var i = 0; i < workers; i++)
            {
                settings[$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Devices)}:{i}"] = $"cpu:{i}";
            }

            builder.Configuration.AddInMemoryCollection(settings);
            builder.Configuration.AddEnvironmentVariables("MSELAB_");
            builder.Logging.AddCliConsole();
            addSilo(builder);
            var host = builder.Build();
            await host.Services.GetRequiredService<ResultsDatabase>().MigrateAsync();
            await host.StartAsync();
            return new EmbeddedCluster(host, fileLock);
        }
        catch
        {
            await fileLock.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Host.StopAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            Host.Dispose();
            await _lock.DisposeAsync();
        }
    }

    private static FileStream AcquireLock()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LockFile)!);
        try
        {
            return new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new EmbeddedStoreBusyException(
                $"Another `mselab sweep run` is using the embedded store in {Path.GetFullPath(".mselab")}. Wait for it, stop it, or run from another folder.");
        }
    }
}
