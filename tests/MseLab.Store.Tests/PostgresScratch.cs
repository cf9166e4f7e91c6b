using Npgsql;

namespace MseLab.Store.Tests;

/// <summary>
/// A throwaway database <c>mselab_t_&lt;guid&gt;</c> on the test Postgres server (<c>MSELAB_TEST_POSTGRES</c>, created
/// through <c>MSELAB_TEST_POSTGRES_ADMIN</c> when set), dropped on dispose.
/// </summary>
internal sealed class PostgresScratch : IAsyncDisposable
{
    private readonly string _admin;

    private PostgresScratch(string admin, string name, string connectionString)
    {
        _admin = admin;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>The test role on the new database.</summary>
    public string ConnectionString { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<PostgresScratch> CreateAsync()
    {
        var test = Environment.GetEnvironmentVariable("MSELAB_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(test))
        {
            Assert.Fail(
                "MSELAB_TEST_POSTGRES is not set, so the Postgres tests have no server. Run `scripts/services.sh start` and "
                + "`eval \"$(scripts/services.sh env)\"` in this shell first (scripts/test.sh does both).");
        }

        var admin = Environment.GetEnvironmentVariable("MSELAB_TEST_POSTGRES_ADMIN") is { Length: > 0 } a ? a : test!;
        var name = $"mselab_t_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(Ct);
#pragma warning disable CA2100 // The name is ours: a prefix and a GUID.
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
#pragma warning restore CA2100
            await create.ExecuteNonQueryAsync(Ct);
        }

        return new PostgresScratch(admin, name, new NpgsqlConnectionStringBuilder(test) { Database = name }.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();   // pooled connections would keep the database in use
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync(CancellationToken.None);
#pragma warning disable CA2100 // The name is ours: a prefix and a GUID.
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
#pragma warning restore CA2100
        await drop.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
