using System.Net.Http.Headers;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using MseLab.Api.Auth;
using MseLab.Cluster.Client;
using MseLab.Store;
using MseLab.Store.Records;

namespace MseLab.Api.Tests.Auth;

/// <summary>
/// The API in process over a real SQLite store with users and tokens issued through the store: alice and bob (submit),
/// rita (read), ada (admin); an expired and a revoked token of alice. The queue and the sweep grain are fakes over the
/// same store (no cluster in this tier); authentication, authorization, ownership and the audit are the real ones.
/// </summary>
internal sealed class AuthLab : IAsyncDisposable
{
    public const string AdminSecret = "an-admin-secret-of-at-least-32-characters";

    private readonly string _folder;

    private AuthLab(string folder, ResultsDatabase database, ApiFactory factory, SweepGrainFactory grains, RecordingDispatcher dispatcher)
    {
        _folder = folder;
        Database = database;
        Factory = factory;
        Grains = grains;
        Dispatcher = dispatcher;
    }

    public ResultsDatabase Database { get; }

    public ApiFactory Factory { get; }

    public SweepGrainFactory Grains { get; }

    public RecordingDispatcher Dispatcher { get; }

    public Dictionary<string, string> Tokens { get; } = new(StringComparer.Ordinal);

    public ResultQueries Queries => new(Database);

    public AuditLog Audit => new(Database, new StoreClock(Database));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<AuthLab> CreateAsync(bool readsOpen = true, string? adminSecret = AdminSecret)
    {
        var folder = Directory.CreateTempSubdirectory("mselab-auth-tests-").FullName;
        var connection = $"Data Source={Path.Combine(folder, "results.db")}";
        var database = new ResultsDatabase(new StoreOptions { ConnectionString = connection });
        await database.MigrateAsync(Ct);
        var grains = SweepGrainFactory.Create(new SweepSubmissions(database, new StoreClock(database)));
        var dispatcher = new RecordingDispatcher();
        var settings = new Dictionary<string, string?> { [$"{AuthOptions.SectionName}:{nameof(AuthOptions.ReadsOpen)}"] = readsOpen.ToString() };
        if (adminSecret is not null)
        {
            settings[$"{AuthOptions.SectionName}:{nameof(AuthOptions.AdminToken)}"] = adminSecret;
        }

        var factory = new ApiFactory
        {
            StoreConnectionString = connection,
            Settings = settings,
            TestServices = services =>
            {
                services.RemoveAll<IGrainFactory>();
                services.AddSingleton(grains);
                services.RemoveAll<ITrialDispatcher>();
                services.AddSingleton<ITrialDispatcher>(dispatcher);
            },
        };
        var lab = new AuthLab(folder, database, factory, (SweepGrainFactory)(object)grains, dispatcher);
        await lab.IssueAsync();
        return lab;
    }

    /// <summary>A client that sends <paramref name="token"/> (a name in <see cref="Tokens"/>, or a literal) as its bearer token; none when null.</summary>
    public HttpClient Client(string? token = null)
    {
        var client = Factory.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.GetValueOrDefault(token, token));
        }

        return client;
    }

    public static StringContent Yaml(string sweep) => new($"""
        name: {sweep}
        backbones: [tiny]
        datasets: ["synthetic:mosei?train=8&valid=4&test=4"]
        seeds: [1, 2]
        resources: {"{"}device: cpu, memory_gb: 1{"}"}
        """, Encoding.UTF8, "application/yaml");

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        Database.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task IssueAsync()
    {
        var users = new Users(Database, new StoreClock(Database));
        var tokens = new ApiTokens(Database, new StoreClock(Database));
        foreach (var (name, role) in new[] { ("alice", UserRole.Submit), ("bob", UserRole.Submit), ("rita", UserRole.Read), ("ada", UserRole.Admin) })
        {
            Assert.True(await users.AddAsync(name, role, Ct));
            Tokens[name] = (await tokens.CreateAsync(name, TimeSpan.FromDays(1), Ct)).Token;
        }

        // Issued two days ago for one day: expired now.
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-2));
        Tokens["expired"] = (await new ApiTokens(Database, StoreClock.Trusting(past)).CreateAsync("alice", TimeSpan.FromDays(1), Ct)).Token;
        var revoked = await tokens.CreateAsync("alice", null, Ct);
        Assert.True(await tokens.RevokeAsync(revoked.Id, Ct));
        Tokens["revoked"] = revoked.Token;
        var alice = Tokens["alice"];
        Tokens["wrong"] = alice[..^1] + (alice[^1] == '0' ? '1' : '0');
        Tokens["unknown"] = $"{ApiTokenFormat.Prefix}0123456789ab_{new string('0', 64)}";
        Tokens["malformed"] = "not-a-token";
    }
}
