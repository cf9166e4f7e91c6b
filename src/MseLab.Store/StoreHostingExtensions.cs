using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MseLab.Store;

namespace Microsoft.Extensions.Hosting;

/// <summary>Adds MseLab's results store to a host.</summary>
public static class StoreHostingExtensions
{
    /// <summary>The name the Aspire AppHost gives the results database's connection string.</summary>
    public const string AspireConnectionName = "results";

    /// <summary>
    /// The results store from the <c>Store</c> section (validated at start), or from the AppHost's <c>results</c>
    /// connection string: the database, its clock (<see cref="StoreClock"/>), the store's parts (leases, submissions, outbox, workers, queries, fair share,
    /// checkpoints, users, tokens, audit) and a <c>results-store</c> health check.
    /// </summary>
    public static IHostApplicationBuilder AddResultsStore(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Configuration.GetConnectionString(AspireConnectionName) is { Length: > 0 } results
            && string.IsNullOrEmpty(builder.Configuration[$"{StoreOptions.SectionName}:{nameof(StoreOptions.ConnectionString)}"]))
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{StoreOptions.SectionName}:{nameof(StoreOptions.Provider)}"] = nameof(StoreProvider.Postgres),
                [$"{StoreOptions.SectionName}:{nameof(StoreOptions.ConnectionString)}"] = results,
            });
        }

        builder.Services.AddOptions<StoreOptions>().BindConfiguration(StoreOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new ResultsDatabase(
            sp.GetRequiredService<IOptions<StoreOptions>>().Value, sp.GetService<ILoggerFactory>()?.CreateLogger<ResultsDatabase>()));
        // Every time the store writes or compares with another machine's writes is the database server's (leases, heartbeats, backoff).
        builder.Services.AddSingleton(sp => new StoreClock(
            sp.GetRequiredService<ResultsDatabase>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<ILoggerFactory>()?.CreateLogger<StoreClock>()));
        builder.Services.AddSingleton<TrialLeases>();
        builder.Services.AddSingleton<StaleLeases>();
        builder.Services.AddSingleton<SweepSubmissions>();
        builder.Services.AddSingleton<DispatchOutbox>();
        builder.Services.AddSingleton<WorkerRegistry>();
        builder.Services.AddSingleton<ResultQueries>();
        builder.Services.AddSingleton<TrialCheckpoints>();
        builder.Services.AddSingleton<Users>();
        builder.Services.AddSingleton<ApiTokens>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<MseLab.Store.FairShare.FairShareClaims>();
        builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("results-store");
        return builder;
    }
}

/// <summary><c>/health</c> is unhealthy while the results store cannot be reached (the services ride that out; the check says it).</summary>
public sealed class StoreHealthCheck(ResultsDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy($"results store at {database.Location}")
            : HealthCheckResult.Unhealthy($"results store at {database.Location} unreachable");
}
