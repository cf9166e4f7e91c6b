using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MseLab.Store.Entities;
using MseLab.Store.Records;

namespace MseLab.Store.Tests;

/// <summary>
/// A migrated results store with a clock the test moves: a fresh SQLite file in its own temporary folder, or
/// (<see cref="CreatePostgresAsync"/>) a throwaway database on the test Postgres server.
/// </summary>
internal sealed class TempStore : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly Func<ValueTask> _cleanup;

    private TempStore(StoreOptions options, ResultsDatabase database, FakeTimeProvider time, Func<ValueTask> cleanup)
    {
        Options = options;
        Time = time;
        Clock = StoreClock.Trusting(time);
        Database = database;
        Leases = new TrialLeases(database, Clock);
        Stale = new StaleLeases(database, Clock);
        Sweeps = new SweepSubmissions(database, Clock);
        Outbox = new DispatchOutbox(database);
        Workers = new WorkerRegistry(database, Clock);
        Queries = new ResultQueries(database);
        Checkpoints = new TrialCheckpoints(database);
        Users = new Users(database, Clock);
        Tokens = new ApiTokens(database, Clock);
        Audit = new AuditLog(database, Clock);
        _cleanup = cleanup;
    }

    /// <summary>Options that open the same file (as another process would).</summary>
    public StoreOptions Options { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>The store's clock: <see cref="Time"/>, taken as the database's (so that the test moves it).</summary>
    public StoreClock Clock { get; }

    public ResultsDatabase Database { get; }

    public TrialLeases Leases { get; }

    public StaleLeases Stale { get; }

    public SweepSubmissions Sweeps { get; }

    public DispatchOutbox Outbox { get; }

    public WorkerRegistry Workers { get; }

    public ResultQueries Queries { get; }

    public TrialCheckpoints Checkpoints { get; }

    public Users Users { get; }

    public ApiTokens Tokens { get; }

    public AuditLog Audit { get; }

    /// <summary>The store clock as the store writes it (UTC).</summary>
    public DateTime Now => Time.GetUtcNow().UtcDateTime;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<TempStore> CreateAsync()
    {
        var folder = Directory.CreateTempSubdirectory("mselab-data-tests-").FullName;
        var options = new StoreOptions { ConnectionString = $"Data Source={Path.Combine(folder, "results.db")}" };
        var database = new ResultsDatabase(options);
        await database.MigrateAsync(Ct);
        return new TempStore(options, database, new FakeTimeProvider(Start), () =>
        {
            database.Dispose();
            SqliteConnection.ClearAllPools();   // pooled connections keep the file open
            Directory.Delete(folder, recursive: true);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>The same on a new database of the test Postgres server, dropped on dispose.</summary>
    public static async Task<TempStore> CreatePostgresAsync()
    {
        var scratch = await PostgresScratch.CreateAsync();
        var options = new StoreOptions { Provider = StoreProvider.Postgres, ConnectionString = scratch.ConnectionString };
        var database = new ResultsDatabase(options);
        await database.MigrateAsync(Ct);
        return new TempStore(options, database, new FakeTimeProvider(Start), async () =>
        {
            database.Dispose();
            await scratch.DisposeAsync();
        });
    }

    /// <summary>Submits and returns the cells to send, in cell order.</summary>
    public async Task<IReadOnlyList<QueuedCell>> SubmitAsync(params CellSubmission[] cells) =>
        (await Sweeps.SubmitAsync(Submissions.Sweep(cells), rerunFailed: false, Ct)).Dispatch;

    /// <summary>Claims the cell's attempt, failing the test when the claim is refused.</summary>
    public async Task<ClaimedTrial> ClaimAsync(QueuedCell cell, string device = "cpu:0")
    {
        var claimed = await Leases.TryClaimAsync(cell.Lease, device, Ct);
        Assert.True(claimed is not null, $"claim of {cell.Key} attempt {cell.Attempt} was refused");
        return claimed;
    }

    /// <summary>Claims and completes the attempt with one test metric <c>mae</c>.</summary>
    public async Task SucceedAsync(QueuedCell cell, double mae)
    {
        await ClaimAsync(cell);
        Assert.True(await Leases.CompleteAsync(cell.Lease, Submissions.Outcome(new Dictionary<string, double> { ["mae"] = mae }), Ct));
    }

    /// <summary>The stored row of a cell, read afresh.</summary>
    public async Task<TrialEntity> TrialAsync(string key, string sweepId = Submissions.SweepId)
    {
        await using var db = Database.CreateContext();
        return await db.Trials.AsNoTracking().SingleAsync(t => t.SweepId == sweepId && t.Key == key, Ct);
    }

    public ValueTask DisposeAsync() => _cleanup();
}
