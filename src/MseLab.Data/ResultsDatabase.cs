using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;

namespace MseLab.Data;

/// <summary>Opens contexts on the configured provider and brings the schema up to date.</summary>
public sealed class ResultsDatabase : IDisposable
{
    private readonly PooledDbContextFactory<SqliteMseLabDbContext>? _sqlite;
    private readonly PooledDbContextFactory<PostgresMseLabDbContext>? _postgres;

    private readonly StoreWriter _writer;

    /// <param name="options">Provider and connection.</param>
    /// <param name="logger">Where the writer says that the database went away and came back (null: silent).</param>
    public ResultsDatabase(StoreOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Provider = options.Provider.ToLowerInvariant();
        switch (Provider)
        {
            case "sqlite":
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
                break;
            case "postgres":
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                {
                    throw new InvalidOperationException(
                        $"{StoreOptions.SectionName}:{nameof(StoreOptions.ConnectionString)} is empty; the postgres store needs one (e.g. Host=localhost;Database=mselab;Username=mselab).");
                }

                Location = new Npgsql.NpgsqlConnectionStringBuilder(options.ConnectionString) { Password = null }.ToString();
                _postgres = new PooledDbContextFactory<PostgresMseLabDbContext>(
                    new DbContextOptionsBuilder<PostgresMseLabDbContext>().UseNpgsql(options.ConnectionString).Options);
                break;
            default:
                throw new InvalidOperationException($"{StoreOptions.SectionName}:{nameof(StoreOptions.Provider)} is '{options.Provider}'; use 'sqlite' or 'postgres'.");
        }

        _writer = new StoreWriter(CreateContext, logger);
    }

    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    public string Provider { get; }

    /// <summary>The SQLite file path, or the Postgres connection without its password; for messages.</summary>
    public string Location { get; }

    /// <summary>A context from the pool; dispose it to return it.</summary>
    public MseLabDbContext CreateContext() =>
        _sqlite is not null ? _sqlite.CreateDbContext() : _postgres!.CreateDbContext();

    /// <summary>
    /// Runs <paramref name="work"/> in this process's writer: in a transaction shared with the writes queued alongside
    /// (group commit), behind its own savepoint. The work must not begin transactions or call other writes; it gets the
    /// result of its own statements and sees every write queued before it.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<MseLabDbContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(work, cancellationToken);

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
