using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using static MseLab.Data.Tests.Submissions;

namespace MseLab.Data.Tests;

public sealed class ResultsDatabaseTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mselab-data-tests-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void StoreOptions_Defaults_AreTheEmbeddedSqliteFile()
    {
        var options = new StoreOptions();

        Assert.Equal(("sqlite", null, "Store"), (options.Provider, options.ConnectionString, StoreOptions.SectionName));
        Assert.Equal(".mselab/results.db", StoreOptions.DefaultSqlitePath);
    }

    [Fact]
    public async Task Migrate_FileInAFolderThatDoesNotExist_CreatesFolderFileAndSchema()
    {
        var path = Path.Combine(_folder, "nested", "deeper", "results.db");
        var database = new ResultsDatabase(new StoreOptions { Provider = "SQLite", ConnectionString = $"Data Source={path}" });
        Assert.True(Directory.Exists(Path.GetDirectoryName(path)));
        Assert.False(File.Exists(path));

        await database.MigrateAsync(Ct);

        Assert.True(File.Exists(path));
        Assert.Equal(("sqlite", path), (database.Provider, database.Location));
        Assert.Empty(await new ResultsStore(database, TimeProvider.System).SweepsAsync(cancellationToken: Ct));
        Assert.Equal("wal", await ScalarAsync(path, "PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task Migrate_Twice_IsHarmlessAndKeepsTheData()
    {
        var path = Path.Combine(_folder, "results.db");
        var options = new StoreOptions { ConnectionString = $"Data Source={path}" };
        var database = new ResultsDatabase(options);
        await database.MigrateAsync(Ct);
        var store = new ResultsStore(database, TimeProvider.System);
        await store.SubmitAsync(Sweep([Cell("a"), Cell("b")]), rerunFailed: false, Ct);
        var migrations = await ScalarAsync(path, "SELECT COUNT(*) FROM __EFMigrationsHistory;");

        await database.MigrateAsync(Ct);
        await new ResultsDatabase(options).MigrateAsync(Ct);

        Assert.Equal(migrations, await ScalarAsync(path, "SELECT COUNT(*) FROM __EFMigrationsHistory;"));
        Assert.Equal(2, Assert.Single(await store.SweepsAsync(SweepId, Ct)).Total);
        await using var db = database.CreateContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
    }

    [Fact]
    public void Constructor_UnknownProvider_ThrowsNamingTheChoices()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new ResultsDatabase(new StoreOptions { Provider = "mysql" }));

        Assert.Contains("'mysql'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'sqlite' or 'postgres'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_PostgresWithoutConnectionString_Throws()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new ResultsDatabase(new StoreOptions { Provider = "postgres" }));

        Assert.Contains("Store:ConnectionString", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_Postgres_LocationHidesThePassword()
    {
        var database = new ResultsDatabase(new StoreOptions { Provider = "postgres", ConnectionString = "Host=db;Database=mselab;Username=lab;Password=secret" });

        Assert.Equal("postgres", database.Provider);
        Assert.DoesNotContain("secret", database.Location, StringComparison.Ordinal);
        Assert.Contains("db", database.Location, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();   // pooled connections keep the file open
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task<string?> ScalarAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
