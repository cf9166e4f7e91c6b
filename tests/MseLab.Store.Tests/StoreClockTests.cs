using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using MseLab.Experiments.Trials;
using MseLab.Store.Records;
using static MseLab.Store.Tests.Submissions;

namespace MseLab.Store.Tests;

/// <summary>
/// Leases on one clock: writers whose clocks are 5 minutes fast or slow write heartbeats in the database's time, and a
/// stale-lease sweep from a skewed clock neither takes a live cell nor misses a dead one. On SQLite and on the test
/// Postgres server (<c>scripts/services.sh env</c>), with real time (a lease of a second).
/// </summary>
public sealed class StoreClockTests
{
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    // The database's clock and ours agree to well within this on one machine; a skew of minutes is far outside it.
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(StoreProvider.Sqlite)]
    [InlineData(StoreProvider.Postgres)]
    public async Task Heartbeats_FromWritersFiveMinutesFastAndSlow_LandInTheDatabasesTime(StoreProvider provider)
    {
        await using var lab = await CreateAsync(provider);
        var fastClock = new StoreClock(lab.Database, new SkewedTime(Skew));
        var slowClock = new StoreClock(lab.Database, new SkewedTime(-Skew));
        var (fast, slow) = (new TrialLeases(lab.Database, fastClock), new TrialLeases(lab.Database, slowClock));
        var cells = await lab.SubmitAsync(Cell("a"), Cell("b"));

        var before = await DatabaseNowAsync(lab.Database);
        Assert.NotNull(await fast.TryClaimAsync(cells[0].Lease, "fast/cpu:0", Ct));
        Assert.NotNull(await slow.TryClaimAsync(cells[1].Lease, "slow/cpu:0", Ct));
        Assert.Equal(HeartbeatReply.Continue, await fast.HeartbeatAsync(cells[0].Lease, 1, 0.5, Ct));
        Assert.Equal(HeartbeatReply.Continue, await slow.HeartbeatAsync(cells[1].Lease, 1, 0.5, Ct));
        var after = await DatabaseNowAsync(lab.Database);

        foreach (var key in new[] { "a", "b" })
        {
            var row = await lab.TrialAsync(key);
            AssertWithin(before, after, row.StartedAt, $"{key} started");
            AssertWithin(before, after, row.HeartbeatAt, $"{key} heartbeat");
        }

        // The clocks measured how far off their machines are, and by how little they can be wrong.
        var (fastReading, slowReading) = (fastClock.LastReading!, slowClock.LastReading!);
        Assert.InRange(fastReading.Skew, Skew - Tolerance, Skew + Tolerance);
        Assert.InRange(slowReading.Skew, -Skew - Tolerance, -Skew + Tolerance);
        Assert.InRange(fastReading.RoundTrip, TimeSpan.Zero, Tolerance);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{provider}: skew read {fastReading.Skew.TotalSeconds:0.0000} s and {slowReading.Skew.TotalSeconds:0.0000} s over round trips of {fastReading.RoundTrip.TotalMilliseconds:0.000} and {slowReading.RoundTrip.TotalMilliseconds:0.000} ms");
    }

    [Theory]
    [InlineData(StoreProvider.Sqlite, 1)]
    [InlineData(StoreProvider.Sqlite, -1)]
    [InlineData(StoreProvider.Postgres, 1)]
    [InlineData(StoreProvider.Postgres, -1)]
    public async Task StaleSweep_FromASkewedClock_ReclaimsTheDeadCellAndLeavesTheLiveOne(StoreProvider provider, int sign)
    {
        await using var lab = await CreateAsync(provider);
        // The cells' worker is as far off one way as the sweeping worker is the other: ten minutes apart.
        var worker = new TrialLeases(lab.Database, new StoreClock(lab.Database, new SkewedTime(-sign * Skew)));
        var sweeperClock = new StoreClock(lab.Database, new SkewedTime(sign * Skew));
        var sweeper = new StaleLeases(lab.Database, sweeperClock);
        var cells = await lab.SubmitAsync(Cell("dead"), Cell("live"));
        foreach (var cell in cells)
        {
            Assert.NotNull(await worker.TryClaimAsync(cell.Lease, "worker/cpu:0", Ct));
        }

        // "dead" stops heartbeating; "live" heartbeats just before the sweep.
        await Task.Delay(Lease * 1.5, Ct);
        Assert.Equal(HeartbeatReply.Continue, await worker.HeartbeatAsync(cells[1].Lease, 1, 0.5, Ct));
        var reclaimed = await sweeper.ReclaimAsync(null, await sweeperClock.NowAsync(Ct) - Lease, Ct);

        var requeued = Assert.Single(reclaimed);
        Assert.Equal(("dead", 2), (requeued.Key, requeued.Attempt));
        Assert.Equal((TrialStatus.Running, 1), ((await lab.TrialAsync("live")).Status, (await lab.TrialAsync("live")).Attempt));
    }

    [Theory]
    [InlineData(StoreProvider.Sqlite)]
    [InlineData(StoreProvider.Postgres)]
    public async Task Now_IsCarriedForwardByElapsedTimeAndReadAgainAfterTheRefreshInterval(StoreProvider provider)
    {
        await using var lab = await CreateAsync(provider);
        // A local clock 26 years behind, moved by hand: only its elapsed time counts.
        var local = new FakeTimeProvider(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var clock = new StoreClock(lab.Database, local);

        var first = await clock.NowAsync(Ct);
        AssertWithin(await DatabaseNowAsync(lab.Database), await DatabaseNowAsync(lab.Database), first, "first reading");
        local.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(first + TimeSpan.FromSeconds(20), await clock.NowAsync(Ct));

        local.Advance(StoreClock.RefreshInterval);
        var reread = await clock.NowAsync(Ct);
        AssertWithin(await DatabaseNowAsync(lab.Database) - Tolerance, await DatabaseNowAsync(lab.Database), reread, "reading after the refresh interval");
    }

    [Fact]
    public async Task Trusting_TakesTheGivenClockAsTheDatabases()
    {
        var local = new FakeTimeProvider(TempStore.Start);

        Assert.Equal(TempStore.Start.UtcDateTime, await StoreClock.Trusting(local).NowAsync(Ct));
        Assert.Null(StoreClock.Trusting(local).LastReading);
    }

    private static Task<TempStore> CreateAsync(StoreProvider provider) =>
        provider == StoreProvider.Postgres ? TempStore.CreatePostgresAsync() : TempStore.CreateAsync();

    private static void AssertWithin(DateTime before, DateTime after, DateTime? actual, string what)
    {
        Assert.True(
            actual is { } at && at >= before - Tolerance && at <= after + Tolerance,
            $"{what} at {actual:O}, outside the database's {before:O} .. {after:O} (+-{Tolerance.TotalSeconds} s)");
    }

    // The database server's own clock, read apart from the clock under test.
    private static async Task<DateTime> DatabaseNowAsync(ResultsDatabase database)
    {
        var now = Assert.Single(await SqlRows.ReadAsync(database, database.Provider == StoreProvider.Postgres
            ? "SELECT clock_timestamp() AS now"
            : "SELECT strftime('%Y-%m-%d %H:%M:%f', 'now') AS now"))["now"];
        return now is DateTime at
            ? DateTime.SpecifyKind(at, DateTimeKind.Utc)
            : DateTime.Parse((string)now!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
    }
}
