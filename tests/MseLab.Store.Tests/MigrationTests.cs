using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using MseLab.Store.Records;

namespace MseLab.Store.Tests;

/// <summary>
/// A store written before the typed lifecycle (outcomes, worker states and checkpoint kinds as lower-case words; the
/// device kind and epoch bound only inside the stored JSON) upgraded in place, on both providers.
/// </summary>
public sealed class MigrationTests
{
    private const string Before = "ClusterState";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Migrate_OldSqliteStore_ConvertsStoredWordsAndFillsTheNewColumns()
    {
        var folder = Directory.CreateTempSubdirectory("mselab-migrate-").FullName;
        try
        {
            using var database = new ResultsDatabase(new StoreOptions { ConnectionString = $"Data Source={Path.Combine(folder, "results.db")}" });
            await UpgradeOldStoreAsync(database);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Migrate_OldPostgresStore_ConvertsStoredWordsAndFillsTheNewColumns()
    {
        await using var scratch = await PostgresScratch.CreateAsync();
        using var database = new ResultsDatabase(new StoreOptions { Provider = StoreProvider.Postgres, ConnectionString = scratch.ConnectionString });
        await UpgradeOldStoreAsync(database);
    }

    private static async Task UpgradeOldStoreAsync(ResultsDatabase database)
    {
        await using (var db = database.CreateContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(Migrations(db).Single(m => m.EndsWith(Before, StringComparison.Ordinal)), Ct);
            // Rows as the previous release wrote them.
            var t = new DateTime(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);
            await db.Database.ExecuteSqlAsync($"""INSERT INTO sweeps ("Id", "File", "Definition", "Cancelled", "CreatedAt", "UpdatedAt") VALUES ('old', 'old.yaml', '', FALSE, {t}, {t})""", Ct);
            foreach (var (key, device, maxEpochs) in new[] { ("c1", "cuda:1", "4"), ("c2", "cpu", "null") })
            {
                var resolved = $$"""{"Backbone":"tiny","MaxEpochs":{{maxEpochs}},"Seed":1}""";
                var run = $$"""{"Backbone":"tiny","Dataset":"synthetic:mosei","Device":"{{device}}"}""";
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO trials ("SweepId", "Key", "SeedGroup", "Backbone", "Dataset", "Seed", "LearningRate", "ResolvedConfig", "RunConfig", "Status",
                        "Attempt", "Failures", "MaxRetries", "Priority", "MemoryGb", "DispatchPending", "Epoch", "QueuedAt")
                    VALUES ('old', {key}, 'g', 'tiny', 'synthetic:mosei', 1, 0.001, {resolved}, {run}, 'Queued', 2, 0, 2, 0, 1, FALSE, 0, {t})
                    """, Ct);
            }

            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO attempts ("SweepId", "TrialKey", "Attempt", "Device", "StartedAt", "EndedAt", "Outcome", "Reason")
                VALUES ('old', 'c1', 1, 'w/cpu:0', {t}, {t}, 'handed back', 'drained')
                """, Ct);
            await db.Database.ExecuteSqlAsync($"""INSERT INTO workers ("Host", "Devices", "State", "StartedAt", "SeenAt") VALUES ('w', '[]', 'draining', {t}, {t})""", Ct);
            byte[] content = [1, 2];
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO checkpoints ("SweepId", "TrialKey", "Kind", "Epoch", "Sha256", "Content", "UpdatedAt") VALUES ('old', 'c1', 'best', 3, 'x', {content}, {t})
                """, Ct);
        }

        await database.MigrateAsync(Ct);

        Assert.Empty(await database.PendingMigrationsAsync(Ct));
        var attempt = Assert.Single(await new ResultQueries(database).AttemptsAsync("old", cancellationToken: Ct));
        Assert.Equal(AttemptOutcome.HandedBack, attempt.Outcome);
        Assert.Equal(WorkerState.Draining, Assert.Single(await new WorkerRegistry(database, new StoreClock(database)).ListAsync(Ct)).State);
        Assert.Equal(3, (await new TrialCheckpoints(database).GetAsync("old", "c1", CheckpointKind.Best, Ct))!.Epoch);
        var trials = await new ResultQueries(database).TrialsAsync("old", cancellationToken: Ct);
        Assert.Equal([4, null], trials.Select(r => r.MaxEpochs));
        await using var check = database.CreateContext();
        Assert.Equal(["cuda", "cpu"], await check.Trials.OrderBy(r => r.Key).Select(r => r.DeviceKind).ToListAsync(Ct));
    }

    private static IEnumerable<string> Migrations(DbContext db) => db.GetService<IMigrationsAssembly>().Migrations.Keys.Order(StringComparer.Ordinal);
}
