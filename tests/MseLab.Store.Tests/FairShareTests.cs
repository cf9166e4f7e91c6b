using MseLab.Experiments.Trials;
using MseLab.Store.FairShare;
using MseLab.Store.Records;
using static MseLab.Store.Tests.Submissions;

namespace MseLab.Store.Tests;

/// <summary>
/// Fair share on both providers: a free device takes the next cell of the user with the least recent device time per
/// weight, then of the sweep with the higher priority, then the oldest; cells it does not fit, cannot run yet or may not
/// run are passed over; and over many rounds a user of weight 2 gets twice the device time of a user of weight 1.
/// </summary>
public sealed class FairShareTests
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<bool> Providers => [false, true];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ClaimNext_UserWithLessRecentDeviceTime_GoesFirstOverPriorityAndAge(bool postgres)
    {
        await using var lab = await StoreAsync(postgres);
        var claims = new FairShareClaims(lab.Database, lab.Clock);
        await SubmitAsync(lab, "alice-1", "alice", priority: 9, cells: 3);
        lab.Time.Advance(TimeSpan.FromSeconds(1));
        await SubmitAsync(lab, "bob-1", "bob", priority: 0, cells: 3);
        var first = await NextAsync(lab, claims);
        Assert.Equal("alice-1", first?.SweepId);   // nobody used anything: priority decides
        lab.Time.Advance(TimeSpan.FromSeconds(100));
        Assert.True(await lab.Leases.CompleteAsync(first!.Lease, Outcome(new Dictionary<string, double> { ["mae"] = 1 }), Ct));

        var second = await NextAsync(lab, claims);
        var third = await NextAsync(lab, claims);

        // Alice has 100 s of device time, Bob none: Bob's cell, despite priority 0 and a later submission.
        Assert.Equal("bob-1", second?.SweepId);
        // Bob's running cell counts as long as his recent attempts (none yet: 0 s), Alice's 100 s still count: Bob again.
        Assert.Equal("bob-1", third?.SweepId);
        var snapshot = await claims.ReadAsync(Window, Ct);
        Assert.Equal((0, 100.0, 1), Usage(snapshot, "alice"));
        Assert.Equal((2, 0.0, 0), Usage(snapshot, "bob"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ClaimNext_EqualDeviceTime_HigherPriorityThenOlderSweepThenOldestCell(bool postgres)
    {
        await using var lab = await StoreAsync(postgres);
        var claims = new FairShareClaims(lab.Database, lab.Clock);
        await SubmitAsync(lab, "low-old", "alice", priority: 1, cells: 2);
        lab.Time.Advance(TimeSpan.FromSeconds(1));
        await SubmitAsync(lab, "high", "bob", priority: 5, cells: 1);
        lab.Time.Advance(TimeSpan.FromSeconds(1));
        await SubmitAsync(lab, "low-new", "alice", priority: 1, cells: 1);

        var order = new List<string>();
        while (await NextAsync(lab, claims, weights: _ => 1, runningCounts: false) is { } claimed)
        {
            order.Add($"{claimed.SweepId}/{claimed.Key}");
        }

        // Nobody's device time grows in between (no clock moves, no mean yet): priority, then the older sweep, then its older cell.
        Assert.Equal(["high/high-0", "low-old/low-old-0", "low-old/low-old-1", "low-new/low-new-0"], order);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ClaimNext_WeightDividesDeviceTime(bool postgres)
    {
        await using var lab = await StoreAsync(postgres);
        var claims = new FairShareClaims(lab.Database, lab.Clock);
        await SubmitAsync(lab, "alice-1", "alice", priority: 0, cells: 2);
        await SubmitAsync(lab, "bob-1", "bob", priority: 0, cells: 2);
        await RunAsync(lab, "alice-1", "alice-1-0", TimeSpan.FromSeconds(100));
        await RunAsync(lab, "bob-1", "bob-1-0", TimeSpan.FromSeconds(60));

        var unweighted = await NextAsync(lab, claims, weights: _ => 1);
        Assert.Equal("bob-1", unweighted?.SweepId);   // 60 s < 100 s
        Assert.True(await claims.UnclaimAsync(unweighted!.Lease, "cpu:0", Ct));
        var weighted = await NextAsync(lab, claims, weights: u => u == "alice" ? 2 : 1);

        Assert.Equal("alice-1", weighted?.SweepId);   // 100 s / 2 < 60 s / 1
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ClaimNext_PassesOverCellsTheDeviceCannotTake(bool postgres)
    {
        await using var lab = await StoreAsync(postgres);
        var claims = new FairShareClaims(lab.Database, lab.Clock);
        await lab.Sweeps.SubmitAsync(new SweepSubmission("big", "/big.yaml", "name: big\n", "cpu", MemoryGb: 40, 2, 0, [Cell("big-0")], "bob"), false, Ct);
        await lab.Sweeps.SubmitAsync(new SweepSubmission("gpu", "/gpu.yaml", "name: gpu\n", "cuda", MemoryGb: 0, 2, 0, [Cell("gpu-0")], "bob"), false, Ct);
        await lab.Sweeps.SubmitAsync(new SweepSubmission("gone", "/gone.yaml", "name: gone\n", "cpu", MemoryGb: 0, 2, 0, [Cell("gone-0")], "bob"), false, Ct);
        await lab.Sweeps.CancelAsync("gone", Ct);
        await SubmitAsync(lab, "backoff", "bob", priority: 0, cells: 1);
        var retried = await lab.Leases.TryClaimAsync(new TrialLease("backoff", "backoff-0", 1), "cpu:0", Ct);
        Assert.NotNull(await lab.Leases.FailAsync(retried!.Lease, "flaky", FailureClass.Transient, Ct));   // queued again after a 2 s backoff
        await SubmitAsync(lab, "alice-1", "alice", priority: 0, cells: 1);
        lab.Time.Advance(TimeSpan.FromSeconds(1));

        // An 8 GB cpu device: not the 40 GB cell, not the cuda one, not the cancelled sweep's, not the one in backoff.
        var claimed = await NextAsync(lab, claims, memoryGb: 8);
        Assert.Equal("alice-1", claimed?.SweepId);
        Assert.Null(await NextAsync(lab, claims, memoryGb: 8));
        // A worker that refuses a dataset gets none of its cells; past the backoff and with room, the rest.
        lab.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(await NextAsync(lab, claims, memoryGb: 80, excluded: ["synthetic:mosei"]));
        var rest = new[] { await NextAsync(lab, claims, memoryGb: 80), await NextAsync(lab, claims, memoryGb: 80) };
        Assert.Equal(["backoff", "big"], rest.Select(c => c?.SweepId).Order(StringComparer.Ordinal));
        Assert.Equal(2, rest.Single(c => c!.SweepId == "backoff")!.Attempt);
        Assert.Null(await NextAsync(lab, claims, memoryGb: 80));
        Assert.Equal(TrialStatus.Queued, (await lab.TrialAsync("gpu-0", "gpu")).Status);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Unclaim_PutsTheCellBackAsTheSameAttemptAndOnlyForItsDevice(bool postgres)
    {
        await using var lab = await StoreAsync(postgres);
        var claims = new FairShareClaims(lab.Database, lab.Clock);
        await SubmitAsync(lab, "alice-1", "alice", priority: 0, cells: 1);
        var claimed = await NextAsync(lab, claims);

        Assert.False(await claims.UnclaimAsync(claimed!.Lease, "cpu:1", Ct));
        Assert.True(await claims.UnclaimAsync(claimed.Lease, "cpu:0", Ct));

        var trial = await lab.TrialAsync("alice-1-0", "alice-1");
        Assert.Equal((TrialStatus.Queued, 1, null, null), (trial.Status, trial.Attempt, trial.Device, trial.StartedAt));
        Assert.Equal(claimed.Lease, (await NextAsync(lab, claims))?.Lease);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ManyRounds_WeightTwo_GetsAboutTwiceTheDeviceTime(bool postgres)
    {
        await using var lab = await StoreAsync(postgres);
        var claims = new FairShareClaims(lab.Database, lab.Clock);
        await SubmitAsync(lab, "alice-1", "alice", priority: 0, cells: 150);
        lab.Time.Advance(TimeSpan.FromSeconds(1));
        await SubmitAsync(lab, "bob-1", "bob", priority: 0, cells: 150);
        const int devices = 6;
        var trial = TimeSpan.FromSeconds(10);
        var seconds = new Dictionary<string, double> { ["alice-1"] = 0, ["bob-1"] = 0 };

        // 30 rounds: every device takes a cell, the cells run 10 s, all complete.
        for (var round = 0; round < 30; round++)
        {
            var running = new List<ClaimedTrial>();
            for (var d = 0; d < devices; d++)
            {
                var claimed = await NextAsync(lab, claims, weights: u => u == "alice" ? 2 : 1, device: $"cpu:{d}");
                running.Add(claimed ?? throw new InvalidOperationException($"round {round}: no cell for device {d}"));
            }

            lab.Time.Advance(trial);
            foreach (var c in running)
            {
                seconds[c.SweepId] += trial.TotalSeconds;
                Assert.True(await lab.Leases.CompleteAsync(c.Lease, Outcome(new Dictionary<string, double> { ["mae"] = 1 }), Ct));
            }
        }

        var share = seconds["alice-1"] / (seconds["alice-1"] + seconds["bob-1"]);
        Assert.InRange(share, 2.0 / 3 * 0.95, 2.0 / 3 * 1.05);
    }

    private static async Task<TempStore> StoreAsync(bool postgres) => postgres ? await TempStore.CreatePostgresAsync() : await TempStore.CreateAsync();

    private static async Task SubmitAsync(TempStore lab, string id, string owner, int priority, int cells)
    {
        var submission = new SweepSubmission(id, $"/sweeps/{id}.yaml", $"name: {id}\n", "cpu", MemoryGb: 0, Retries: 2, priority,
            [.. Enumerable.Range(0, cells).Select(i => Cell($"{id}-{i}"))], owner);
        await lab.Sweeps.SubmitAsync(submission, rerunFailed: false, Ct);
    }

    private static async Task RunAsync(TempStore lab, string sweepId, string key, TimeSpan length)
    {
        Assert.NotNull(await lab.Leases.TryClaimAsync(new TrialLease(sweepId, key, 1), "cpu:9", Ct));
        lab.Time.Advance(length);
        Assert.True(await lab.Leases.CompleteAsync(new TrialLease(sweepId, key, 1), Outcome(new Dictionary<string, double> { ["mae"] = 1 }), Ct));
    }

    // What a worker does for a free device: read, order, claim (runningCounts false: as if the read predates every claim).
    private static async Task<ClaimedTrial?> NextAsync(
        TempStore lab, FairShareClaims claims, Func<string, double>? weights = null, double memoryGb = 0, string device = "cpu:0",
        string[]? excluded = null, bool runningCounts = true)
    {
        var snapshot = await claims.ReadAsync(Window, Ct);
        if (!runningCounts)
        {
            snapshot = snapshot with { Usage = [] };
        }

        var order = FairShareOrder.Sweeps(snapshot, "cpu", weights ?? (_ => 1), lab.Now, [], excluded);
        return await claims.ClaimNextAsync(order, "cpu", memoryGb, device, excluded ?? [], Ct);
    }

    private static (int Running, double EndedSeconds, int Ended) Usage(FairShareSnapshot snapshot, string owner) =>
        snapshot.Usage.Where(u => u.Owner == owner).Select(u => (u.Running, Math.Round(u.EndedSeconds, 3), u.Ended)).SingleOrDefault();
}
