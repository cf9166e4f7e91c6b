using Microsoft.Data.Sqlite;
using MseLab.Store;
using Npgsql;

namespace MseLab.Cli.Commands.Bench;

/// <summary>
/// A fresh, migrated results store for <c>mselab bench results</c>, removed on dispose: a SQLite file in a temporary
/// folder, or a new database <c>mselab_bench_&lt;guid&gt;</c> on the server of a Postgres connection (which must be
/// allowed to create databases).
/// </summary>
internal sealed class ResultsBenchStore : IAsyncDisposable
{
    private readonly Func<ValueTask> _cleanup;

    private ResultsBenchStore(StoreProvider provider, ResultsDatabase database, Func<ValueTask> cleanup)
    {
        Provider = provider;
        Database = database;
        _cleanup = cleanup;
    }

    public StoreProvider Provider { get; }

    public ResultsDatabase Database { get; }

    /// <summary>A new file in a temporary folder, or in <paramref name="keep"/> (which must not hold one) and kept there.</summary>
    public static async Task<ResultsBenchStore> CreateSqliteAsync(string? keep, CancellationToken cancellationToken)
    {
        var folder = keep is null ? Directory.CreateTempSubdirectory("mselab-bench-results-") : Directory.CreateDirectory(keep);
        var file = Path.Combine(folder.FullName, "results.db");
        if (keep is not null && File.Exists(file))
        {
            throw new IOException($"{file} exists; bench results fills a fresh store. Give --keep an empty folder.");
        }

        var database = new ResultsDatabase(new StoreOptions { ConnectionString = $"Data Source={file}" });
        var store = new ResultsBenchStore(StoreProvider.Sqlite, database, () =>
        {
            database.Dispose();
            SqliteConnection.ClearAllPools();   // pooled connections keep the file open
            if (keep is null)
            {
                folder.Delete(recursive: true);
            }

            return ValueTask.CompletedTask;
        });
        await MigrateAsync(store, cancellationToken);
        return store;
    }

    /// <summary>A new database next to the one <paramref name="connectionString"/> names, dropped on dispose.</summary>
    public static async Task<ResultsBenchStore> CreatePostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        var name = $"mselab_bench_{Guid.NewGuid():N}";
        await ExecuteAsync(connectionString, $"CREATE DATABASE {name}", cancellationToken);
        var database = new ResultsDatabase(new StoreOptions
        {
            Provider = StoreProvider.Postgres,
            ConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { Database = name }.ToString(),
        });
        var store = new ResultsBenchStore(StoreProvider.Postgres, database, async () =>
        {
            database.Dispose();
            NpgsqlConnection.ClearAllPools();   // pooled connections would keep the database in use
            await ExecuteAsync(connectionString, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)", CancellationToken.None);
        });
        await MigrateAsync(store, cancellationToken);
        return store;
    }

    public ValueTask DisposeAsync() => _cleanup();

    private static async Task MigrateAsync(ResultsBenchStore store, CancellationToken cancellationToken)
    {
        try
        {
            await store.Database.MigrateAsync(cancellationToken);
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
#pragma warning disable CA2100 // The database name is ours: a prefix and a GUID.
        await using var command = new NpgsqlCommand(sql, connection);
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
