using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using MseLab.Store;
using MseLab.Store.Records;

namespace MseLab.Api.Tests;

/// <summary>
/// A SQLite results store filled through the store's own write paths (submit, claim, record epochs, complete, fail), and the
/// API serving it. Sweep <c>alpha</c>: two Qwen learning rates x two seeds and a llama cell on MOSEI, all done, plus a
/// failed llama cell; sweep <c>beta</c>: two done cells on synthetic data. Every done cell has three epochs.
/// </summary>
public sealed class ResultsStore : IAsyncLifetime
{
    public const string Alpha = "alpha";
    public const string Beta = "beta";

    private readonly string _folder = Directory.CreateTempSubdirectory("mselab-api-tests-").FullName;

    public ResultsStore()
    {
        ConnectionString = $"Data Source={Path.Combine(_folder, "results.db")}";
        Database = new ResultsDatabase(new StoreOptions { ConnectionString = ConnectionString });
        Queries = new ResultQueries(Database);
        Factory = new ApiFactory { StoreConnectionString = ConnectionString };
    }

    public string ConnectionString { get; }

    public ResultsDatabase Database { get; }

    /// <summary>The store's own queries, for what each endpoint should answer.</summary>
    public ResultQueries Queries { get; }

    public ApiFactory Factory { get; }

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        await Database.MigrateAsync(ct);
        var sweeps = new SweepSubmissions(Database, new StoreClock(Database));
        var leases = new TrialLeases(Database, new StoreClock(Database));
        var alpha = await sweeps.SubmitAsync(Sweep(Alpha,
            Cell("q3s1", "qwen2-0.5b", "mosei", 1, 1e-3), Cell("q3s2", "qwen2-0.5b", "mosei", 2, 1e-3),
            Cell("q4s1", "qwen2-0.5b", "mosei", 1, 1e-4), Cell("q4s2", "qwen2-0.5b", "mosei", 2, 1e-4),
            Cell("l3s1", "llama2-7b", "mosei", 1, 1e-3), Cell("l3s2", "llama2-7b", "mosei", 2, 1e-3)), rerunFailed: false, ct);
        var beta = await sweeps.SubmitAsync(Sweep(Beta,
            Cell("b1", "qwen2-0.5b", "synthetic:mosei", 1, 1e-3), Cell("b2", "qwen2-0.5b", "synthetic:mosei", 2, 1e-3)), rerunFailed: false, ct);
        var index = 0;
        foreach (var cell in alpha.Dispatch.Concat(beta.Dispatch))
        {
            index++;
            Assert.NotNull(await leases.TryClaimAsync(cell.Lease, "cpu:0", ct));
            if (cell.Key == "l3s2")
            {
                Assert.Null(await leases.FailAsync(cell.Lease, "out of memory", FailureClass.Permanent, ct));
                continue;
            }

            for (var epoch = 1; epoch <= 3; epoch++)
            {
                var validation = new Dictionary<string, double> { ["mae"] = 0.9 - (0.1 * epoch) - (0.01 * index), ["has0_acc2"] = 0.6 + (0.05 * epoch) + (0.003 * index) };
                Assert.True(await leases.RecordEpochAsync(cell.Lease, new EpochReport(epoch, 1.5 / epoch + (0.02 * index), 1e-3 / epoch, validation, 2.0, 50), [], ct));
            }

            var test = new Dictionary<string, double> { ["mae"] = 0.55 + (0.013 * index), ["has0_acc2"] = 0.7 + (0.011 * index) };
            Assert.True(await leases.CompleteAsync(cell.Lease, new TrialOutcome(3, 0.6, "max_epochs", test, 6.0, Provenance), ct));
        }
    }

    /// <summary>The store's tables and their row counts, read with plain SQL: what an injection would change.</summary>
    public async Task<IReadOnlyDictionary<string, long>> RowCountsAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(ct);
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                tables.Add(reader.GetString(0));
            }
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var count = connection.CreateCommand();
            count.CommandText = $"SELECT count(*) FROM \"{table}\"";
            counts[table] = (long)(await count.ExecuteScalarAsync(ct))!;
        }

        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        Database.Dispose();
        SqliteConnection.ClearAllPools();   // pooled connections keep the file open
        Directory.Delete(_folder, recursive: true);
    }

    private static readonly ProvenanceRecord Provenance = new("abc123", GitDirty: false, "lab-1", "0.107.0", "2.10.0", "cpu", "sha256:data", 1234, 56789);

    private static SweepSubmission Sweep(string id, params CellSubmission[] cells) =>
        new(id, $"/sweeps/{id}.yaml", $"name: {id}\n", "cpu", MemoryGb: 0, Retries: 0, Priority: 3, cells);

    private static CellSubmission Cell(string key, string family, string dataset, int seed, double lr) => new(
        key,
        $"{family}-{dataset}-{lr.ToString("G6", CultureInfo.InvariantCulture)}",
        "/models/" + family,
        dataset,
        seed,
        lr,
        3,
        JsonSerializer.Serialize(new { Backbone = "/models/" + family, BackboneFamily = family, Dataset = dataset, Task = "mosei", Seed = seed, LearningRate = lr, BatchSize = 8, MaxEpochs = 3 }),
        JsonSerializer.Serialize(new { Backbone = "/models/" + family, Dataset = dataset, Seed = seed, Device = "cpu", Key = key }));
}
