using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using MseLab.Store;

namespace MseLab.Api.Tests.ResultsPage;

/// <summary>
/// The real API on a loopback port (Kestrel, so that a browser can reach it) over a fresh SQLite store filled by
/// <see cref="ResultsSeed"/>: <see cref="ApiFactory"/> (no hosted service starts, nothing here needs the cluster) on Kestrel.
/// </summary>
public class ResultsPageServer : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mselab-results-page-").FullName;
    private ApiFactory? _factory;

    /// <summary>The server's address, <c>http://127.0.0.1:PORT</c> (no trailing slash).</summary>
    public string Address { get; private set; } = "";

    /// <summary>More API configuration (a subclass closes reads).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public HttpClient CreateClient() => new() { BaseAddress = new Uri(Address + "/") };

    public async ValueTask InitializeAsync()
    {
        var connection = $"Data Source={Path.Combine(_folder, "results.db")}";
        using (var database = new ResultsDatabase(new StoreOptions { ConnectionString = connection }))
        {
            await database.MigrateAsync(TestContext.Current.CancellationToken);
            await ResultsSeed.FillAsync(database, TestContext.Current.CancellationToken);
            await SeededAsync(database);
        }

        _factory = new ApiFactory { StoreConnectionString = connection, Settings = Settings };
        _factory.UseKestrel(0);   // port 0: the system picks a free one
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        Address = addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
    }

    /// <summary>What a subclass adds to the seeded store before the API starts.</summary>
    protected virtual Task SeededAsync(ResultsDatabase database) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();   // pooled connections keep the file open
        Directory.Delete(_folder, recursive: true);
    }
}
