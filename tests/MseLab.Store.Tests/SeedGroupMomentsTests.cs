using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using MseLab.Experiments.Trials;
using MseLab.Store.Entities;
using MseLab.Store.Queries;
using MseLab.Store.Records;
using Xunit.Sdk;
using static MseLab.Store.Tests.Submissions;

namespace MseLab.Store.Tests;

/// <summary>
/// The per-seed-group rows the database's triggers keep (<c>seed_group_stats</c>, with the metrics' moments packed as JSON) equal a
/// recomputation in C# from the cells after every write path (submit, claim, heartbeat, complete, fail, requeue, reclaim,
/// rerun-failed, an edit adding a cell, cancel, delete, raw metric edits, an EF insert of a random store), on SQLite and
/// Postgres; a dropped trigger is caught; the leaderboard reads them when its filter and grouping allow.
/// </summary>
public sealed class SeedGroupMomentsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<bool> Providers => [false, true];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Triggers_EveryWritePath_KeepTheMomentsEqualToTheCells(bool postgres)
    {
        await using var lab = postgres ? await TempStore.CreatePostgresAsync() : await TempStore.CreateAsync();
        CellSubmission[] cells = [Cell("a", seed: 1), Cell("b", seed: 2), Cell("c", seed: 3), Cell("d", seedGroup: "g2", seed: 1, lr: 1e-4)];
        var queued = (await lab.Sweeps.SubmitAsync(Sweep(cells), rerunFailed: false, Ct)).Dispatch;
        var other = Assert.Single((await lab.Sweeps.SubmitAsync(Sweep([Cell("a")], id: "other"), rerunFailed: false, Ct)).Dispatch);
        await AssertFreshAsync(lab, "submit", groups: 3);

        await lab.SucceedAsync(other, mae: 0.7);
        await lab.ClaimAsync(queued[0]);
        await AssertFreshAsync(lab, "claim");
        Assert.Equal(HeartbeatReply.Continue, await lab.Leases.HeartbeatAsync(queued[0].Lease, 1, 0.5, Ct));
        Assert.True(await lab.Leases.RecordEpochAsync(queued[0].Lease, Epoch(1, 0.9), [], Ct));
        Assert.True(await lab.Leases.CompleteAsync(queued[0].Lease, Outcome(new Dictionary<string, double> { ["mae"] = 1e8 + 1, ["corr"] = double.NaN }), Ct));
        await AssertFreshAsync(lab, "complete a");
        await lab.ClaimAsync(queued[1]);
        Assert.True(await lab.Leases.CompleteAsync(queued[1].Lease, Outcome(new Dictionary<string, double> { ["mae"] = 1e8 + 4, ["corr"] = 0.25 }), Ct));
        await AssertFreshAsync(lab, "complete b", metrics: 2);

        await lab.ClaimAsync(queued[2]);
        var retry = await lab.Leases.FailAsync(queued[2].Lease, "oom", FailureClass.Transient, Ct);
        await AssertFreshAsync(lab, "fail (requeued)");
        await lab.ClaimAsync(retry!);
        Assert.Null(await lab.Leases.FailAsync(retry!.Lease, "NaN loss", FailureClass.Permanent, Ct));
        await AssertFreshAsync(lab, "fail (permanent)");
        var rerun = await lab.Sweeps.SubmitAsync(Sweep([.. cells, Cell("e", seedGroup: "g2", seed: 2, lr: 1e-4)]), rerunFailed: true, Ct);
        Assert.Contains(rerun.Dispatch, c => c.Key == "c");
        await AssertFreshAsync(lab, "rerun failed and a new cell");

        var d = rerun.Dispatch.Single(c => c.Key == "d");
        await lab.ClaimAsync(d);
        var reclaimed = Assert.Single(await lab.Stale.ReclaimAsync(SweepId, staleBefore: null, Ct));
        await AssertFreshAsync(lab, "reclaim");
        await lab.ClaimAsync(reclaimed);
        Assert.True(await lab.Leases.CompleteAsync(reclaimed.Lease, Outcome(new Dictionary<string, double> { ["mae"] = 0.5 }), Ct));
        var e = rerun.Dispatch.Single(c => c.Key == "e");
        await lab.ClaimAsync(e);
        Assert.NotNull(await lab.Leases.ReleaseAsync(e.Lease, Ct));
        await AssertFreshAsync(lab, "release");
        await lab.Sweeps.CancelAsync(SweepId, Ct);
        await AssertFreshAsync(lab, "cancel");

        await using (var db = lab.Database.CreateContext())
        {
            // Raw edits of stored metrics: a value changed, one deleted.
            await db.Database.ExecuteSqlAsync($"""UPDATE test_metrics SET "Value" = 1e8 + 2 WHERE "TrialKey" = 'b' AND "Name" = 'mae'""", Ct);
            await AssertFreshAsync(lab, "metric updated");
            await db.Database.ExecuteSqlAsync($"""DELETE FROM test_metrics WHERE "TrialKey" = 'b' AND "Name" = 'corr'""", Ct);
            await AssertFreshAsync(lab, "metric deleted");
        }

        Assert.True(await lab.Sweeps.DeleteAsync(SweepId, Ct));
        await AssertFreshAsync(lab, "delete", groups: 1);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Triggers_RandomStoreInsertedThroughEf_KeepTheMomentsEqualToTheCells(bool postgres)
    {
        await using var lab = postgres ? await TempStore.CreatePostgresAsync() : await TempStore.CreateAsync();
        await RandomResults.SeedAsync(lab.Database, 7, Ct);

        await AssertFreshAsync(lab, "random store");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Migrate_StoreWrittenBeforeTheMoments_BackfillsThem(bool postgres)
    {
        await using var lab = postgres ? await TempStore.CreatePostgresAsync() : await TempStore.CreateAsync();

        // A random store, taken back to the migration before the moments (its rows stay; the later columns and the moments
        // go), then up again. Written at today's schema because the EF model writes every column later migrations added.
        await RandomResults.SeedAsync(lab.Database, 3, Ct);
        await using (var db = lab.Database.CreateContext())
        {
            var migrations = db.Database.GetMigrations().ToList();
            var before = migrations[migrations.FindIndex(m => m.EndsWith("_SeedGroupMoments", StringComparison.Ordinal)) - 1];
            await db.GetService<IMigrator>().MigrateAsync(before, Ct);
            Assert.False(await db.Database.SqlQueryRaw<string>(postgres
                ? "SELECT table_name AS \"Value\" FROM information_schema.tables WHERE table_name = 'seed_group_stats'"
                : "SELECT name AS \"Value\" FROM sqlite_master WHERE name = 'seed_group_stats'").AnyAsync(Ct));
        }

        await lab.Database.MigrateAsync(Ct);

        await AssertFreshAsync(lab, "backfill");

        // Down to the per-metric rows (their table comes back, filled) and up again: the packed moments are backfilled.
        await using (var db = lab.Database.CreateContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(db.Database.GetMigrations().Single(m => m.EndsWith("_SeedGroupMoments", StringComparison.Ordinal)), Ct);
            Assert.True(await db.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM seed_group_metrics").SingleAsync(Ct) > 0);
            await db.Database.ExecuteSqlRawAsync("UPDATE test_metrics SET \"Value\" = \"Value\" * 2 + 1", Ct);   // written while down
        }

        await lab.Database.MigrateAsync(Ct);
        await AssertFreshAsync(lab, "down and up");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Check_DroppedMetricTrigger_IsCaught(bool postgres)
    {
        await using var lab = postgres ? await TempStore.CreatePostgresAsync() : await TempStore.CreateAsync();
        var cell = Assert.Single(await lab.SubmitAsync(Cell("a")));
        await using (var db = lab.Database.CreateContext())
        {
            string[] drop = postgres
                ? ["DROP TRIGGER seed_group_metrics_inserted ON test_metrics", "DROP TRIGGER seed_group_metrics_updated ON test_metrics", "DROP TRIGGER seed_group_metrics_deleted ON test_metrics"]
                : ["DROP TRIGGER seed_group_metric_insert", "DROP TRIGGER seed_group_metric_update", "DROP TRIGGER seed_group_metric_delete"];
            foreach (var statement in drop)
            {
                await db.Database.ExecuteSqlRawAsync(statement, Ct);
            }
        }

        // The status changes before the metrics are written (or together): without the metric trigger the row is missing or stale.
        await lab.SucceedAsync(cell, mae: 0.5);
        await using (var db = lab.Database.CreateContext())
        {
            await db.Database.ExecuteSqlAsync($"""UPDATE test_metrics SET "Value" = 0.75""", Ct);
        }

        await Assert.ThrowsAnyAsync<XunitException>(() => AssertFreshAsync(lab, "no metric trigger"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Leaderboard_GroupConstantQuery_ReadsTheStoredMoments(bool postgres)
    {
        await using var lab = postgres ? await TempStore.CreatePostgresAsync() : await TempStore.CreateAsync();
        var cells = await lab.SubmitAsync(Cell("a", seed: 1), Cell("b", seed: 2));
        await lab.SucceedAsync(cells[0], mae: 1);
        await lab.SucceedAsync(cells[1], mae: 3);
        await using (var db = lab.Database.CreateContext())
        {
            // Only the fast path can see this.
            await db.Database.ExecuteSqlRawAsync("""UPDATE seed_group_stats SET "Moments" = '{{"mae": [2, 42, 0.5]}}'""", Ct);
        }

        Assert.Equal(42, Assert.Single(await lab.Queries.LeaderboardAsync(SweepId, cancellationToken: Ct)).Metrics["mae"].Mean);
        Assert.Equal(42, Assert.Single(await lab.Queries.LeaderboardAsync(null, FilterParser.Parse("lr < 1 and batch_size = 8"), ["dataset_name"], Ct)).Metrics["mae"].Mean);
        // A seed, a status or a metric varies within a seed group: those read the cells.
        Assert.Equal([1.0, 3.0], (await lab.Queries.LeaderboardAsync(SweepId, groupBy: ["seed"], cancellationToken: Ct)).Select(g => g.Metrics["mae"].Mean));
        Assert.Equal(2, Assert.Single(await lab.Queries.LeaderboardAsync(SweepId, FilterParser.Parse("status = succeeded"), cancellationToken: Ct)).Metrics["mae"].Mean);
        Assert.Equal(3, Assert.Single(await lab.Queries.LeaderboardAsync(SweepId, FilterParser.Parse("test.mae > 2"), cancellationToken: Ct)).Metrics["mae"].Mean);
    }

    // The stored rows against the cells: per (sweep, seed group) planned, succeeded, the lowest seed's configuration; per
    // metric of the succeeded cells n, mean and squared deviations of the finite values (two passes, as Build).
    private static async Task AssertFreshAsync(TempStore lab, string step, int? groups = null, int? metrics = null)
    {
        await using var db = lab.Database.CreateContext();
        var trials = await db.Trials.AsNoTracking().ToListAsync(Ct);
        var values = await db.TestMetrics.AsNoTracking().ToListAsync(Ct);
        var stats = (await db.SeedGroupStats.AsNoTracking().ToListAsync(Ct)).OrderBy(s => s.SweepId, StringComparer.Ordinal).ThenBy(s => s.SeedGroup, StringComparer.Ordinal).ToList();
        var moments = stats.SelectMany(s => Unpack(s.Moments).Select(m => (s.SweepId, s.SeedGroup, m.Name, m.N, m.Mean, m.M2)))
            .OrderBy(m => m.SweepId, StringComparer.Ordinal).ThenBy(m => m.SeedGroup, StringComparer.Ordinal).ThenBy(m => m.Name, StringComparer.Ordinal).ToList();

        var expectedStats = trials.GroupBy(t => (t.SweepId, t.SeedGroup))
            .OrderBy(g => g.Key.SweepId, StringComparer.Ordinal).ThenBy(g => g.Key.SeedGroup, StringComparer.Ordinal)
            .Select(g =>
            {
                var first = g.OrderBy(t => t.Seed).ThenBy(t => t.Key, StringComparer.Ordinal).First();
                return new SeedGroupStatsEntity
                {
                    SweepId = first.SweepId, SeedGroup = first.SeedGroup, Planned = g.Count(), Finished = g.Count(t => t.Status == TrialStatus.Succeeded),
                    Seed = first.Seed, Backbone = first.Backbone, Dataset = first.Dataset, LearningRate = first.LearningRate, ResolvedConfig = first.ResolvedConfig, Moments = "",
                    Family = FamilyJson(first.ResolvedConfig),
                };
            })
            .ToList();
        Assert.True(expectedStats.Count == stats.Count, $"{step}: {stats.Count} seed_group_stats rows, expected {expectedStats.Count}");
        foreach (var (e, a) in expectedStats.Zip(stats))
        {
            Assert.True(
                (e.SweepId, e.SeedGroup, e.Planned, e.Finished, e.Seed, e.Backbone, e.Dataset, e.LearningRate, e.ResolvedConfig, e.Family)
                == (a.SweepId, a.SeedGroup, a.Planned, a.Finished, a.Seed, a.Backbone, a.Dataset, a.LearningRate, a.ResolvedConfig, JsonLabel(a.Family)),
                $"{step}: group {a.SweepId}/{a.SeedGroup} planned {a.Planned} finished {a.Finished} seed {a.Seed} family {a.Family}, expected {e.SweepId}/{e.SeedGroup} {e.Planned} {e.Finished} {e.Seed} {e.Family}");
        }

        var succeeded = trials.Where(t => t.Status == TrialStatus.Succeeded).ToDictionary(t => (t.SweepId, t.Key), t => t.SeedGroup);
        var expectedMoments = values
            .Where(v => succeeded.ContainsKey((v.SweepId, v.TrialKey)))
            .GroupBy(v => (v.SweepId, SeedGroup: succeeded[(v.SweepId, v.TrialKey)], v.Name))
            .OrderBy(g => g.Key.SweepId, StringComparer.Ordinal).ThenBy(g => g.Key.SeedGroup, StringComparer.Ordinal).ThenBy(g => g.Key.Name, StringComparer.Ordinal)
            .Select(g =>
            {
                var finite = g.Where(v => v.Value is { } x && double.IsFinite(x)).Select(v => v.Value!.Value).ToList();
                double? mean = finite.Count == 0 ? null : finite.Average();
                return (g.Key.SweepId, g.Key.SeedGroup, g.Key.Name, N: finite.Count, Mean: mean, M2: mean is { } m ? finite.Sum(x => (x - m) * (x - m)) : (double?)null);
            })
            .ToList();
        Assert.True(expectedMoments.Count == moments.Count, $"{step}: {moments.Count} packed metric moments, expected {expectedMoments.Count}");
        foreach (var (e, a) in expectedMoments.Zip(moments))
        {
            var where = $"{step}: {a.SweepId}/{a.SeedGroup}/{a.Name}";
            Assert.True((e.SweepId, e.SeedGroup, e.Name, e.N) == (a.SweepId, a.SeedGroup, a.Name, a.N), $"{where} n {a.N}, expected {e.SweepId}/{e.SeedGroup}/{e.Name} n {e.N}");
            Assert.True(e.Mean is null == a.Mean is null && e.M2 is null == a.M2 is null, $"{where}: mean {a.Mean} m2 {a.M2}, expected {e.Mean} {e.M2}");
            if (e.Mean is { } mean)
            {
                Assert.True(Math.Abs(mean - a.Mean!.Value) <= 1e-12 * Math.Max(1, Math.Abs(mean)), $"{where}: mean {a.Mean:R}, expected {mean:R}");
                // Squared deviations to 1e-9 of themselves, or of the rounding a mean this large allows.
                Assert.True(Math.Abs(e.M2!.Value - a.M2!.Value) <= 1e-9 * Math.Max(e.M2.Value, 1e-16 * mean * mean), $"{where}: m2 {a.M2:R}, expected {e.M2:R}");
            }
        }

        if (groups is { } g)
        {
            Assert.Equal(g, stats.Count);
        }

        if (metrics is { } n)
        {
            Assert.Contains(moments, m => m.N == n);
        }
    }

    // The family's value as the stored JSON text holds it ('' when absent); the databases may space JSON differently.
    private static string FamilyJson(string config)
    {
        using var document = JsonDocument.Parse(config);
        return document.RootElement.TryGetProperty("BackboneFamily", out var family) ? family.GetRawText() : "";
    }

    private static string JsonLabel(string json)
    {
        if (json.Length == 0)
        {
            return "";
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetRawText();
    }

    // The packed moments, read with System.Text.Json's DOM (the query reads them with its own reader).
    private static List<(string Name, int N, double? Mean, double? M2)> Unpack(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject()
            .Select(p => (p.Name, p.Value[0].GetInt32(), Number(p.Value[1]), Number(p.Value[2])))
            .ToList();

        static double? Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();
    }
}
