using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using MseLab.Api.Auth;
using MseLab.Store;
using MseLab.Store.Records;

namespace MseLab.Api.Tests.Sweeps;

/// <summary>
/// POST /api/sweeps against workers registered with roots in a real SQLite store: a backbone folder outside the roots is
/// answered 422 naming the line, the path and the allowed roots, and nothing is stored.
/// </summary>
public sealed class SubmitRootsTests : IAsyncLifetime
{
    // Writes need a token: the API's admin secret is the simplest one to hold.
    private const string AdminSecret = "roots-test-admin-secret-0123456789abcdef";

    private readonly string _folder = Directory.CreateTempSubdirectory("mselab-api-roots-").FullName;
    private ResultsDatabase _database = null!;
    private ApiFactory _factory = null!;

    private string Models => Path.Combine(_folder, "models");

    private string Outside => Path.Combine(_folder, "home", "llama");

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Directory.CreateDirectory(Models);
        Directory.CreateDirectory(Outside);
        await File.WriteAllTextAsync(Path.Combine(Outside, "config.json"), """{"model_type": "llama", "vocab_size": 100, "hidden_size": 64, "intermediate_size": 176, "num_hidden_layers": 2, "num_attention_heads": 4}""", ct);
        var connection = $"Data Source={Path.Combine(_folder, "results.db")}";
        _database = new ResultsDatabase(new StoreOptions { ConnectionString = connection });
        await _database.MigrateAsync(ct);
        await new WorkerRegistry(_database, new StoreClock(_database)).RegisterAsync("gpu-1", [new WorkerDevice("gpu-1/cpu:0", "cpu", 0)], new WorkerRoots([Models], []), ct);
        _factory = new ApiFactory
        {
            StoreConnectionString = connection,
            Settings = new Dictionary<string, string?> { [$"{AuthOptions.SectionName}:{nameof(AuthOptions.AdminToken)}"] = AdminSecret },
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        _database.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Submit_BackboneOutsideTheRoots_Is422NamingLinePathAndRoots()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminSecret);
        var yaml = $"name: escape\nbackbones: [\"{Outside}\"]\ndatasets: [synthetic:mosei]\nseeds: [1]\n";

        using var response = await client.PostAsync(new Uri("/api/sweeps", UriKind.Relative), new StringContent(yaml, Encoding.UTF8, "application/yaml"), ct);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var detail = problem.RootElement.GetProperty("detail").GetString();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains($"request body:2:13: backbones '{Outside}' resolves to {Outside}, outside the allowed roots. Allowed: {Models}", detail, StringComparison.Ordinal);
        Assert.Empty(await new ResultQueries(_database).SweepsAsync("escape", ct));
    }
}
