using Microsoft.Extensions.Options;
using MseLab.Cluster.Silo;
using MseLab.Datasets.Stored;
using MseLab.Models.Runtime;
using MseLab.Store;
using MseLab.Store.Records;
using MseLab.Training.Backbones;
using MseLab.Worker.Engine;

namespace MseLab.Worker;

/// <summary>How a worker process is put together: configuration layers, logging, and the checks before it takes trials.</summary>
public static class WorkerHost
{
    private const string AnyFreeLoopbackPort = "http://127.0.0.1:0";

    /// <summary>Options over <c>MSELAB_</c> variables over the profile file; the AppHost's variables (connection strings, Orleans, OTLP) come in too.</summary>
    /// <exception cref="FileNotFoundException">The profile does not exist.</exception>
    public static WebApplicationBuilder CreateBuilder(WorkerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = Directory.GetCurrentDirectory() });
        if (settings.Profile is { } profile)
        {
            if (!File.Exists(profile))
            {
                throw new FileNotFoundException($"Profile {Path.GetFullPath(profile)} not found. Write one as in the README (section 'Lab cluster').");
            }

            builder.Configuration.AddJsonFile(Path.GetFullPath(profile), optional: false);
        }

        builder.Configuration.AddEnvironmentVariables("MSELAB_");
        builder.Configuration.AddInMemoryCollection(settings.Configuration());
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]) && string.IsNullOrEmpty(builder.Configuration["HTTP_PORTS"]))
        {
            builder.WebHost.UseUrls(AnyFreeLoopbackPort);   // several workers on one machine must not fight over :5000
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => (o.SingleLine, o.TimestampFormat) = (true, "HH:mm:ss.fff "));
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning).AddFilter("MassTransit", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        return builder;
    }

    /// <summary>The lab worker: a silo whose devices run trials with the MSE-Adapter engine.</summary>
    public static IHostApplicationBuilder AddMseLabWorker(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<EngineOptions>().BindConfiguration(MseLab.Grains.WorkerOptions.SectionName)
            .PostConfigure(o => o.DataRoot ??= DataRoot.FromEnvironment()?.Path)
            .ValidateDataAnnotations().ValidateOnStart();
        // One frozen backbone per (model, dtype, device) for all the trials of this process, embedded CLI included.
        builder.Services.AddSingleton(BackbonePool.Shared);
        // This machine's datasets: the prerequisites check (before a trial is claimed) and the trials read the same root.
        builder.Services.AddSingleton(sp =>
        {
            var engine = sp.GetRequiredService<IOptions<EngineOptions>>().Value;
            return new LocalDatasets(engine.DataRoot, new CachedDatasetStore(engine.DataCache));
        });
        // The roots submitted sweeps may name (registered with the devices), and the checks before a trial is claimed: its
        // backbone folder inside this worker's roots (links resolved here), its data here with the submitted hash.
        builder.Services.AddSingleton(sp => new WorkerRoots(
            [.. sp.GetRequiredService<IOptions<MseLab.Grains.WorkerOptions>>().Value.BackboneRoots],
            sp.GetRequiredService<IOptions<EngineOptions>>().Value.DataRoot is { } data ? [Path.GetFullPath(data)] : []));
        builder.Services.AddSingleton<StoredDataPrerequisites>();
        builder.Services.AddSingleton<BackboneRootsPrerequisites>();
        builder.Services.AddSingleton<ITrialPrerequisites>(sp => new AllPrerequisites(
            [sp.GetRequiredService<BackboneRootsPrerequisites>(), sp.GetRequiredService<StoredDataPrerequisites>()]));
        builder.AddMseLabSilo<EngineTrialExecutor>();
        return builder;
    }

    /// <summary>
    /// The schema is applied by `mselab db migrate` (or the AppHost's migration service), never by a worker: say so rather
    /// than run against an old schema. Then the process-wide torch settings.
    /// </summary>
    public static async Task PrepareAsync(this IHost app, string? profile)
    {
        ArgumentNullException.ThrowIfNull(app);
        var database = app.Services.GetRequiredService<ResultsDatabase>();
        var pending = await database.PendingMigrationsAsync();
        if (pending.Count > 0)
        {
            throw new InvalidOperationException(
                $"The results store at {database.Location} lacks {pending.Count} migration(s) ({string.Join(", ", pending)}). Run `mselab db migrate --cluster {profile ?? "PROFILE"}` first.");
        }

        TorchRuntime.SetThreads(app.Services.GetRequiredService<IOptions<EngineOptions>>().Value.Threads);
    }
}
