using Microsoft.EntityFrameworkCore;
using MseLab.Experiments.Trials;
using MseLab.Store.Database;
using MseLab.Store.Records;
using static MseLab.Store.Tests.Submissions;

namespace MseLab.Store.Tests;

/// <summary>
/// The store on a real Postgres server (a throwaway database each): its migration set, the trial lifecycle, and the
/// races that SQLite's single file lock hides. Needs <c>scripts/services.sh start</c> and its <c>env</c> exports.
/// </summary>
public sealed class PostgresStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Migrate_EmptyDatabase_AppliesEveryMigrationAndASecondRunIsANoOp()
    {
        await using var scratch = await PostgresScratch.CreateAsync();
        var options = new StoreOptions { Provider = StoreProvider.Postgres, ConnectionString = scratch.ConnectionString };
        using var database = new ResultsDatabase(options);

        await database.MigrateAsync(Ct);
        var applied = await AppliedAsync(database);
        await database.MigrateAsync(Ct);
        using (var second = new ResultsDatabase(options))
        {
            await second.MigrateAsync(Ct);
        }

        await using var db = database.CreateContext();
        Assert.IsType<PostgresMseLabDbContext>(db);
        Assert.NotEmpty(applied);
        Assert.Equal(db.Database.GetMigrations(), applied);
        Assert.Equal(applied, await AppliedAsync(database));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
        Assert.Equal(0, await db.Trials.CountAsync(Ct));
    }

    [Fact]
    public async Task Lifecycle_SubmitClaimHeartbeatEpochComplete_RoundTrips()
    {
        await using var lab = await TempStore.CreatePostgresAsync();
        var message = Assert.Single(await lab.SubmitAsync(Cell("a")));
        lab.Time.Advance(TimeSpan.FromMinutes(3));

        var claimed = await lab.Leases.TryClaimAsync(message.Lease, "cuda:0", Ct);
        Assert.NotNull(claimed);
        Assert.Equal((SweepId, "a", 1, Cell("a").RunConfig), (claimed.SweepId, claimed.Key, claimed.Attempt, claimed.RunConfig));
        Assert.Null(await lab.Leases.TryClaimAsync(message.Lease with { }, "cpu:1", Ct));
        var running = await lab.TrialAsync("a");
        Assert.Equal((TrialStatus.Running, "cuda:0", lab.Now, lab.Now), (running.Status, running.Device, running.StartedAt, running.HeartbeatAt));

        lab.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HeartbeatReply.Continue, await lab.Leases.HeartbeatAsync(new(SweepId, "a", 1), epoch: 1, loss: 0.75, Ct));
        var beat = await lab.TrialAsync("a");
        Assert.Equal((1, 0.75, lab.Now), (beat.Epoch, beat.TrainLoss, beat.HeartbeatAt));

        byte[] content = [1, 2, 3, 4];
        Assert.True(await lab.Leases.RecordEpochAsync(new(SweepId, "a", 1), Epoch(1, 0.5, validationMae: 0.4), [Blob(CheckpointKind.Best, 1, content)], Ct));
        Assert.True(await lab.Leases.RecordEpochAsync(new(SweepId, "a", 1), Epoch(2, 0.25, validationMae: 0.3), [Blob(CheckpointKind.Best, 2, content), Blob(CheckpointKind.Latest, 2, content)], Ct));
        Assert.False(await lab.Leases.RecordEpochAsync(new(SweepId, "a", 2), Epoch(3, 0.1), [], Ct));
        var best = await lab.Checkpoints.GetAsync(SweepId, "a", CheckpointKind.Best, Ct);
        Assert.NotNull(best);
        Assert.Equal(2, best.Epoch);
        Assert.Equal(content, best.Content);

        lab.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await lab.Leases.CompleteAsync(new(SweepId, "a", 1), Outcome(new Dictionary<string, double> { ["mae"] = 0.31, ["r2"] = double.NaN }), Ct));
        Assert.False(await lab.Leases.CompleteAsync(new(SweepId, "a", 1), Outcome(new Dictionary<string, double> { ["mae"] = 0.1 }), Ct));
        Assert.Equal(HeartbeatReply.Lost, await lab.Leases.HeartbeatAsync(new(SweepId, "a", 1), 3, 0.1, Ct));

        var trial = await lab.TrialAsync("a");
        Assert.Equal((TrialStatus.Succeeded, 2, 0.25, lab.Now), (trial.Status, trial.Epoch, trial.TrainLoss, trial.FinishedAt));
        await using var db = lab.Database.CreateContext();
        Assert.Equal([1, 2], await db.Epochs.Where(e => e.TrialKey == "a").OrderBy(e => e.Epoch).Select(e => e.Epoch).ToListAsync(Ct));
        Assert.Equal(
            [("mae", (double?)0.31), ("r2", null)],
            (await db.TestMetrics.OrderBy(m => m.Name).ToListAsync(Ct)).Select(m => (m.Name, m.Value)));
        Assert.Equal("abc123", (await db.Provenance.SingleAsync(Ct)).GitCommit);
        Assert.True(Assert.Single(await lab.Queries.SweepsAsync(SweepId, Ct)).Finished);
        Assert.Empty(await lab.SubmitAsync(Cell("a")));
    }

    [Fact]
    public async Task Lifecycle_NullsAndEndingsOnPostgres_StoreWhatSqliteStores()
    {
        // Untyped NULL parameters are where Postgres differs: no test metrics, no commit, no loss, NaN validation; and every
        // way an attempt ends short of success.
        await using var lab = await TempStore.CreatePostgresAsync();
        var cells = await lab.SubmitAsync(Cell("a"), Cell("b"), Cell("c"), Cell("d"));
        foreach (var cell in cells)
        {
            await lab.ClaimAsync(cell, $"cpu:{cell.Key}");
        }

        Assert.Equal(HeartbeatReply.Continue, await lab.Leases.HeartbeatAsync(cells[0].Lease, epoch: 0, loss: null, Ct));
        var bare = Outcome(new Dictionary<string, double>()) with { BestValidation = double.NaN, Provenance = Provenance with { GitCommit = null } };
        Assert.True(await lab.Leases.CompleteAsync(cells[0].Lease, bare, Ct));
        var handedBack = await lab.Leases.ReleaseAsync(cells[1].Lease, Ct);
        Assert.True(await lab.Leases.MarkCancelledAsync(cells[2].Lease, Ct));
        var reclaimed = Assert.Single(await lab.Stale.ReclaimAsync(SweepId, staleBefore: null, Ct));

        Assert.Equal(("b", 2), (handedBack?.Key, handedBack?.Attempt));
        Assert.Equal(("d", 2), (reclaimed.Key, reclaimed.Attempt));
        var a = await lab.TrialAsync("a");
        Assert.Equal((TrialStatus.Succeeded, null, null), (a.Status, a.TrainLoss, a.BestValidation));
        Assert.Equal(TrialStatus.Cancelled, (await lab.TrialAsync("c")).Status);
        await using var db = lab.Database.CreateContext();
        Assert.Null((await db.Provenance.SingleAsync(Ct)).GitCommit);
        Assert.Empty(await db.TestMetrics.ToListAsync(Ct));
        Assert.Equal(
            [("a", AttemptOutcome.Succeeded), ("b", AttemptOutcome.HandedBack), ("c", AttemptOutcome.Cancelled), ("d", AttemptOutcome.Lost)],
            (await db.Attempts.OrderBy(x => x.TrialKey).ToListAsync(Ct)).Select(x => (x.TrialKey, x.Outcome)));
    }

    [Fact]
    public async Task TryClaim_ConcurrentClaimsFromSeparateStores_ExactlyOneWins()
    {
        await using var lab = await TempStore.CreatePostgresAsync();
        var message = Assert.Single(await lab.SubmitAsync(Cell("a")));
        var databases = Enumerable.Range(0, 8).Select(_ => new ResultsDatabase(lab.Options)).ToList();
        try
        {
            var stores = databases.Select(d => new TrialLeases(d, lab.Clock)).ToList();

            var claims = await Task.WhenAll(stores.Select((store, i) => Task.Run(() => store.TryClaimAsync(message.Lease, $"cpu:{i}", Ct), Ct)));

            var winner = Array.FindIndex(claims, c => c is not null);
            Assert.True(winner >= 0, "no claim won");
            Assert.Single(claims, c => c is not null);
            Assert.Equal($"cpu:{winner}", (await lab.TrialAsync("a")).Device);
        }
        finally
        {
            databases.ForEach(d => d.Dispose());
        }
    }

    [Fact]
    public async Task Reclaim_ConcurrentlyFromTwoStores_RequeuesEachStaleCellExactlyOnce()
    {
        const int Cells = 40;
        await using var lab = await TempStore.CreatePostgresAsync();
        var messages = await lab.SubmitAsync([.. Enumerable.Range(0, Cells).Select(i => Cell($"c{i:00}"))]);
        foreach (var message in messages)
        {
            await lab.ClaimAsync(message);
        }

        lab.Time.Advance(TimeSpan.FromMinutes(10));
        using var first = new ResultsDatabase(lab.Options);
        using var second = new ResultsDatabase(lab.Options);
        var stores = new[] { new StaleLeases(first, lab.Clock), new StaleLeases(second, lab.Clock) };

        // Several rounds, so that the two transactions overlap in more than one interleaving.
        var requeued = new List<QueuedCell>();
        for (var round = 0; round < 5; round++)
        {
            var staleBefore = lab.Now.AddMinutes(-5);
            var results = await Task.WhenAll(stores.Select(s => Task.Run(() => s.ReclaimAsync(SweepId, staleBefore, Ct), Ct)));
            requeued.AddRange(results.SelectMany(r => r));
            foreach (var message in results.SelectMany(r => r))
            {
                await lab.ClaimAsync(message);
            }

            lab.Time.Advance(TimeSpan.FromMinutes(10));
        }

        Assert.Equal(Cells * 5, requeued.Count);
        Assert.Equal(Cells * 5, requeued.Select(m => (m.Key, m.Attempt)).Distinct().Count());
        await using var db = lab.Database.CreateContext();
        var trials = await db.Trials.AsNoTracking().ToListAsync(Ct);
        Assert.All(trials, t => Assert.Equal((TrialStatus.Running, 6), (t.Status, t.Attempt)));
    }

    private static async Task<List<string>> AppliedAsync(ResultsDatabase database)
    {
        await using var db = database.CreateContext();
        return [.. await db.Database.GetAppliedMigrationsAsync(Ct)];
    }
}
