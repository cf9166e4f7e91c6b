using Npgsql;

namespace MseLab.Store.Tests;

/// <summary>
/// A throwaway database <c>mselab_t_&lt;guid&gt;</c> on the test Postgres server (<c>MSELAB_TEST_POSTGRES</c>, created
/// through <c>MSELAB_TEST_POSTGRES_ADMIN</c> when set), dropped on dispose.
/// </summary>
internal sealed class PostgresScratch : IAsyncDisposable
{
    /// <summary>Ends the client sessions in database <c>@name</c>, waiting up to 10 s for each to exit (not background workers).</summary>
    private const string TerminateClientSessions = """
        SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity
        WHERE datname = @name AND backend_type = 'client backend' AND pid <> pg_backend_pid()
        """;

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

    /// <remarks>
    /// Not <c>DROP DATABASE ... WITH (FORCE)</c>: that signals every session in the database, and for a role that is not
    /// a superuser it fails when one of them is an autovacuum worker (which has no role: "must be a member of the role
    /// whose process is being terminated or member of pg_signal_backend", Postgres 15). The server's autovacuum visits
    /// new databases at any moment, the more often the more databases parallel tests have created, so that drop failed
    /// a test now and then. Instead the client sessions still in the database end first (as FORCE would end them), then
    /// a plain DROP, which itself stops an autovacuum worker there and waits for it.
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();   // pooled connections would keep the database in use
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync(CancellationToken.None);
        await using (var terminate = new NpgsqlCommand(TerminateClientSessions, connection))
        {
            terminate.Parameters.AddWithValue("name", Name);
            await terminate.ExecuteNonQueryAsync(CancellationToken.None);
        }

#pragma warning disable CA2100 // The name is ours: a prefix and a GUID.
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name}", connection);
#pragma warning restore CA2100
        await drop.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
