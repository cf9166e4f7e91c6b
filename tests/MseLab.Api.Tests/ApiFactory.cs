using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using MseLab.Store;

namespace MseLab.Api.Tests;

/// <summary>
/// The API host in process with its real endpoints and services registered, but none of its hosted services started (the
/// Orleans client, the bus, telemetry): nothing here reaches a server, so only requests that need none can be made. Given
/// a store's connection string, the results endpoints read that store (a SQLite file the test filled).
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    /// <summary>The results store the API reads (SQLite); null: the default, which no test here reads.</summary>
    public string? StoreConnectionString { get; init; }

    /// <summary>More configuration (e.g. <c>Auth:ReadsOpen</c>), applied after the store's.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Replaces services after the API registered its own (e.g. the cluster's, with fakes over the store).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // A cluster client insists on Redis membership; port 1 is never dialled because the Orleans client never starts.
        builder.UseSetting("Cluster:Clustering", "Redis");
        builder.UseSetting("Cluster:Redis", "127.0.0.1:1");
        if (StoreConnectionString is { } store)
        {
            builder.UseSetting($"{StoreOptions.SectionName}:{nameof(StoreOptions.Provider)}", nameof(StoreProvider.Sqlite));
            builder.UseSetting($"{StoreOptions.SectionName}:{nameof(StoreOptions.ConnectionString)}", store);
        }

        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<IHostedService>();
            TestServices?.Invoke(services);
        });
    }
}
