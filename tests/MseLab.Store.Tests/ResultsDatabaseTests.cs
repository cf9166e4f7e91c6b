using System.ComponentModel.DataAnnotations;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using static MseLab.Store.Tests.Submissions;

namespace MseLab.Store.Tests;

public sealed class ResultsDatabaseTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mselab-data-tests-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void StoreOptions_Defaults_AreTheEmbeddedSqliteFile()
    {
        var options = new StoreOptions();

        Assert.Equal((StoreProvider.Sqlite, null, "Store"), (options.Provider, options.ConnectionString, StoreOptions.SectionName));
        Assert.Equal(".mselab/results.db", StoreOptions.DefaultSqlitePath);
    }

    [Fact]
    public async Task Migrate_FileInAFolderThatDoesNotExist_CreatesFolderFileAndSchema()
    {
        var path = Path.Combine(_folder, "nested", "deeper", "results.db");
        var database = new ResultsDatabase(new StoreOptions { Provider = StoreProvider.Sqlite, ConnectionString = $"Data Source={path}" });
        Assert.True(Directory.Exists(Path.GetDirectoryName(path)));
        Assert.False(File.Exists(path));

        await database.MigrateAsync(Ct);

        Assert.True(File.Exists(path));
        Assert.Equal((StoreProvider.Sqlite, path), (database.Provider, database.Location));
        Assert.Empty(await new ResultQueries(database).SweepsAsync(cancellationToken: Ct));
        Assert.Equal("wal", await ScalarAsync(path, "PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task Migrate_Twice_IsHarmlessAndKeepsTheData()
    {
        var path = Path.Combine(_folder, "results.db");
        var options = new StoreOptions { ConnectionString = $"Data Source={path}" };
        var database = new ResultsDatabase(options);
        await database.MigrateAsync(Ct);
        await new SweepSubmissions(database, new StoreClock(database)).SubmitAsync(Sweep([Cell("a"), Cell("b")]), rerunFailed: false, Ct);
        var migrations = await ScalarAsync(path, "SELECT COUNT(*) FROM __EFMigrationsHistory;");

        await database.MigrateAsync(Ct);
        await new ResultsDatabase(options).MigrateAsync(Ct);

        Assert.Equal(migrations, await ScalarAsync(path, "SELECT COUNT(*) FROM __EFMigrationsHistory;"));
        Assert.Equal(2, Assert.Single(await new ResultQueries(database).SweepsAsync(SweepId, Ct)).Total);
        await using var db = database.CreateContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
    }

    [Fact]
    public void StoreOptions_UnknownProvider_ThrowsNamingTheKeyAndTheChoices()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Store:Provider"] = "mysql" }).Build();

        var e = Assert.Throws<OptionsValidationException>(() => StoreOptions.From(configuration));

        Assert.Contains("'Store:Provider'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Valid providers: sqlite, postgres", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StoreOptions_ProviderNamesAsProfilesWriteThem_Bind()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Store:Provider"] = "postgres",
            ["Store:ConnectionString"] = "Host=db;Database=mselab",
        }).Build();

        Assert.Equal(StoreProvider.Postgres, StoreOptions.From(configuration).Provider);
    }

    [Fact]
    public void Constructor_PostgresWithoutConnectionString_Throws()
    {
        var e = Assert.Throws<ValidationException>(() => new ResultsDatabase(new StoreOptions { Provider = StoreProvider.Postgres }));

        Assert.Contains("Store:ConnectionString", e.Message, StringComparison.Ordinal);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Store:Provider"] = "postgres" }).Build();
        Assert.Contains("Store:ConnectionString", Assert.Throws<OptionsValidationException>(() => StoreOptions.From(configuration)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_Postgres_LocationHidesThePassword()
    {
        var database = new ResultsDatabase(new StoreOptions { Provider = StoreProvider.Postgres, ConnectionString = "Host=db;Database=mselab;Username=lab;Password=secret" });

        Assert.Equal(StoreProvider.Postgres, database.Provider);
        Assert.DoesNotContain("secret", database.Location, StringComparison.Ordinal);
        Assert.Contains("db", database.Location, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db;Database=mselab", 64)]
    [InlineData("Host=db;Database=mselab;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;Database=mselab;MaxAutoPrepare=8", 8)]
    public void Constructor_Postgres_PreparesStatementsUnlessTheConnectionStringSaysOtherwise(string connectionString, int expected)
    {
        using var database = new ResultsDatabase(new StoreOptions { Provider = StoreProvider.Postgres, ConnectionString = connectionString });
        using var db = database.CreateContext();

        Assert.Equal(expected, new Npgsql.NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).MaxAutoPrepare);
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
