using System.ComponentModel.DataAnnotations;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;
using MseLab.Store.Database;

namespace MseLab.Store;

/// <summary>Opens contexts on the configured provider, runs every write through one group-commit writer, and migrates the schema.</summary>
public sealed class ResultsDatabase : IDisposable
{
    private readonly PooledDbContextFactory<SqliteMseLabDbContext>? _sqlite;
    private readonly PooledDbContextFactory<PostgresMseLabDbContext>? _postgres;

    private readonly StoreWriter _writer;

    /// <param name="options">Provider and connection.</param>
    /// <param name="logger">Where the writer says that the database went away and came back (null: silent).</param>
    /// <exception cref="ValidationException">The options are invalid (a Postgres store without a connection string).</exception>
    public ResultsDatabase(StoreOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        Provider = options.Provider;
        if (Provider == StoreProvider.Sqlite)
        {
            var builder = new SqliteConnectionStringBuilder(options.ConnectionString ?? $"Data Source={StoreOptions.DefaultSqlitePath}")
            {
                DefaultTimeout = 60,   // seconds a writer waits for the file lock (several workers share one file)
                Pooling = true,
            };
            var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            Location = Path.GetFullPath(builder.DataSource);
            _sqlite = new PooledDbContextFactory<SqliteMseLabDbContext>(
                new DbContextOptionsBuilder<SqliteMseLabDbContext>().UseSqlite(builder.ToString()).AddInterceptors(SqlitePragmas.Instance).Options);
        }
        else
        {
            var connection = new Npgsql.NpgsqlConnectionStringBuilder(options.ConnectionString);
            Location = new Npgsql.NpgsqlConnectionStringBuilder(connection.ConnectionString) { Password = null }.ToString();
            var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = options.ConnectionString };
            if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
            {
                // The lifecycle runs the same few statements thousands of times: prepared once per connection, the server
                // stops parsing and planning them each time (a profile named ~20% of its CPU for that). A connection string
                // that sets Max Auto Prepare (0 behind a transaction-mode pooler) keeps its own.
                (connection.MaxAutoPrepare, connection.AutoPrepareMinUsages) = (64, 2);
            }

            _postgres = new PooledDbContextFactory<PostgresMseLabDbContext>(
                new DbContextOptionsBuilder<PostgresMseLabDbContext>().UseNpgsql(connection.ConnectionString).Options);
        }

        _writer = new StoreWriter(CreateContext, logger);
    }

    public StoreProvider Provider { get; }

    /// <summary>The SQLite file path, or the Postgres connection without its password; for messages.</summary>
    public string Location { get; }

    /// <summary>A context from the pool; dispose it to return it.</summary>
    internal MseLabDbContext CreateContext() =>
        _sqlite is not null ? _sqlite.CreateDbContext() : _postgres!.CreateDbContext();

    /// <summary>
    /// Runs <paramref name="work"/> in this process's writer: in a transaction shared with the writes queued alongside
    /// (group commit). The work must not begin transactions or call other writes; it gets the result of its own
    /// statements and sees every write queued before it.
    /// </summary>
    internal Task<T> WriteAsync<T>(Func<MseLabDbContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(work, cancellationToken);

    /// <summary>Whether the database answers (the health checks ask this).</summary>
    public async Task<bool> CanConnectAsync(CancellationToken cancellationToken = default)
    {
        await using var db = CreateContext();
        return await db.Database.CanConnectAsync(cancellationToken);
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>Names the migrations the database still lacks (empty when its schema is current).</summary>
    public async Task<IReadOnlyList<string>> PendingMigrationsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = CreateContext();
        return [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)];
    }

    /// <summary>Applies pending migrations; SQLite also switches to WAL so that readers never block the writer.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = CreateContext();
        try
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        catch (Exception e) when (e is SqliteException or Npgsql.NpgsqlException)
        {
            throw new InvalidOperationException($"The results store at {Location} could not be opened or upgraded: {e.Message}", e);
        }

        if (_sqlite is not null)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}
